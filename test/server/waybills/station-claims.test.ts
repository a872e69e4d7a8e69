/**
 * Station claims (D10, DESIGN §3): one label per order whatever the number of stations in a factory.
 * A number is issued to the station that asks; another station of the factory is refused
 * `printing_elsewhere` naming the holder, unless it takes the order over with a reason; a station
 * that lost the claim has its return intercepted; reprints are recorded; the feed, the guard check
 * and the merchant's order detail show all of it. On SQLite and PostgreSQL.
 */
import { expect, it } from 'vitest';
import type { WaybillResult } from '../../../shared/api/waybills.ts';
import type { MerchantOrderDetailResponse } from '../../../shared/api/orders.ts';
import { issueWaybills, dbSerialSource, STATION_REVOKED_REASON } from '../../../server/waybills/waybills.ts';
import { SimulatedWaybillService, type ElectronicWaybillService } from '../../../server/waybills/courier.ts';
import { createSettableClock } from '../../../server/clock.ts';
import type { Courier } from '../../../shared/domain/types.ts';
import {
  call,
  check,
  describeEachDb,
  hubContext,
  makeOrder,
  ok,
  pairStation,
  platformEvent,
  pullAll,
  type TestHub,
  type TestShop,
  type TestStation,
} from '../support/hub.ts';
import {
  allocatedOrders,
  cancelled,
  issue,
  issueNumbers,
  newClientId,
  push,
  reprinted,
  returned,
  takeOver,
} from '../support/scenarios.ts';

/** A factory with two stations, 打印站1 (a) and 二号站 (b), and `n` orders allocated to it. */
async function twoStations(h: TestHub, n: number) {
  const { merchant, factory, station: a, sns } = await allocatedOrders(h, n);
  const b = await pairStation(h, factory, '二号站');
  return { merchant, factory, a, b, sns };
}

function issuedNo(r: WaybillResult): string {
  if (r.status !== 'issued') throw new Error(`${r.orderSn} refused: ${r.reason}`);
  return r.waybillNo;
}

async function waybillRows(h: TestHub, sns: string[]) {
  return h.db
    .selectFrom('waybills')
    .select(['order_sn', 'waybill_no', 'status', 'station_id', 'claimed_at', 'cancel_reason'])
    .where('order_sn', 'in', sns)
    .orderBy('id')
    .execute();
}

async function detail(h: TestHub, merchant: TestShop, sn: string): Promise<MerchantOrderDetailResponse> {
  return ok<MerchantOrderDetailResponse>(h, 'GET', `/v1/merchant/orders/${sn}`, { token: merchant.token });
}

const printingElsewhere = (orderSn: string, holder: TestStation, name: string) => ({
  orderSn,
  status: 'refused',
  reason: 'printing_elsewhere',
  message: `其他打印站正在打印此单（${name}）`,
  claimedBy: { stationId: holder.stationId, name },
});

