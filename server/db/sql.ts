/**
 * `column IN (values)` with ONE bound parameter whatever the number of values:
 *   SQLite      column IN (SELECT value FROM json_each(?))   -- the values as a JSON array
 *   PostgreSQL  column = ANY(?)                               -- the values as a PG array
 * A 1,000-value IN list otherwise costs 1,000 parameters to compile and bind, and produces a
 * different SQL text per list length (each one a new prepared statement).
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import { dialectOf } from './dialect.ts';

export function inList(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  column: string,
  values: readonly (string | number)[],
): Expression<SqlBool> {
  if (dialectOf(db) === 'postgres') return sql<SqlBool>`${sql.ref(column)} = any(${[...values]})`;
  return sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`;
}
