import { expect, it } from 'vitest';
import type { FactoryOrderSnapshot } from '../../../shared/api/orders.ts';
import {
  allocate,
  bindAndAccept,
  boundPair,
  call,
  cancelAllocation,
  check,
  createFactory,
  createOrders,
  describeEachDb,
  feed,
  makeOrder,
  pairStation,
  platformEvent,
  pullAll,
  type TestHub,
  createMerchant,
  merchantWithTwoFactories,
  setRole,
} from '../support/hub.ts';
import { issueAndReturn, returnAddress, ship } from '../support/scenarios.ts';

/** Apply pages the way a station does: reset clears, each change replaces the order's snapshot. */
function applyPages(
  view: Map<string, FactoryOrderSnapshot>,
  pages: { reset: boolean; changes: FactoryOrderSnapshot[] }[],
) {
  for (const p of pages) {
    if (p.reset) view.clear();
    for (const c of p.changes) view.set(c.orderSn, c);
  }
  return view;
}

/** Issue a waybill row directly (POST /v1/station/waybills does it through the courier). */
async function issueWaybill(h: TestHub, sn: string, factoryShopId: number, status: 'issued' | 'returned' = 'issued') {
  const o = await h.db
    .selectFrom('orders')
    .select(['id', 'address_version'])
    .where('sn', '=', sn)
    .executeTakeFirstOrThrow();
  await h.db
    .insertInto('waybills')
    .values({
      order_id: o.id,
      order_sn: sn,
      factory_shop_id: factoryShopId,
      waybill_no: `ZT${o.id}${Date.now()}`,
      courier: 'ZTO',
      address_version: o.address_version,
      status,
      issued_at: new Date().toISOString(),
      returned_at: status === 'returned' ? new Date().toISOString() : null,
      cancelled_at: null,
    })
    .execute();
}