describeEachDb('station claims: POST /v1/station/waybills', ({ hub }) => {
  it('issues a number to the station that asks; the same station gets it again, another station of the factory is refused printing_elsewhere naming it', async () => {
    const h = hub();
    const { a, b, sns } = await twoStations(h, 4);
    const held = sns.slice(0, 3);
    const first = await issue(h, a, held);
    const numbers = first.results.map(issuedNo);
    expect(first.results.every((r) => r.status === 'issued' && !r.reused && r.takenOver === undefined)).toBe(true);
    const rows = await waybillRows(h, held);
    expect(rows.map((r) => [r.status, r.station_id])).toEqual(held.map(() => ['issued', a.stationId]));
    expect(rows.every((r) => r.claimed_at !== null)).toBe(true);

    const again = await issue(h, a, held);
    expect(again.results.map(issuedNo)).toEqual(numbers);
    expect(again.results.every((r) => r.status === 'issued' && r.reused)).toBe(true);

    // Station b asks for the held orders and a free one: the free one is b's, the held ones are refused.
    const other = await issue(h, b, [...held, sns[3]!]);
    expect(other.results.slice(0, 3)).toEqual(held.map((sn) => printingElsewhere(sn, a, '打印站1')));
    const freeNo = issuedNo(other.results[3]!);
    expect(await waybillRows(h, sns)).toEqual([
      ...rows,
      expect.objectContaining({ order_sn: sns[3], waybill_no: freeNo, status: 'issued', station_id: b.stationId }),
    ]);
    // …and a cannot have b's.
    expect((await issue(h, a, [sns[3]!])).results[0]).toEqual(printingElsewhere(sns[3]!, b, '二号站'));
  });

  it('the guard check and the feed show who holds each number; check is printing_elsewhere for every other station', async () => {
    const h = hub();
    const { a, b, sns, factory } = await twoStations(h, 2);
    const { cursor } = await pullAll(h, b);
    const [no] = await issueNumbers(h, a, [sns[0]!]);

    const byA = (await check(h, a, sns)).results;
    expect(byA[0]).toMatchObject({
      printable: true,
      reason: null,
      claim: { stationId: a.stationId, stationName: '打印站1' },
    });
    expect(byA[1]).toMatchObject({ printable: true, reason: null, claim: null });
    const byB = (await check(h, b, sns)).results;
    expect(byB[0]).toMatchObject({
      printable: false,
      reason: 'printing_elsewhere',
      claim: { stationId: a.stationId, stationName: '打印站1' },
    });
    expect(byB[1]).toMatchObject({ printable: true, claim: null });

    // The issue reached b's feed: the snapshot names the holder, with when it took the order.
    const changes = (await pullAll(h, b, cursor)).pages.flatMap((p) => p.changes);
    expect(changes.map((c) => c.orderSn)).toEqual([sns[0]]);
    const row = (await waybillRows(h, [sns[0]!]))[0]!;
    expect(changes[0]!.waybill).toMatchObject({
      waybillNo: no,
      status: 'issued',
      claim: { stationId: a.stationId, stationName: '打印站1', claimedAt: row.claimed_at },
    });
    // The factory's own console sees the same.
    const factoryView = await ok<{ orders: Array<{ orderSn: string; waybill: { claim: unknown } | null }> }>(
      h,
      'GET',
      '/v1/factory/orders',
      { token: factory.token },
    );
    expect(factoryView.orders.find((o) => o.orderSn === sns[0])!.waybill!.claim).toMatchObject({
      stationId: a.stationId,
    });
  });

  it('two stations asking for the same orders at the same moment: each order is issued to exactly one, the other is told printing_elsewhere', async () => {
    const h = hub();
    const { a, b, sns } = await twoStations(h, 60);
    for (const [fromA, fromB] of [
      [sns.slice(0, 20), sns.slice(0, 20)],
      [sns.slice(20, 40), [...sns.slice(20, 40)].reverse()],
      [sns.slice(40, 55), sns.slice(45, 60)],
    ] as const) {
      const [ra, rb] = await Promise.all([issue(h, a, [...fromA]), issue(h, b, [...fromB])]);
      const answers = new Map<string, WaybillResult[]>();
      for (const r of [...ra.results, ...rb.results]) answers.set(r.orderSn, [...(answers.get(r.orderSn) ?? []), r]);
      for (const [sn, rs] of answers) {
        const issued = rs.filter((r) => r.status === 'issued');
        expect(issued, sn).toHaveLength(1);
        const refused = rs.filter((r) => r.status === 'refused');
        const winner = ra.results.includes(issued[0]!) ? a : b;
        for (const r of refused) {
          expect(r).toEqual(printingElsewhere(sn, winner, winner === a ? '打印站1' : '二号站'));
        }
      }
    }
    // The database agrees: one issued number per order, held by the station that was told so, none cancelled.
    const rows = await waybillRows(h, sns);
    expect(rows).toHaveLength(60);
    expect(rows.every((r) => r.status === 'issued')).toBe(true);
    const holders = new Map(rows.map((r) => [r.order_sn, r.station_id]));
    const byA = (await check(h, a, sns)).results;
    for (const c of byA) {
      const mine = holders.get(c.orderSn) === a.stationId;
      expect(c.printable).toBe(mine);
      expect(c.claim?.stationId).toBe(holders.get(c.orderSn));
    }
  });

  it('a takeover with a reason moves the claim: the old number is cancelled, a new one is issued to the taker, and the merchant sees who, from whom and why', async () => {
    const h = hub();
    const { merchant, a, b, sns } = await twoStations(h, 2);
    const [oldNo] = await issueNumbers(h, a, [sns[0]!]);
    const { cursor } = await pullAll(h, a);

    const taken = await takeOver(h, b, sns, '  一号站打印机卡纸，改由二号站打印  ');
    const [r0, r1] = taken.results;
    expect(r0).toMatchObject({ status: 'issued', reused: false, takenOver: true });
    const newNo = issuedNo(r0!);
    expect(newNo).not.toBe(oldNo);
    // An order that nobody held is simply issued: nothing was taken over.
    expect(r1).toMatchObject({ status: 'issued', reused: false });
    expect(r1!.status === 'issued' && r1!.takenOver).toBeUndefined();

    expect(await waybillRows(h, [sns[0]!])).toEqual([
      expect.objectContaining({
        waybill_no: oldNo,
        status: 'cancelled',
        cancel_reason: 'takeover',
        station_id: a.stationId,
      }),
      expect.objectContaining({ waybill_no: newNo, status: 'issued', station_id: b.stationId }),
    ]);
    // b holds it now: b asking again is the same number, a is refused.
    const again = await takeOver(h, b, [sns[0]!], '再来一次');
    expect(again.results[0]).toMatchObject({ status: 'issued', waybillNo: newNo, reused: true });
    expect(again.results[0]!.status === 'issued' && again.results[0]!.takenOver).toBeUndefined();
    expect((await issue(h, a, [sns[0]!])).results[0]).toEqual(printingElsewhere(sns[0]!, b, '二号站'));

    // Every station of the factory heard of it.
    const changes = (await pullAll(h, a, cursor)).pages.flatMap((p) => p.changes);
    expect(changes.find((c) => c.orderSn === sns[0])!.waybill).toMatchObject({
      waybillNo: newNo,
      claim: { stationId: b.stationId, stationName: '二号站' },
    });
    expect((await check(h, a, [sns[0]!])).results[0]).toMatchObject({
      printable: false,
      reason: 'printing_elsewhere',
      claim: { stationId: b.stationId },
    });

    // M9: the merchant sees the takeover, with the reason trimmed; only one, the repeat took nothing over.
    const d = await detail(h, merchant, sns[0]!);
    expect(d.takeovers).toEqual([
      {
        oldWaybillNo: oldNo,
        newWaybillNo: newNo,
        fromStationName: '打印站1',
        toStationName: '二号站',
        reason: '一号站打印机卡纸，改由二号站打印',
        at: expect.any(String),
      },
    ]);
    expect(d.order.waybill).toMatchObject({ waybillNo: newNo, claim: { stationName: '二号站' } });
    expect((await detail(h, merchant, sns[1]!)).takeovers).toEqual([]);
  });

  it('a takeover never overrides an abnormal order, and a stale number held elsewhere needs one', async () => {
    const h = hub();
    const { a, b, sns } = await twoStations(h, 3);
    const numbers = await issueNumbers(h, a, sns);
    await platformEvent(h, sns[0]!, { type: 'after_sale_opened' });
    await platformEvent(h, sns[1]!, { type: 'audit_hold' });
    await platformEvent(h, sns[2]!, {
      type: 'address_changed',
      recipient: { ...makeOrder().recipient, detail: '新地址路 9 号' },
    });
    const forced = await takeOver(h, b, sns.slice(0, 2), '强行接管');
    expect(forced.results.map((r) => (r.status === 'refused' ? r.reason : 'issued'))).toEqual([
      'after_sale',
      'audit_hold',
    ]);
    expect(forced.results.every((r) => r.status === 'refused' && r.claimedBy === undefined)).toBe(true);
    const rows = await waybillRows(h, sns.slice(0, 2));
    expect(rows.map((r) => [r.waybill_no, r.status, r.station_id])).toEqual(
      numbers.slice(0, 2).map((n) => [n, 'issued', a.stationId]),
    );
    expect(
      await h.db.selectFrom('waybill_takeovers').select('id').where('new_waybill_no', 'in', numbers).execute(),
    ).toEqual([]);

    // The stale number is a's: b is told so (a will be re-issued a number when it asks)…
    expect((await issue(h, b, [sns[2]!])).results[0]).toEqual(printingElsewhere(sns[2]!, a, '打印站1'));
    // …unless b takes the order over: a new number at the new address, the stale one cancelled.
    const moved = await takeOver(h, b, [sns[2]!], '一号站离线');
    expect(moved.results[0]).toMatchObject({ status: 'issued', reused: false, takenOver: true });
    expect((await waybillRows(h, [sns[2]!])).map((r) => [r.status, r.cancel_reason, r.station_id])).toEqual([
      ['cancelled', 'takeover', a.stationId],
      ['issued', null, b.stationId],
    ]);
  });

  it('a takeover needs a reason of 1 to 200 characters that is not blank', async () => {
    const h = hub();
    const { a, b, sns } = await twoStations(h, 1);
    await issueNumbers(h, a, sns);
    for (const takeover of [
      {},
      { reason: '' },
      { reason: '   ' },
      { reason: 'x'.repeat(201) },
      { reason: 'x', why: 1 },
      { reason: 5 },
      'yes',
    ]) {
      const res = await call(h, 'POST', '/v1/station/waybills', {
        token: b.token,
        body: { orderSns: sns, courier: 'ZTO', takeover },
      });
      expect(res.status, JSON.stringify(takeover)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_ERROR');
    }
    // Nothing moved.
    expect((await waybillRows(h, sns)).map((r) => r.station_id)).toEqual([a.stationId]);
    const longest = await takeOver(h, b, sns, '理'.repeat(200));
    expect(longest.results[0]).toMatchObject({ status: 'issued', takenOver: true });
  });

  it('a revoked station’s claim blocks nobody: every station hears of it, the next one gets a new number and the old one is cancelled', async () => {
    const h = hub();
    const { merchant, factory, a, b, sns } = await twoStations(h, 1);
    const [oldNo] = await issueNumbers(h, a, sns);
    const { cursor } = await pullAll(h, b);
    await ok(h, 'DELETE', `/v1/factory/stations/${a.stationId}`, { token: factory.token });

    const changes = (await pullAll(h, b, cursor)).pages.flatMap((p) => p.changes);
    expect(changes.map((c) => [c.orderSn, c.waybill?.waybillNo, c.waybill?.claim])).toEqual([[sns[0], oldNo, null]]);
    expect((await check(h, b, sns)).results[0]).toMatchObject({ printable: true, reason: null, claim: null });

    const res = await issue(h, b, sns);
    expect(res.results[0]).toMatchObject({ status: 'issued', reused: false });
    expect(res.results[0]!.status === 'issued' && res.results[0]!.takenOver).toBeUndefined();
    const newNo = issuedNo(res.results[0]!);
    expect(newNo).not.toBe(oldNo);
    expect((await waybillRows(h, sns)).map((r) => [r.waybill_no, r.status, r.cancel_reason, r.station_id])).toEqual([
      [oldNo, 'cancelled', 'station_revoked', a.stationId],
      [newNo, 'issued', null, b.stationId],
    ]);
    expect((await detail(h, merchant, sns[0]!)).takeovers).toEqual([
      {
        oldWaybillNo: oldNo,
        newWaybillNo: newNo,
        fromStationName: '打印站1',
        toStationName: '二号站',
        reason: STATION_REVOKED_REASON,
        at: expect.any(String),
      },
    ]);
    // Revoking again changes nothing and tells nobody anything new.
    const { cursor: after } = await pullAll(h, b);
    await ok(h, 'DELETE', `/v1/factory/stations/${a.stationId}`, { token: factory.token });
    expect((await pullAll(h, b, after)).pages.flatMap((p) => p.changes)).toEqual([]);
  });

  it('the numbers a takeover or a revoked claim replaces are cancelled with the courier', async () => {
    const h = hub();
    const { factory, a, b, sns } = await twoStations(h, 2);
    const [takenNo, revokedNo] = await issueNumbers(h, a, sns);
    const recorded: Array<[Courier, string]> = [];
    const ctx = hubContext(h, { clock: createSettableClock() });
    const simulated = new SimulatedWaybillService(dbSerialSource(ctx));
    const courier: ElectronicWaybillService = {
      couriers: simulated.couriers,
      issue: (reqs) => simulated.issue(reqs),
      cancel: async (c, no) => {
        recorded.push([c, no]);
      },
    };
    const caller = (s: TestStation, name: string) => ({
      kind: 'station' as const,
      stationId: s.stationId,
      factoryShopId: factory.shopId,
      name,
    });
    const taken = await issueWaybills(ctx, courier, caller(b, '二号站'), {
      orderSns: [sns[0]!],
      courier: 'ZTO',
      takeover: { reason: '接管' },
    });
    expect(taken[0]).toMatchObject({ status: 'issued', takenOver: true });
    expect(recorded).toEqual([['ZTO', takenNo]]);
    await ok(h, 'DELETE', `/v1/factory/stations/${a.stationId}`, { token: factory.token });
    await issueWaybills(ctx, courier, caller(b, '二号站'), { orderSns: [sns[1]!], courier: 'ZTO' });
    expect(recorded).toEqual([
      ['ZTO', takenNo],
      ['ZTO', revokedNo],
    ]);
  });
});

describeEachDb('station claims: POST /v1/station/mutations', ({ hub }) => {
  it('the station that lost an order to a takeover has its return rejected taken_over with intercept; never applied', async () => {
    const h = hub();
    const { a, b, sns } = await twoStations(h, 1);
    const sn = sns[0]!;
    const [oldNo] = await issueNumbers(h, a, sns);
    const newNo = issuedNo((await takeOver(h, b, sns, '接管')).results[0]!);
    const clientA = newClientId();
    const late = await push(h, a, clientA, [returned(1, sn, oldNo!), cancelled(2, sn, oldNo!)]);
    expect(late.status).toBe(200);
    expect(late.body.results).toEqual([
      {
        id: 1,
        status: 'rejected',
        reason: 'taken_over',
        message: '此单已被其他打印站接管，请拦截该包裹',
        intercept: true,
      },
      { id: 2, status: 'rejected', reason: 'taken_over', message: '此单已被其他打印站接管', intercept: false },
    ]);
    // a cannot return or cancel b's number either.
    const stray = await push(h, a, clientA, [returned(3, sn, newNo), cancelled(4, sn, newNo)]);
    expect(stray.body.results.map((r) => (r.status === 'rejected' ? [r.reason, r.intercept] : r.status))).toEqual([
      ['taken_over', true],
      ['taken_over', false],
    ]);
    expect((await waybillRows(h, sns)).map((r) => [r.waybill_no, r.status])).toEqual([
      [oldNo, 'cancelled'],
      [newNo, 'issued'],
    ]);
    // The holder returns its own: applied. Afterwards a's return of it is still not applied.
    const clientB = newClientId();
    expect((await push(h, b, clientB, [returned(1, sn, newNo)])).body.results).toEqual([{ id: 1, status: 'applied' }]);
    const afterReturn = await push(h, a, clientA, [returned(5, sn, newNo), cancelled(6, sn, newNo)]);
    expect(afterReturn.body.results.map((r) => (r.status === 'rejected' ? [r.reason, r.intercept] : r.status))).toEqual(
      [
        ['taken_over', true],
        ['taken_over', false],
      ],
    );
    const row = await h.db.selectFrom('waybills').selectAll().where('waybill_no', '=', newNo).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'returned', returned_station_id: b.stationId, station_id: b.stationId });
  });

  it('a return or cancel of a number another station holds is rejected taken_over, and the number stays as it was', async () => {
    const h = hub();
    const { a, b, sns } = await twoStations(h, 2);
    const numbers = await issueNumbers(h, a, sns);
    const r = await push(h, b, newClientId(), [returned(1, sns[0]!, numbers[0]!), cancelled(2, sns[1]!, numbers[1]!)]);
    expect(r.body.results).toEqual([
      {
        id: 1,
        status: 'rejected',
        reason: 'taken_over',
        message: '此单已被其他打印站接管，请拦截该包裹',
        intercept: true,
      },
      { id: 2, status: 'rejected', reason: 'taken_over', message: '此单已被其他打印站接管', intercept: false },
    ]);
    expect((await waybillRows(h, sns)).map((w) => [w.status, w.station_id])).toEqual([
      ['issued', a.stationId],
      ['issued', a.stationId],
    ]);
    // The holder's own return and cancel are applied as before.
    const own = await push(h, a, newClientId(), [
      returned(1, sns[0]!, numbers[0]!),
      cancelled(2, sns[1]!, numbers[1]!),
    ]);
    expect(own.body.results.map((x) => x.status)).toEqual(['applied', 'applied']);
  });

  it('label_reprinted is recorded exactly once for the holder, for any station once returned, and the merchant sees every reprint', async () => {
    const h = hub();
    const { merchant, a, b, sns } = await twoStations(h, 3);
    const [sn, other, spare] = sns as [string, string, string];
    const [no, otherNo] = await issueNumbers(h, a, [sn, other]);
    const clientA = newClientId();
    const clientB = newClientId();
    const first = reprinted(1, sn, no!, '碳带用完，面单模糊', '2026-11-27T02:00:00.000Z');
    expect((await push(h, a, clientA, [first])).body.results).toEqual([{ id: 1, status: 'applied' }]);
    // The same mutation again is answered from storage and recorded once.
    expect((await push(h, a, clientA, [first])).body.results).toEqual([{ id: 1, status: 'applied' }]);
    const reprints = () =>
      h.db
        .selectFrom('label_reprints')
        .select(['waybill_no', 'station_id', 'reason', 'printed_at'])
        .where('waybill_no', 'in', [no!, otherNo!])
        .orderBy('id')
        .execute();
    expect(await reprints()).toEqual([
      { waybill_no: no, station_id: a.stationId, reason: '碳带用完，面单模糊', printed_at: '2026-11-27T02:00:00.000Z' },
    ]);

    // b does not hold the issued number: its reprint is a stray label.
    const stray = await push(h, b, clientB, [reprinted(1, sn, no!, '补打')]);
    expect(stray.body.results[0]).toMatchObject({ status: 'rejected', reason: 'taken_over', intercept: true });
    // Returned: any station of the factory may reprint it.
    expect((await push(h, a, clientA, [returned(2, sn, no!)])).body.results[0]!.status).toBe('applied');
    const late = await push(h, b, clientB, [reprinted(2, sn, no!, '包裹面单破损，补打', '2026-11-27T03:00:00.000Z')]);
    expect(late.body.results).toEqual([{ id: 2, status: 'applied' }]);

    // Not this order's number, a cancelled number, another factory's order: rejected, nothing recorded.
    const foreign = await allocatedOrders(h, 1);
    const [foreignNo] = await issueNumbers(h, foreign.station, foreign.sns);
    await push(h, a, clientA, [cancelled(3, other, otherNo!)]);
    const bad = await push(h, a, clientA, [
      reprinted(4, spare, no!, '补打'),
      reprinted(5, other, otherNo!, '补打'),
      reprinted(6, foreign.sns[0]!, foreignNo!, '补打'),
    ]);
    expect(bad.body.results.map((r) => (r.status === 'rejected' ? r.reason : r.status))).toEqual([
      'waybill_not_current',
      'waybill_not_current',
      'not_allocated',
    ]);
    expect((await reprints()).length).toBe(2);

    const d = await detail(h, merchant, sn);
    expect(d.reprints).toEqual([
      { waybillNo: no, stationName: '打印站1', reason: '碳带用完，面单模糊', printedAt: '2026-11-27T02:00:00.000Z' },
      { waybillNo: no, stationName: '二号站', reason: '包裹面单破损，补打', printedAt: '2026-11-27T03:00:00.000Z' },
    ]);
    expect((await detail(h, merchant, other)).reprints).toEqual([]);
  });

  it('a reprint needs a reason of 1 to 200 characters that is not blank, and an ISO time', async () => {
    const h = hub();
    const { a, sns } = await twoStations(h, 1);
    const [no] = await issueNumbers(h, a, sns);
    const clientId = newClientId();
    for (const m of [
      reprinted(1, sns[0]!, no!, ''),
      reprinted(1, sns[0]!, no!, '  \t '),
      reprinted(1, sns[0]!, no!, 'x'.repeat(201)),
      reprinted(1, sns[0]!, no!, '补打', 'yesterday'),
      { ...reprinted(1, sns[0]!, no!, '补打'), copies: 2 },
    ]) {
      const res = await push(h, a, clientId, [m as never]);
      expect(res.status, JSON.stringify(m)).toBe(400);
    }
    const okRes = await push(h, a, clientId, [reprinted(1, sns[0]!, no!, '  补打  ')]);
    expect(okRes.body.results).toEqual([{ id: 1, status: 'applied' }]);
    const row = await h.db
      .selectFrom('label_reprints')
      .select('reason')
      .where('waybill_no', '=', no!)
      .executeTakeFirstOrThrow();
    expect(row.reason).toBe('补打');
  });
});
