/**
 * The hub as a Fastify app: zod validation of every request and response, OpenAPI at
 * /v1/openapi.json, `{error:{code,message}}` errors, and the route groups of routes/index.ts.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifyCookie from '@fastify/cookie';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Clock } from './clock.ts';
import type { HubContext } from './context.ts';
import type { HubDb } from './db/open.ts';
import { dialectOf } from './db/dialect.ts';
import { installErrorHandlers } from './http/error-handler.ts';
import { HttpError } from './http/errors.ts';
import { ROUTE_REGISTRARS } from './routes/index.ts';
import { registerConsoleWeb } from './console/serve.ts';

/** 2 MiB: a batch of 1,000 platform orders fits; anything larger is refused with 413. */
export const BODY_LIMIT = 2 * 1024 * 1024;

export interface BuildAppOptions {
  db: HubDb;
  clock: Clock;
  /** Bearer token for the platform endpoints; null or empty disables them. */
  adminToken: string | null;
  /** Enable POST /v1/platform/clock (the clock must be settable). */
  testClock?: boolean;
  /** pino options or false; default false (silent). */
  logger?: FastifyServerOptions['logger'];
  /** Where the built console is (default dist/console); a missing build gives a page that says how to build it. */
  consoleDir?: string;
  /** Hours after allocation at which a missing or late return is a risk (M9); default 24. */
  lateReturnHours?: number;
}

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // Proxies and clients may add a trailing slash; the contract has none.
    routerOptions: { ignoreTrailingSlash: true },
    // Router-level failures (an undecodable URL, a path parameter over 100 characters) never reach
    // the error handler; without this they answer in Fastify's own shape instead of {error:{code,message}}.
    frameworkErrors: (err, _req, reply) => {
      const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const message = tooLong ? '路径参数过长' : `无法解析的请求地址: ${err.message}`;
      void (reply as FastifyReply).status(tooLong ? 414 : 400).send({ error: { code: 'BAD_REQUEST', message } });
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // PostgreSQL cannot store U+0000 in text (SQLite can), so a JSON string carrying it was a 500 on
  // PostgreSQL only. Refuse it up front on both databases; in JSON it can only arrive as \u0000.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (/\\u0000/i.test(body as string)) {
      done(new HttpError(400, 'VALIDATION_ERROR', '请求参数有误: 文本不能包含空字符 (\\u0000)'), undefined);
      return;
    }
    parseJson(req, body as string, done);
  });

  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Daifa hub (代发)',
        version: '1.0.0',
        description: 'REST API of the Daifa hub. Errors: {error:{code,message}}.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });

  const ctx: HubContext = {
    db: opts.db,
    dialect: dialectOf(opts.db),
    clock: opts.clock,
    adminToken: opts.adminToken ? opts.adminToken : null,
    testClock: opts.testClock ?? false,
    ...(opts.lateReturnHours !== undefined ? { lateReturnHours: opts.lateReturnHours } : {}),
    log: app.log,
  };
  await registerConsoleWeb(app, opts.consoleDir);
  installErrorHandlers(app);
  for (const register of ROUTE_REGISTRARS) register(app, ctx);
  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/v1/health', { schema: { hide: true } }, async () => ({ ok: true }));
  await app.ready();
  return app;
}
