/**
 * The hub's settings, read once from the environment by `server/main.ts`. Every value has a
 * production default; a bad value stops the hub at start with a message that names the variable.
 */
import { readFileSync } from 'node:fs';
import type { RateLimitClass } from '../shared/api/endpoints.ts';
import { DEFAULT_LATE_RETURN_HOURS } from '../shared/api/risk.ts';

export interface HttpTimeouts {
  /** Until the request's headers are in (slow-header attacks). */
  headersMs: number;
  /** Until the whole request, body included, is in (a body sent at 1 byte/s). */
  requestMs: number;
  /** An idle keep-alive connection between two requests. */
  keepAliveMs: number;
  /** A connection on which nothing moves, in either direction. */
  idleMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 30_000,
  idleMs: 60_000,
};

/** At most `max` requests per `windowMs`; null: no limit. */
export type RateLimit = { max: number; windowMs: number } | null;
export type RateLimits = Record<RateLimitClass, RateLimit>;

/**
 * public: per IP, on the unauthenticated writes (guessing a pairing code or a login link);
 * station: per station token, everything a station calls (a runaway or stolen station);
 * report: per shop, statement generation and downloads, the risk report;
 * bulk: per shop, the 1,000-order writes (allocation, its cancellation, shipping) and price imports.
 * The station figure is far above what a station printing 50 labels a second needs.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  public: { max: 10, windowMs: 60_000 },
  station: { max: 3000, windowMs: 60_000 },
  report: { max: 60, windowMs: 60_000 },
  bulk: { max: 120, windowMs: 60_000 },
};

/** A quiet station event stream sends a comment this often, so proxies keep it and stations know it lives. */
export const DEFAULT_EVENTS_HEARTBEAT_MS = 15_000;

/** PostgreSQL connections per hub process (ARCHITECTURE.md, "The hub at scale", says how it was chosen). */
export const DEFAULT_DB_POOL_SIZE = 20;

export const NO_RATE_LIMITS: RateLimits = { public: null, station: null, report: null, bulk: null };

