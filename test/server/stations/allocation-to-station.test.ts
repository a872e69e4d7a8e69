import { expect, it } from 'vitest';
import { allocate, boundPair, call, check, createOrders, describeEachDb, pullAll } from '../support/hub.ts';

describeEachDb('an allocated order reaches the station', ({ hub }) => {
  it('allocates an order and the station sees it in its feed and check', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const sns = await createOrders(h, merchant, 3);
    const res = await allocate(h, merchant, factory.shopId, sns);
    expect(res.results.map((r) => r.result)).toEqual(['allocated', 'allocated', 'allocated']);
    const { pages } = await pullAll(h, station);
    expect(pages[0]!.reset).toBe(true);
    expect(
      pages
        .flatMap((p) => p.changes)
        .map((c) => c.orderSn)
        .sort(),
    ).toEqual([...sns].sort());
    const c = await check(h, station, [...sns, 'NOPE']);
    expect(c.results.map((r) => r.printable)).toEqual([true, true, true, false]);
    const o = await call(h, 'GET', '/v1/openapi.json');
    expect(o.status).toBe(200);
  });
});
