/** writeTx runs a transaction again when it may (a stale optimistic read, a deadlock), and says so. */
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, freshDatabase } from '../support/hub.ts';
import { openDb, type HubDb } from '../../../server/db/open.ts';
import { onRetry, RetryTransaction, writeTx, type TxRetry } from '../../../server/db/tx.ts';

describeEachDialect('write transaction retries', (dialect) => {
  let db: HubDb;
  let drop: () => Promise<void>;
  let heard: TxRetry[];
  let stop: () => void;
  beforeEach(async () => {
    const fresh = await freshDatabase(dialect);
    drop = fresh.drop;
    db = await openDb(fresh.url);
    await sql`create table retry_probe (id integer primary key, n integer not null)`.execute(db);
    await sql`insert into retry_probe (id, n) values (1, 0), (2, 0)`.execute(db);
    heard = [];
    stop = onRetry(db, (r) => heard.push(r));
  });
  afterEach(async () => {
    stop();
    await db.destroy();
    await drop();
  });

  it('runs a transaction whose optimistic read was stale again, and tells its listeners why', async () => {
    let runs = 0;
    const result = await writeTx({ db }, async (trx) => {
      runs++;
      await sql`update retry_probe set n = n + 1 where id = 1`.execute(trx);
      if (runs === 1) throw new RetryTransaction();
      return runs;
    });
    expect(result).toBe(2);
    expect(heard).toEqual([{ cause: 'stale_read', attempt: 1 }]);
    // The first attempt rolled back: one increment, not two.
    const { rows } = await sql<{ n: number }>`select n from retry_probe where id = 1`.execute(db);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('does not run a transaction again for an error that is not a conflict', async () => {
    await expect(
      writeTx({ db }, async () => {
        throw new Error('bad input');
      }),
    ).rejects.toThrow('bad input');
    expect(heard).toEqual([]);
  });

  if (dialect === 'postgres') {
    it('a deadlock between two writers: one is run again, both commit, and the retry is heard as 40P01', async () => {
      let arrived = 0;
      let bothLocked!: () => void;
      const barrier = new Promise<void>((r) => (bothLocked = r));
      const writer = (first: number, second: number) =>
        writeTx({ db }, async (trx) => {
          await sql`update retry_probe set n = n + 1 where id = ${first}`.execute(trx);
          if (++arrived === 2) bothLocked();
          await barrier;
          await sql`update retry_probe set n = n + 1 where id = ${second}`.execute(trx);
        });
      await Promise.all([writer(1, 2), writer(2, 1)]);
      expect(heard.map((r) => r.cause)).toEqual(['40P01']);
      const { rows } = await sql<{ n: number }>`select n from retry_probe order by id`.execute(db);
      expect(rows.map((r) => Number(r.n))).toEqual([2, 2]);
    });
  }
});
