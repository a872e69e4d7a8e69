/**
 * The station feed (D1, DESIGN §4) and the guard check (D4).
 * Each factory's feed is the set of (order, version) entries in feed_entries; an order's entry
 * carries the version of its latest change. A page is `version > cursor` in version order, read
 * in one snapshot, rendered as full masked snapshots from the current rows.
 */
import { printability } from '../../shared/domain/rules.ts';
import type { CheckResult, FactoryOrderSnapshot, FeedResponse } from '../../shared/api/hub.ts';
import type { HubContext } from '../context.ts';
import { factorySnapshot, loadMerchantInfo, loadOrdersById, loadOrdersBySn, orderStateOf } from '../orders/orders.ts';
import { chunks, readTx, type Tx } from '../db/tx.ts';
import { inList } from '../db/sql.ts';

/** Cursor text: "f<factory>.v<version>". Opaque to clients. */
export function formatCursor(factoryShopId: number, version: number): string {
  return `f${factoryShopId}.v${version}`;
}

export function parseCursor(cursor: string | undefined): { factoryShopId: number; version: number } | null {
  const m = cursor ? /^f(\d{1,10})\.v(\d{1,15})$/.exec(cursor) : null;
  return m ? { factoryShopId: Number(m[1]), version: Number(m[2]) } : null;
}

export async function feedPage(
  ctx: HubContext,
  factoryShopId: number,
  cursor: string | undefined,
  limit: number,
): Promise<FeedResponse> {
  return readTx(ctx, async (trx) => {
    const fv = await trx
      .selectFrom('factory_versions')
      .select(['version', 'min_version'])
      .where('factory_shop_id', '=', factoryShopId)
      .executeTakeFirst();
    const head = fv?.version ?? 0;
    const c = parseCursor(cursor);
    // A cursor we cannot serve incrementally: another factory's, from the future (a restored hub),
    // below the retained floor, or garbage. The station clears its cache and takes everything.
    const reset =
      c === null || c.factoryShopId !== factoryShopId || c.version > head || c.version < (fv?.min_version ?? 0);
    const from = reset ? 0 : c.version;

    const entries = await trx
      .selectFrom('feed_entries')
      .select(['order_id', 'version'])
      .where('factory_shop_id', '=', factoryShopId)
      .where('version', '>', from)
      .orderBy('version')
      .limit(limit + 1)
      .execute();
    const page = entries.slice(0, limit);
    const changes = await snapshots(trx, factoryShopId, page);
    const last = page[page.length - 1];
    return {
      reset,
      changes,
      cursor: formatCursor(factoryShopId, last ? last.version : from),
      hasMore: entries.length > limit,
    };
  });
}

async function snapshots(
  trx: Tx,
  factoryShopId: number,
  entries: { order_id: number; version: number }[],
): Promise<FactoryOrderSnapshot[]> {
  const orders = await loadOrdersById(
    trx,
    entries.map((e) => e.order_id),
    { factoryShopId },
  );
  const merchants = await loadMerchantInfo(
    trx,
    [...orders.values()].map((o) => o.row.merchant_shop_id),
  );
  return entries.map((e) => {
    const o = orders.get(e.order_id)!;
    return factorySnapshot(o, factoryShopId, e.version, merchants.get(o.row.merchant_shop_id));
  });
}

/**
 * Orders currently or previously allocated to the factory, by order id (the factory console's list).
 * From the allocations, not the feed: compaction drops finished orders from the feed, not from here.
 */
export async function factoryOrders(
  ctx: HubContext,
  factoryShopId: number,
  afterOrderId: number,
  limit: number,
): Promise<{ orders: FactoryOrderSnapshot[]; nextCursor: string | null }> {
  return readTx(ctx, async (trx) => {
    const ids = await trx
      .selectFrom('allocations')
      .select('order_id')
      .distinct()
      .where('factory_shop_id', '=', factoryShopId)
      .where('order_id', '>', afterOrderId)
      .orderBy('order_id')
      .limit(limit + 1)
      .execute();
    const page = ids.slice(0, limit).map((r) => r.order_id);
    const versions = new Map<number, number>();
    if (page.length > 0) {
      const rows = await trx
        .selectFrom('feed_entries')
        .select(['order_id', 'version'])
        .where('factory_shop_id', '=', factoryShopId)
        .where(inList(trx, 'order_id', page))
        .execute();
      for (const r of rows) versions.set(r.order_id, r.version);
    }
    return {
      orders: await snapshots(
        trx,
        factoryShopId,
        page.map((order_id) => ({ order_id, version: versions.get(order_id) ?? 0 })),
      ),
      nextCursor: ids.length > limit ? String(page[page.length - 1]!) : null,
    };
  });
}

/**
 * The guard's check: printability from shared `printability()` for this factory and the asking
 * station (an issued number held by another live station is `printing_elsewhere`), the version of
 * the order's latest snapshot, and who holds its number. An order that is not this factory's —
 * unknown, another merchant's, another factory's — answers exactly like one that does not exist.
 */
export async function checkOrders(
  ctx: HubContext,
  station: { factoryShopId: number; stationId: number },
  orderSns: string[],
): Promise<CheckResult[]> {
  const { factoryShopId, stationId } = station;
  return readTx(ctx, async (trx) => {
    const orders = await loadOrdersBySn(trx, orderSns, { factoryShopId });
    const versions = new Map<number, number>();
    const ids = [...orders.values()].filter((o) => o.allocation !== null).map((o) => o.row.id);
    for (const part of chunks(ids, 1000)) {
      const rows = await trx
        .selectFrom('feed_entries')
        .select(['order_id', 'version'])
        .where('factory_shop_id', '=', factoryShopId)
        .where(inList(trx, 'order_id', part))
        .execute();
      for (const r of rows) versions.set(r.order_id, r.version);
    }
    return orderSns.map((sn): CheckResult => {
      const o = orders.get(sn);
      if (!o || !o.allocation) {
        return { orderSn: sn, printable: false, reason: 'not_allocated', version: 0, addressVersion: 0, claim: null };
      }
      const state = orderStateOf(o);
      const p = printability(state, { factoryShopId, stationId });
      const claim = state.waybill?.claim ?? null;
      return {
        orderSn: sn,
        printable: p.printable,
        reason: p.printable ? null : p.reason,
        version: versions.get(o.row.id) ?? 0,
        addressVersion: o.row.address_version,
        claim: claim && { stationId: claim.stationId, stationName: claim.stationName },
      };
    });
  });
}