describeEachDb('D1 station feed', ({ hub }) => {
  it('first pull is a reset with every row; later pulls carry only what changed, in version order', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const sns = await createOrders(h, merchant, 5);
    await allocate(h, merchant, factory.shopId, sns);

    const first = await pullAll(h, station, undefined, 2);
    expect(first.pages).toHaveLength(3);
    expect(first.pages[0]!.reset).toBe(true);
    expect(first.pages.slice(1).every((p) => !p.reset)).toBe(true);
    expect(first.pages.map((p) => p.hasMore)).toEqual([true, true, false]);
    const all = first.pages.flatMap((p) => p.changes);
    expect(all.map((c) => c.orderSn).sort()).toEqual([...sns].sort());
    const versions = all.map((c) => c.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);

    // Nothing changed: an empty page, same cursor.
    const idle = await feed(h, station, first.cursor);
    expect(idle).toEqual({ reset: false, changes: [], cursor: first.cursor, hasMore: false });

    await platformEvent(h, sns[2]!, { type: 'audit_hold' });
    const next = await feed(h, station, first.cursor);
    expect(next.reset).toBe(false);
    expect(next.changes.map((c) => c.orderSn)).toEqual([sns[2]]);
    expect(next.changes[0]!.version).toBeGreaterThan(Math.max(...versions));
    expect(next.changes[0]).toMatchObject({ audit: 'hold', printable: false });
  });

  it('each change is a full masked snapshot: items, masked recipient, status, printable + reason, versions', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const order = makeOrder({
      items: [
        { goodsId: 'G1', skuId: 'S1', goodsName: '连衣裙', spec: '红色 M', quantity: 2 },
        { goodsId: 'G2', skuId: 'S2', goodsName: '腰带', spec: '黑色', quantity: 1 },
      ],
      recipient: {
        name: '张三丰',
        phone: '13812345678',
        province: '广东省',
        city: '深圳市',
        district: '南山区',
        detail: '科技园路1号',
      },
    });
    await createOrders(h, merchant, [order]);
    await allocate(h, merchant, factory.shopId, [order.sn]);
    const { changes } = await feed(h, station);
    expect(changes).toHaveLength(1);
    const c = changes[0]!;
    expect(c).toMatchObject({
      orderSn: order.sn,
      merchantShopId: merchant.shopId,
      items: order.items,
      recipient: {
        name: '张*丰',
        phone: '138****5678',
        province: '广东省',
        city: '深圳市',
        district: '南山区',
        detail: '****',
      },
      status: 'awaiting_shipment',
      afterSale: 'none',
      audit: 'none',
      addressVersion: 1,
      allocation: { factoryShopId: factory.shopId, status: 'allocated', cancelReason: null },
      waybill: null,
      printable: true,
      reason: null,
    });
    expect(c.version).toBeGreaterThan(0);
    expect(c.shipper).toMatchObject({ name: '王经理' });
  });

  it('an unknown, foreign, future or too-old cursor gets a reset with all current rows', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const sns = await createOrders(h, merchant, 3);
    await allocate(h, merchant, factory.shopId, sns);
    const { cursor } = await pullAll(h, station);

    const other = await createFactory(h);
    const otherStation = await pairStation(h, other);
    const foreign = (await feed(h, otherStation)).cursor;
    const future = cursor.replace(/v\d+$/, 'v999999');
    for (const bad of ['garbage', 'f1.vX', foreign, future]) {
      const r = await feed(h, station, bad);
      expect(r.reset, bad).toBe(true);
      expect(r.changes.map((c) => c.orderSn).sort()).toEqual([...sns].sort());
    }

    // Too old: the hub no longer serves cursors below its floor.
    await h.db
      .updateTable('factory_versions')
      .set({ min_version: 2 })
      .where('factory_shop_id', '=', factory.shopId)
      .execute();
    const old = await feed(h, station, cursor.replace(/v\d+$/, 'v1'));
    expect(old.reset).toBe(true);
    expect(old.changes).toHaveLength(3);
    const current = await feed(h, station, cursor);
    expect(current.reset).toBe(false);
  });

  it('a bad limit is a 400, not a reset', async () => {
    const h = hub();
    const { station } = await boundPair(h);
    for (const limit of ['0', '1001', '-1', 'abc']) {
      const r = await call(h, 'GET', '/v1/station/feed', { token: station.token, query: { limit } });
      expect(r.status).toBe(400);
    }
  });

  it('M7: address_changed bumps the address version; a waybill issued before it is stale and blocked', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const [sn, other] = await createOrders(h, merchant, 2);
    await allocate(h, merchant, factory.shopId, [sn!, other!]);
    await issueWaybill(h, sn!, factory.shopId);
    const before = await pullAll(h, station);
    const snap = before.pages.flatMap((p) => p.changes).find((c) => c.orderSn === sn)!;
    expect(snap).toMatchObject({ printable: true, waybill: { status: 'issued', addressVersion: 1 } });

    const r = await platformEvent(h, sn!, {
      type: 'address_changed',
      recipient: {
        name: '李四',
        phone: '13900000000',
        province: '浙江省',
        city: '宁波市',
        district: '鄞州区',
        detail: '新地址9号',
      },
    });
    expect(r.order.addressVersion).toBe(2);
    expect(r.autoUnallocated).toBeNull();

    const after = await feed(h, station, before.cursor);
    expect(after.changes).toHaveLength(1);
    expect(after.changes[0]).toMatchObject({
      orderSn: sn,
      addressVersion: 2,
      printable: false,
      reason: 'address_changed',
      recipient: { name: '李*', city: '宁波市', detail: '****' },
    });
    const c = await check(h, station, [sn!, other!]);
    expect(c.results[0]).toMatchObject({ printable: false, reason: 'address_changed', addressVersion: 2 });
    expect(c.results[1]).toMatchObject({ printable: true, reason: null, addressVersion: 1 });
    // An address change before any waybill does not block: the waybill will carry the new address.
    await platformEvent(h, other!, { type: 'address_changed', recipient: makeOrder().recipient });
    expect((await check(h, station, [other!])).results[0]).toMatchObject({ printable: true, addressVersion: 2 });
  });

  it('M7: after-sale or audit blocks printing; after the number is returned nothing is un-done', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const [a, b, returned] = await createOrders(h, merchant, 3);
    await allocate(h, merchant, factory.shopId, [a!, b!, returned!]);
    await issueWaybill(h, returned!, factory.shopId, 'returned');
    await platformEvent(h, a!, { type: 'after_sale_opened' });
    await platformEvent(h, b!, { type: 'audit_hold' });
    const r = await platformEvent(h, returned!, { type: 'after_sale_opened' });
    expect(r.autoUnallocated).toBeNull();
    const c = await check(h, station, [a!, b!, returned!]);
    expect(c.results.map((x) => x.printable)).toEqual([false, false, false]);
    expect(c.results[2]!.reason).toBe('waybill_returned');
    const detail = await call(h, 'GET', `/v1/merchant/orders/${returned}`, { token: merchant.token });
    expect(detail.body.order.allocation.status).toBe('allocated');
  });

  it("a factory's feed holds only orders allocated to it (now or before)", async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const y = await createFactory(h);
    await bindAndAccept(h, merchant, y);
    const yStation = await pairStation(h, y);
    const [a, b, c] = await createOrders(h, merchant, 3);
    await allocate(h, merchant, factory.shopId, [a!, b!]);
    await allocate(h, merchant, y.shopId, [c!]);
    await cancelAllocation(h, merchant, [b!]);
    await allocate(h, merchant, y.shopId, [b!]);

    const xView = applyPages(new Map(), (await pullAll(h, station)).pages);
    const yView = applyPages(new Map(), (await pullAll(h, yStation)).pages);
    expect([...xView.keys()].sort()).toEqual([a, b].sort());
    expect(xView.get(b!)!.allocation.status).toBe('cancelled');
    expect([...yView.keys()].sort()).toEqual([b, c].sort());
    expect(yView.get(b!)!.allocation.status).toBe('allocated');
    const xc = await check(h, station, [a!, b!, c!]);
    expect(xc.results.map((r) => r.reason)).toEqual([null, 'allocation_cancelled', 'not_allocated']);
  });

  it('the factory console lists the same masked snapshots, paged by order', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const sns = await createOrders(h, merchant, 5);
    await allocate(h, merchant, factory.shopId, sns);
    await cancelAllocation(h, merchant, [sns[4]!]);
    const p1 = await call(h, 'GET', '/v1/factory/orders', { token: factory.token, query: { limit: 3 } });
    const p2 = await call(h, 'GET', '/v1/factory/orders', {
      token: factory.token,
      query: { limit: 3, cursor: p1.body.nextCursor },
    });
    expect(p2.body.nextCursor).toBeNull();
    const listed = [...p1.body.orders, ...p2.body.orders];
    expect(listed.map((o: FactoryOrderSnapshot) => o.orderSn)).toEqual(sns);
    const fromFeed = applyPages(new Map(), (await pullAll(h, station)).pages);
    for (const o of listed) expect(o).toEqual(fromFeed.get(o.orderSn));
  });

  it('concurrent writers and a pulling reader: the reader ends with exactly the hub view', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const sns = await createOrders(h, merchant, 30);
    const view = new Map<string, FactoryOrderSnapshot>();
    let cursor: string | undefined;
    let stop = false;
    const reader = (async () => {
      while (!stop) {
        const { pages, cursor: c } = await pullAll(h, station, cursor, 7);
        applyPages(view, pages);
        cursor = c;
      }
    })();
    const writers = sns.map(async (sn, i) => {
      await allocate(h, merchant, factory.shopId, [sn]);
      if (i % 3 === 0) await platformEvent(h, sn, { type: 'address_changed', recipient: makeOrder().recipient });
      if (i % 4 === 0) await cancelAllocation(h, merchant, [sn]);
      if (i % 5 === 0) await platformEvent(h, sn, { type: 'after_sale_opened' });
      if (i % 5 === 0) await platformEvent(h, sn, { type: 'after_sale_closed' });
      if (i % 4 === 0) await allocate(h, merchant, factory.shopId, [sn]);
    });
    await Promise.all(writers);
    stop = true;
    await reader;
    applyPages(view, (await pullAll(h, station, cursor)).pages);
    const fresh = applyPages(new Map(), (await pullAll(h, station)).pages);
    expect(view.size).toBe(30);
    expect(Object.fromEntries(view)).toEqual(Object.fromEntries(fresh));
  });
});

