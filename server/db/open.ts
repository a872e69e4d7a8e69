/**
 * Opening the hub database from a URL and bringing its schema up to date.
 *   sqlite:PATH (or sqlite::memory:)  → better-sqlite3, WAL, foreign keys on, busy timeout
 *   postgres://… / postgresql://…     → pg pool
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { Database } from './schema.ts';
import { migrate } from './migrate.ts';
import { guardedDialect } from './tx-scope.ts';
import type { DbProfiler } from './profile.ts';

export type HubDb = Kysely<Database>;

// PostgreSQL's int8 (count(*), sums) would arrive as strings; our values fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));

export interface OpenDbOptions {
  /** Run the migrations (default true). */
  migrate?: boolean;
  /** PostgreSQL pool size (default 10; the hub's own default is DEFAULT_DB_POOL_SIZE). */
  poolSize?: number;
  /** Count where requests' database time goes (PostgreSQL). */
  profiler?: DbProfiler;
}

/** How each PostgreSQL database was opened, for the hub's own extra connections (see openSidePool). */
const opened = new WeakMap<HubDb, { url: string; profiler?: DbProfiler }>();

/** What tx-scope.ts knows each database's transactions by. */
const owners = new WeakMap<HubDb, object>();

export function transactionOwner(db: HubDb): object | undefined {
  return owners.get(db);
}

export async function openDb(url: string, opts: OpenDbOptions = {}): Promise<HubDb> {
  const owner = {};
  const db = new Kysely<Database>({ dialect: guardedDialect(dialectFor(url, opts), owner) });
  owners.set(db, owner);
  if (!url.startsWith('sqlite:')) opened.set(db, { url, profiler: opts.profiler });
  if (opts.migrate !== false) {
    try {
      await migrate(db);
    } catch (e) {
      await db.destroy();
      throw e;
    }
  }
  return db;
}

function dialectFor(url: string, opts: OpenDbOptions) {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new Error('DATABASE_URL sqlite: needs a path, e.g. sqlite:./data/hub.db');
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const sqlite = new SQLite(path);
    // exec(), not pragma(): pragma() prepares a Statement that is then left to the GC (see below).
    // FULL, not NORMAL: in WAL mode NORMAL survives a crash of the process but not a power cut or an OS
    // crash, which can roll back the latest commits, e.g. returns the hub already acknowledged and the
    // station therefore dropped from its outbox. FULL syncs the WAL at every commit.
    sqlite.exec(
      'PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = FULL;',
    );
    return new SqliteDialect({ database: retainingDatabase(sqlite) });
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 10 });
    opts.profiler?.instrument(pool);
    return new PostgresDialect({ pool });
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:…)`);
}

/**
 * A small pool of its own next to a PostgreSQL database's main one, for work that must not queue
 * behind requests for a connection (or hold one of theirs), with settings of its own. Null on SQLite.
 * `asyncCommit`: a commit returns before its WAL reaches the disk (synchronous_commit = off): a crash
 * of the database may lose the last fraction of a second of such commits, never their order or
 * atomicity, and other connections see them at once as usual. Only for data that may be lost.
 */
export function openSidePool(db: HubDb, opts: { max: number; asyncCommit?: boolean }): HubDb | null {
  const o = opened.get(db);
  if (!o) return null;
  const pool = new pg.Pool({
    connectionString: o.url,
    max: opts.max,
    ...(opts.asyncCommit ? { options: '-c synchronous_commit=off' } : {}),
  });
  o.profiler?.instrument(pool);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/** The connection string of a PostgreSQL database (for a connection outside any pool: LISTEN). */
export function postgresUrlOf(db: HubDb): string | null {
  return opened.get(db)?.url ?? null;
}

/**
 * A prepared-statement cache in front of better-sqlite3: Kysely prepares a statement for every
 * query, and preparing is a measurable part of a small query's cost. Our queries have fixed shapes
 * (IN lists take one parameter, see db/sql.ts), so a small cache holds them all.
 */
const STATEMENT_CACHE_SIZE = 2000;

function retainingDatabase(sqlite: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let st = statements.get(sql);
      if (!st) {
        st = sqlite.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!);
        statements.set(sql, st);
      }
      return st;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}
