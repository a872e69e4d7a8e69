/**
 * `npm run hub`: start the hub.
 *   PORT (8787) · HOST (0.0.0.0) · DATABASE_URL (sqlite:./data/hub.db) · HUB_ADMIN_TOKEN · HUB_TEST_CLOCK=1
 */
import pino from 'pino';
import { buildApp } from './app.ts';
import { createSettableClock, systemClock } from './clock.ts';
import { openDb } from './db/open.ts';

const log = pino({ name: 'daifa-hub' });
const port = Number(process.env.PORT ?? 8787);
const host = process.env.HOST ?? '0.0.0.0';
const databaseUrl = process.env.DATABASE_URL ?? 'sqlite:./data/hub.db';
const adminToken = process.env.HUB_ADMIN_TOKEN ?? '';
const testClock = process.env.HUB_TEST_CLOCK === '1';
const lateReturnHours = process.env.HUB_LATE_RETURN_HOURS ? Number(process.env.HUB_LATE_RETURN_HOURS) : undefined;
if (lateReturnHours !== undefined && !(Number.isInteger(lateReturnHours) && lateReturnHours >= 1)) {
  log.error('HUB_LATE_RETURN_HOURS must be a whole number of hours, at least 1');
  process.exit(2);
}

if (!adminToken)
  log.warn('HUB_ADMIN_TOKEN is not set: the platform endpoints (/v1/shops, /v1/platform/*) are disabled');
if (testClock) log.warn('HUB_TEST_CLOCK=1: POST /v1/platform/clock can move the hub clock. Never in production.');

const db = await openDb(databaseUrl);
const app = await buildApp({
  db,
  clock: testClock ? createSettableClock() : systemClock,
  adminToken,
  testClock,
  lateReturnHours,
  logger: { level: process.env.LOG_LEVEL ?? 'info' },
});

const shutdown = async (signal: string) => {
  log.info({ signal }, 'shutting down');
  await app.close();
  await db.destroy();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
// Started by `npm start`: exit when the parent is gone, even if it was killed and could not tell us
// (its end of our stdin pipe closes).
if (process.env.DAIFA_EXIT_WITH_PARENT === '1') {
  process.stdin.on('end', () => void shutdown('parent exited'));
  process.stdin.on('error', () => void shutdown('parent exited'));
  process.stdin.resume();
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port, host });
log.info({ port, database: databaseUrl.split(':')[0] }, 'hub listening');