/**
 * Shipping changes the order's status, which every factory that ever had the order sees in its
 * snapshot, not only the current one: each one's incremental view still equals its reset view.
 */
describeEachDb('feed: shipping an order that an earlier factory also had', ({ hub }) => {
  it('the earlier factory’s incremental view equals its reset view', async () => {
    const h = hub();
    const { merchant, x, y, stX, stY } = await merchantWithTwoFactories(h);
    const [sn] = await createOrders(h, merchant, 1);
    await allocate(h, merchant, x.shopId, [sn!]);
    await cancelAllocation(h, merchant, [sn!]);
    await allocate(h, merchant, y.shopId, [sn!]);
    await issueAndReturn(h, stY, [sn!]);
    const before = await pullAll(h, stX);
    const r = await ship(h, merchant, [sn!], await returnAddress(h, merchant));
    expect(r.body.results[0]).toMatchObject({ status: 'shipped' });

    const view = (pages: { changes: FactoryOrderSnapshot[] }[], base = new Map<string, FactoryOrderSnapshot>()) => {
      for (const p of pages) for (const c of p.changes) base.set(c.orderSn, c);
      return base;
    };
    const incremental = view((await pullAll(h, stX, before.cursor)).pages, view(before.pages));
    const reset = view((await pullAll(h, stX)).pages);
    const strip = (m: Map<string, FactoryOrderSnapshot>) => [...m.values()].map(({ version: _v, ...rest }) => rest);
    expect(strip(incremental)).toEqual(strip(reset));
    expect(reset.get(sn!)?.status).toBe('shipped');
  });
});

