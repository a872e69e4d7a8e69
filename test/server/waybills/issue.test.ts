import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { openPrintPayload } from '../../../shared/api/print-payload.ts';
import { isWaybillNoFormat } from '../../../server/waybills/courier.ts';
import {
  call,
  check,
  describeEachDb,
  makeOrder,
  platformEvent,
  pullAll,
  createOrders,
  allocate,
  pairStation,
  cancelAllocation,
  merchantWithTwoFactories,
  ok,
} from '../support/hub.ts';
import {
  allocatedOrders,
  issue,
  issueNumbers,
  newClientId,
  push,
  returnAddress,
  returned,
  ship,
} from '../support/scenarios.ts';
import type { WaybillsResponse } from '../../../shared/api/waybills.ts';

describeEachDb('POST /v1/station/waybills', ({ hub }) => {
  it('issues numbers in the courier’s format with a payload only this station can open', async () => {
    const h = hub();
    const { station, sns, factory } = await allocatedOrders(h, 3);
    for (const courier of ['ZTO', 'YTO', 'YUNDA', 'STO', 'JTSD'] as const) {
      const other = await allocatedOrders(h, 1);
      const res = await issue(h, other.station, other.sns, courier);
      const r = res.results[0]!;
      expect(r.status).toBe('issued');
      if (r.status === 'issued') expect(isWaybillNoFormat(courier, r.waybillNo)).toBe(true);
    }
    const res = await issue(h, station, sns, 'YTO');
    expect(res.results.map((r) => r.orderSn)).toEqual(sns);
    const first = res.results[0]!;
    if (first.status !== 'issued') throw new Error('refused');
    expect(first.reused).toBe(false);
    expect(first.courier).toBe('YTO');
    const payload = await openPrintPayload(station.payloadKey, first.printPayload);
    expect(payload.orderSn).toBe(sns[0]);
    expect(payload.waybillNo).toBe(first.waybillNo);
    expect(payload.addressVersion).toBe(first.addressVersion);
    // Privacy-waybill form: masked name and phone, but the full street for the courier.
    expect(payload.receiver.name).toBe('欧阳**');
    expect(payload.receiver.phone).toMatch(/^138\*{4}\d{4}$/);
    expect(payload.receiver.detail).toMatch(/^幸福路\d+号阳光小区3栋1201室$/);
    expect(payload.shipper.name).toBe('王经理');
    expect(payload.routing.sortCode).toMatch(/^\d{3}-[A-Z]\d{2} \d{3}$/);
    expect(payload.routing.bigPen.length).toBeGreaterThan(1);
    // 集包地 and 件数 travel inside the sealed payload, as a platform's e-waybill answer carries them.
    expect(payload.routing.packageCenter.name).toMatch(/(转运|分拨)中心$/);
    expect(payload.routing.packageCenter.code).toMatch(/^\d{6}$/);
    expect(payload.pieces).toEqual({ index: 1, total: 1 });
    expect(payload.items[0]!.goodsName).toBe('纯棉T恤');
    // The envelope itself shows none of it.
    expect(Buffer.from(first.printPayload, 'base64').toString('utf8')).not.toContain('幸福路');

    // Another factory's station key — and a random key — cannot open it.
    const stranger = await pairStation(h, (await allocatedOrders(h, 0)).factory);
    await expect(openPrintPayload(stranger.payloadKey, first.printPayload)).rejects.toThrow();
    await expect(openPrintPayload(randomBytes(32).toString('base64'), first.printPayload)).rejects.toThrow();
    // A second station of the same factory has its own key too.
    const sibling = await pairStation(h, factory, '打印站2');
    await expect(openPrintPayload(sibling.payloadKey, first.printPayload)).rejects.toThrow();
  });

  it('is idempotent: the same number comes back until it is cancelled, also under concurrency', async () => {
    const h = hub();
    const { station, sns } = await allocatedOrders(h, 20);
    const [a, b] = await Promise.all([issue(h, station, sns), issue(h, station, sns)]);
    const na = a.results.map((r) => (r.status === 'issued' ? r.waybillNo : null));
    const nb = b.results.map((r) => (r.status === 'issued' ? r.waybillNo : null));
    expect(na.every((n) => n !== null)).toBe(true);
    expect(nb).toEqual(na);
    expect(new Set(na).size).toBe(20);
    const again = await issue(h, station, sns, 'JTSD'); // a different courier does not replace a live number
    expect(again.results.map((r) => (r.status === 'issued' ? r.waybillNo : null))).toEqual(na);
    expect(again.results.every((r) => r.status === 'issued' && r.reused)).toBe(true);
    const rows = await h.db.selectFrom('waybills').select('waybill_no').where('order_sn', 'in', sns).execute();
    expect(rows.length).toBe(20);
  });

  it('refuses abnormal orders with printability’s reason, and orders not allocated to this factory', async () => {
    const h = hub();
    const { station, sns, merchant, factory } = await allocatedOrders(h, 3);
    await platformEvent(h, sns[0]!, { type: 'audit_hold' });
    await platformEvent(h, sns[1]!, { type: 'cancelled' });
    const [unallocated] = await createOrders(h, merchant, 1);
    const foreign = await allocatedOrders(h, 1);
    const res = await issue(h, station, [sns[0]!, sns[1]!, sns[2]!, unallocated!, foreign.sns[0]!, 'NO_SUCH_ORDER']);
    const view = res.results.map((r) => (r.status === 'refused' ? r.reason : 'issued'));
    // audit_hold un-allocates (M3); the cancelled order is refused as cancelled.
    expect(view[0]).toMatch(/^(audit_hold|allocation_cancelled)$/);
    expect(view[1]).toBe('order_cancelled');
    expect(view[2]).toBe('issued');
    expect(view.slice(3)).toEqual(['not_allocated', 'not_allocated', 'not_allocated']);
    const refusal = res.results[4]!;
    if (refusal.status === 'refused') expect(refusal.message).toBe('订单未分配给本厂家');
    expect(factory.shopId).toBeGreaterThan(0);
  });

  it('an address change makes the number stale: printing blocked, a new number is issued', async () => {
    const h = hub();
    const { station, sns } = await allocatedOrders(h, 1);
    const sn = sns[0]!;
    const [oldNo] = await issueNumbers(h, station, [sn]);
    const before = (await check(h, station, [sn])).results[0]!;
    expect(before.printable).toBe(true);
    await platformEvent(h, sn, {
      type: 'address_changed',
      recipient: { ...makeOrder().recipient, detail: '新地址路 9 号' },
    });
    const stale = (await check(h, station, [sn])).results[0]!;
    expect(stale).toMatchObject({ printable: false, reason: 'address_changed' });

    const res = await issue(h, station, [sn]);
    const r = res.results[0]!;
    if (r.status !== 'issued') throw new Error(`refused ${r.reason}`);
    expect(r.waybillNo).not.toBe(oldNo);
    expect(r.reused).toBe(false);
    expect(r.addressVersion).toBeGreaterThan(0);
    const payload = await openPrintPayload(station.payloadKey, r.printPayload);
    expect(payload.receiver.detail).toBe('新地址路 9 号');
    expect(payload.addressVersion).toBe(r.addressVersion);
    expect((await check(h, station, [sn])).results[0]!.printable).toBe(true);
    const rows = await h.db
      .selectFrom('waybills')
      .select(['waybill_no', 'status'])
      .where('order_sn', '=', sn)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { waybill_no: oldNo, status: 'cancelled' },
      { waybill_no: r.waybillNo, status: 'issued' },
    ]);
  });

  it('issuing bumps the factory feed: the station sees the waybill on its order', async () => {
    const h = hub();
    const { station, sns } = await allocatedOrders(h, 2);
    const { cursor } = await pullAll(h, station);
    const numbers = await issueNumbers(h, station, sns);
    const { pages } = await pullAll(h, station, cursor);
    const changes = pages.flatMap((p) => p.changes);
    expect(changes.map((c) => c.orderSn).sort()).toEqual([...sns].sort());
    for (const c of changes) expect(c.waybill?.waybillNo).toBe(numbers[sns.indexOf(c.orderSn)]);
  });

  it('validates its input: at most 100 orders, a known courier, station tokens only', async () => {
    const h = hub();
    const { station, merchant, sns } = await allocatedOrders(h, 1);
    const many = Array.from({ length: 101 }, (_, i) => `SN${i}`);
    expect(
      (
        await call(h, 'POST', '/v1/station/waybills', {
          token: station.token,
          body: { orderSns: many, courier: 'ZTO' },
        })
      ).status,
    ).toBe(400);
    expect(
      (await call(h, 'POST', '/v1/station/waybills', { token: station.token, body: { orderSns: sns, courier: 'SF' } }))
        .status,
    ).toBe(400);
    expect(
      (await call(h, 'POST', '/v1/station/waybills', { token: station.token, body: { orderSns: [], courier: 'ZTO' } }))
        .status,
    ).toBe(400);
    expect(
      (
        await call(h, 'POST', '/v1/station/waybills', {
          token: merchant.token,
          body: { orderSns: sns, courier: 'ZTO' },
        })
      ).status,
    ).toBe(403);
    expect((await call(h, 'POST', '/v1/station/waybills', { body: { orderSns: sns, courier: 'ZTO' } })).status).toBe(
      401,
    );
    expect(allocate).toBeTypeOf('function');
  });
});