export interface HubConfig {
  port: number;
  host: string;
  databaseUrl: string;
  /** Empty: the platform endpoints are disabled. */
  adminToken: string;
  testClock: boolean;
  /** PEM certificate chain and key: the hub speaks HTTPS itself. */
  tls: { cert: Buffer; key: Buffer } | null;
  timeouts: HttpTimeouts;
  rateLimits: RateLimits;
  /** Fastify's trustProxy: which proxies' X-Forwarded-For to believe (the client IP of the public limit). */
  trustProxy: boolean | string;
  /** After SIGTERM/SIGINT, how long requests in progress may take before their connections are cut. */
  shutdownGraceMs: number;
  /** Feed compaction: finished orders older than `retentionMs` leave the station feed; null: never. */
  feedCompaction: { retentionMs: number; intervalMs: number } | null;
  /** Hours after allocation at which a missing or late return is a risk (M9). */
  lateReturnHours: number;
  logLevel: string;
  /** PostgreSQL connections per hub process. */
  dbPoolSize: number;
  /** Heartbeat of the station event streams. */
  eventsHeartbeatMs: number;
  /** Where to write the database profile (db/profile.ts) on SIGUSR2; null: not profiled. */
  profileFile: string | null;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

export function readConfig(env: Env = process.env): HubConfig {
  const certPath = env.HUB_TLS_CERT;
  const keyPath = env.HUB_TLS_KEY;
  if (!certPath !== !keyPath) throw new ConfigError('HUB_TLS_CERT and HUB_TLS_KEY go together: set both, or neither');
  return {
    port: int(env, 'PORT', 8787, 0, 65_535),
    // Loopback unless told otherwise: stations reach a hub on another machine through TLS (see README).
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || 'sqlite:./data/hub.db',
    adminToken: adminToken(env),
    testClock: env.HUB_TEST_CLOCK === '1',
    tls: certPath && keyPath ? { cert: file('HUB_TLS_CERT', certPath), key: file('HUB_TLS_KEY', keyPath) } : null,
    timeouts: {
      headersMs: int(env, 'HUB_HEADERS_TIMEOUT_MS', DEFAULT_TIMEOUTS.headersMs, 100),
      requestMs: int(env, 'HUB_REQUEST_TIMEOUT_MS', DEFAULT_TIMEOUTS.requestMs, 100),
      keepAliveMs: int(env, 'HUB_KEEPALIVE_TIMEOUT_MS', DEFAULT_TIMEOUTS.keepAliveMs, 100),
      idleMs: int(env, 'HUB_IDLE_TIMEOUT_MS', DEFAULT_TIMEOUTS.idleMs, 100),
    },
    rateLimits: {
      public: rateLimit(env, 'HUB_RATE_LIMIT_PUBLIC', DEFAULT_RATE_LIMITS.public),
      station: rateLimit(env, 'HUB_RATE_LIMIT_STATION', DEFAULT_RATE_LIMITS.station),
      report: rateLimit(env, 'HUB_RATE_LIMIT_REPORT', DEFAULT_RATE_LIMITS.report),
      bulk: rateLimit(env, 'HUB_RATE_LIMIT_BULK', DEFAULT_RATE_LIMITS.bulk),
    },
    trustProxy: trustProxy(env.HUB_TRUST_PROXY),
    shutdownGraceMs: int(env, 'HUB_SHUTDOWN_GRACE_MS', 5_000, 0),
    feedCompaction:
      env.HUB_FEED_RETENTION_DAYS === 'off'
        ? null
        : {
            retentionMs: int(env, 'HUB_FEED_RETENTION_DAYS', 30, 1) * 86_400_000,
            intervalMs: int(env, 'HUB_FEED_COMPACT_INTERVAL_MS', 3_600_000, 1000),
          },
    lateReturnHours: int(env, 'HUB_LATE_RETURN_HOURS', DEFAULT_LATE_RETURN_HOURS, 1),
    logLevel: env.LOG_LEVEL || 'info',
    dbPoolSize: int(env, 'HUB_DB_POOL_SIZE', DEFAULT_DB_POOL_SIZE, 1, 1000),
    eventsHeartbeatMs: int(env, 'HUB_EVENTS_HEARTBEAT_MS', DEFAULT_EVENTS_HEARTBEAT_MS, 100),
    profileFile: env.HUB_PROFILE_FILE || null,
  };
}

/** HUB_ADMIN_TOKEN, or the contents of the file HUB_ADMIN_TOKEN_FILE names (a secret mounted as a file). */
function adminToken(env: Env): string {
  if (env.HUB_ADMIN_TOKEN && env.HUB_ADMIN_TOKEN_FILE) {
    throw new ConfigError('set HUB_ADMIN_TOKEN or HUB_ADMIN_TOKEN_FILE, not both');
  }
  if (env.HUB_ADMIN_TOKEN_FILE) return file('HUB_ADMIN_TOKEN_FILE', env.HUB_ADMIN_TOKEN_FILE).toString('utf8').trim();
  return env.HUB_ADMIN_TOKEN ?? '';
}

function file(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new ConfigError(`${name}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
}

function int(env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be a whole number from ${min} (got ${raw})`);
  return n;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `10/1m`, `600/30s`: that many requests per window; `off`: no limit. */
export function parseRateLimit(text: string): RateLimit {
  if (text.trim() === 'off') return null;
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*(ms|s|m|h)\s*$/.exec(text);
  if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) throw new ConfigError(`not a rate limit: ${text}`);
  return { max: Number(m[1]), windowMs: Number(m[2]) * UNIT_MS[m[3]!]! };
}

function rateLimit(env: Env, name: string, fallback: RateLimit): RateLimit {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  try {
    return parseRateLimit(raw);
  } catch {
    throw new ConfigError(`${name} must look like 10/1m (requests per window: ms, s, m or h) or off (got ${raw})`);
  }
}

function trustProxy(raw: string | undefined): boolean | string {
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  return raw; // addresses or CIDR ranges, comma-separated, e.g. 127.0.0.1,10.0.0.0/8
}
