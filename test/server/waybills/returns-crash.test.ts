/**
 * Crash test of the exactly-once push (DESIGN §4), on SQLite and PostgreSQL: a real hub process
 * (`node server/main.ts`) is SIGKILLed at random points while a client pushes 2,000 returns in
 * batches of 100, and restarted each time. Kills land a random 0–25 ms after a request is sent
 * (before, during or after the hub's transaction); twice the client also drops a committed answer
 * and the hub dies, the case where only the stored results can tell the client what happened.
 * The client behaves like the station's outbox: it resends from its last confirmed id, sometimes
 * with already-confirmed ids again. At the end every return was processed exactly once (the
 * factory's feed version moved by exactly 1,960: each committed application takes one version per
 * order it changed, and the 40 rejected returns change none), every result the client saw equals the
 * one the hub stored, and 40 returns of orders that turned abnormal were rejected with intercept.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { openDb } from '../../../server/db/open.ts';
import type { MutationResult } from '../../../shared/api/waybills.ts';
import { buildApp } from '../../../server/app.ts';
import { createSettableClock } from '../../../server/clock.ts';
import { IN_CI, PG_URL, freshDatabase, platformEvent, type Dialect, type TestHub } from '../support/hub.ts';
import { allocatedOrders, issueNumbers, returned } from '../support/scenarios.ts';

const MAIN = fileURLToPath(new URL('../../../server/main.ts', import.meta.url));
const TOTAL = 2000;
const BATCH = 100;
const INTERCEPTED = 40;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  const title = `SIGKILL at random points while 2,000 returns are pushed: each applied exactly once, client agrees with the database [${dialect}]`;
  if (dialect === 'postgres' && !PG_URL) {
    if (IN_CI) {
      it(title, () => {
        throw new Error('CI=true but DAIFA_TEST_PG_URL is unset: the PostgreSQL run must not be skipped in CI');
      });
    } else {
      console.warn('PostgreSQL run SKIPPED: set DAIFA_TEST_PG_URL');
      it.skip(`${title} — PostgreSQL run SKIPPED: set DAIFA_TEST_PG_URL`, () => undefined);
    }
    continue;
  }
  it(title, () => crashRun(dialect), 150_000);
}

async function crashRun(dialect: Dialect): Promise<void> {
  // 1. Set up a hub database in-process: 2,000 allocated orders with issued numbers.
  const { url: dbUrl, drop } = await freshDatabase(dialect);
  const adminToken = `admin-${randomBytes(8).toString('hex')}`;
  const db = await openDb(dbUrl);
  const app = await buildApp({ db, clock: createSettableClock(), adminToken, logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no port');
  const h: TestHub = {
    dialect,
    url: `http://127.0.0.1:${addr.port}`,
    app,
    db,
    clock: createSettableClock(),
    adminToken,
    databaseUrl: dbUrl,
    close: async () => undefined,
  };
  const { station, sns, factory } = await allocatedOrders(h, TOTAL);
  const numbers: string[] = [];
  for (let i = 0; i < TOTAL; i += 100) numbers.push(...(await issueNumbers(h, station, sns.slice(i, i + 100))));
  // Some orders turn abnormal after their number was issued: their returns must be rejected (intercept).
  for (let i = 0; i < INTERCEPTED; i++) await platformEvent(h, sns[i * 50]!, { type: 'after_sale_opened' });
  const versionBefore = (
    await db
      .selectFrom('factory_versions')
      .select('version')
      .where('factory_shop_id', '=', factory.shopId)
      .executeTakeFirstOrThrow()
  ).version;
  await app.close();
  await db.destroy();

  // 2. The hub as a child process, killed and restarted at random points.
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let stderr = '';
  let kills = 0;
  let killsInFlight = 0;
  let lostAfterCommit = 0;
  let droppedAnswers = 0;
  let inFlightEnd = 0;
  // A second connection to look at the database between a kill and the restart.
  const probe = await openDb(dbUrl, { migrate: false });
  let inFlight = false;
  const startHub = async () => {
    stderr = '';
    child = spawn(process.execPath, [MAIN], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: dbUrl,
        HUB_ADMIN_TOKEN: adminToken,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${base}/v1/health`)).ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`hub did not start: ${stderr}`);
  };
  const killHub = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    const sending = inFlight ? inFlightEnd : 0;
    if (inFlight) killsInFlight++;
    c.kill('SIGKILL');
    await exited;
    kills++;
    if (sending > 0) {
      // Did the batch being sent commit before the kill? Then its answer was lost and only the
      // stored results can tell the client what happened.
      const row = await probe
        .selectFrom('station_clients')
        .select('last_mutation_id')
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      if ((row?.last_mutation_id ?? 0) >= sending) lostAfterCommit++;
    }
  };

  const clientId = `crash-${randomBytes(6).toString('hex')}`;
  const mutations = sns.map((sn, i) => returned(i + 1, sn, numbers[i]!, '2026-11-27T02:00:00.000Z'));
  const results = new Map<number, MutationResult>();
  let next = 1;
  let requests = 0;
  let failures = 0;
  const deadline = Date.now() + 75_000;

  await startHub();
  // The killer: for some requests, a SIGKILL a random 0–25 ms after sending, so it lands before,
  // during or after the hub's transaction (and before its answer); then the hub is restarted.
  // Requests 2, 5 and 9 always get one, so every run has at least three.
  let restarting: Promise<void> | null = null;
  const killSoon = (delay = Math.random() * 25) => {
    restarting = (async () => {
      await new Promise((r) => setTimeout(r, delay));
      await killHub();
      await startHub();
    })();
  };

  try {
    while (next <= TOTAL) {
      if (Date.now() > deadline) throw new Error(`crash test too slow: next=${next} kills=${kills}`);
      // The outbox: the next BATCH ids from the last confirmed one, and sometimes a few already-confirmed ones again.
      const start = Math.max(1, next - (Math.random() < 0.3 ? Math.floor(Math.random() * 20) : 0));
      const batch = mutations.slice(start - 1, start - 1 + BATCH);
      if (restarting) await restarting;
      restarting = null;
      requests++;
      const dropsAnswer = [4, 11].includes(requests);
      if (!dropsAnswer && ([2, 5, 9].includes(requests) || Math.random() < 0.15)) killSoon();
      inFlight = true;
      inFlightEnd = batch[batch.length - 1]!.id;
      try {
        const res = await fetch(`${base}/v1/station/mutations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${station.token}` },
          body: JSON.stringify({ clientId, mutations: batch }),
        });
        if (dropsAnswer && res.status === 200) {
          // Deterministically, the case that matters most: the batch committed and the answer is lost
          // (the client drops it and the hub dies). Only the stored results can tell the client now.
          droppedAnswers++;
          await res.body?.cancel();
          if (restarting) await restarting;
          killSoon(0);
          continue;
        }
        const body = (await res.json()) as { lastMutationId: number; results: MutationResult[] } & {
          error?: { code: string; lastMutationId: number };
        };
        if (res.status === 409 && body.error?.code === 'MUTATION_GAP') {
          next = body.error.lastMutationId + 1;
          continue;
        }
        if (res.status !== 200) throw new Error(`unexpected ${res.status}: ${JSON.stringify(body)}`);
        for (const r of body.results) {
          const prev = results.get(r.id);
          // A result, once seen, never changes: the stored one comes back for repeated ids.
          if (prev) expect(r).toEqual(prev);
          results.set(r.id, r);
        }
        // Like the outbox: an entry leaves the queue once its own result came back. lastMutationId may be
        // higher (an earlier, lost response committed more): those ids are resent and answered from storage.
        expect(body.lastMutationId).toBeGreaterThanOrEqual(batch[batch.length - 1]!.id);
        next = batch[batch.length - 1]!.id + 1;
      } catch (e) {
        if (!(e instanceof TypeError)) throw e; // fetch's network errors are TypeErrors
        failures++; // connection refused/reset: the hub was killed; resend from the last confirmed id
        inFlight = false;
        if (!restarting) await new Promise((r) => setTimeout(r, 20));
      } finally {
        inFlight = false;
      }
    }
  } finally {
    if (restarting) await restarting;
    await killHub();
    await probe.destroy();
  }

  // 3. What the database says.
  const check = await openDb(dbUrl);
  try {
    const f = check;
    const client = await f
      .selectFrom('station_clients')
      .selectAll()
      .where('client_id', '=', clientId)
      .executeTakeFirstOrThrow();
    expect(client.last_mutation_id).toBe(TOTAL);
    const stored = await f
      .selectFrom('mutation_results')
      .selectAll()
      .where('client_id', '=', clientId)
      .orderBy('mutation_id')
      .execute();
    expect(stored.map((s) => s.mutation_id)).toEqual(mutations.map((m) => m.id));
    expect(results.size).toBe(TOTAL);
    for (const s of stored) expect(results.get(s.mutation_id)).toEqual(JSON.parse(s.result_json));
    const versionAfter = (
      await check
        .selectFrom('factory_versions')
        .select('version')
        .where('factory_shop_id', '=', factory.shopId)
        .executeTakeFirstOrThrow()
    ).version;
    expect(versionAfter - versionBefore).toBe(TOTAL - INTERCEPTED);
    const waybills = await f
      .selectFrom('waybills')
      .select(['waybill_no', 'status'])
      .where('waybill_no', 'in', numbers.slice(0, 1000))
      .execute();
    const waybills2 = await f
      .selectFrom('waybills')
      .select(['waybill_no', 'status'])
      .where('waybill_no', 'in', numbers.slice(1000))
      .execute();
    const status = new Map([...waybills, ...waybills2].map((w) => [w.waybill_no, w.status]));
    const rejected = [...results.values()].filter((r) => r.status === 'rejected');
    expect(rejected).toHaveLength(INTERCEPTED);
    expect(rejected.every((r) => r.status === 'rejected' && r.intercept && r.reason === 'after_sale')).toBe(true);
    numbers.forEach((no, i) =>
      expect(status.get(no)).toBe(i % 50 === 0 && i / 50 < INTERCEPTED ? 'issued' : 'returned'),
    );
  } finally {
    await check.destroy();
    await drop();
  }
  console.log(
    `crash test [${dialect}]: ${kills} SIGKILLs (${killsInFlight} during a push), ${requests} requests, ${failures} failed, ${lostAfterCommit} kills after the commit of the batch in flight, ${droppedAnswers} committed answers dropped`,
  );
  expect(kills).toBeGreaterThanOrEqual(3);
  expect(killsInFlight).toBeGreaterThanOrEqual(1);
  expect(droppedAnswers).toBe(2);
}
