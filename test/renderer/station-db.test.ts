import { afterEach, describe, expect, it } from 'vitest';
import { applyFeedPage, readCursor, StationDb, type CachedOrder } from '../../renderer/db/station-db.ts';
import { reasonText, t } from '../../renderer/i18n/index.ts';

const now = '2026-11-27T08:00:00.000Z';
const snap = (sn: string, version: number, printable = true): CachedOrder => ({
  sn,
  version,
  printable,
  reason: printable ? null : 'after_sale',
  snapshot: { sn },
  syncedAt: now,
});

let n = 0;
let db: StationDb;
afterEach(async () => {
  db.close();
  await db.delete();
});
function open(): StationDb {
  db = new StationDb(`test-${++n}`);
  return db;
}

describe('station store (Dexie on fake-indexeddb)', () => {
  it('stores orders and the cursor together', async () => {
    const db = open();
    await applyFeedPage(db, { changes: [snap('A', 1), snap('B', 2)], cursor: '2', reset: false }, now);
    expect(await readCursor(db)).toBe('2');
    expect((await db.orders.toArray()).map((o) => o.sn)).toEqual(['A', 'B']);
  });

  it('a failing write leaves neither the rows nor the cursor (one transaction)', async () => {
    const db = open();
    await applyFeedPage(db, { changes: [snap('A', 1)], cursor: '1', reset: false }, now);
    const bad = { ...snap('C', 3), sn: undefined as unknown as string };
    await expect(applyFeedPage(db, { changes: [snap('B', 2), bad], cursor: '3', reset: false }, now)).rejects.toThrow();
    expect(await readCursor(db)).toBe('1');
    expect(await db.orders.get('B')).toBeUndefined();
  });

  it('a replayed older snapshot never overwrites a newer one', async () => {
    const db = open();
    await applyFeedPage(db, { changes: [snap('A', 5, false)], cursor: '5', reset: false }, now);
    await applyFeedPage(db, { changes: [snap('A', 3, true)], cursor: '5', reset: false }, now);
    expect((await db.orders.get('A'))?.version).toBe(5);
    expect((await db.orders.get('A'))?.printable).toBe(false);
  });

  it('a reset clears what the hub no longer sends', async () => {
    const db = open();
    await applyFeedPage(db, { changes: [snap('A', 1), snap('B', 2)], cursor: '2', reset: false }, now);
    await applyFeedPage(db, { changes: [snap('B', 9)], cursor: '9', reset: true }, now);
    expect((await db.orders.toArray()).map((o) => o.sn)).toEqual(['B']);
  });
});

describe('UI words', () => {
  it('are Chinese first, with English as an option', () => {
    expect(t('cancelAllocation')).toBe('取消分配');
    expect(t('returnWaybill', 'en')).toBe('Return tracking number');
    expect(reasonText('after_sale')).toBe('订单售后中');
  });
});
