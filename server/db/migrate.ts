/**
 * Bringing a database's schema up to date, one migration at a time, each in its own transaction
 * with the row that records it: a crash or a signal at any point leaves every migration either
 * fully applied and recorded, or not at all. Both databases run DDL inside a transaction; Kysely's
 * own migrator runs SQLite's outside one, where a kill leaves tables behind with no record and every
 * later start fails with `table … already exists`.
 *
 * On PostgreSQL several hubs may start at once: each migration's transaction first takes an
 * advisory lock, then re-reads what is recorded, so one hub applies it and the others skip it.
 * The record table keeps the name and shape of Kysely's (`kysely_migration`), so databases
 * migrated by earlier hubs carry on.
 */
import { sql, type Kysely } from 'kysely';
import { dialectOf } from './dialect.ts';
import { MIGRATIONS } from './migrations/index.ts';

const TABLE = 'kysely_migration';
/** Any constant, the same in every hub: the advisory lock serialising migrations on PostgreSQL. */
const PG_LOCK_KEY = 7_400_431_101;

type MigrationRecords = {
  kysely_migration: { name: string; timestamp: string };
};

export interface MigrateOptions {
  /** Stop after this migration (tests of a database at an older schema). */
  to?: string;
  /** Told before each migration runs. */
  onMigration?: (name: string) => void;
}

/** Applies the migrations not yet recorded, in name order. Returns the names it applied. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrate(anyDb: Kysely<any>, opts: MigrateOptions = {}): Promise<string[]> {
  const db = anyDb.withTables<MigrationRecords>() as unknown as Kysely<MigrationRecords>;
  const postgres = dialectOf(db) === 'postgres';
  const names = Object.keys(MIGRATIONS).sort();
  if (opts.to !== undefined && !names.includes(opts.to)) throw new Error(`no migration named ${opts.to}`);

  await ensureMigrationTable(db);
  const recorded = new Set((await db.selectFrom(TABLE).select('name').execute()).map((r) => r.name));
  const unknown = [...recorded].filter((n) => !names.includes(n));
  if (unknown.length > 0) {
    throw new Error(`the database was migrated by a newer hub (unknown migrations: ${unknown.join(', ')})`);
  }

  const applied: string[] = [];
  for (const name of names) {
    if (opts.to !== undefined && name > opts.to) break;
    if (recorded.has(name)) continue;
    // A turn of the event loop between migrations: on SQLite every query resolves synchronously, so a
    // signal handler would otherwise wait for the last migration.
    await new Promise((resolve) => setImmediate(resolve));
    opts.onMigration?.(name);
    await db.transaction().execute(async (trx) => {
      if (postgres) {
        await sql`select pg_advisory_xact_lock(${PG_LOCK_KEY})`.execute(trx);
        // Another hub may have applied it while this one waited for the lock.
        if (await trx.selectFrom(TABLE).select('name').where('name', '=', name).executeTakeFirst()) return;
      }
      await MIGRATIONS[name]!.up(trx);
      await trx.insertInto(TABLE).values({ name, timestamp: new Date().toISOString() }).execute();
      applied.push(name);
    });
  }
  return applied;
}

/** Creates the table that records migrations, if it is missing. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function ensureMigrationTable(db: Kysely<any>): Promise<void> {
  const postgres = dialectOf(db) === 'postgres';
  await db.transaction().execute(async (trx) => {
    // Two hubs creating it at once would collide in PostgreSQL's catalog: one waits for the other.
    if (postgres) await sql`select pg_advisory_xact_lock(${PG_LOCK_KEY})`.execute(trx);
    await trx.schema
      .createTable(TABLE)
      .ifNotExists()
      .addColumn('name', 'varchar(255)', (c) => c.primaryKey())
      .addColumn('timestamp', 'varchar(255)', (c) => c.notNull())
      .execute();
  });
}

/** The recorded migrations, in name order. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function recordedMigrations(anyDb: Kysely<any>): Promise<string[]> {
  const db = anyDb.withTables<MigrationRecords>() as unknown as Kysely<MigrationRecords>;
  const rows = await db.selectFrom(TABLE).select('name').orderBy('name').execute();
  return rows.map((r) => r.name);
}
