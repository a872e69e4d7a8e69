/**
 * The station feed does not grow forever: finished orders below the horizon (the factory's version
 * a retention period ago) leave it, `min_version` rises to the horizon, and a station whose cursor
 * is older gets a reset with only the orders that still matter.
 */
import { expect, it } from 'vitest';
import { compactFeeds } from '../../../server/stations/feed-compaction.ts';
import {
  allocate,
  cancelAllocation,
  describeEachDb,
  feed,
  hubContext,
  ok,
  pairStation,
  platformEvent,
  pullAll,
  type TestHub,
} from '../support/hub.ts';
import { allocatedOrders, issueAndReturn, issueNumbers, returnAddress, ship } from '../support/scenarios.ts';

const DAY = 86_400_000;
const RETENTION = 30 * DAY;

async function feedRows(h: TestHub, factoryShopId: number) {
  const rows = await h.db
    .selectFrom('feed_entries')
    .innerJoin('orders', 'orders.id', 'feed_entries.order_id')
    .select('orders.sn')
    .where('feed_entries.factory_shop_id', '=', factoryShopId)
    .orderBy('orders.sn')
    .execute();
  return rows.map((r) => r.sn);
}

describeEachDb('feed compaction', ({ hub }) => {
  it('orders finished before the horizon leave the feed; a station behind it is reset to what still matters', async () => {
    const h = hub();
    h.clock.set(new Date('2026-01-01T00:00:00Z'));
    // shipped, cancelled by the merchant, still allocated, number issued and not returned, shipped later.
    const { merchant, factory, station, sns } = await allocatedOrders(h, 5);
    const [shipped, unallocated, live, printing, late] = sns as [string, string, string, string, string];
    const addr = await returnAddress(h, merchant);
    const { cursor: oldCursor } = await pullAll(h, station);
    await issueAndReturn(h, station, [shipped, late]);
    await ship(h, merchant, [shipped], addr);
    await cancelAllocation(h, merchant, [unallocated]);
    await issueNumbers(h, station, [printing]);

    expect(await compactFeeds(hubContext(h), RETENTION)).toEqual({ factories: 0, removed: 0 }); // a checkpoint, no horizon yet
    h.clock.set(new Date('2026-02-05T00:00:00Z'));
    await ship(h, merchant, [late], addr); // after the checkpoint: above the horizon
    const { cursor: recentCursor } = await pullAll(h, station, oldCursor);
    const before = await feedRows(h, factory.shopId);
    expect(before).toHaveLength(5);

    const result = await compactFeeds(hubContext(h), RETENTION);
    expect(result.removed).toBeGreaterThanOrEqual(2);
    expect(await feedRows(h, factory.shopId)).toEqual([late, live, printing].sort());

    // Behind the horizon: a reset, then only the orders still in the feed.
    const behind = await pullAll(h, station, oldCursor);
    expect(behind.pages[0]!.reset).toBe(true);
    expect(behind.pages.flatMap((p) => p.changes.map((c) => c.orderSn)).sort()).toEqual([late, live, printing].sort());
    // Up to date: nothing to pull, no reset.
    const current = await pullAll(h, station, recentCursor);
    expect(current.pages.map((p) => [p.reset, p.changes.length])).toEqual([[false, 0]]);
    // The factory's own order list still has every order it ever had.
    const listed = await ok(h, 'GET', '/v1/factory/orders', { token: factory.token });
    expect(listed.orders.map((o: { orderSn: string }) => o.orderSn).sort()).toEqual([...sns].sort());

    // An order that comes back is in the feed again, for every station.
    await allocate(h, merchant, factory.shopId, [unallocated]);
    const again = await pullAll(h, station, recentCursor);
    expect(again.pages.flatMap((p) => p.changes.map((c) => [c.orderSn, c.printable]))).toEqual([[unallocated, true]]);
    // A later after-sale on the compacted shipped order is recorded without reaching the feed.
    await platformEvent(h, shipped, { type: 'after_sale_opened' });
    const fresh = await pairStation(h, factory, '新打印站');
    const all = (await pullAll(h, fresh)).pages.flatMap((p) => p.changes.map((c) => c.orderSn));
    expect(all.sort()).toEqual([late, live, printing, unallocated].sort());

    // Compacting again moves nothing until another retention period has passed.
    expect(await compactFeeds(hubContext(h), RETENTION)).toEqual({ factories: 0, removed: 0 });
  });

  it('a reset longer than one page ends, though the orders it carries are older than the horizon; then the station is caught up', async () => {
    const h = hub();
    // Eleven orders waiting to be printed since long ago, and one finished just now: the horizon moves
    // past all of them, and compaction removes only the finished one.
    const { merchant, factory, sns } = await allocatedOrders(h, 12);
    const [done, ...waiting] = sns as [string, ...string[]];
    const printer = await pairStation(h, factory, '取号站');
    await issueAndReturn(h, printer, [done]);
    await ship(h, merchant, [done], await returnAddress(h, merchant));
    await compactFeeds(hubContext(h), 0);
    expect(await feedRows(h, factory.shopId)).toEqual([...waiting].sort());

    const station = await pairStation(h, factory, '新打印站');
    const seen = new Set<string>();
    const pages: Array<[boolean, number, boolean]> = [];
    let cursor: string | undefined;
    for (let more = true; more;) {
      const page = await feed(h, station, cursor, 5);
      pages.push([page.reset, page.changes.length, page.hasMore]);
      for (const c of page.changes) seen.add(c.orderSn);
      cursor = page.cursor;
      more = page.hasMore;
      if (pages.length > 10) throw new Error(`the reset never ends: ${JSON.stringify(pages)}`);
    }
    // One reset, then its later pages continue it below the horizon.
    expect(pages).toEqual([
      [true, 5, true],
      [false, 5, true],
      [false, 1, false],
    ]);
    expect([...seen].sort()).toEqual([...waiting].sort());
    // Read to the end, the station is caught up: its next pull is no reset, and empty.
    const next = await feed(h, station, cursor, 5);
    expect([next.reset, next.changes.length]).toEqual([false, 0]);
  });
});
