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

export type ColumnType = 'integer' | 'text';

/**
 * Updates many rows, each with values of its own, in ONE statement: the rows travel as one JSON
 * parameter and are joined by `key` (UPDATE … FROM):
 *   PostgreSQL  … from jsonb_to_recordset(?::jsonb) as v(id integer, status text, …)
 *   SQLite      … from (select json_extract(value, '$.id') as id, … from json_each(?)) as v
 * Every column of `columns` but the key is set from the row. A round trip per row would otherwise
 * hold a PostgreSQL transaction (and its locks) open for as many round trips.
 */
export async function updateRows(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  table: string,
  key: string,
  columns: Record<string, ColumnType>,
  rows: ReadonlyArray<Record<string, string | number | null>>,
): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(columns);
  const json = JSON.stringify(rows.map((r) => Object.fromEntries(names.map((n) => [n, r[n] ?? null]))));
  const sets = sql.join(
    names.filter((n) => n !== key).map((n) => sql`${sql.ref(n)} = ${sql.ref(`v.${n}`)}`),
    sql`, `,
  );
  const source =
    dialectOf(db) === 'postgres'
      ? sql`jsonb_to_recordset(${json}::jsonb) as v(${sql.join(
          names.map((n) => sql`${sql.ref(n)} ${sql.raw(columns[n]!)}`),
          sql`, `,
        )})`
      : sql`(select ${sql.join(
          names.map((n) => sql`json_extract(value, ${`$.${n}`}) as ${sql.ref(n)}`),
          sql`, `,
        )} from json_each(${json})) as v`;
  await sql`update ${sql.table(table)} as t set ${sets} from ${source} where ${sql.ref(`t.${key}`)} = ${sql.ref(`v.${key}`)}`.execute(
    db,
  );
}
