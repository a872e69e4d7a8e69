/** Review probe: odd values that pass the schemas' shape (dates, ids, cursors) never get a 5xx. */
import { expect, it } from 'vitest';
import { call, createMerchant, describeEachDb } from './support/hub.ts';
import { allocatedOrders, newClientId, returnAddress } from './flow-support.ts';

describeEachDb('review probes: odd input never 5xx', ({ hub }) => {
  it('odd values', async () => {
    const h = hub();
    const { station, sns, merchant, factory } = await allocatedOrders(h, 1);
    const m2 = await createMerchant(h);
    const ra = await returnAddress(h, merchant);
    const big = '99999999999999999999';
    const cases: Array<[string, string, string, unknown?, Record<string, string>?]> = [
      [
        'POST',
        '/v1/merchant/statements',
        merchant.token,
        { factoryShopId: factory.shopId, from: '2026-02-30T00:00:00Z', to: '2026-03-31T00:00:00Z' },
      ],
      [
        'POST',
        '/v1/merchant/statements',
        merchant.token,
        { factoryShopId: factory.shopId, from: '0000-01-01T00:00:00Z', to: '9999-12-31T23:59:59Z' },
      ],
      [
        'POST',
        '/v1/merchant/statements',
        merchant.token,
        { factoryShopId: factory.shopId, from: '2026-01-01T00:00:00+14:00', to: '2026-01-01T00:00:00-12:00' },
      ],
      ['GET', `/v1/merchant/statements/${big}`, merchant.token],
      ['GET', `/v1/merchant/statements/${big}/download`, merchant.token, undefined, { format: 'csv' }],
      ['GET', `/v1/merchant/statements/1/download`, merchant.token, undefined, { format: 'pdf' }],
      ['PUT', `/v1/merchant/return-addresses/${big}`, merchant.token, { name: 'a', phone: '1', address: 'b' }],
      ['DELETE', `/v1/merchant/return-addresses/${big}`, merchant.token],
      ['DELETE', `/v1/merchant/return-addresses/${ra}`, m2.token],
      ['GET', '/v1/factory/prices', factory.token, undefined, { merchantShopId: big }],
      ['PUT', '/v1/factory/prices', factory.token, [{ merchantShopId: 2147483647, skuId: 'x', priceFen: 1 }]],
      ['POST', '/v1/merchant/shipments', merchant.token, { orderSns: sns, returnAddressId: 2147483647 }],
      ['POST', '/v1/merchant/shipments', merchant.token, { orderSns: sns, returnAddressId: 1e20 }],
      ['POST', '/v1/merchant/shipments', merchant.token, { orderSns: [], returnAddressId: ra }],
      [
        'POST',
        '/v1/station/mutations',
        station.token,
        {
          clientId: newClientId(),
          mutations: [
            {
              id: 1,
              type: 'waybill_returned',
              orderSn: sns[0],
              waybillNo: 'ZZZZZZ',
              printedAt: '2026-11-27T25:00:00Z',
            },
          ],
        },
      ],
      [
        'POST',
        '/v1/station/mutations',
        station.token,
        {
          clientId: newClientId(),
          mutations: [
            {
              id: 1e300,
              type: 'waybill_returned',
              orderSn: sns[0],
              waybillNo: 'ZZZZZZ',
              printedAt: '2026-11-27T10:00:00Z',
            },
          ],
        },
      ],
      [
        'POST',
        '/v1/station/mutations',
        station.token,
        {
          clientId: newClientId(),
          mutations: [
            {
              id: 1,
              type: 'waybill_returned',
              orderSn: 'nope',
              waybillNo: 'ZZZZZZ',
              printedAt: '2026-11-27T10:00:00Z',
            },
          ],
        },
      ],
      [
        'POST',
        '/v1/station/mutations',
        station.token,
        {
          clientId: newClientId(),
          mutations: [
            {
              id: 2147483648,
              type: 'waybill_returned',
              orderSn: 'nope',
              waybillNo: 'ZZZZZZ',
              printedAt: '2026-11-27T10:00:00Z',
            },
          ],
        },
      ],
      ['POST', '/v1/station/waybills', station.token, { orderSns: [sns[0], sns[0], 'nope'], courier: 'ZTO' }],
      ['GET', '/v1/station/feed', station.token, undefined, { cursor: '\u0000' }],
      ['GET', '/v1/station/feed', station.token, undefined, { cursor: '-1' }],
      ['GET', '/v1/station/feed', station.token, undefined, { cursor: big }],
      ['GET', '/v1/station/feed', station.token, undefined, { cursor: '1e400' }],
      ['GET', '/v1/merchant/orders', merchant.token, undefined, { limit: big }],
      ['GET', '/v1/merchant/orders', merchant.token, undefined, { cursor: big }],
    ];
    const bad: string[] = [];
    for (const [method, path, token, body, query] of cases) {
      const r = await call(h, method, path, { token, body, query });
      if (r.status >= 500)
        bad.push(`${method} ${path} ${JSON.stringify(body ?? query)} → ${r.status} ${JSON.stringify(r.body)}`);
    }
    expect(bad).toEqual([]);
  });
});
