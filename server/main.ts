/**
 * `npm run hub`: start the hub. Settings come from the environment (server/config.ts; the README's
 * table lists them).
 *
 * Signals: during start (migrations) a signal exits at once, and the migration in progress rolls
 * back whole. Once listening, SIGINT/SIGTERM stop taking new connections, close idle ones, let
 * requests in progress finish for HUB_SHUTDOWN_GRACE_MS, then cut what is left: a client holding a
 * keep-alive or half-sent request cannot keep the hub alive.
 */
import { writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import pino from 'pino';
import { buildApp } from './app.ts';
import { createSettableClock, systemClock } from './clock.ts';
import { ConfigError, readConfig, type HubConfig } from './config.ts';
import { openDb, type HubDb } from './db/open.ts';
import { DbProfiler } from './db/profile.ts';

const log = pino({ name: 'daifa-hub' });

let stop: (reason: string) => void = (reason) => {
  log.warn({ reason }, 'stopped during start');
  process.exit(130);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
// Started by `npm start`: exit when the parent is gone, even if it was killed and could not tell us
// (its end of our stdin pipe closes).
if (process.env.DAIFA_EXIT_WITH_PARENT === '1') {
  process.stdin.on('end', () => stop('parent exited'));
  process.stdin.on('error', () => stop('parent exited'));
  process.stdin.resume();
}

let config: HubConfig;
try {
  config = readConfig();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  log.error(e.message);
  process.exit(2);
}
warnAboutExposure(config);

const profiler = config.profileFile ? new DbProfiler() : null;
const db: HubDb = await openDb(config.databaseUrl, { poolSize: config.dbPoolSize, profiler: profiler ?? undefined });
const app = await buildApp({
  db,
  clock: config.testClock ? createSettableClock() : systemClock,
  adminToken: config.adminToken,
  testClock: config.testClock,
  logger: { level: config.logLevel },
  tls: config.tls,
  timeouts: config.timeouts,
  rateLimits: config.rateLimits,
  trustProxy: config.trustProxy,
  feedCompaction: config.feedCompaction,
  lateReturnHours: config.lateReturnHours,
  eventsHeartbeatMs: config.eventsHeartbeatMs,
  profiler,
});
if (profiler && config.profileFile) {
  const file = config.profileFile;
  // Each signal writes what was counted since the previous one (a benchmark sends one before and one
  // after the window it measures).
  process.on('SIGUSR2', () => writeFileSync(file, JSON.stringify(profiler.takeSummary(), null, 1)));
}

let stopping = false;
stop = (reason) => {
  if (stopping) return;
  stopping = true;
  log.info({ reason, graceMs: config.shutdownGraceMs }, 'shutting down');
  // Requests still running after the grace period lose their connection; if closing itself hangs
  // (a database that does not answer), the process goes anyway.
  setTimeout(() => app.server.closeAllConnections(), config.shutdownGraceMs).unref();
  setTimeout(() => {
    log.error('shutdown did not finish: exiting');
    process.exit(1);
  }, config.shutdownGraceMs + 5_000).unref();
  void (async () => {
    await app.close();
    await db.destroy();
    process.exit(0);
  })();
};

await app.listen({ port: config.port, host: config.host });
const bound = app.server.address();
log.info(
  {
    port: typeof bound === 'object' && bound ? bound.port : config.port,
    host: config.host,
    tls: config.tls !== null,
    database: config.databaseUrl.split(':')[0],
  },
  'hub listening',
);

function warnAboutExposure(c: HubConfig): void {
  if (!c.adminToken)
    log.warn('HUB_ADMIN_TOKEN is not set: the platform endpoints (/v1/shops, /v1/platform/*) are disabled');
  else if (c.adminToken.length < 32) log.warn('HUB_ADMIN_TOKEN is shorter than 32 characters: use a long random one');
  if (c.testClock) log.warn('HUB_TEST_CLOCK=1: POST /v1/platform/clock can move the hub clock. Never in production.');
  if (!c.tls && !isLoopback(c.host)) {
    log.warn(
      { host: c.host },
      'listening beyond this machine over plain HTTP: tokens cross the network in clear. Set HUB_TLS_CERT and HUB_TLS_KEY, or put a TLS proxy in front and listen on 127.0.0.1',
    );
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}