/**
 * An order whose first factory already took a number, then re-allocated to another factory, is
 * printable there: the new factory gets its own number.
 */
describeEachDb('re-allocation after the first factory took a number (M3, M5)', ({ hub }) => {
  it('the second factory gets a number and can return it; the first one’s old label is intercepted', async () => {
    const h = hub();
    const { merchant, x, y, stX, stY } = await merchantWithTwoFactories(h);
    const [sn] = await createOrders(h, merchant, 1);
    await allocate(h, merchant, x.shopId, [sn!]);
    const [xNo] = await issueNumbers(h, stX, [sn!]);
    // The factory is slow: the merchant moves the order to another factory.
    await cancelAllocation(h, merchant, [sn!]);
    await allocate(h, merchant, y.shopId, [sn!]);

    const r = await call<WaybillsResponse>(h, 'POST', '/v1/station/waybills', {
      token: stY.token,
      body: { orderSns: [sn], courier: 'YTO' },
    });
    expect(r.status).toBe(200);
    const res = r.body.results[0]!;
    expect(res.status).toBe('issued');
    if (res.status !== 'issued') return;
    expect(res.waybillNo).not.toBe(xNo);
    // Idempotent at Y.
    const [again] = await issueNumbers(h, stY, [sn!], 'YTO');
    expect(again).toBe(res.waybillNo);

    const ry = await push(h, stY, newClientId(), [returned(1, sn!, res.waybillNo)]);
    expect(ry.body.results[0]).toEqual({ id: 1, status: 'applied' });
    const rx = await push(h, stX, newClientId(), [returned(1, sn!, xNo!)]);
    expect(rx.body.results[0]).toMatchObject({ status: 'rejected', reason: 'allocation_cancelled', intercept: true });
    // The merchant sees and ships Y's number, not X's live one.
    const order = await ok(h, 'GET', `/v1/merchant/orders/${encodeURIComponent(sn!)}`, { token: merchant.token });
    expect(JSON.stringify(order)).toContain(res.waybillNo);
    expect(JSON.stringify(order)).not.toContain(xNo!);
    const shipped = await ship(h, merchant, [sn!], await returnAddress(h, merchant));
    expect(shipped.body.results[0]).toMatchObject({ status: 'shipped', waybillNo: res.waybillNo });
  });
});
