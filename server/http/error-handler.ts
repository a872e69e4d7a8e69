/**
 * Every failure becomes `{error:{code,message}}`. Client mistakes (bad JSON, wrong types, unknown
 * fields, oversized bodies, unique-key races) are 4xx; only our own bugs are 5xx.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError } from '../errors.ts';
import { ERROR_STATUS } from './error-status.ts';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';

function body(code: string, message: string) {
  return { error: { code, message } };
}

const UNIQUE_VIOLATION = new Set(['23505', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY']);

export function installErrorHandlers(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    void reply.status(404).send(body('NOT_FOUND', `没有这个接口: ${req.method} ${req.url.split('?')[0]}`));
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof DomainError) {
      return reply
        .status(ERROR_STATUS[err.code])
        .send({ error: { code: err.code, message: err.message, ...err.details } });
    }

    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation
        .slice(0, 5)
        .map((v) => `${v.instancePath || '/'}: ${v.message ?? 'invalid'}`)
        .join('; ');
      return reply
        .status(400)
        .send(body('VALIDATION_ERROR', `请求参数有误 (${err.validationContext ?? 'body'}) ${details}`));
    }
    if (isResponseSerializationError(err)) {
      req.log.error({ err }, 'response does not match its schema');
      return reply.status(500).send(body('INTERNAL', '服务器内部错误'));
    }
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(body('PAYLOAD_TOO_LARGE', '请求体过大'));
    }
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send(body('UNSUPPORTED_MEDIA_TYPE', '只接受 application/json'));
    }
    const dbCode = (err as { code?: unknown }).code;
    if (typeof dbCode === 'string' && UNIQUE_VIOLATION.has(dbCode)) {
      return reply.status(409).send(body('CONFLICT', '数据已被并发修改，请重试'));
    }
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      const code = err instanceof SyntaxError || err.code?.startsWith('FST_ERR_CTP') ? 'INVALID_JSON' : 'BAD_REQUEST';
      return reply
        .status(status)
        .send(body(code, code === 'INVALID_JSON' ? `请求体不是合法的 JSON: ${err.message}` : err.message));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send(body('INTERNAL', '服务器内部错误'));
  });
}
