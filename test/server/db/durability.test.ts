/** How the hub opens its database: what a commit it acknowledged survives. */
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDialect, freshDatabase } from '../support/hub.ts';
import { openDb } from '../../../server/db/open.ts';

describeEachDialect('database open', (dialect) => {
  it('an acknowledged commit survives a power cut: SQLite WAL with synchronous = FULL, PostgreSQL synchronous_commit on', async () => {
    const { url, drop } = await freshDatabase(dialect);
    const db = await openDb(url);
    try {
      if (dialect === 'sqlite') {
        const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(db);
        expect(mode.rows[0]!.journal_mode).toBe('wal');
        // 0 OFF, 1 NORMAL, 2 FULL: NORMAL in WAL mode may roll back the latest commits on a power cut.
        const sync = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db);
        expect(sync.rows[0]!.synchronous).toBe(2);
      } else {
        const sync = await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(db);
        expect(sync.rows[0]!.synchronous_commit).toBe('on');
      }
    } finally {
      await db.destroy();
      await drop();
    }
  });
});
