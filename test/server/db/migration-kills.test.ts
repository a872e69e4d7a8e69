/**
 * Kill the hub while it migrates, on SQLite and PostgreSQL: a real process (`server/db/migrate-cli.ts`,
 * the same migrate() the hub runs when it starts) is killed with SIGKILL, SIGINT or SIGTERM a random
 * time into its migrations, 30 times per database: half on a first start (an empty database), half
 * during an upgrade of a database that holds data. After every kill the database must be exactly at
 * one of the schemas a clean run passes through, with the migrations recorded that made it, and a
 * normal start must then bring it up to date with its data intact.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import { openDb, type HubDb } from '../../../server/db/open.ts';
import { ensureMigrationTable, migrate, recordedMigrations } from '../../../server/db/migrate.ts';
import { MIGRATIONS } from '../../../server/db/migrations/index.ts';
import { buildApp } from '../../../server/app.ts';
import { systemClock } from '../../../server/clock.ts';
import { dropPgDatabase, IN_CI, PG_URL, type Dialect } from '../support/hub.ts';

const CLI = fileURLToPath(new URL('../../../server/db/migrate-cli.ts', import.meta.url));
const NAMES = Object.keys(MIGRATIONS).sort();
/** The upgrade starts from here: the station-claims migration rewrites existing waybill rows. */
const UPGRADE_FROM = '0003_issued_per_factory';
const KILLS = 30;
const CONCURRENCY = 3;
const UPGRADE_ORDERS = 3000;
const SIGNALS = ['SIGKILL', 'SIGINT', 'SIGKILL', 'SIGTERM'] as const;

for (const dialect of ['sqlite', 'postgres'] as const) {
  const title = `${KILLS} random kills during a first start and an upgrade: nothing half-done, the next start completes [${dialect}]`;
  if (dialect === 'postgres' && !PG_URL) {
    if (IN_CI) {
      it(title, () => {
        throw new Error('CI=true but DAIFA_TEST_PG_URL is unset: the PostgreSQL run must not be skipped in CI');
      });
    } else it.skip(`${title} — PostgreSQL run SKIPPED: set DAIFA_TEST_PG_URL`, () => undefined);
    continue;
  }
  it(title, () => killRun(dialect), 240_000);
}

// ───────────────────────── databases: fresh, copies of a prepared one, snapshots ─────────────────────────

interface Databases {
  /** An empty database, or a copy of the prepared upgrade base. */
  create(from: 'empty' | 'upgrade'): Promise<string>;
  drop(url: string): Promise<void>;
  cleanup(): Promise<void>;
}

