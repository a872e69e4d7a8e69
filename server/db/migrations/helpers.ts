import type { CreateTableBuilder } from 'kysely';
import type { DbDialect } from '../dialect.ts';

/** An auto-increment integer primary key `id`: SQLite's rowid alias, PostgreSQL's serial. */
export function addId<T extends string>(
  dialect: DbDialect,
  t: CreateTableBuilder<T, never>,
): CreateTableBuilder<T, 'id'> {
  return dialect === 'postgres'
    ? t.addColumn('id', 'serial', (c) => c.primaryKey())
    : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
