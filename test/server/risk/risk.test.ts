/**
 * GET /v1/merchant/risk (M9): orders returned late or still not returned past the threshold,
 * orders that turned abnormal while a label was out (intercepted after printing), each with its
 * time and station; reprints and takeovers from the stations' records.
 */
import { expect, it } from 'vitest';
import type { RiskResponse } from '../../../shared/api/risk.ts';
import {
  allocatedOrders,
  issueAndReturn,
  issueNumbers,
  newClientId,
  push,
  reprinted,
  setClock,
  takeOver,
} from '../support/scenarios.ts';
import {
  allocate,
  boundPair,
  call,
  createOrders,
  describeEachDb,
  ok,
  pairStation,
  platformEvent,
  type TestHub,
  type TestShop,
} from '../support/hub.ts';

const HOUR = 3600_000;

async function risk(
  h: TestHub,
  merchant: TestShop,
  query: Record<string, string | number> = {},
): Promise<RiskResponse> {
  return ok<RiskResponse>(h, 'GET', '/v1/merchant/risk', { token: merchant.token, query });
}

async function later(h: TestHub, ms: number): Promise<void> {
  await setClock(h, new Date(h.clock.now().getTime() + ms));
}

describeEachDb('merchant risk', ({ hub }) => {
  it('late returns: after the threshold from allocation, returned or still not; a prompt one is not listed', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const [prompt, slow, waiting] = await createOrders(h, merchant, 3);
    await allocate(h, merchant, factory.shopId, [prompt!, slow!, waiting!]);
    await later(h, 2 * HOUR);
    await issueAndReturn(h, station, [prompt!]);
    await later(h, 24 * HOUR);
    const [slowNo] = await issueAndReturn(h, station, [slow!]);

    const r = await risk(h, merchant);
    expect(r.lateHours).toBe(24);
    const bySn = new Map(r.lateReturns.map((x) => [x.orderSn, x]));
    expect(bySn.has(prompt!)).toBe(false);
    expect(bySn.get(slow!)).toMatchObject({
      factoryShopId: factory.shopId,
      waybillNo: slowNo,
      stationId: station.stationId,
      stationName: '打印站1',
    });
    expect(bySn.get(slow!)!.hours).toBeGreaterThanOrEqual(26);
    expect(bySn.get(slow!)!.returnedAt).not.toBeNull();
    expect(bySn.get(waiting!)).toMatchObject({ returnedAt: null, waybillNo: null, stationId: null });
    expect(r.lateReturns.every((x) => x.factoryName.length > 0)).toBe(true);

    // The threshold is configurable per request: at 48 hours nothing here is late.
    expect((await risk(h, merchant, { lateHours: 48 })).lateReturns.map((x) => x.orderSn)).not.toContain(slow);
  });

  it('intercepted after printing: a change while the label was out, not one after the return', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const [afterSale, moved, safe] = await createOrders(h, merchant, 3);
    await allocate(h, merchant, factory.shopId, [afterSale!, moved!, safe!]);
    const [n1, n2] = await issueNumbers(h, station, [afterSale!, moved!]);
    await issueAndReturn(h, station, [safe!]);
    await later(h, 60_000);
    await platformEvent(h, afterSale!, { type: 'after_sale_opened' });
    await platformEvent(h, moved!, {
      type: 'address_changed',
      recipient: {
        name: '新收件人',
        phone: '13900000000',
        province: '浙江省',
        city: '杭州市',
        district: '西湖区',
        detail: '新地址1号',
      },
    });
    await platformEvent(h, safe!, { type: 'after_sale_opened' }); // returned before: handled offline, not an intercept

    const r = await risk(h, merchant);
    const got = r.interceptedAfterPrinting.map((x) => [x.orderSn, x.waybillNo, x.event]);
    expect(got).toEqual(
      expect.arrayContaining([
        [afterSale, n1, 'after_sale_opened'],
        [moved, n2, 'address_changed'],
      ]),
    );
    expect(r.interceptedAfterPrinting.filter((x) => x.orderSn === safe)).toEqual([]);
    expect(r.interceptedAfterPrinting.every((x) => x.factoryName !== '' && x.at !== '')).toBe(true);
    // The station whose label went stale: the one holding the number's claim.
    expect(
      r.interceptedAfterPrinting.every((x) => x.stationId === station.stationId && x.stationName === '打印站1'),
    ).toBe(true);
  });

  it('reprints and takeovers, each with its time, station and reason', async () => {
    const h = hub();
    const { merchant, factory, station, sns } = await allocatedOrders(h, 2);
    const second = await pairStation(h, factory, '二号站');
    const [no] = await issueNumbers(h, station, [sns[0]!]);
    const printedAt = new Date(h.clock.now().getTime() - 60_000).toISOString();
    const pushed = await push(h, station, newClientId(), [reprinted(1, sns[0]!, no!, '碳带用完，面单模糊', printedAt)]);
    expect(pushed.body.results).toEqual([{ id: 1, status: 'applied' }]);
    const [oldNo] = await issueNumbers(h, station, [sns[1]!]);
    const taken = await takeOver(h, second, [sns[1]!], '一号站卡纸');
    const newNo = taken.results[0]!.status === 'issued' ? taken.results[0]!.waybillNo : '';

    const r = await risk(h, merchant);
    expect(r.reprints).toEqual([
      {
        orderSn: sns[0],
        factoryShopId: factory.shopId,
        factoryName: expect.any(String),
        waybillNo: no,
        reason: '碳带用完，面单模糊',
        at: printedAt,
        stationId: station.stationId,
        stationName: '打印站1',
      },
    ]);
    expect(r.takeovers).toEqual([
      {
        orderSn: sns[1],
        factoryShopId: factory.shopId,
        factoryName: expect.any(String),
        kind: 'takeover',
        oldWaybillNo: oldNo,
        newWaybillNo: newNo,
        reason: '一号站卡纸',
        at: expect.any(String),
        stationId: second.stationId,
        stationName: '二号站',
        fromStationId: station.stationId,
        fromStationName: '打印站1',
      },
    ]);
    // Another merchant sees none of it.
    const other = await boundPair(h);
    const theirs = await risk(h, other.merchant);
    expect([...theirs.reprints, ...theirs.takeovers]).toEqual([]);
  });

  it('only merchants ask, each about its own orders; a bad threshold is a 400', async () => {
    const h = hub();
    const { merchant, factory } = await boundPair(h);
    const other = await boundPair(h);
    const [sn] = await createOrders(h, merchant, 1);
    await allocate(h, merchant, factory.shopId, [sn!]);
    await later(h, 30 * HOUR);
    expect((await risk(h, merchant)).lateReturns.map((x) => x.orderSn)).toContain(sn);
    expect((await risk(h, other.merchant)).lateReturns.map((x) => x.orderSn)).not.toContain(sn);
    expect((await call(h, 'GET', '/v1/merchant/risk', { token: factory.token })).status).toBe(403);
    expect((await call(h, 'GET', '/v1/merchant/risk', { token: merchant.token, query: { lateHours: 0 } })).status).toBe(
      400,
    );
  });
});
