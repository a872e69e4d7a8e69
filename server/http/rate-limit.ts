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
import { batched } from '../db/batch.ts';

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

/**
 * A @fastify/rate-limit store over the `rate_limit_hits` table. Increments that arrive while a
 * statement is in flight go together in the next (db/batch.ts): one upsert counts them all and
 * returns each caller its own count, so a busy hub spends a round trip per batch, not per request.
 */
function sharedStore(db: HubDb) {
  let calls = 0;
  const increment = batched<Hit, { current: number; ttl: number }>((hits) => incrementAll(db, hits), {
    maxInFlight: 2,
    maxBatch: 500,
  });
  return class SharedRateLimitStore {
    incr(key: string, cb: Callback, timeWindow: number): void {
      if (++calls % SWEEP_EVERY === 0) void sweep(db).catch(() => undefined);
      increment({ key, windowMs: timeWindow }).then(
        (r) => cb(null, r),
        (e: Error) => cb(e),
      );
    }

    child(): SharedRateLimitStore {
      return this;
    }
  };
}

interface Hit {
  key: string;
  windowMs: number;
}

/** Counts a batch of hits (a key may come several times) in one statement; each hit gets its own count. */
async function incrementAll(db: HubDb, hits: Hit[]): Promise<Array<{ current: number; ttl: number }>> {
  const perKey = new Map<string, { windowMs: number; n: number }>();
  for (const h of hits) {
    const k = perKey.get(h.key);
    if (k) k.n++;
    else perKey.set(h.key, { windowMs: h.windowMs, n: 1 });
  }
  const keys = [...perKey.keys()];
  // A window that has ended restarts at this batch's count; times are the database's clock.
  const { rows } = await sql<{ key: string; hits: number; ttl_ms: number }>`
    with t as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as now_ms),
         i as (select * from unnest(${keys}::text[], ${keys.map((k) => perKey.get(k)!.windowMs)}::bigint[],
                                    ${keys.map((k) => perKey.get(k)!.n)}::int[]) as x(key, window_ms, n))
    insert into rate_limit_hits as r (key, hits, reset_at_ms)
    select i.key, i.n, t.now_ms + i.window_ms from i, t
    on conflict (key) do update set
      hits = case when r.reset_at_ms <= (select now_ms from t) then excluded.hits else r.hits + excluded.hits end,
      reset_at_ms = case when r.reset_at_ms <= (select now_ms from t) then excluded.reset_at_ms else r.reset_at_ms end
    returning r.key, r.hits, r.reset_at_ms - (select now_ms from t) as ttl_ms`.execute(db);
  const counted = new Map(rows.map((r) => [r.key, { hits: Number(r.hits), ttl: Math.max(0, Number(r.ttl_ms)) }]));
  // The hits of one key in this batch take the counts just below the total, in arrival order.
  const given = new Map<string, number>();
  return hits.map((h) => {
    const c = counted.get(h.key)!;
    const before = given.get(h.key) ?? 0;
    given.set(h.key, before + 1);
    return { current: c.hits - perKey.get(h.key)!.n + before + 1, ttl: c.ttl };
  });
}

async function sweep(db: HubDb): Promise<void> {
  await sql`delete from rate_limit_hits
            where reset_at_ms < (extract(epoch from clock_timestamp()) * 1000)::bigint - 3600000`.execute(db);
}
