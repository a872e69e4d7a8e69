/** Which database a Kysely instance talks to, for the few places where SQL differs. */
import { PostgresAdapter, type Kysely } from 'kysely';

export type DbDialect = 'sqlite' | 'postgres';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function dialectOf(db: Kysely<any>): DbDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
