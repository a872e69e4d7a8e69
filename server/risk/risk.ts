/**
 * M9, what puts the merchant at risk (it carries the platform's penalty for a late or fake shipment
 * a factory caused): late returns, labels that turned stale after printing, reprints and takeovers.
 * The hub only shows them; it changes no policy.
 *
 * - Late: the tracking number came back more than `lateHours` after the order was allocated to the
 *   factory, or has not come back and that time has passed.
 * - Intercepted after printing: the order changed (after-sale, audit, address, cancellation,
 *   allocation cancelled) while a number issued to a factory for it was live and not yet returned:
 *   the station's label is stale and its return is intercepted, so that parcel must be pulled.
 * - Reprints and takeovers: the stations' records (label_reprints, waybill_takeovers).
 */
import type { Intercept, LateReturn, Reprint, RiskResponse, Takeover } from '../../shared/api/risk.ts';
import { RISK_DEFAULT_DAYS, RISK_LIST_LIMIT } from '../../shared/api/risk.ts';
import type { HubContext } from '../context.ts';
import { chunks } from '../db/tx.ts';
import { inList } from '../db/sql.ts';

const HOUR_MS = 3600_000;
/** Order events after which a printed label is stale (M7). */
const STALE_LABEL_EVENTS = ['after_sale_opened', 'audit_hold', 'address_changed', 'cancelled', 'allocation_cancelled'];

export interface RiskOptions {
  lateHours: number;
  since?: string;
}

export async function merchantRisk(ctx: HubContext, merchantId: number, opts: RiskOptions): Promise<RiskResponse> {
  const now = ctx.clock.now();
  const since = opts.since
    ? new Date(opts.since).toISOString()
    : new Date(now.getTime() - RISK_DEFAULT_DAYS * 24 * HOUR_MS).toISOString();
  const [lateReturns, interceptedAfterPrinting, reprints, takeovers] = await Promise.all([
    lateReturnsOf(ctx, merchantId, since, opts.lateHours, now),
    interceptsOf(ctx, merchantId, since),
    reprintsOf(ctx, merchantId, since),
    takeoversOf(ctx, merchantId, since),
  ]);
  const names = await namesOf(ctx, [
    ...lateReturns,
    ...interceptedAfterPrinting,
    ...reprints,
    ...takeovers,
    ...takeovers.map((x) => ({ factoryShopId: x.factoryShopId, stationId: x.fromStationId })),
  ]);
  const named = <T extends { factoryShopId: number; stationId: number | null }>(x: T) => ({
    ...x,
    factoryName: names.factories.get(x.factoryShopId) ?? '',
    stationName: x.stationId === null ? null : (names.stations.get(x.stationId) ?? null),
  });
  return {
    lateHours: opts.lateHours,
    since,
    lateReturns: lateReturns.map(named),
    interceptedAfterPrinting: interceptedAfterPrinting.map(named),
    reprints: reprints.map(named),
    takeovers: takeovers.map((x) => ({
      ...named(x),
      fromStationName: names.stations.get(x.fromStationId) ?? null,
    })),
  };
}

type Unnamed<T> = Omit<T, 'factoryName' | 'stationName'>;

