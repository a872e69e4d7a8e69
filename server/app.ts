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
import { sql } from 'kysely';
import type { Clock } from './clock.ts';
import { DomainError } from './errors.ts';
import type { HubContext } from './context.ts';
import type { HubDb } from './db/open.ts';
import { dialectOf } from './db/dialect.ts';
import { onRetry } from './db/tx.ts';
import { installErrorHandlers } from './http/error-handler.ts';
import { installJsonBodyParser } from './http/json-body.ts';
import { registerRateLimits } from './http/rate-limit.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { DEFAULT_RATE_LIMITS, DEFAULT_TIMEOUTS, type HttpTimeouts, type RateLimits } from './config.ts';
import { ROUTE_REGISTRARS } from './routes.ts';
import { FeedCompactor } from './stations/feed-compaction.ts';
import { CONSOLE_CSP, registerConsoleWeb } from './http/console-web.ts';
import { installProfileHooks } from './http/profile-hooks.ts';
import type { DbProfiler } from './db/profile.ts';

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
  /** Serve HTTPS with this certificate chain and key (PEM). */
  tls?: { cert: Buffer | string; key: Buffer | string } | null;
  /** Default DEFAULT_TIMEOUTS. */
  timeouts?: HttpTimeouts;
  /** Default DEFAULT_RATE_LIMITS. */
  rateLimits?: RateLimits;
  /** Fastify's trustProxy (whose X-Forwarded-For gives the client IP); default false. */
  trustProxy?: boolean | string;
  /** Compact the station feed on a timer (stations/feed-compaction.ts); default off. */
  feedCompaction?: { retentionMs: number; intervalMs: number } | null;
  /** Where the built console is (default dist/console); a missing build gives a page that says how to build it. */
  consoleDir?: string;
  /** Hours after allocation at which a missing or late return is a risk (M9); default 24. */
  lateReturnHours?: number;
  /** How often a quiet station event stream sends a heartbeat; default DEFAULT_EVENTS_HEARTBEAT_MS. */
  eventsHeartbeatMs?: number;
  /** Account each request's database time under its endpoint (the same profiler the pool reports to). */
  profiler?: DbProfiler | null;
}

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const timeouts = opts.timeouts ?? DEFAULT_TIMEOUTS;
  // Node checks the header and request deadlines on a timer (30 s by default): check often enough
  // that a slow client is cut close to its deadline.
  const serverOptions = {
    headersTimeout: timeouts.headersMs,
    connectionsCheckingInterval: Math.min(1000, timeouts.headersMs, timeouts.requestMs),
  };
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: BODY_LIMIT,
    ...(opts.tls ? { https: { ...serverOptions, cert: opts.tls.cert, key: opts.tls.key } } : { http: serverOptions }),
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: timeouts.idleMs,
    trustProxy: opts.trustProxy ?? false,
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
  if (opts.profiler) installProfileHooks(app, opts.profiler);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installJsonBodyParser(app);

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
    rateLimits: opts.rateLimits ?? DEFAULT_RATE_LIMITS,
    ...(opts.lateReturnHours !== undefined ? { lateReturnHours: opts.lateReturnHours } : {}),
    log: app.log,
    ...(opts.eventsHeartbeatMs !== undefined ? { eventsHeartbeatMs: opts.eventsHeartbeatMs } : {}),
  };
  // One policy for every answer: the console's pages need theirs, and JSON needs nothing more.
  await registerSecurityHeaders(app, { tls: Boolean(opts.tls), contentSecurityPolicy: CONSOLE_CSP });
  await registerRateLimits(app, ctx);
  await registerConsoleWeb(app, opts.consoleDir);
  installErrorHandlers(app);
  // A deadlock means a writer broke the lock order (db/tx.ts): retried, but an operator should hear of it.
  const stopRetryLog = onRetry(opts.db, (r) =>
    r.cause === '40P01'
      ? app.log.warn(r, 'write transaction retried after a deadlock')
      : app.log.debug(r, 'write transaction retried'),
  );
  app.addHook('onClose', async () => stopRetryLog());
  if (opts.feedCompaction) {
    const compactor = new FeedCompactor(ctx, opts.feedCompaction);
    app.addHook('onReady', async () => compactor.start());
    app.addHook('onClose', async () => compactor.stop());
  }
  for (const register of ROUTE_REGISTRARS) register(app, ctx);
  app.get('/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // What a load balancer's health check asks: this process answers and can reach its database.
  app.get('/v1/health', { schema: { hide: true } }, async () => {
    try {
      await sql`select 1`.execute(opts.db);
    } catch {
      throw new DomainError('UNAVAILABLE', '数据库暂时不可用，请稍后再试');
    }
    return { ok: true };
  });
  await app.ready();
  return app;
}
