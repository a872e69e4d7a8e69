import { expect, it } from 'vitest';
import {
  cancelAllocation,
  check,
  describeEachDb,
  makeOrder,
  ok,
  pairStation,
  platformEvent,
  pullAll,
} from '../support/hub.ts';
import {
  allocatedOrders,
  issueAndReturn,
  issueNumbers,
  newClientId,
  push,
  returnAddress,
  returned,
  ship,
} from '../support/scenarios.ts';
import type { Mutation } from '../../../shared/api/waybills.ts';

describeEachDb('POST /v1/station/mutations (exactly-once)', ({ hub }) => {
  it('applies returns once; the same batch sent twice is ignored and answers with the stored results', async () => {
    const h = hub();
    const { station, sns: all } = await allocatedOrders(h, 6);
    const sns = all.slice(0, 5);
    const extra = all[5]!;
    const numbers = await issueNumbers(h, station, sns);
    const clientId = newClientId();
    const batch = sns.map((sn, i) => returned(i + 1, sn, numbers[i]!, '2026-11-27T02:00:00.000Z'));
    const first = await push(h, station, clientId, batch);
    expect(first.status).toBe(200);
    expect(first.body.lastMutationId).toBe(5);
    expect(first.body.results).toEqual(batch.map((m) => ({ id: m.id, status: 'applied' })));
    const rows1 = await h.db.selectFrom('waybills').selectAll().where('order_sn', 'in', sns).execute();
    expect(rows1.every((w) => w.status === 'returned' && w.printed_at === '2026-11-27T02:00:00.000Z')).toBe(true);

    // Move the clock: a re-application would change returned_at.
    h.clock.advance(60_000);
    const second = await push(h, station, clientId, batch);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const rows2 = await h.db.selectFrom('waybills').selectAll().where('order_sn', 'in', sns).execute();
    expect(rows2.map((w) => w.returned_at)).toEqual(rows1.map((w) => w.returned_at));

    // Overlap: ids 4..6 → 4 and 5 come from storage, 6 is new.
    const [extraNo] = await issueNumbers(h, station, [extra]);
    const overlap = [batch[3]!, batch[4]!, returned(6, extra, extraNo!)];
    const third = await push(h, station, clientId, overlap);
    expect(third.body.lastMutationId).toBe(6);
    expect(third.body.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    const stored = await h.db
      .selectFrom('station_clients')
      .selectAll()
      .where('client_id', '=', clientId)
      .executeTakeFirstOrThrow();
    expect(stored.last_mutation_id).toBe(6);
  });

  it('a rejected mutation is permanent: stored, counted, and the queue moves on', async () => {
    const h = hub();
    const { station, sns } = await allocatedOrders(h, 2);
    const numbers = await issueNumbers(h, station, sns);
    const clientId = newClientId();
    const bad = returned(1, sns[0]!, 'YT0000000000000'); // not this order's number
    const good = returned(2, sns[1]!, numbers[1]!);
    const r = await push(h, station, clientId, [bad, good]);
    expect(r.body.results[0]).toMatchObject({
      id: 1,
      status: 'rejected',
      reason: 'waybill_not_current',
      intercept: false,
    });
    expect(r.body.results[1]).toEqual({ id: 2, status: 'applied' });
    // Resending the same id does not re-judge it, even though it would now pass.
    const again = await push(h, station, clientId, [{ ...bad, waybillNo: numbers[0]! }]);
    expect(again.body.results[0]).toMatchObject({ id: 1, status: 'rejected', reason: 'waybill_not_current' });
    const w = await h.db
      .selectFrom('waybills')
      .select('status')
      .where('waybill_no', '=', numbers[0]!)
      .executeTakeFirstOrThrow();
    expect(w.status).toBe('issued');
  });

  it('refuses a gap (409 MUTATION_GAP with lastMutationId) and applies nothing of that batch', async () => {
    const h = hub();
    const { station, sns } = await allocatedOrders(h, 3);
    const numbers = await issueNumbers(h, station, sns);
    const clientId = newClientId();
    expect((await push(h, station, clientId, [returned(1, sns[0]!, numbers[0]!)])).status).toBe(200);
    const gap = await push(h, station, clientId, [returned(3, sns[2]!, numbers[2]!)]);
    expect(gap.status).toBe(409);
    expect(gap.body.error).toMatchObject({ code: 'MUTATION_GAP', lastMutationId: 1 });
    expect(gap.body.error!.message).toContain('请从 2 重新提交');
    // Ids inside one batch must rise by exactly 1 as well.
    const holey = await push(h, station, clientId, [
      returned(2, sns[1]!, numbers[1]!),
      returned(4, sns[2]!, numbers[2]!),
    ]);
    expect(holey.status).toBe(409);
    expect(holey.body.error).toMatchObject({ code: 'MUTATION_GAP', lastMutationId: 1 });
    const w = await h.db
      .selectFrom('waybills')
      .select(['waybill_no', 'status'])
      .where('order_sn', 'in', sns)
      .orderBy('id')
      .execute();
    expect(w.map((x) => x.status)).toEqual(['returned', 'issued', 'issued']);
    // Resuming at last + 1 works.
    const ok = await push(h, station, clientId, [returned(2, sns[1]!, numbers[1]!), returned(3, sns[2]!, numbers[2]!)]);
    expect(ok.body.lastMutationId).toBe(3);
  });

  it('intercepts a return for an order that turned abnormal after its waybill was issued', async () => {
    const h = hub();
    const { station, sns, merchant, factory } = await allocatedOrders(h, 5);
    const numbers = await issueNumbers(h, station, sns);
    await platformEvent(h, sns[0]!, {
      type: 'address_changed',
      recipient: { ...makeOrder().recipient, detail: '改址路 1 号' },
    });
    await platformEvent(h, sns[1]!, { type: 'after_sale_opened' });
    await platformEvent(h, sns[2]!, { type: 'audit_hold' });
    await cancelAllocation(h, merchant, [sns[3]!]);
    const clientId = newClientId();
    const r = await push(
      h,
      station,
      clientId,
      sns.map((sn, i) => returned(i + 1, sn, numbers[i]!)),
    );
    expect(r.status).toBe(200);
    const [addr, afterSale, audit, unalloc, fine] = r.body.results;
    expect(addr).toMatchObject({ status: 'rejected', reason: 'address_changed', intercept: true });
    expect(afterSale).toMatchObject({ status: 'rejected', reason: 'after_sale', intercept: true });
    expect(audit).toMatchObject({ status: 'rejected', reason: 'audit_hold', intercept: true });
    expect(unalloc).toMatchObject({ status: 'rejected', reason: 'allocation_cancelled', intercept: true });
    expect(fine).toEqual({ id: 5, status: 'applied' });
    if (afterSale?.status === 'rejected') expect(afterSale.message).toContain('请拦截该包裹');
    expect(factory.shopId).toBeGreaterThan(0);
    // After the return, a later after-sale does not reach back (the parcel has left).
    await platformEvent(h, sns[4]!, { type: 'after_sale_opened' });
    const w = await h.db
      .selectFrom('waybills')
      .select('status')
      .where('waybill_no', '=', numbers[4]!)
      .executeTakeFirstOrThrow();
    expect(w.status).toBe('returned');
  });

  it('cancels numbers (waybill_cancelled): the order can get a new one; a cancelled number cannot be returned', async () => {
    const h = hub();
    const { station, sns } = await allocatedOrders(h, 1);
    const numbers = await issueNumbers(h, station, sns);
    const clientId = newClientId();
    const muts: Mutation[] = [
      { id: 1, type: 'waybill_cancelled', orderSn: sns[0]!, waybillNo: numbers[0]!, reason: '面单打印错误' },
      returned(2, sns[0]!, numbers[0]!),
    ];
    const r = await push(h, station, clientId, muts);
    expect(r.body.results.map((x) => (x.status === 'applied' ? 'applied' : x.reason))).toEqual([
      'applied',
      'waybill_cancelled',
    ]);
    const [fresh] = await issueNumbers(h, station, [sns[0]!]);
    expect(fresh).not.toBe(numbers[0]);
    const c = await check(h, station, [sns[0]!]);
    expect(c.results.map((x) => x.reason)).toEqual([null]);
  });

  it('a returned number can be cancelled until the merchant ships (M5): printable again, not shippable; after shipping it is refused', async () => {
    const h = hub();
    const { merchant, factory, station, sns } = await allocatedOrders(h, 2);
    const numbers = await issueAndReturn(h, station, sns);
    const addr = await returnAddress(h, merchant);
    expect((await ship(h, merchant, [sns[1]!], addr)).body.results[0]!.status).toBe('shipped');
    const { cursor } = await pullAll(h, station);
    const other = await pairStation(h, factory, '另一台打印站');
    const clientId = newClientId();
    const r = await push(h, station, clientId, [
      { id: 1, type: 'waybill_cancelled', orderSn: sns[1]!, waybillNo: numbers[1]!, reason: '包裹破损重新打包' },
      { id: 2, type: 'waybill_cancelled', orderSn: sns[0]!, waybillNo: numbers[0]!, reason: '包裹破损重新打包' },
    ]);
    expect(r.body.results).toEqual([
      {
        id: 1,
        status: 'rejected',
        reason: 'waybill_shipped',
        message: '订单已发货，运单号不能取消',
        intercept: false,
      },
      { id: 2, status: 'applied' },
    ]);
    const rows = await h.db
      .selectFrom('waybills')
      .select(['waybill_no', 'status', 'cancel_reason'])
      .where('waybill_no', 'in', numbers)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { waybill_no: numbers[0], status: 'cancelled', cancel_reason: '包裹破损重新打包' },
      { waybill_no: numbers[1], status: 'returned', cancel_reason: null },
    ]);
    // The merchant: no number, so the order cannot ship; the factory: printable again, with a new number.
    const order = await ok(h, 'GET', `/v1/merchant/orders/${sns[0]}`, { token: merchant.token });
    expect(order.order.waybill).toBeNull();
    expect(order.events.at(-1)).toMatchObject({ type: 'waybill_cancelled', reason: '包裹破损重新打包' });
    expect((await ship(h, merchant, [sns[0]!], addr)).body.results[0]).toMatchObject({
      status: 'refused',
      reason: 'not_returned',
    });
    const changes = (await pullAll(h, station, cursor)).pages.flatMap((p) => p.changes);
    expect(changes.map((c) => [c.orderSn, c.waybill, c.printable])).toEqual([[sns[0], null, true]]);
    expect((await check(h, station, [sns[0]!])).results[0]).toMatchObject({ printable: true, reason: null });
    // Another station of the factory does not hold the number: it cannot cancel it.
    expect(
      (
        await push(h, other, newClientId(), [
          { id: 1, type: 'waybill_cancelled', orderSn: sns[1]!, waybillNo: numbers[1]!, reason: 'x' },
        ])
      ).body.results[0],
    ).toMatchObject({ status: 'rejected', reason: 'taken_over' });
    const [again] = await issueNumbers(h, station, [sns[0]!]);
    expect(again).not.toBe(numbers[0]);
    expect((await push(h, station, clientId, [returned(3, sns[0]!, again!)])).body.results[0]!.status).toBe('applied');
    expect((await ship(h, merchant, [sns[0]!], addr)).body.results[0]).toMatchObject({
      status: 'shipped',
      waybillNo: again,
    });
  });

  it('returns and cancellations bump the factory feed; the return shows as such', async () => {
    const h = hub();
    const { station, sns } = await allocatedOrders(h, 2);
    const numbers = await issueNumbers(h, station, sns);
    const { cursor } = await pullAll(h, station);
    await push(h, station, newClientId(), [
      returned(1, sns[0]!, numbers[0]!),
      { id: 2, type: 'waybill_cancelled', orderSn: sns[1]!, waybillNo: numbers[1]!, reason: 'x' },
    ]);
    const changes = (await pullAll(h, station, cursor)).pages.flatMap((p) => p.changes);
    const bySn = new Map(changes.map((c) => [c.orderSn, c]));
    expect(bySn.get(sns[0]!)?.waybill?.status).toBe('returned');
    expect(bySn.get(sns[0]!)?.printable).toBe(false);
    expect(bySn.get(sns[1]!)?.waybill).toBeNull();
  });

  it('stores printedAt, the unverified flag and up to 10 extra parcel numbers; refuses 11', async () => {
    const h = hub();
    const { station, sns } = await allocatedOrders(h, 1);
    const [no] = await issueNumbers(h, station, sns);
    const slaves = Array.from({ length: 10 }, (_, i) => `7300000000${String(i).padStart(2, '0')}`);
    const clientId = newClientId();
    const tooMany = await push(h, station, clientId, [
      { ...returned(1, sns[0]!, no!), slaveWaybillNos: [...slaves, '730000000099'] },
    ]);
    expect(tooMany.status).toBe(400);
    const r = await push(h, station, clientId, [
      { ...returned(1, sns[0]!, no!, '2026-11-27T03:04:05.000Z'), unverified: true, slaveWaybillNos: slaves },
    ]);
    expect(r.body.results[0]!.status).toBe('applied');
    const w = await h.db.selectFrom('waybills').selectAll().where('waybill_no', '=', no!).executeTakeFirstOrThrow();
    expect(w).toMatchObject({
      unverified: 1,
      printed_at: '2026-11-27T03:04:05.000Z',
      returned_station_id: station.stationId,
    });
    expect(JSON.parse(w.slave_waybill_nos!)).toEqual(slaves);
  });

  it('a clientId belongs to one factory; another factory’s order is not_allocated and tells nothing', async () => {
    const h = hub();
    const a = await allocatedOrders(h, 1);
    const b = await allocatedOrders(h, 1);
    const [noA] = await issueNumbers(h, a.station, a.sns);
    const clientId = newClientId();
    expect((await push(h, a.station, clientId, [returned(1, a.sns[0]!, noA!)])).status).toBe(200);
    const stolen = await push(h, b.station, clientId, [returned(2, a.sns[0]!, noA!)]);
    expect(stolen.status).toBe(403);
    const other = await push(h, b.station, newClientId(), [returned(1, a.sns[0]!, noA!)]);
    expect(other.body.results[0]).toMatchObject({ status: 'rejected', reason: 'not_allocated', intercept: false });
    // Re-pairing the same installation (a new station token of the same factory) continues its ids.
    const repaired = await pairStation(h, a.factory, '重装后的打印站');
    const cont = await push(h, repaired, clientId, [returned(2, a.sns[0]!, noA!)]);
    expect(cont.body.lastMutationId).toBe(2);
  });
});