async function lateReturnsOf(
  ctx: HubContext,
  merchantId: number,
  since: string,
  lateHours: number,
  now: Date,
): Promise<Array<Unnamed<LateReturn>>> {
  const db = ctx.db;
  const limitMs = lateHours * HOUR_MS;
  const out: Array<Unnamed<LateReturn>> = [];
  // Every allocation of this merchant's orders made since `since` (current or ended), with the
  // number its factory returned for that order, if any.
  const allocations = await db
    .selectFrom('allocations')
    .select(['order_id', 'factory_shop_id', 'status', 'allocated_at', 'cancelled_at'])
    .where('merchant_shop_id', '=', merchantId)
    .where('allocated_at', '>=', since)
    .orderBy('id')
    .execute();
  const orderIds = [...new Set(allocations.map((a) => a.order_id))];
  const returned = new Map<string, { waybill_no: string; returned_at: string; station: number | null }>();
  const orders = new Map<number, { sn: string; status: string }>();
  for (const part of chunks(orderIds, 1000)) {
    for (const w of await db
      .selectFrom('waybills')
      .select(['order_id', 'factory_shop_id', 'waybill_no', 'returned_at', 'returned_station_id', 'station_id'])
      .where(inList(db, 'order_id', part))
      .where('status', '=', 'returned')
      .execute()) {
      returned.set(`${w.order_id}:${w.factory_shop_id}`, {
        waybill_no: w.waybill_no,
        returned_at: w.returned_at!,
        station: w.returned_station_id ?? w.station_id,
      });
    }
    for (const o of await db
      .selectFrom('orders')
      .select(['id', 'sn', 'status'])
      .where(inList(db, 'id', part))
      .execute()) {
      orders.set(o.id, o);
    }
  }
  for (const a of allocations) {
    const order = orders.get(a.order_id)!;
    const w = returned.get(`${a.order_id}:${a.factory_shop_id}`);
    const start = Date.parse(a.allocated_at);
    if (w && w.returned_at >= a.allocated_at) {
      const took = Date.parse(w.returned_at) - start;
      if (took > limitMs) {
        out.push({
          orderSn: order.sn,
          factoryShopId: a.factory_shop_id,
          allocatedAt: a.allocated_at,
          returnedAt: w.returned_at,
          hours: Math.round(took / (HOUR_MS / 10)) / 10,
          waybillNo: w.waybill_no,
          stationId: w.station,
        });
      }
    } else if (a.status === 'allocated' && order.status === 'awaiting_shipment') {
      const waited = now.getTime() - start;
      if (waited > limitMs) {
        out.push({
          orderSn: order.sn,
          factoryShopId: a.factory_shop_id,
          allocatedAt: a.allocated_at,
          returnedAt: null,
          hours: Math.round(waited / (HOUR_MS / 10)) / 10,
          waybillNo: null,
          stationId: null,
        });
      }
    }
  }
  return newest(out, (x) => x.returnedAt ?? x.allocatedAt);
}

async function interceptsOf(ctx: HubContext, merchantId: number, since: string): Promise<Array<Unnamed<Intercept>>> {
  const db = ctx.db;
  const events = await db
    .selectFrom('order_events')
    .innerJoin('orders', 'orders.id', 'order_events.order_id')
    .select([
      'order_events.order_id',
      'order_events.type',
      'order_events.at',
      'order_events.factory_shop_id',
      'orders.sn',
    ])
    .where('orders.merchant_shop_id', '=', merchantId)
    .where('order_events.type', 'in', STALE_LABEL_EVENTS)
    .where('order_events.at', '>=', since)
    .orderBy('order_events.id')
    .execute();
  const out: Array<Unnamed<Intercept>> = [];
  const orderIds = [...new Set(events.map((e) => e.order_id))];
  const waybillsByOrder = new Map<
    number,
    Array<{
      factory_shop_id: number;
      waybill_no: string;
      issued_at: string;
      returned_at: string | null;
      cancelled_at: string | null;
      station_id: number | null;
    }>
  >();
  for (const part of chunks(orderIds, 1000)) {
    for (const w of await db
      .selectFrom('waybills')
      .select(['order_id', 'factory_shop_id', 'waybill_no', 'issued_at', 'returned_at', 'cancelled_at', 'station_id'])
      .where(inList(db, 'order_id', part))
      .orderBy('id')
      .execute()) {
      const list = waybillsByOrder.get(w.order_id) ?? [];
      list.push(w);
      waybillsByOrder.set(w.order_id, list);
    }
  }
  for (const e of events) {
    for (const w of waybillsByOrder.get(e.order_id) ?? []) {
      // The label was out (issued, not returned, not cancelled) when the order changed.
      const live =
        w.issued_at <= e.at &&
        (w.returned_at === null || e.at < w.returned_at) &&
        (w.cancelled_at === null || e.at <= w.cancelled_at);
      if (!live) continue;
      if (e.factory_shop_id !== null && e.factory_shop_id !== w.factory_shop_id) continue;
      out.push({
        orderSn: e.sn,
        factoryShopId: w.factory_shop_id,
        waybillNo: w.waybill_no,
        event: e.type,
        at: e.at,
        // The station holding the claim: the one whose label is stale.
        stationId: w.station_id,
      });
    }
  }
  return newest(out, (x) => x.at);
}

