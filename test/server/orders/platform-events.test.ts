/** The platform side: shops, orders, events, and the test clock. */
import { expect, it } from 'vitest';
import { buildApp } from '../../../server/app.ts';
import { systemClock } from '../../../server/clock.ts';
import {
  call,
  createMerchant,
  createOrders,
  createShop,
  describeEachDb,
  makeOrder,
  ok,
  platformEvent,
  pullAll,
} from '../support/hub.ts';
import { allocatedOrders, issueAndReturn, returnAddress, ship } from '../support/scenarios.ts';

describeEachDb('platform', ({ hub }) => {
  it("creates a merchant's orders; a known sn is reported as exists and left unchanged", async () => {
    const h = hub();
    const m = await createMerchant(h);
    const a = makeOrder({ createdAt: '2026-11-01T08:00:00+08:00' });
    const b = makeOrder();
    const res = await ok(h, 'POST', '/v1/platform/orders', {
      token: h.adminToken,
      body: { merchantShopId: m.shopId, orders: [a, b, a] },
    });
    expect(res.results).toEqual([
      { orderSn: a.sn, result: 'created' },
      { orderSn: b.sn, result: 'created' },
      { orderSn: a.sn, result: 'exists' },
    ]);
    const again = await ok(h, 'POST', '/v1/platform/orders', {
      token: h.adminToken,
      body: { merchantShopId: m.shopId, orders: [{ ...a, items: [{ ...a.items[0]!, quantity: 9 }] }] },
    });
    expect(again.results[0].result).toBe('exists');
    const detail = await ok(h, 'GET', `/v1/merchant/orders/${a.sn}`, { token: m.token });
    expect(detail.order).toMatchObject({
      sn: a.sn,
      items: a.items,
      recipient: a.recipient,
      createdAt: '2026-11-01T00:00:00.000Z',
      addressVersion: 1,
    });
  });

  it('orders need an existing merchant shop', async () => {
    const h = hub();
    const noRole = await createShop(h);
    const r1 = await call(h, 'POST', '/v1/platform/orders', {
      token: h.adminToken,
      body: { merchantShopId: 987654, orders: [makeOrder()] },
    });
    expect(r1.status).toBe(404);
    const r2 = await call(h, 'POST', '/v1/platform/orders', {
      token: h.adminToken,
      body: { merchantShopId: noRole.shopId, orders: [makeOrder()] },
    });
    expect(r2.status).toBe(422);
    expect(r2.body.error.code).toBe('NOT_A_MERCHANT');
  });

  it('applies events; address_changed needs the new recipient; a cancelled order takes no more events', async () => {
    const h = hub();
    const m = await createMerchant(h);
    const [sn] = await createOrders(h, m, 1);
    expect(
      (
        await call(h, 'POST', `/v1/platform/orders/${sn}/events`, {
          token: h.adminToken,
          body: { type: 'address_changed' },
        })
      ).status,
    ).toBe(400);
    const moved = makeOrder().recipient;
    const r = await platformEvent(h, sn!, { type: 'address_changed', recipient: moved });
    expect(r.order).toMatchObject({ addressVersion: 2, recipient: moved });
    expect((await platformEvent(h, sn!, { type: 'after_sale_opened' })).order.afterSale).toBe('open');
    expect((await platformEvent(h, sn!, { type: 'after_sale_closed' })).order.afterSale).toBe('closed');
    expect((await platformEvent(h, sn!, { type: 'audit_hold' })).order.audit).toBe('hold');
    expect((await platformEvent(h, sn!, { type: 'audit_released' })).order.audit).toBe('released');
    expect((await platformEvent(h, sn!, { type: 'cancelled' })).order.status).toBe('cancelled');
    const late = await call(h, 'POST', `/v1/platform/orders/${sn}/events`, {
      token: h.adminToken,
      body: { type: 'audit_hold' },
    });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('ORDER_CANCELLED');
    const events = (await ok(h, 'GET', `/v1/merchant/orders/${sn}`, { token: m.token })).events.map(
      (e: { type: string }) => e.type,
    );
    expect(events).toEqual([
      'created',
      'address_changed',
      'after_sale_opened',
      'after_sale_closed',
      'audit_hold',
      'audit_released',
      'cancelled',
    ]);
  });

  it('after shipping: after-sale is accepted (returns go through it); cancel, address change and audit are refused', async () => {
    const h = hub();
    const { merchant, station, sns } = await allocatedOrders(h, 1);
    const sn = sns[0]!;
    await issueAndReturn(h, station, [sn]);
    const { cursor } = await pullAll(h, station);
    const shipped = await ship(h, merchant, [sn], await returnAddress(h, merchant));
    expect(shipped.body.results[0]!.status).toBe('shipped');
    const refused = [
      [{ type: 'cancelled' }, '订单已发货，不能取消（请走售后）'],
      [{ type: 'address_changed', recipient: makeOrder().recipient }, '订单已发货，不能修改收货地址'],
      [{ type: 'audit_hold' }, '订单已发货，不能再审核'],
      [{ type: 'audit_released' }, '订单已发货，不能再审核'],
    ] as const;
    for (const [event, message] of refused) {
      const r = await call(h, 'POST', `/v1/platform/orders/${sn}/events`, { token: h.adminToken, body: event });
      expect(r.status, event.type).toBe(409);
      expect(r.body.error, event.type).toEqual({ code: 'ORDER_SHIPPED', message });
    }
    const opened = await platformEvent(h, sn, { type: 'after_sale_opened' });
    expect(opened).toMatchObject({ order: { status: 'shipped', afterSale: 'open' }, autoUnallocated: null });
    expect(opened.order.waybill).toMatchObject({ status: 'returned' });
    expect((await platformEvent(h, sn, { type: 'after_sale_closed' })).order.afterSale).toBe('closed');
    const detail = await ok(h, 'GET', `/v1/merchant/orders/${sn}`, { token: merchant.token });
    expect(detail.events.map((e: { type: string }) => e.type).slice(-3)).toEqual([
      'shipped',
      'after_sale_opened',
      'after_sale_closed',
    ]);
    // The factory hears of the after-sale like of every change to an order it had.
    const changes = (await pullAll(h, station, cursor)).pages.flatMap((p) => p.changes);
    expect(changes.at(-1)).toMatchObject({ orderSn: sn, status: 'shipped', afterSale: 'closed', printable: false });
  });

  it('a merchant sees only its own orders', async () => {
    const h = hub();
    const a = await createMerchant(h);
    const b = await createMerchant(h);
    const [snA] = await createOrders(h, a, 1);
    const snsB = await createOrders(h, b, 3);
    const listA = await ok(h, 'GET', '/v1/merchant/orders', { token: a.token });
    expect(listA.orders.map((o: { sn: string }) => o.sn)).toEqual([snA]);
    expect((await call(h, 'GET', `/v1/merchant/orders/${snsB[0]}`, { token: a.token })).status).toBe(404);
    // Paging walks all of B's orders once.
    const p1 = await ok(h, 'GET', '/v1/merchant/orders', { token: b.token, query: { limit: 2 } });
    const p2 = await ok(h, 'GET', '/v1/merchant/orders', {
      token: b.token,
      query: { limit: 2, cursor: p1.nextCursor },
    });
    expect([...p1.orders, ...p2.orders].map((o: { sn: string }) => o.sn)).toEqual(snsB);
    expect(p2.nextCursor).toBeNull();
  });

  it('the clock moves only in test-clock mode', async () => {
    const h = hub();
    const target = '2031-05-05T05:05:05.000Z';
    const r = await ok(h, 'POST', '/v1/platform/clock', { token: h.adminToken, body: { now: target } });
    expect(Math.abs(new Date(r.now).getTime() - Date.parse(target))).toBeLessThan(1000);
    const shop = await createShop(h);
    const row = await h.db
      .selectFrom('shops')
      .select('created_at')
      .where('id', '=', shop.shopId)
      .executeTakeFirstOrThrow();
    expect(row.created_at.startsWith('2031-05-05')).toBe(true);

    const prod = await buildApp({ db: h.db, clock: systemClock, adminToken: 'adm', testClock: false });
    const res = await prod.inject({
      method: 'POST',
      url: '/v1/platform/clock',
      headers: { authorization: 'Bearer adm' },
      payload: { now: target },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('TEST_CLOCK_DISABLED');
    await prod.close();
  });
});
