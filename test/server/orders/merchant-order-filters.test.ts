/**
 * The merchant's order list as the console filters it: by stage of the seed's flow (待分配, 已分配,
 * 已取号, 已回传, 已发货, 售后中, 审核中), by placing date, goods/SKU, factory and sn, newest first,
 * paged — and the stage each order shows (shared orderStage()) agrees with the filter.
 */
import { expect, it } from 'vitest';
import type { MerchantOrdersResponse } from '../../../shared/api/orders.ts';
import { orderStage, type OrderStage } from '../../../shared/domain/stages.ts';
import { issueAndReturn, issueNumbers, returnAddress, ship } from '../support/scenarios.ts';
import {
  allocate,
  bindAndAccept,
  call,
  createFactory,
  createMerchant,
  createOrders,
  describeEachDb,
  makeOrder,
  ok,
  pairStation,
  platformEvent,
  type TestHub,
  type TestShop,
} from '../support/hub.ts';

async function list(h: TestHub, m: TestShop, query: Record<string, string | number>): Promise<string[]> {
  const r = await ok<MerchantOrdersResponse>(h, 'GET', '/v1/merchant/orders', {
    token: m.token,
    query: { limit: 1000, ...query },
  });
  return r.orders.map((o) => o.sn);
}

describeEachDb('merchant order filters', ({ hub }) => {
  it('each stage filter finds exactly the orders in that stage, and orderStage() names them the same', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const factory = await createFactory(h);
    await bindAndAccept(h, merchant, factory);
    const station = await pairStation(h, factory);
    const [fresh, allocated, issued, returned, shipped, afterSale, audit] = await createOrders(h, merchant, 7);
    await allocate(h, merchant, factory.shopId, [allocated!, issued!, returned!, shipped!]);
    await issueNumbers(h, station, [issued!]);
    await issueAndReturn(h, station, [returned!, shipped!]);
    const ra = await returnAddress(h, merchant);
    expect((await ship(h, merchant, [shipped!], ra)).status).toBe(200);
    await platformEvent(h, afterSale!, { type: 'after_sale_opened' });
    await platformEvent(h, audit!, { type: 'audit_hold' });

    const expected: Record<OrderStage, string[]> = {
      unallocated: [audit!, afterSale!, fresh!],
      allocated: [allocated!],
      waybill_issued: [issued!],
      waybill_returned: [returned!],
      shipped: [shipped!],
      after_sale: [afterSale!],
      audit_hold: [audit!],
    };
    for (const [stage, sns] of Object.entries(expected)) {
      expect(await list(h, merchant, { stage, order: 'desc' }), stage).toEqual(sns);
    }
    const all = await ok<MerchantOrdersResponse>(h, 'GET', '/v1/merchant/orders', { token: merchant.token });
    const shown = Object.fromEntries(all.orders.map((o) => [o.sn, orderStage(o)]));
    expect(shown).toEqual({
      [fresh!]: 'unallocated',
      [allocated!]: 'allocated',
      [issued!]: 'waybill_issued',
      [returned!]: 'waybill_returned',
      [shipped!]: 'shipped',
      [afterSale!]: 'after_sale',
      [audit!]: 'audit_hold',
    });
  });

  it('date, goods/SKU, factory and sn filters; newest first with a cursor', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const x = await createFactory(h);
    const y = await createFactory(h);
    await bindAndAccept(h, merchant, x);
    await bindAndAccept(h, merchant, y);
    const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}T04:00:00.000Z`;
    const orders = [
      makeOrder({
        createdAt: day(20),
        items: [{ goodsId: 'G1', skuId: 'MUG-BLUE', goodsName: '保温杯 100%_不锈钢', spec: '蓝', quantity: 1 }],
      }),
      makeOrder({ createdAt: day(21) }),
      makeOrder({ createdAt: day(22) }),
      makeOrder({ createdAt: day(23) }),
    ];
    const sns = await createOrders(h, merchant, orders);
    await allocate(h, merchant, x.shopId, [sns[1]!]);
    await allocate(h, merchant, y.shopId, [sns[2]!]);

    expect(await list(h, merchant, { createdFrom: day(21), createdTo: day(23) })).toEqual([sns[1], sns[2]]);
    expect(await list(h, merchant, { goods: '保温杯' })).toEqual([sns[0]]);
    expect(await list(h, merchant, { goods: 'MUG-BLUE' })).toEqual([sns[0]]);
    expect(await list(h, merchant, { goods: '100%_' })).toEqual([sns[0]]); // % and _ are text, not wildcards
    expect(await list(h, merchant, { goods: '杯%' })).toEqual([]);
    expect(await list(h, merchant, { factoryShopId: y.shopId })).toEqual([sns[2]]);
    expect(await list(h, merchant, { sn: sns[3]!.slice(-6) })).toEqual([sns[3]]);

    const first = await ok<MerchantOrdersResponse>(h, 'GET', '/v1/merchant/orders', {
      token: merchant.token,
      query: { order: 'desc', limit: 3 },
    });
    expect(first.orders.map((o) => o.sn)).toEqual([sns[3], sns[2], sns[1]]);
    const second = await ok<MerchantOrdersResponse>(h, 'GET', '/v1/merchant/orders', {
      token: merchant.token,
      query: { order: 'desc', limit: 3, cursor: first.nextCursor! },
    });
    expect(second.orders.map((o) => o.sn)).toEqual([sns[0]]);
    expect(second.nextCursor).toBeNull();

    for (const bad of [{ stage: 'lost' }, { sn: "x'--" }, { goods: 'a\u0001b' }, { createdFrom: 'yesterday' }]) {
      expect((await call(h, 'GET', '/v1/merchant/orders', { token: merchant.token, query: bad })).status).toBe(400);
    }
  });
});