describeEachDb('feed: the merchant updates its profile (shown in every snapshot)', ({ hub }) => {
  it('the factory’s incremental view equals its reset view', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const x = await createFactory(h);
    await bindAndAccept(h, merchant, x);
    const st = await pairStation(h, x);
    const sns = await createOrders(h, merchant, 3);
    await allocate(h, merchant, x.shopId, sns);
    const before = await pullAll(h, st);
    await setRole(h, merchant, {
      role: 'merchant',
      displayName: '新店名',
      shipper: { name: '赵发货', phone: '13700002222', address: '广东省广州市白云区新仓库 1 号' },
    });
    const view = (pages: { changes: FactoryOrderSnapshot[] }[], base = new Map<string, FactoryOrderSnapshot>()) => {
      for (const p of pages) for (const c of p.changes) base.set(c.orderSn, c);
      return base;
    };
    const incremental = view((await pullAll(h, st, before.cursor)).pages, view(before.pages));
    const reset = view((await pullAll(h, st)).pages);
    const strip = (m: Map<string, FactoryOrderSnapshot>) => [...m.values()].map(({ version: _v, ...rest }) => rest);
    expect(strip(incremental)).toEqual(strip(reset));
    expect(reset.get(sns[0]!)?.merchantDisplayName).toBe('新店名');
    // Setting the same profile again changes nothing the factory sees: no new feed entries.
    const cur = (await pullAll(h, st, before.cursor)).cursor;
    await setRole(h, merchant, {
      role: 'merchant',
      displayName: '新店名',
      shipper: { name: '赵发货', phone: '13700002222', address: '广东省广州市白云区新仓库 1 号' },
    });
    expect((await pullAll(h, st, cur)).pages.flatMap((p) => p.changes)).toEqual([]);
  });
});
