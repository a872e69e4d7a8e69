/**
 * The console's one hub client: the shared typed client (shared/api/client.ts) over the page's own
 * origin. The browser sends the HttpOnly session cookie; the client adds the session's CSRF token to
 * every mutating request. Errors come back as values for the UI's one error path.
 */
import { createHubClient, HubApiError, type EndpointInput, type EndpointOutput } from '../../shared/api/client.ts';
import type { EndpointDef } from '../../shared/api/endpoints.ts';

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export const hub = createHubClient({ baseUrl: '', csrfToken: () => csrfToken });

export interface CallError {
  status: number | null;
  code: string;
  message: string;
  /** The whole error body (e.g. nextAllowedAt of STATEMENT_LIMIT). */
  body: unknown;
}

export type CallResult<T> = { data: T; error: null } | { data: null; error: CallError };

/** `hub.call`, with the error as a value (Actual's sendCatch). */
export async function send<D extends EndpointDef>(
  def: D,
  input: EndpointInput<D>,
): Promise<CallResult<EndpointOutput<D>>> {
  try {
    return { data: await hub.call(def, input), error: null };
  } catch (e) {
    if (e instanceof HubApiError) {
      return { data: null, error: { status: e.status, code: e.code, message: e.message, body: e.body } };
    }
    return { data: null, error: { status: null, code: 'UNREACHABLE', message: (e as Error).message, body: null } };
  }
}
