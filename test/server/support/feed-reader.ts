/**
 * The two sides the feed suites compare: the hub's view of a factory's orders (its order list, every
 * page) and a station's view built from the feed exactly as the station's sync engine builds it.
 */
import { expect } from 'vitest';
import type { FeedResponse } from '../../../shared/api/stations.ts';
import type { FactoryOrderSnapshot, FactoryOrdersResponse } from '../../../shared/api/orders.ts';
import { ok, type TestHub, type TestShop, type TestStation } from './hub.ts';

/** Every page of a list endpoint that pages with `nextCursor`. */
export async function factoryView(h: TestHub, factory: TestShop): Promise<Map<string, FactoryOrderSnapshot>> {
  const out = new Map<string, FactoryOrderSnapshot>();
  let cursor: string | undefined;
  do {
    const page = await ok<FactoryOrdersResponse>(h, 'GET', '/v1/factory/orders', {
      token: factory.token,
      query: { limit: 7, cursor },
    });
    for (const o of page.orders) out.set(o.orderSn, o);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

/** The station side: a cache and a cursor, updated exactly as the station's sync engine must. */
export class FeedReader {
  readonly view = new Map<string, FactoryOrderSnapshot>();
  cursor: string | undefined;
  pulls = 0;
  resets = 0;
  changes = 0;
  private readonly h: TestHub;
  private readonly station: TestStation;
  constructor(h: TestHub, station: TestStation) {
    this.h = h;
    this.station = station;
  }

  async pull(limit: number, cursor = this.cursor): Promise<FeedResponse> {
    const page = await ok<FeedResponse>(this.h, 'GET', '/v1/station/feed', {
      token: this.station.token,
      query: { cursor, limit },
    });
    this.pulls++;
    expect(page.changes.length).toBeLessThanOrEqual(limit);
    if (page.reset) {
      this.resets++;
      this.view.clear();
    }
    // Within a page, versions rise strictly; an incremental page only has versions past the cursor.
    const from = !page.reset && cursor ? Number(/\.v(\d+)/.exec(cursor)?.[1] ?? -1) : 0;
    let last = from;
    for (const c of page.changes) {
      expect(c.version, `feed order at ${c.orderSn}`).toBeGreaterThan(last);
      last = c.version;
      const prev = this.view.get(c.orderSn);
      if (prev) expect(c.version).toBeGreaterThan(prev.version);
      this.view.set(c.orderSn, c);
      this.changes++;
    }
    this.cursor = page.cursor;
    return page;
  }

  /** Pulls until the feed has no more; a feed that never ends (a reset starting over) fails, not hangs. */
  async drain(limit: number, maxPages = 1_000): Promise<void> {
    for (let n = 1; (await this.pull(limit)).hasMore; n++) {
      if (n >= maxPages) throw new Error(`the feed did not end after ${n} pages of ${limit} (cursor ${this.cursor})`);
    }
  }
}