/**
 * A label printed with a number that went stale through an address change is intercepted when its
 * return arrives, even if a fresh number was issued since.
 */
describeEachDb('returning a number that an address change made stale (M7)', ({ hub }) => {
  it('old number returned after the address changed and a new number was issued: rejected with intercept', async () => {
    const h = hub();
    const { station, sns } = await allocatedOrders(h, 1);
    const sn = sns[0]!;
    const [oldNo] = await issueNumbers(h, station, [sn]);
    // The worker prints the old label; then the consumer changes the address.
    await platformEvent(h, sn, {
      type: 'address_changed',
      recipient: { ...makeOrder().recipient, detail: '改址路 9 号' },
    });
    // Another print run (or another station) issues the fresh number for the new address.
    const [newNo] = await issueNumbers(h, station, [sn]);
    expect(newNo).not.toBe(oldNo);
    // The parcel with the OLD label is about to leave: its return must tell the worker to pull it.
    const r = await push(h, station, newClientId(), [returned(1, sn, oldNo!)]);
    expect(r.status).toBe(200);
    expect(r.body.results[0]).toMatchObject({ status: 'rejected', reason: 'address_changed', intercept: true });
    // The fresh number still returns normally.
    const ok = await push(h, station, newClientId(), [returned(1, sn, newNo!)]);
    expect(ok.body.results[0]).toEqual({ id: 1, status: 'applied' });
  });

  it('a number the station cancelled itself, then returned, is still a plain waybill_cancelled rejection', async () => {
    const h = hub();
    const { station, sns } = await allocatedOrders(h, 1);
    const [no] = await issueNumbers(h, station, sns);
    const r = await push(h, station, newClientId(), [
      { id: 1, type: 'waybill_cancelled', orderSn: sns[0]!, waybillNo: no!, reason: '打错了' },
      returned(2, sns[0]!, no!),
    ]);
    expect(r.body.results[1]).toMatchObject({ status: 'rejected', reason: 'waybill_cancelled' });
  });
});
