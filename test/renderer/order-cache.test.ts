/**
 * The order cache in Dexie (fake-indexeddb here; the crash behaviour is proven in Chromium by the
 * station suites): a feed page's rows and its cursor are one transaction, a replayed older snapshot never
 * rolls a newer one back, a reset clears the cache but keeps this station's print marks, and every
 * written row gets a new change number for the views.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { META, StationDb } from '../../renderer/data/db.ts';
import { applyFeedPage } from '../../renderer/data/orders-repo.ts';
import type { PulledPage, SealedSnapshot } from '../../shared/ipc/index.ts';

const now = '2026-11-27T08:00:00.000Z';
function snap(sn: string, version: number, over: Partial<SealedSnapshot> = {}): SealedSnapshot {
  return {
    orderSn: sn,
    version,
    merchantShopId: 7,
    merchantDisplayName: '小美服饰',
    shipper: null,
    items: [{ goodsId: 'G1', skuId: 'SKU-1', goodsName: '纯棉T恤', spec: '白色 XL', quantity: 2 }],
    recipient: {
      name: '张*丰',
      phone: '138****5678',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '****',
    },
    status: 'awaiting_shipment',
    afterSale: 'none',
    audit: 'none',
    addressVersion: 0,
    allocation: { factoryShopId: 9, status: 'allocated', allocatedAt: now, cancelledAt: null, cancelReason: null },
    waybill: null,
    printable: true,
    reason: null,
    createdAt: now,
    seal: 'sealed',
    ...over,
  };
}
const page = (changes: SealedSnapshot[], cursor: string, extra: Partial<PulledPage> = {}): PulledPage => ({
  reset: false,
  changes,
  cursor,
  hasMore: false,
  freshness: { cursor, at: now, seal: 'f' },
  ...extra,
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
const cursor = async () => (await db.meta.get(META.cursor))?.value;

describe('order cache', () => {
  it('stores the rows and the cursor together, with a change number per row', async () => {
    open();
    await applyFeedPage(db, page([snap('A', 1), snap('B', 2)], 'c2'), now);
    expect(await cursor()).toBe('c2');
    const rows = await db.orders.toArray();
    expect(rows.map((o) => [o.orderSn, o.view, o.seq])).toEqual([
      ['A', 'printable', 1],
      ['B', 'printable', 2],
    ]);
    expect(rows[0]!.skuIds).toEqual(['SKU-1']);
    expect(rows[0]!.singleSku).toBe('SKU-1');
  });

  it('a failing write leaves neither the rows nor the cursor', async () => {
    open();
    await applyFeedPage(db, page([snap('A', 1)], 'c1'), now);
    const bad = { ...snap('C', 3), orderSn: undefined as unknown as string };
    await expect(applyFeedPage(db, page([snap('B', 2), bad], 'c3'), now)).rejects.toThrow();
    expect(await cursor()).toBe('c1');
    expect(await db.orders.get('B')).toBeUndefined();
  });

  it('a replayed older snapshot never overwrites a newer one', async () => {
    open();
    await applyFeedPage(db, page([snap('A', 5, { printable: false, reason: 'after_sale' })], 'c5'), now);
    await applyFeedPage(db, page([snap('A', 3)], 'c5'), now);
    expect(await db.orders.get('A')).toMatchObject({ version: 5, view: 'blocked', reason: 'after_sale' });
  });

  it('a reset clears the cache across its pages but keeps the local print marks', async () => {
    open();
    await applyFeedPage(db, page([snap('A', 1), snap('B', 2)], 'c2'), now);
    const a = (await db.orders.get('A'))!;
    await db.orders.put({ ...a, printedAt: now, waybillStatus: 'issued', view: 'printed' });
    await applyFeedPage(db, page([snap('B', 9)], 'r1', { reset: true, hasMore: true }), now);
    expect(await db.orders.get('A')).toBeUndefined();
    await applyFeedPage(
      db,
      page(
        [
          snap('A', 10, {
            waybill: {
              waybillNo: '75000000000001',
              courier: 'ZTO',
              addressVersion: 0,
              status: 'issued',
              issuedAt: now,
              returnedAt: null,
              claim: null,
            },
          }),
        ],
        'r2',
      ),
      now,
    );
    expect(await db.orders.get('A')).toMatchObject({ printedAt: now, view: 'printed' });
    expect((await db.meta.get(META.ordersEpoch))?.value).toBe(1);
  });
});

describe('picking rows', () => {
  it('totals a batch by SKU, leaving out blocked and cancelled labels', async () => {
    const { pickingRows } = await import('../../renderer/features/batch-print/picking.ts');
    open();
    const two = (sn: string, v: number) =>
      snap(sn, v, {
        items: [
          { goodsId: 'G1', skuId: 'SKU-1', goodsName: '纯棉T恤', spec: '白色 XL', quantity: 2 },
          { goodsId: 'G2', skuId: 'SKU-2', goodsName: '短裤', spec: 'L', quantity: 1 },
        ],
      });
    await applyFeedPage(db, page([two('A', 1), two('B', 2), snap('C', 3)], 'c'), now);
    const base = {
      batchId: 1,
      waybillNo: null,
      courier: null,
      reason: null,
      message: null,
      claimedBy: null,
      error: null,
      unverified: false,
      printedAt: null,
      override: null,
      updatedAt: now,
    };
    await db.jobItems.bulkAdd([
      { ...base, seq: 0, orderSn: 'A', state: 'sent' },
      { ...base, seq: 1, orderSn: 'B', state: 'queued' },
      { ...base, seq: 2, orderSn: 'C', state: 'blocked' },
    ]);
    expect(await pickingRows(db, 1)).toEqual([
      { skuId: 'SKU-1', goodsName: '纯棉T恤', spec: '白色 XL', quantity: 4, orderCount: 2 },
      { skuId: 'SKU-2', goodsName: '短裤', spec: 'L', quantity: 2, orderCount: 2 },
    ]);
  });
});
