/** What every route and service gets: the database, the clock, and configuration. */
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from './clock.ts';
import type { HubDb } from './db/open.ts';
import type { DbDialect } from './db/dialect.ts';
import type { RateLimits } from './config.ts';

export interface HubContext {
  db: HubDb;
  dialect: DbDialect;
  clock: Clock;
  /** Bearer token of the platform endpoints; null disables them. */
  adminToken: string | null;
  /** Whether POST /v1/platform/clock may move the clock. */
  testClock: boolean;
  rateLimits: RateLimits;
  /** Hours from allocation after which a missing or late return counts as a risk (M9); default 24. */
  lateReturnHours?: number;
  log: FastifyBaseLogger;
  /** How often a quiet station event stream sends a heartbeat; default DEFAULT_EVENTS_HEARTBEAT_MS. */
  eventsHeartbeatMs?: number;
}

export function nowIso(ctx: Pick<HubContext, 'clock'>): string {
  return ctx.clock.now().toISOString();
}
