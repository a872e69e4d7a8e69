import { expect, it } from 'vitest';
import { call, cancelAllocation, createMerchant, describeEachDb, ok, platformEvent, pullAll } from '../support/hub.ts';
import { allocatedOrders, issueAndReturn, issueNumbers, returnAddress, ship } from '../support/scenarios.ts';

describeEachDb('return addresses and shipping (M6)', ({ hub }) => {
  it('return addresses: create, list, update, default, delete; another merchant cannot touch them', async () => {
    const h = hub();
    const m = await createMerchant(h);
    const other = await createMerchant(h);
    const base = '/v1/merchant/return-addresses';
    const a = await ok(h, 'POST', base, {
      token: m.token,
      body: { name: '张三', phone: '13900000000', address: '杭州市余杭区退货仓 1 号' },
    });
    expect(a.returnAddress.isDefault).toBe(true); // the first one is the default
    const b = await ok(h, 'POST', base, {
      token: m.token,
      body: { name: '李四', phone: '13900000001', address: '义乌市退货仓 2 号', isDefault: true },
    });
    let list = (await ok(h, 'GET', base, { token: m.token })).returnAddresses;
    expect(list.map((x: { id: number; isDefault: boolean }) => [x.id, x.isDefault])).toEqual([
      [a.returnAddress.id, false],
      [b.returnAddress.id, true],
    ]);
    const upd = await ok(h, 'PUT', `${base}/${a.returnAddress.id}`, {
      token: m.token,
      body: { name: '张三', phone: '13900000000', address: '新退货仓' },
    });
    expect(upd.returnAddress.address).toBe('新退货仓');
    expect(
      (
        await call(h, 'PUT', `${base}/${a.returnAddress.id}`, {
          token: other.token,
          body: { name: 'x', phone: '1', address: 'y' },
        })
      ).status,
    ).toBe(404);
    expect((await call(h, 'DELETE', `${base}/${a.returnAddress.id}`, { token: other.token })).status).toBe(404);
    expect((await ok(h, 'GET', base, { token: other.token })).returnAddresses).toEqual([]);
    expect((await call(h, 'DELETE', `${base}/${a.returnAddress.id}`, { token: m.token })).status).toBe(200);
    expect((await call(h, 'DELETE', `${base}/${a.returnAddress.id}`, { token: m.token })).body.error.code).toBe(
      'RETURN_ADDRESS_NOT_FOUND',
    );
    list = (await ok(h, 'GET', base, { token: m.token })).returnAddresses;
    expect(list.map((x: { id: number }) => x.id)).toEqual([b.returnAddress.id]);
    expect((await call(h, 'POST', base, { token: m.token, body: { name: '', phone: '1', address: 'y' } })).status).toBe(
      400,
    );
  });

  it('ships only after the tracking number was returned; then the order is shipped and the factory feed shows it', async () => {
    const h = hub();
    const { merchant, station, sns } = await allocatedOrders(h, 3);
    const addr = await returnAddress(h, merchant);
    // sns[0]: returned; sns[1]: number issued, not returned; sns[2]: nothing yet.
    const [no0] = await issueAndReturn(h, station, [sns[0]!]);
    await issueNumbers(h, station, [sns[1]!]);
    const { cursor } = await pullAll(h, station);
    const r = await ship(h, merchant, [...sns, 'NO_SUCH'], addr);
    expect(r.status).toBe(200);
    expect(r.body.results.map((x) => (x.status === 'shipped' ? 'shipped' : x.reason))).toEqual([
      'shipped',
      'not_returned',
      'not_returned',
      'not_found',
    ]);
    const shipped = r.body.results[0]!;
    if (shipped.status === 'shipped') {
      expect(shipped.waybillNo).toBe(no0);
      expect(shipped.warning).toBeUndefined();
    }
    const refused = r.body.results[1]!;
    if (refused.status === 'refused') expect(refused.message).toBe('厂家尚未回传运单号，无法发货');
    const order = await h.db.selectFrom('orders').select('status').where('sn', '=', sns[0]!).executeTakeFirstOrThrow();
    expect(order.status).toBe('shipped');
    const changes = (await pullAll(h, station, cursor)).pages.flatMap((p) => p.changes);
    expect(changes.map((c) => [c.orderSn, c.status])).toEqual([[sns[0], 'shipped']]);
    // Shipping twice is refused, and the shipment row is not doubled.
    const again = await ship(h, merchant, [sns[0]!], addr);
    expect(again.body.results[0]).toMatchObject({ status: 'refused', reason: 'already_shipped' });
    const rows = await h.db.selectFrom('shipments').selectAll().execute();
    expect(rows.filter((x) => x.waybill_no === no0)).toHaveLength(1);
    expect(rows.find((x) => x.waybill_no === no0)?.return_address_id).toBe(addr);
  });

  it('after-sale opened after the return warns but does not block; another merchant’s orders are not found', async () => {
    const h = hub();
    const { merchant, station, sns } = await allocatedOrders(h, 2);
    const addr = await returnAddress(h, merchant);
    await issueAndReturn(h, station, sns);
    await platformEvent(h, sns[0]!, { type: 'after_sale_opened' });
    const stranger = await createMerchant(h);
    const strangerAddr = await returnAddress(h, stranger);
    const theirs = await ship(h, stranger, sns, strangerAddr);
    expect(theirs.body.results.map((x) => (x.status === 'refused' ? x.reason : x.status))).toEqual([
      'not_found',
      'not_found',
    ]);
    // Someone else's return address cannot be used.
    expect((await ship(h, merchant, sns, strangerAddr)).body).toMatchObject({
      error: { code: 'RETURN_ADDRESS_NOT_FOUND' },
    });
    const r = await ship(h, merchant, sns, addr);
    const [withWarning, plain] = r.body.results;
    expect(withWarning).toMatchObject({ status: 'shipped', warning: { code: 'after_sale_after_return' } });
    if (withWarning?.status === 'shipped') expect(withWarning.warning?.message).toContain('售后');
    expect(plain).toMatchObject({ status: 'shipped' });
    expect(plain && 'warning' in plain).toBe(false);
  });

  it('a cancelled order cannot ship', async () => {
    const h = hub();
    const { merchant, station, sns } = await allocatedOrders(h, 1);
    const addr = await returnAddress(h, merchant);
    await issueAndReturn(h, station, sns);
    await platformEvent(h, sns[0]!, { type: 'cancelled' });
    const r = await ship(h, merchant, sns, addr);
    expect(r.body.results[0]).toMatchObject({ status: 'refused', reason: 'order_cancelled' });
  });

  it('an order whose allocation was cancelled (by the merchant, or on after-sale) is refused not_allocated, not not_returned', async () => {
    const h = hub();
    const { merchant, station, sns } = await allocatedOrders(h, 2);
    const addr = await returnAddress(h, merchant);
    await issueNumbers(h, station, sns);
    await cancelAllocation(h, merchant, [sns[0]!]);
    await platformEvent(h, sns[1]!, { type: 'after_sale_opened' });
    const r = await ship(h, merchant, sns, addr);
    expect(r.body.results).toEqual([
      { orderSn: sns[0], status: 'refused', reason: 'not_allocated', message: '订单未分配给厂家' },
      { orderSn: sns[1], status: 'refused', reason: 'not_allocated', message: '订单未分配给厂家' },
    ]);
  });
});
