/**
 * A refusal by the hub's rules: a code clients switch on (ERROR_CODES in shared/api/common.ts), the
 * words a person reads (Chinese, as the seed gives them), and any field the client needs to act on
 * it (when to try again, where to resume). Domain code throws these and knows nothing of HTTP:
 * http/error-status.ts maps each code to its status, in one place.
 */
import type { ErrorCode } from '../shared/api/common.ts';

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** Extra fields of the error body, beside code and message. */
  readonly details: Readonly<Record<string, unknown>>;
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}
