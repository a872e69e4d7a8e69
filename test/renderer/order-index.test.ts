/**
 * The order list's filters, counts and incremental index: what the screen shows for 50,000 orders.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { StationDb } from '../../renderer/data/db.ts';
import { applyFeedPage } from '../../renderer/data/orders-repo.ts';
import {
  countByView,
  EMPTY_FILTER,
  filterOrders,
  OrderIndex,
  type OrderEntry,
} from '../../renderer/features/orders/order-index.ts';
import type { SealedSnapshot } from '../../shared/ipc/index.ts';

const entry = (sn: string, over: Partial<OrderEntry> = {}): OrderEntry => ({
  orderSn: sn,
  view: 'printable',
  reason: null,
  merchantShopId: 1,
  merchantName: '甲',
  skuIds: ['S1'],
  singleSku: 'S1',
  goods: 'T恤',
  receiver: '张*丰 浙江省杭州市西湖区',
  quantity: 1,
  courier: null,
  waybillNo: null,
  claimStation: null,
  claimStationId: null,
  createdAt: '2026-11-30T01:00:00.000Z',
  createdMs: Date.parse('2026-11-30T01:00:00.000Z'),
  ...over,
});

describe('order filters', () => {
  const all = [
    entry('A'),
    entry('B', { view: 'blocked', reason: 'after_sale', skuIds: ['S2'] }),
    entry('C', { view: 'returned', waybillNo: '75123', merchantShopId: 2, courier: 'YTO' }),
    entry('D', { createdAt: '2026-11-29T15:30:00.000Z', createdMs: Date.parse('2026-11-29T15:30:00.000Z') }),
  ];
  it('filters by status, merchant, SKU, courier, search and the China day', () => {
    expect(filterOrders(all, { ...EMPTY_FILTER, view: 'blocked' }).map((o) => o.orderSn)).toEqual(['B']);
    expect(filterOrders(all, { ...EMPTY_FILTER, merchantShopId: 2 }).map((o) => o.orderSn)).toEqual(['C']);
    expect(filterOrders(all, { ...EMPTY_FILTER, skuId: 'S2' }).map((o) => o.orderSn)).toEqual(['B']);
    expect(filterOrders(all, { ...EMPTY_FILTER, courier: 'YTO' }).map((o) => o.orderSn)).toEqual(['C']);
    expect(filterOrders(all, { ...EMPTY_FILTER, search: '75123' }).map((o) => o.orderSn)).toEqual(['C']);
    // 2026-11-29T15:30Z is 23:30 on the 29th in China: the 30th excludes it.
    expect(filterOrders(all, { ...EMPTY_FILTER, from: '2026-11-30', to: '2026-11-30' }).map((o) => o.orderSn)).toEqual([
      'A',
      'B',
      'C',
    ]);
    expect(filterOrders(all, { ...EMPTY_FILTER, to: '2026-11-29' }).map((o) => o.orderSn)).toEqual(['D']);
  });
  it('counts per status over the other filters', () => {
    expect(countByView(all, { ...EMPTY_FILTER, view: 'blocked' })).toEqual({
      all: 4,
      printable: 2,
      blocked: 1,
      printed: 0,
      returned: 1,
      shipped: 0,
    });
    expect(countByView(all, { ...EMPTY_FILTER, merchantShopId: 1 }).all).toBe(3);
  });
});

describe('order index', () => {
  let db: StationDb;
  afterEach(async () => {
    db.close();
    await db.delete();
  });
  it('reads only the rows changed since its last look', async () => {
    db = new StationDb('index-test');
    const snap = (sn: string, version: number, printable = true) =>
      ({
        orderSn: sn,
        version,
        merchantShopId: 1,
        merchantDisplayName: '甲',
        shipper: null,
        items: [{ goodsId: 'G', skuId: 'S1', goodsName: 'T恤', spec: 'XL', quantity: 1 }],
        recipient: {
          name: '张*',
          phone: '1**',
          province: '浙江省',
          city: '杭州市',
          district: '西湖区',
          detail: '****',
        },
        status: 'awaiting_shipment',
        afterSale: printable ? 'none' : 'open',
        audit: 'none',
        addressVersion: 0,
        allocation: {
          factoryShopId: 9,
          status: 'allocated',
          allocatedAt: '2026-11-30T00:00:00Z',
          cancelledAt: null,
          cancelReason: null,
        },
        waybill: null,
        printable,
        reason: printable ? null : 'after_sale',
        createdAt: `2026-11-30T00:00:0${version}Z`,
        seal: 's',
      }) as SealedSnapshot;
    const page = (changes: SealedSnapshot[]) => ({
      reset: false,
      changes,
      cursor: 'c',
      hasMore: false,
      freshness: { cursor: 'c', at: 'x', seal: 's' },
    });
    await applyFeedPage(db, page([snap('A', 1), snap('B', 2)]), 'now');
    const index = new OrderIndex(db);
    await index.refresh();
    expect(index.entries.map((e) => e.orderSn)).toEqual(['B', 'A']);
    const v = index.version;
    await index.refresh();
    expect(index.version).toBe(v);
    await applyFeedPage(db, page([snap('A', 3, false)]), 'now');
    await index.refresh();
    expect(index.entries.map((e) => [e.orderSn, e.view])).toEqual([
      ['A', 'blocked'],
      ['B', 'printable'],
    ]);
  });
});
