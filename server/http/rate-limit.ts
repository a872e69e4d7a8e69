/**
 * Rate limits (@fastify/rate-limit): 429 RATE_LIMITED with Retry-After, per client IP on the
 * unauthenticated pairing endpoint and per caller (station or shop) on the endpoints marked in the
 * endpoint table. The count must hold across every hub of one PostgreSQL, so there it is one upsert
 * per request in `rate_limit_hits`, windowed on the database's clock; a single hub on SQLite counts
 * in memory. Either store is one count per class and caller, across all the class's endpoints (the
 * plugin's own memory store would count each endpoint apart).
 */
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import fastifyRateLimit from '@fastify/rate-limit';
import { sql } from 'kysely';
import type { RateLimitClass } from '../../shared/api/endpoints.ts';
import type { HubContext } from '../context.ts';
import { openSidePool, type HubDb } from '../db/open.ts';
import type { RateLimits } from '../config.ts';
import { DomainError } from '../errors.ts';

/**
 * On PostgreSQL the counters have a pool of their own, committing asynchronously: a request's count
 * then costs one round trip and no wait for the WAL to reach the disk, and never waits for (or holds)
 * a connection the requests' own work needs. A database crash can lose the last fraction of a second
 * of counts, which only lets a client a few requests more; every hub still sees each count at once.
 */
const COUNTER_POOL_SIZE = 3;

export async function registerRateLimits(app: FastifyInstance, ctx: HubContext): Promise<void> {
  const counters = openSidePool(ctx.db, { max: COUNTER_POOL_SIZE, asyncCommit: true });
  if (counters) app.addHook('onClose', async () => counters.destroy());
  await app.register(fastifyRateLimit, {
    global: false,
    store: counters ? sharedStore(counters) : memoryStore(),
    errorResponseBuilder: (_req, c) =>
      new DomainError('RATE_LIMITED', `请求过于频繁，请 ${Math.max(1, Math.ceil(c.ttl / 1000))} 秒后再试`),
  });
}

/**
 * The route option that limits one endpoint, or nothing. `callerKey` names who is calling, once
 * authentication has run (it runs first, in the route's own onRequest hook).
 */
export function rateLimitOf(
  limits: RateLimits,
  cls: RateLimitClass | undefined,
  callerKey: (req: FastifyRequest) => string,
): FastifyContextConfig {
  const limit = cls ? limits[cls] : null;
  if (!cls || !limit) return {};
  return {
    rateLimit: {
      max: limit.max,
      timeWindow: limit.windowMs,
      hook: 'onRequest',
      keyGenerator: (req: FastifyRequest) => `${cls}|${cls === 'public' ? `ip:${req.ip}` : callerKey(req)}`,
    },
  };
}

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

/** How often (in increments) a store also deletes windows that ended long ago. */
const SWEEP_EVERY = 1000;

/** Fixed windows in this process's memory, swept as they end. */
function memoryStore() {
  const windows = new Map<string, { hits: number; resetAt: number }>();
  let calls = 0;
  return class MemoryRateLimitStore {
    incr(key: string, cb: Callback, timeWindow: number): void {
      const now = Date.now();
      if (++calls % SWEEP_EVERY === 0) for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
      let w = windows.get(key);
      if (!w || w.resetAt <= now) windows.set(key, (w = { hits: 0, resetAt: now + timeWindow }));
      w.hits++;
      cb(null, { current: w.hits, ttl: w.resetAt - now });
    }

    child(): MemoryRateLimitStore {
      return this;
    }
  };
}

/** A @fastify/rate-limit store over the `rate_limit_hits` table (one statement per request). */
function sharedStore(db: HubDb) {
  let calls = 0;
  return class SharedRateLimitStore {
    incr(key: string, cb: Callback, timeWindow: number): void {
      const sweep = ++calls % SWEEP_EVERY === 0;
      void increment(db, key, timeWindow, sweep).then(
        (r) => cb(null, r),
        (e: Error) => cb(e),
      );
    }

    child(): SharedRateLimitStore {
      return this;
    }
  };
}

async function increment(
  db: HubDb,
  key: string,
  windowMs: number,
  sweep: boolean,
): Promise<{ current: number; ttl: number }> {
  // A window that has ended restarts at 1; `excluded.reset_at_ms - window` is the database's now.
  const { rows } = await sql<{ hits: number; ttl_ms: number }>`
    with t as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as now_ms)
    insert into rate_limit_hits as r (key, hits, reset_at_ms)
    select ${key}::text, 1, t.now_ms + ${windowMs}::bigint from t
    on conflict (key) do update set
      hits = case when r.reset_at_ms <= excluded.reset_at_ms - ${windowMs}::bigint then 1 else r.hits + 1 end,
      reset_at_ms = case when r.reset_at_ms <= excluded.reset_at_ms - ${windowMs}::bigint
                         then excluded.reset_at_ms else r.reset_at_ms end
    returning r.hits, r.reset_at_ms - (select now_ms from t) as ttl_ms`.execute(db);
  if (sweep) {
    await sql`delete from rate_limit_hits
              where reset_at_ms < (extract(epoch from clock_timestamp()) * 1000)::bigint - 3600000`.execute(db);
  }
  const row = rows[0]!;
  return { current: Number(row.hits), ttl: Math.max(0, Number(row.ttl_ms)) };
}
