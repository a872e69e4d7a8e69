/** D4: the guard's batch check. */
import { expect, it } from 'vitest';
import {
  allocate,
  bindAndAccept,
  boundPair,
  call,
  check,
  createFactory,
  createMerchant,
  createOrders,
  describeEachDb,
  pairStation,
  platformEvent,
  pullAll,
} from '../support/hub.ts';

describeEachDb('D4 guard check', ({ hub }) => {
  it('returns printability and version per order, in request order', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const [ok1, held, cancelled] = await createOrders(h, merchant, 3);
    await allocate(h, merchant, factory.shopId, [ok1!, held!, cancelled!]);
    await platformEvent(h, cancelled!, { type: 'cancelled' });
    const { pages } = await pullAll(h, station);
    const versions = new Map(pages.flatMap((p) => p.changes).map((c) => [c.orderSn, c.version]));
    await platformEvent(h, held!, { type: 'audit_hold' });

    const r = await check(h, station, [cancelled!, held!, ok1!, ok1!]);
    expect(r.results).toEqual([
      {
        orderSn: cancelled,
        printable: false,
        reason: 'order_cancelled',
        version: versions.get(cancelled!),
        addressVersion: 1,
        claim: null,
      },
      {
        orderSn: held,
        printable: false,
        // Auto-unallocated by the audit hold (M3): the guard names the live cause.
        reason: 'audit_hold',
        version: expect.any(Number),
        addressVersion: 1,
        claim: null,
      },
      { orderSn: ok1, printable: true, reason: null, version: versions.get(ok1!), addressVersion: 1, claim: null },
      { orderSn: ok1, printable: true, reason: null, version: versions.get(ok1!), addressVersion: 1, claim: null },
    ]);
    // The held order changed after the pull: its version moved on, so the station knows its copy is stale.
    expect(r.results[1]!.version).toBeGreaterThan(versions.get(held!)!);
  });

  it('anything not allocated to this factory is not_allocated and tells nothing about it', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const otherMerchant = await createMerchant(h);
    const otherFactory = await createFactory(h);
    await bindAndAccept(h, otherMerchant, otherFactory);
    const [mineUnallocated] = await createOrders(h, merchant, 1);
    const [foreign, foreignHeld] = await createOrders(h, otherMerchant, 2);
    await allocate(h, otherMerchant, otherFactory.shopId, [foreign!, foreignHeld!]);
    await platformEvent(h, foreignHeld!, {
      type: 'address_changed',
      recipient: { name: 'a', phone: '1', province: '', city: '', district: '', detail: 'x' },
    });
    const r = await check(h, station, [mineUnallocated!, foreign!, foreignHeld!, 'DOES-NOT-EXIST']);
    for (const x of r.results) {
      expect(x).toEqual({
        orderSn: x.orderSn,
        printable: false,
        reason: 'not_allocated',
        version: 0,
        addressVersion: 0,
        claim: null,
      });
    }
    // The other factory's own station sees them.
    const theirs = await pairStation(h, otherFactory);
    expect((await check(h, theirs, [foreign!])).results[0]!.printable).toBe(true);
    void factory;
  });

  it('takes 1 to 1,000 sns; more, none or malformed is a 400', async () => {
    const h = hub();
    const { merchant, factory, station } = await boundPair(h);
    const sns = await createOrders(h, merchant, 1000);
    await allocate(h, merchant, factory.shopId, sns);
    const t0 = performance.now();
    const r = await check(h, station, sns);
    const ms = performance.now() - t0;
    expect(r.results).toHaveLength(1000);
    expect(r.results.every((x) => x.printable)).toBe(true);
    console.log(`[${h.dialect}] check of 1000 orders: ${ms.toFixed(1)} ms`);
    for (const body of [
      { orderSns: [...sns, 'X'] },
      { orderSns: [] },
      { orderSns: 'A' },
      { orderSns: [1] },
      {},
      { orderSns: ['A'], extra: 1 },
    ]) {
      const bad = await call(h, 'POST', '/v1/station/check', { token: station.token, body });
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_ERROR');
    }
  });
});
