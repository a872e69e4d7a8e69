/**
 * Code inside a transaction that queries the database instead of the transaction is refused at once:
 * on SQLite it would wait for ever for the one connection its own transaction holds, and every
 * request after it with it.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, freshDatabase } from '../support/hub.ts';
import { openDb, type HubDb } from '../../../server/db/open.ts';
import { readTx, writeTx } from '../../../server/db/tx.ts';
import { QueryOutsideTransactionError } from '../../../server/db/tx-scope.ts';

describeEachDialect('a query through the database inside its own transaction', (dialect) => {
  let db: HubDb;
  let other: HubDb;
  let drop: () => Promise<void>;
  let dropOther: () => Promise<void>;
  beforeEach(async () => {
    const fresh = await freshDatabase(dialect);
    const second = await freshDatabase(dialect);
    drop = fresh.drop;
    dropOther = second.drop;
    db = await openDb(fresh.url);
    other = await openDb(second.url);
    await sql`create table probe (id integer primary key, n integer not null)`.execute(db);
    await sql`insert into probe (id, n) values (1, 0)`.execute(db);
  });
  afterEach(async () => {
    await db.destroy();
    await other.destroy();
    await drop();
    await dropOther();
  });
  const n = async (on: HubDb) =>
    Number((await sql<{ n: number }>`select n from probe where id = 1`.execute(on)).rows[0]!.n);

  it('is refused inside writeTx, the transaction rolls back, and the database keeps answering', async () => {
    const attempt = writeTx({ db }, async (trx) => {
      await sql`update probe set n = n + 1 where id = 1`.execute(trx);
      return n(db);
    });
    await expect(attempt).rejects.toBeInstanceOf(QueryOutsideTransactionError);
    expect(await n(db)).toBe(0);
  });

  it('is refused inside readTx', async () => {
    await expect(readTx({ db, dialect }, () => n(db))).rejects.toBeInstanceOf(QueryOutsideTransactionError);
  });

  it('is refused from a function the transaction awaits, however deep', async () => {
    const deep = async () => {
      await new Promise((r) => setTimeout(r, 5));
      return n(db);
    };
    await expect(writeTx({ db }, () => deep())).rejects.toBeInstanceOf(QueryOutsideTransactionError);
  });

  it('allows another database, the transaction itself, and work the transaction left running after it ends', async () => {
    let later!: Promise<number>;
    const inside = await writeTx({ db }, async (trx) => {
      await sql`update probe set n = n + 1 where id = 1`.execute(trx);
      await sql`select 1 as one`.execute(other);
      later = new Promise((r) => setTimeout(r, 20)).then(() => n(db));
      return n(trx as unknown as HubDb);
    });
    expect(inside).toBe(1);
    expect(await later).toBe(1);
  });
});