async function reprintsOf(ctx: HubContext, merchantId: number, since: string): Promise<Array<Unnamed<Reprint>>> {
  const rows = await ctx.db
    .selectFrom('label_reprints')
    .innerJoin('orders', 'orders.id', 'label_reprints.order_id')
    .select([
      'orders.sn',
      'label_reprints.factory_shop_id',
      'label_reprints.waybill_no',
      'label_reprints.reason',
      'label_reprints.printed_at',
      'label_reprints.station_id',
    ])
    .where('orders.merchant_shop_id', '=', merchantId)
    .where('label_reprints.printed_at', '>=', since)
    .orderBy('label_reprints.id', 'desc')
    .limit(RISK_LIST_LIMIT)
    .execute();
  return rows.map((r) => ({
    orderSn: r.sn,
    factoryShopId: r.factory_shop_id,
    waybillNo: r.waybill_no,
    reason: r.reason,
    at: r.printed_at,
    stationId: r.station_id,
  }));
}

type UnnamedTakeover = Omit<Takeover, 'factoryName' | 'stationName' | 'fromStationName' | 'fromStationId'> & {
  stationId: number;
  fromStationId: number;
};

async function takeoversOf(ctx: HubContext, merchantId: number, since: string): Promise<UnnamedTakeover[]> {
  const rows = await ctx.db
    .selectFrom('waybill_takeovers')
    .innerJoin('orders', 'orders.id', 'waybill_takeovers.order_id')
    .select([
      'orders.sn',
      'waybill_takeovers.factory_shop_id',
      'waybill_takeovers.kind',
      'waybill_takeovers.old_waybill_no',
      'waybill_takeovers.new_waybill_no',
      'waybill_takeovers.reason',
      'waybill_takeovers.at',
      'waybill_takeovers.from_station_id',
      'waybill_takeovers.to_station_id',
    ])
    .where('orders.merchant_shop_id', '=', merchantId)
    .where('waybill_takeovers.at', '>=', since)
    .orderBy('waybill_takeovers.id', 'desc')
    .limit(RISK_LIST_LIMIT)
    .execute();
  return rows.map((r) => ({
    orderSn: r.sn,
    factoryShopId: r.factory_shop_id,
    kind: r.kind,
    oldWaybillNo: r.old_waybill_no,
    newWaybillNo: r.new_waybill_no,
    reason: r.reason,
    at: r.at,
    stationId: r.to_station_id,
    fromStationId: r.from_station_id,
  }));
}

function newest<T>(xs: T[], at: (x: T) => string): T[] {
  return xs.sort((a, b) => (at(a) < at(b) ? 1 : at(a) > at(b) ? -1 : 0)).slice(0, RISK_LIST_LIMIT);
}

async function namesOf(
  ctx: HubContext,
  entries: Array<{ factoryShopId: number; stationId: number | null }>,
): Promise<{ factories: Map<number, string>; stations: Map<number, string> }> {
  const factoryIds = [...new Set(entries.map((e) => e.factoryShopId))];
  const stationIds = [...new Set(entries.flatMap((e) => (e.stationId === null ? [] : [e.stationId])))];
  const factories = new Map<number, string>();
  const stations = new Map<number, string>();
  if (factoryIds.length > 0) {
    for (const f of await ctx.db
      .selectFrom('factory_profiles')
      .select(['shop_id', 'name'])
      .where('shop_id', 'in', factoryIds)
      .execute())
      factories.set(f.shop_id, f.name);
  }
  if (stationIds.length > 0) {
    for (const s of await ctx.db.selectFrom('stations').select(['id', 'name']).where('id', 'in', stationIds).execute())
      stations.set(s.id, s.name);
  }
  return { factories, stations };
}
