/**
 * Review probe (D1): a factory's incremental feed must equal what a reset gives it. Shipping changes the
 * order's status, which every factory that ever had the order sees in its snapshot, not only the current one.
 */
import { expect, it } from 'vitest';
import {
  allocate,
  bindAndAccept,
  cancelAllocation,
  createFactory,
  createMerchant,
  createOrders,
  describeEachDb,
  merchantWithTwoFactories,
  pairStation,
  pullAll,
  setRole,
} from './support/hub.ts';
import { issueAndReturn, returnAddress, ship } from './flow-support.ts';
import type { FactoryOrderSnapshot } from '../../shared/api/orders.ts';

describeEachDb('review: feed after shipping an order that an earlier factory also had', ({ hub }) => {
  it('the earlier factory’s incremental view equals its reset view', async () => {
    const h = hub();
    const { merchant, x, y, stX, stY } = await merchantWithTwoFactories(h);
    const [sn] = await createOrders(h, merchant, 1);
    await allocate(h, merchant, x.shopId, [sn!]);
    await cancelAllocation(h, merchant, [sn!]);
    await allocate(h, merchant, y.shopId, [sn!]);
    await issueAndReturn(h, stY, [sn!]);
    const before = await pullAll(h, stX);
    const r = await ship(h, merchant, [sn!], await returnAddress(h, merchant));
    expect(r.body.results[0]).toMatchObject({ status: 'shipped' });

    const view = (pages: { changes: FactoryOrderSnapshot[] }[], base = new Map<string, FactoryOrderSnapshot>()) => {
      for (const p of pages) for (const c of p.changes) base.set(c.orderSn, c);
      return base;
    };
    const incremental = view((await pullAll(h, stX, before.cursor)).pages, view(before.pages));
    const reset = view((await pullAll(h, stX)).pages);
    const strip = (m: Map<string, FactoryOrderSnapshot>) => [...m.values()].map(({ version: _v, ...rest }) => rest);
    expect(strip(incremental)).toEqual(strip(reset));
    expect(reset.get(sn!)?.status).toBe('shipped');
  });
});

describeEachDb('review: feed after the merchant updates its profile (shown in every snapshot)', ({ hub }) => {
  it('the factory’s incremental view equals its reset view', async () => {
    const h = hub();
    const merchant = await createMerchant(h);
    const x = await createFactory(h);
    await bindAndAccept(h, merchant, x);
    const st = await pairStation(h, x);
    const sns = await createOrders(h, merchant, 3);
    await allocate(h, merchant, x.shopId, sns);
    const before = await pullAll(h, st);
    await setRole(h, merchant, {
      role: 'merchant',
      displayName: '新店名',
      shipper: { name: '赵发货', phone: '13700002222', address: '广东省广州市白云区新仓库 1 号' },
    });
    const view = (pages: { changes: FactoryOrderSnapshot[] }[], base = new Map<string, FactoryOrderSnapshot>()) => {
      for (const p of pages) for (const c of p.changes) base.set(c.orderSn, c);
      return base;
    };
    const incremental = view((await pullAll(h, st, before.cursor)).pages, view(before.pages));
    const reset = view((await pullAll(h, st)).pages);
    const strip = (m: Map<string, FactoryOrderSnapshot>) => [...m.values()].map(({ version: _v, ...rest }) => rest);
    expect(strip(incremental)).toEqual(strip(reset));
    expect(reset.get(sns[0]!)?.merchantDisplayName).toBe('新店名');
    // Setting the same profile again changes nothing the factory sees: no new feed entries.
    const cur = (await pullAll(h, st, before.cursor)).cursor;
    await setRole(h, merchant, {
      role: 'merchant',
      displayName: '新店名',
      shipper: { name: '赵发货', phone: '13700002222', address: '广东省广州市白云区新仓库 1 号' },
    });
    expect((await pullAll(h, st, cur)).pages.flatMap((p) => p.changes)).toEqual([]);
  });
});
