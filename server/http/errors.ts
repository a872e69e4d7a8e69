/** Errors the hub answers with; every one becomes `{error:{code,message}}`. */
import type { ErrorCode } from '../../shared/api/common.ts';

export class HttpError extends Error {
  readonly status: number;
  readonly code: ErrorCode | string;
  constructor(status: number, code: ErrorCode | string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const badRequest = (code: ErrorCode, message: string) => new HttpError(400, code, message);
export const unauthorized = (message = '未登录或令牌无效') => new HttpError(401, 'UNAUTHORIZED', message);
export const forbidden = (code: ErrorCode, message: string) => new HttpError(403, code, message);
export const notFound = (code: ErrorCode, message: string) => new HttpError(404, code, message);
export const conflict = (code: ErrorCode, message: string) => new HttpError(409, code, message);
export const unprocessable = (code: ErrorCode, message: string) => new HttpError(422, code, message);
