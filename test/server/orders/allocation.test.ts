import { expect, it } from 'vitest';
import {
  allocate,
  bindAndAccept,
  boundPair,
  call,
  cancelAllocation,
  createFactory,
  createMerchant,
  createOrders,
  describeEachDb,
  platformEvent,
  pullAll,
} from '../support/hub.ts';
import { ALLOCATION_REFUSALS } from '../../../shared/domain/reasons.ts';

describeEachDb('M3 allocation', ({ hub }) => {
  it('allocates one order (分配) and a batch (批量分配), with a result per order', async () => {
    const h = hub();
    const { merchant, factory } = await boundPair(h);
    const sns = await createOrders(h, merchant, 5);
    const one = await allocate(h, merchant, factory.shopId, [sns[0]!]);
    expect(one.results).toEqual([{ orderSn: sns[0], result: 'allocated' }]);
    const batch = await allocate(h, merchant, factory.shopId, sns);
    expect(batch.results.map((r) => [r.orderSn, r.result])).toEqual(
      sns.map((sn, i) => [sn, i === 0 ? 'refused' : 'allocated']),
    );
    expect(batch.results[0]).toEqual({
      orderSn: sns[0],
      result: 'refused',
      reason: 'already_allocated',
      message: ALLOCATION_REFUSALS.already_allocated.zh,
    });
    const listed = await call(h, 'GET', '/v1/merchant/orders', {
      token: merchant.token,
      query: { allocation: 'allocated' },
    });
    expect(listed.body.orders.map((o: { sn: string }) => o.sn).sort()).toEqual([...sns].sort());
    for (const o of listed.body.orders) {
      expect(o.allocation).toMatchObject({ factoryShopId: factory.shopId, status: 'allocated', cancelReason: null });
    }
  });

  it('refuses with the reason: after-sale, under audit, cancelled, shipped, not found, not bound', async () => {
    const h = hub();
    const { merchant, factory } = await boundPair(h);
    const other = await createMerchant(h);
    const [afterSale, audit, cancelled, shipped, fine] = await createOrders(h, merchant, 5);
    const [othersOrder] = await createOrders(h, other, 1);
    await platformEvent(h, afterSale!, { type: 'after_sale_opened' });
    await platformEvent(h, audit!, { type: 'audit_hold' });
    await platformEvent(h, cancelled!, { type: 'cancelled' });
    // The order is shipped straight in the table: only allocation is under test here.
    await h.db.updateTable('orders').set({ status: 'shipped' }).where('sn', '=', shipped!).execute();

    const res = await allocate(h, merchant, factory.shopId, [
      afterSale!,
      audit!,
      cancelled!,
      shipped!,
      'NO-SUCH-ORDER',
      othersOrder!,
      fine!,
    ]);
    expect(res.results.map((r) => (r.result === 'refused' ? r.reason : r.result))).toEqual([
      'after_sale',
      'audit_hold',
      'order_cancelled',
      'order_shipped',
      'not_found',
      // Another merchant's order is indistinguishable from a missing one.
      'not_found',
      'allocated',
    ]);
    for (const r of res.results) {
      if (r.result === 'refused') expect(r.message).toBe(ALLOCATION_REFUSALS[r.reason].zh);
    }

    const unbound = await createFactory(h);
    const [x] = await createOrders(h, merchant, 1);
    const nb = await allocate(h, merchant, unbound.shopId, [x!]);
    expect(nb.results[0]).toMatchObject({ result: 'refused', reason: 'not_bound' });
    // A shop id that is not a factory at all is simply "not bound".
    const nf = await allocate(h, merchant, other.shopId, [x!]);
    expect(nf.results[0]).toMatchObject({ result: 'refused', reason: 'not_bound' });
  });

  it('after-sale closed or audit released: the order can be allocated again', async () => {
    const h = hub();
    const { merchant, factory } = await boundPair(h);
    const [sn] = await createOrders(h, merchant, 1);
    await platformEvent(h, sn!, { type: 'after_sale_opened' });
    await platformEvent(h, sn!, { type: 'after_sale_closed' });
    await platformEvent(h, sn!, { type: 'audit_hold' });
    expect((await allocate(h, merchant, factory.shopId, [sn!])).results[0]).toMatchObject({ reason: 'audit_hold' });
    await platformEvent(h, sn!, { type: 'audit_released' });
    expect((await allocate(h, merchant, factory.shopId, [sn!])).results[0]).toMatchObject({ result: 'allocated' });
  });

  it('取消分配: cancels allocations, with a result per order; the order can then go to another factory', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const factory2 = await createFactory(h);
    await bindAndAccept(h, merchant, factory2);
    const [a, b] = await createOrders(h, merchant, 2);
    await allocate(h, merchant, factory.shopId, [a!]);
    const res = await cancelAllocation(h, merchant, [a!, b!, 'NOPE']);
    expect(res.results).toEqual([
      { orderSn: a, result: 'cancelled' },
      { orderSn: b, result: 'refused', reason: 'not_allocated', message: '订单未分配' },
      { orderSn: 'NOPE', result: 'refused', reason: 'not_found', message: '订单不存在' },
    ]);
    const detail = await call(h, 'GET', `/v1/merchant/orders/${a}`, { token: merchant.token });
    expect(detail.body.order.allocation).toMatchObject({ status: 'cancelled', cancelReason: 'merchant' });
    expect(detail.body.order.allocation.cancelledAt).not.toBeNull();
    expect(detail.body.events.map((e: { type: string }) => e.type)).toEqual([
      'created',
      'allocated',
      'allocation_cancelled',
    ]);

    // The factory still sees it, as cancelled.
    const { pages } = await pullAll(h, station);
    const snap = pages.flatMap((p) => p.changes).find((c) => c.orderSn === a)!;
    expect(snap.allocation.status).toBe('cancelled');
    expect(snap).toMatchObject({ printable: false, reason: 'allocation_cancelled' });

    expect((await allocate(h, merchant, factory2.shopId, [a!])).results[0]!.result).toBe('allocated');
    const cancelledList = await call(h, 'GET', '/v1/merchant/orders', {
      token: merchant.token,
      query: { allocation: 'cancelled' },
    });
    expect(cancelledList.body.orders).toEqual([]);
  });

  it('after_sale_opened, audit_hold or cancelled un-allocate automatically: recorded, visible to the merchant and in the feed', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const sns = await createOrders(h, merchant, 3);
    await allocate(h, merchant, factory.shopId, sns);
    const first = await pullAll(h, station);

    const events = ['after_sale_opened', 'audit_hold', 'cancelled'] as const;
    const expected = ['after_sale', 'audit_hold', 'order_cancelled'] as const;
    for (let i = 0; i < 3; i++) {
      const r = await platformEvent(h, sns[i]!, { type: events[i]! });
      expect(r.autoUnallocated).toBe(expected[i]);
      expect(r.order.allocation).toMatchObject({ status: 'cancelled', cancelReason: expected[i] });
    }
    const detail = await call(h, 'GET', `/v1/merchant/orders/${sns[0]}`, { token: merchant.token });
    expect(detail.body.events.at(-1)).toMatchObject({
      type: 'allocation_cancelled',
      reason: 'after_sale',
      factoryShopId: factory.shopId,
    });
    const listed = await call(h, 'GET', '/v1/merchant/orders', {
      token: merchant.token,
      query: { allocation: 'cancelled' },
    });
    expect(listed.body.orders.map((o: { sn: string }) => o.sn).sort()).toEqual([...sns].sort());

    const next = await pullAll(h, station, first.cursor);
    const changes = next.pages.flatMap((p) => p.changes);
    expect(changes.map((c) => c.orderSn).sort()).toEqual([...sns].sort());
    for (let i = 0; i < 3; i++) {
      const c = changes.find((x) => x.orderSn === sns[i])!;
      expect(c.allocation).toMatchObject({ status: 'cancelled', cancelReason: expected[i] });
      expect(c.printable).toBe(false);
    }
    // And a further event on an un-allocated order no longer un-allocates anything.
    const again = await platformEvent(h, sns[1]!, { type: 'after_sale_opened' });
    expect(again.autoUnallocated).toBeNull();
  });

  it('the same sn twice in one request is handled once', async () => {
    const h = hub();
    const { merchant, factory } = await boundPair(h);
    const [sn] = await createOrders(h, merchant, 1);
    const r = await allocate(h, merchant, factory.shopId, [sn!, sn!]);
    expect(r.results.map((x) => x.result)).toEqual(['allocated', 'refused']);
    const rows = await h.db
      .selectFrom('allocations')
      .innerJoin('orders', 'orders.id', 'allocations.order_id')
      .select('allocations.id')
      .where('orders.sn', '=', sn!)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('concurrent allocations of the same orders to two factories: each order ends with exactly one', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const f1 = await createFactory(h);
    const f2 = await createFactory(h);
    await bindAndAccept(h, merchant, f1);
    await bindAndAccept(h, merchant, f2);
    const sns = await createOrders(h, merchant, 40);
    const results = await Promise.all([
      allocate(h, merchant, f1.shopId, sns),
      allocate(h, merchant, f2.shopId, [...sns].reverse()),
      allocate(h, merchant, f1.shopId, sns.slice(10, 30)),
    ]);
    const wins = new Map<string, number>();
    for (const r of results)
      for (const x of r.results) if (x.result === 'allocated') wins.set(x.orderSn, (wins.get(x.orderSn) ?? 0) + 1);
    expect([...wins.keys()].sort()).toEqual([...sns].sort());
    expect([...wins.values()].every((n) => n === 1)).toBe(true);
  });

  it('allocates 1,000 orders in one request', async () => {
    const h = hub();
    const { merchant, factory } = await boundPair(h);
    const sns = await createOrders(h, merchant, 1000);
    const t0 = performance.now();
    const res = await allocate(h, merchant, factory.shopId, sns);
    const ms = performance.now() - t0;
    expect(res.results.filter((r) => r.result === 'allocated')).toHaveLength(1000);
    console.log(`[${h.dialect}] batch allocation of 1000 orders: ${ms.toFixed(0)} ms`);
  });
});