async function databases(dialect: Dialect): Promise<Databases> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'daifa-migrate-'));
    const base = join(dir, 'upgrade-base.db');
    await prepareUpgradeBase(`sqlite:${base}`);
    let n = 0;
    return {
      async create(from) {
        const file = join(dir, `try-${++n}.db`);
        if (from === 'upgrade') copyFileSync(base, file);
        return `sqlite:${file}`;
      },
      async drop(url) {
        const file = url.slice('sqlite:'.length);
        for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
      },
      async cleanup() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  // An empty database is a fresh schema of one database (instant); an upgrade copies a prepared database.
  const prefix = `daifa_mig_${randomBytes(3).toString('hex')}`;
  const urlOf = (name: string) => Object.assign(new URL(PG_URL), { pathname: `/${name}` }).toString();
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const base = `${prefix}_base`;
  const empties = `${prefix}_empty`;
  await admin.query(`CREATE DATABASE ${base} TEMPLATE template0 ENCODING 'UTF8'`);
  await admin.query(`CREATE DATABASE ${empties} TEMPLATE template0 ENCODING 'UTF8'`);
  await prepareUpgradeBase(urlOf(base));
  const schemas = new pg.Client({ connectionString: urlOf(empties) });
  await schemas.connect();
  let n = 0;
  const copies: string[] = [];
  return {
    async create(from) {
      const name = `${prefix}_${++n}`;
      if (from === 'upgrade') {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${base} ENCODING 'UTF8'`);
        copies.push(name);
        return urlOf(name);
      }
      await schemas.query(`CREATE SCHEMA ${name}`);
      const u = new URL(urlOf(empties));
      u.searchParams.set('options', `-c search_path=${name}`);
      return u.toString();
    },
    async drop(url) {
      const schema = new URL(url).searchParams.get('options')?.split('=')[1];
      if (schema) await schemas.query(`DROP SCHEMA ${schema} CASCADE`);
    },
    async cleanup() {
      await schemas.end();
      for (const name of [...copies, base, empties]) await dropPgDatabase(name);
      await admin.end();
    },
  };
}

/** A database at UPGRADE_FROM holding returned waybills, which the next migration gives a station. */
async function prepareUpgradeBase(url: string): Promise<void> {
  const db = await openDb(url, { migrate: false });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const raw = db as unknown as Kysely<any>;
  try {
    await migrate(db, { to: UPGRADE_FROM });
    const at = '2026-11-27T01:00:00.000Z';
    const [merchant, factory] = (await raw
      .insertInto('shops')
      .values([
        { name: '商家', role: 'merchant', created_at: at },
        { name: '工厂', role: 'factory', created_at: at },
      ])
      .returning('id')
      .execute()) as [{ id: number }, { id: number }];
    const station = await raw
      .insertInto('stations')
      .values({
        factory_shop_id: factory.id,
        name: '打印站',
        token_hash: randomBytes(16).toString('hex'),
        payload_key: randomBytes(32).toString('base64'),
        paired_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < UPGRADE_ORDERS; i += 500) {
      const orders = await raw
        .insertInto('orders')
        .values(
          Array.from({ length: 500 }, (_, j) => ({
            sn: `UP${i + j}`,
            merchant_shop_id: merchant.id,
            status: 'awaiting_shipment',
            after_sale: 'none',
            audit: 'none',
            address_version: 1,
            items_json: '[]',
            recipient_name: '张三',
            recipient_phone: '13800000000',
            recipient_province: '浙江省',
            recipient_city: '杭州市',
            recipient_district: '西湖区',
            recipient_detail: '文三路1号',
            masked_recipient_json: '{}',
            created_at: at,
            updated_at: at,
          })),
        )
        .returning(['id', 'sn'])
        .execute();
      await raw
        .insertInto('waybills')
        .values(
          orders.map((o: { id: number; sn: string }, j: number) => ({
            order_id: o.id,
            order_sn: o.sn,
            factory_shop_id: factory.id,
            waybill_no: `7500000${String(i + j).padStart(7, '0')}`,
            courier: 'ZTO',
            address_version: 1,
            status: 'returned',
            issued_at: at,
            returned_at: at,
            returned_station_id: station.id,
          })),
        )
        .execute();
    }
  } finally {
    await db.destroy();
  }
}

/** Every table, column and index, in a stable order: two databases with the same schema give the same text. */
async function schemaOf(db: HubDb, dialect: Dialect): Promise<string> {
  if (dialect === 'sqlite') {
    const rows = await sql<{
      type: string;
      name: string;
      sql: string | null;
    }>`select type, name, sql from sqlite_master where name not like 'sqlite_%' order by type, name`.execute(db);
    return rows.rows.map((r) => `${r.type} ${r.name}: ${r.sql}`).join('\n');
  }
  const cols = await sql<{
    t: string;
    c: string;
    ty: string;
    n: string;
  }>`select table_name as t, column_name as c, data_type as ty, is_nullable as n from information_schema.columns
     where table_schema = current_schema() order by 1, 2`.execute(db);
  const idx = await sql<{
    d: string;
  }>`select replace(indexdef, ' ' || current_schema() || '.', ' ') as d from pg_indexes where schemaname = current_schema() order by indexname`.execute(
    db,
  );
  return [...cols.rows.map((r) => `${r.t}.${r.c} ${r.ty} ${r.n}`), ...idx.rows.map((r) => r.d)].join('\n');
}

async function recordedOrNone(db: HubDb): Promise<string[] | null> {
  try {
    return await recordedMigrations(db);
  } catch {
    return null; // killed before the record table was created
  }
}

// ───────────────────────── the run ─────────────────────────

interface ChildRun {
  /** ms from the first "migrating" line to the last line, when not killed. */
  migratingMs: number;
  killed: boolean;
  output: string;
}

/** Runs the migrate CLI; with `killAfterMs`, sends `signal` that long after it starts its first migration. */
function runCli(url: string, killAfterMs?: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let started = 0;
    let killed = false;
    let finished = 0;
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (finished === 0 && /migrated|up to date/.test(output)) finished = performance.now();
      if (started === 0 && output.includes('migrating ')) {
        started = performance.now();
        if (killAfterMs !== undefined) {
          setTimeout(() => {
            if (child.exitCode === null) killed = child.kill(signal);
          }, killAfterMs);
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (!killed && code !== 0) reject(new Error(`migrate CLI exited ${code}: ${output}`));
      else resolve({ migratingMs: started && finished ? finished - started : 0, killed, output });
    });
  });
}

async function killRun(dialect: Dialect): Promise<void> {
  const dbs = await databases(dialect);
  try {
    // The schema after each step of a clean run: the only states a kill may leave behind.
    const steps = new Map<number, string>();
    const ref = await dbs.create('empty');
    const refDb = await openDb(ref, { migrate: false });
    steps.set(-1, await schemaOf(refDb, dialect)); // nothing at all
    await ensureMigrationTable(refDb);
    steps.set(0, await schemaOf(refDb, dialect));
    for (let k = 1; k <= NAMES.length; k++) {
      await migrate(refDb, { to: NAMES[k - 1] });
      steps.set(k, await schemaOf(refDb, dialect));
    }
    await refDb.destroy();
    await dbs.drop(ref);

    // How long a clean run migrates, to aim the kills inside that window.
    const window: Record<'empty' | 'upgrade', number> = { empty: 0, upgrade: 0 };
    for (const from of ['empty', 'upgrade'] as const) {
      const url = await dbs.create(from);
      window[from] = (await runCli(url)).migratingMs;
      await dbs.drop(url);
    }

    let interrupted = 0;
    const killOnce = async (i: number) => {
      const from = i % 2 === 0 ? 'empty' : 'upgrade';
      const signal = SIGNALS[i % SIGNALS.length]!;
      const url = await dbs.create(from);
      const delay = Math.random() * window[from];
      const run = await runCli(url, delay, signal);
      const label = `kill ${i + 1} (${from}, ${signal} after ${delay.toFixed(1)} ms)`;

      // 1. What the kill left: exactly the schema of the recorded migrations.
      const db = await openDb(url, { migrate: false });
      try {
        const recorded = await recordedOrNone(db);
        const schema = await schemaOf(db, dialect);
        if (recorded === null) {
          expect(schema, label).toBe(from === 'empty' ? steps.get(-1) : 'no record table in an upgrade');
        } else {
          expect(recorded, label).toEqual(NAMES.slice(0, recorded.length));
          expect(schema, label).toBe(steps.get(recorded.length));
          if (recorded.length < NAMES.length) interrupted++;
        }
      } finally {
        await db.destroy();
      }
      expect(run.killed || run.output.includes('migrated') || run.output.includes('up to date'), label).toBe(true);

      // 2. A normal start brings it up to date, and the hub serves it.
      const hubDb = await openDb(url);
      try {
        expect(await recordedMigrations(hubDb), label).toEqual(NAMES);
        expect(await schemaOf(hubDb, dialect), label).toBe(steps.get(NAMES.length));
        if (from === 'upgrade') {
          const w = await sql<{
            n: number;
            claimed: number;
          }>`select count(*) as n, count(station_id) as claimed from waybills where status = 'returned'`.execute(hubDb);
          expect(Number(w.rows[0]!.n), label).toBe(UPGRADE_ORDERS);
          expect(Number(w.rows[0]!.claimed), label).toBe(UPGRADE_ORDERS);
        }
        if (i % 6 === 5) {
          const app = await buildApp({ db: hubDb, clock: systemClock, adminToken: 'x'.repeat(32), logger: false });
          expect((await app.inject({ method: 'GET', url: '/v1/health' })).statusCode, label).toBe(200);
          await app.close();
        }
      } finally {
        await hubDb.destroy();
      }
      await dbs.drop(url);
    };
    // A few at a time: each try mostly waits for a process to start or for the database.
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < KILLS) await killOnce(next++);
      }),
    );
    // The kills must have landed inside the migrations, not only after them.
    expect(interrupted).toBeGreaterThanOrEqual(KILLS / 3);
  } finally {
    await dbs.cleanup();
  }
}
