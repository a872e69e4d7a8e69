/**
 * POST /v1/station/waybills (M5, M7, D10): a number per order, issued *to the calling station*,
 * idempotent for that station until cancelled, refused for abnormal orders (shared `printability`),
 * and re-issued when an address change made it stale.
 *
 * Claims (D10): the station a number was issued to holds the order. Another station of the factory
 * is refused `printing_elsewhere` (naming the holder) unless it takes over with a reason: then the
 * old number is cancelled, a new one is issued to it and the takeover is recorded, so the first
 * station's late return of the old number is intercepted. A revoked station's claim blocks nobody:
 * the next station gets a new number. A number issued before claims existed is unclaimed, and the
 * first station that asks takes it as it is.
 *
 * The courier is asked for numbers *outside* the database transaction (a real courier is a network
 * call, and on SQLite a second transaction would wait on the first). The transaction then re-reads
 * the orders under lock and uses the numbers; if the picture changed meanwhile it starts over, and
 * numbers it did not use are cancelled with the courier.
 */
import type { Courier, OrderState } from '../../shared/domain/types.ts';
import { isWaybillStale, printability } from '../../shared/domain/rules.ts';
import { blockReasonText, type BlockReason } from '../../shared/domain/reasons.ts';
import { maskName, maskPhone } from '../../shared/domain/masking.ts';
import type { PrintPayload } from '../../shared/api/print-payload.ts';
import type { WaybillResult, WaybillsRequest } from '../../shared/api/waybills.ts';
import type { HubContext } from '../context.ts';
import type { StationCaller } from '../callers.ts';
import {
  itemsOf,
  loadOrdersBySn,
  orderStateOf,
  recipientOf,
  type ClaimHolder,
  type LoadedOrder,
  type MerchantInfo,
  type WaybillRow,
} from '../orders/orders.ts';
import { lockOrders, writeTx, type Tx } from '../db/tx.ts';
import { recordFeedChanges } from '../stations/feed-versions.ts';
import type { ElectronicWaybillService, IssuedNumber, SerialSource } from './courier.ts';
import { routingCodeFor } from './courier.ts';
import { sealPrintPayload } from './payload-crypto.ts';
import type { TakeoverKind } from '../db/schema.ts';

/** What the merchant reads as the reason when a revoked station's claim passes to another station. */
export const STATION_REVOKED_REASON = '原打印站已撤销';

/** The number a new one replaces, and why (the old one is cancelled with this reason). */
interface Replaced {
  waybill: WaybillRow;
  reason: 'address_changed' | TakeoverKind;
}

type Decision =
  | { kind: 'reuse'; order: LoadedOrder }
  /** An unclaimed number (issued before claims existed): the caller takes it as it is. */
  | { kind: 'claim'; order: LoadedOrder }
  | { kind: 'issue'; order: LoadedOrder; replaces: Replaced | null }
  | { kind: 'refuse'; result: WaybillResult };

const writes = (d: Decision) => d.kind === 'issue' || d.kind === 'claim';

function decide(sn: string, o: LoadedOrder | undefined, station: StationCaller, takeover: boolean): Decision {
  if (!o) return refuse(sn, 'not_allocated');
  const state: OrderState = orderStateOf(o);
  const stale = isWaybillStale(state);
  // A stale number is replaced, never printed: judge the order as if its number were current, so
  // after-sale and audit (checked before staleness) and a claim elsewhere (checked after) still refuse it.
  const judged = stale ? { ...state, waybill: { ...state.waybill!, addressVersion: state.addressVersion } } : state;
  const p = printability(judged, { factoryShopId: station.factoryShopId, stationId: station.stationId, takeover });
  if (!p.printable) return refuse(sn, p.reason, p.reason === 'printing_elsewhere' ? o.holder : null);
  const w = o.waybill;
  // printability() refuses a returned number, so what is left is no number or an issued one.
  if (w === null || w.status !== 'issued') return { kind: 'issue', order: o, replaces: null };
  if (w.station_id !== null && w.station_id !== station.stationId) {
    // Another station's number that printability() let through: a takeover, or a revoked holder.
    const live = o.holder !== null && o.holder.revokedAt === null;
    return {
      kind: 'issue',
      order: o,
      replaces: { waybill: w, reason: live ? 'takeover' : 'station_revoked' },
    };
  }
  if (stale) return { kind: 'issue', order: o, replaces: { waybill: w, reason: 'address_changed' } };
  return w.station_id === null ? { kind: 'claim', order: o } : { kind: 'reuse', order: o };
}

function refuse(orderSn: string, reason: BlockReason, holder: ClaimHolder | null = null): Decision {
  if (holder) {
    return {
      kind: 'refuse',
      result: {
        orderSn,
        status: 'refused',
        reason,
        message: `${blockReasonText(reason)}（${holder.name}）`,
        claimedBy: { stationId: holder.id, name: holder.name },
      },
    };
  }
  return { kind: 'refuse', result: { orderSn, status: 'refused', reason, message: blockReasonText(reason) } };
}

/** Serials from the `waybill_serials` table, each block in its own short transaction. */
export function dbSerialSource(ctx: Pick<HubContext, 'db'>): SerialSource {
  return {
    async next(courier, count) {
      return writeTx(ctx, async (trx) => {
        const t = trx;
        await t
          .insertInto('waybill_serials')
          .values({ courier, last_serial: 0 })
          .onConflict((oc) => oc.column('courier').doNothing())
          .execute();
        const row = await t
          .updateTable('waybill_serials')
          .set((eb) => ({ last_serial: eb('last_serial', '+', count) }))
          .where('courier', '=', courier)
          .returning('last_serial')
          .executeTakeFirstOrThrow();
        return Number(row.last_serial) - count + 1;
      });
    },
  };
}

class PlanChanged extends Error {}

function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export async function issueWaybills(
  ctx: HubContext,
  courierService: ElectronicWaybillService,
  station: StationCaller,
  req: WaybillsRequest,
): Promise<WaybillResult[]> {
  const F = station.factoryShopId;
  const takeover = req.takeover !== undefined;
  const sns = [...new Set(req.orderSns)];
  const key = await payloadKeyOf(ctx, station.stationId);

  for (let attempt = 1; ; attempt++) {
    // 1. Plan from a plain read, and get numbers for the orders that need one.
    // With the merchant's name and shipper, which the sealed payloads carry.
    const pre = await loadOrdersBySn(ctx.db, sns, { factoryShopId: F, withMerchant: true });
    const plan = new Map(sns.map((sn) => [sn, decide(sn, pre.get(sn), station, takeover)]));
    const needing = [...plan.values()].filter((d) => d.kind === 'issue');
    const writing = [...plan.values()].filter(writes).length;
    const pool = new Map<string, IssuedNumber>();
    if (needing.length > 0) {
      const issued = await courierService.issue(
        needing.map((d) => ({ orderSn: d.order.row.sn, courier: req.courier, address: recipientOf(d.order.row) })),
      );
      for (const n of issued) pool.set(n.orderSn, n);
    }
    const used = new Set<string>();
    const replacedCancelled: Array<{ courier: Courier; waybillNo: string }> = [];

    try {
      // 2. Apply under lock, re-deciding from what is committed now.
      const final =
        writing === 0
          ? plan
          : await writeTx(ctx, async (trx) => {
              used.clear();
              replacedCancelled.length = 0;
              // The orders' rows first: of two stations asking for an order at once, the second
              // waits here and re-decides below seeing the first one's claim.
              await lockOrders(
                trx,
                ctx,
                [...pre.values()].map((o) => o.row.id),
              );
              const loaded = await loadOrdersBySn(trx, sns, { factoryShopId: F });
              const now = ctx.clock.now().toISOString();
              const t = trx;
              const changed: number[] = [];
              const again = new Map<string, Decision>();
              const issuing: Array<{ order: LoadedOrder; number: IssuedNumber }> = [];
              for (const sn of sns) {
                const d = decide(sn, loaded.get(sn), station, takeover);
                again.set(sn, d);
                if (!writes(d)) continue;
                // Only writes that were planned (and had numbers reserved) may happen.
                if (plan.get(sn)!.kind !== d.kind) throw new PlanChanged();
                if (d.kind === 'claim') {
                  await claimUnclaimed(t, d.order, station, now);
                } else if (d.kind === 'issue') {
                  const n = pool.get(sn);
                  if (!n) throw new PlanChanged();
                  if (d.replaces) {
                    await cancelReplaced(t, d.order, d.replaces, n, station, req.takeover?.reason, now);
                    replacedCancelled.push({
                      courier: d.replaces.waybill.courier,
                      waybillNo: d.replaces.waybill.waybill_no,
                    });
                  }
                  issuing.push({ order: d.order, number: n });
                  used.add(sn);
                }
                changed.push(d.order.row.id);
              }
              // After the cancels above: one issued number per (order, factory) is a unique index.
              await insertIssued(t, issuing, station, now);
              // Issuing and claiming are visible to every station of the factory (DESIGN §4): the feed,
              // last (db/tx.ts lock order).
              await recordFeedChanges(trx, new Map([[F, changed]]));
              return again;
            });

      // 3. Numbers asked for but not used (the plan changed under us) go back to the courier.
      for (const [sn, n] of pool) if (!used.has(sn)) await courierService.cancel(n.courier, n.waybillNo);
      for (const c of replacedCancelled) await courierService.cancel(c.courier, c.waybillNo);
      const merchants = new Map([...pre.values()].map((o) => [o.row.merchant_shop_id, o.merchant]));
      return buildResults(sns, req.orderSns, final, used, key, merchants);
    } catch (e) {
      if (!(e instanceof PlanChanged) && !isUniqueViolation(e)) throw e;
      for (const n of pool.values()) await courierService.cancel(n.courier, n.waybillNo);
      if (attempt >= 5) throw e;
    }
  }
}

/** The first station to ask for a number issued before claims existed takes it, same number. */
async function claimUnclaimed(t: Tx, order: LoadedOrder, station: StationCaller, now: string): Promise<void> {
  const w = order.waybill!;
  await t
    .updateTable('waybills')
    .set({ station_id: station.stationId, claimed_at: now })
    .where('id', '=', w.id)
    .where('station_id', 'is', null)
    .execute();
  order.waybill = { ...w, station_id: station.stationId, claimed_at: now };
}

/** Cancel the number a new one replaces; when the claim moves between stations, record who, from whom and why. */
async function cancelReplaced(
  t: Tx,
  order: LoadedOrder,
  replaced: Replaced,
  next: IssuedNumber,
  station: StationCaller,
  takeoverReason: string | undefined,
  now: string,
): Promise<void> {
  const old = replaced.waybill;
  await t
    .updateTable('waybills')
    .set({ status: 'cancelled', cancelled_at: now, cancel_reason: replaced.reason })
    .where('id', '=', old.id)
    .execute();
  if (replaced.reason === 'address_changed' || old.station_id === null) return;
  await t
    .insertInto('waybill_takeovers')
    .values({
      order_id: order.row.id,
      factory_shop_id: station.factoryShopId,
      old_waybill_no: old.waybill_no,
      new_waybill_no: next.waybillNo,
      from_station_id: old.station_id,
      to_station_id: station.stationId,
      kind: replaced.reason,
      reason: replaced.reason === 'takeover' ? takeoverReason! : STATION_REVOKED_REASON,
      at: now,
    })
    .execute();
}

/** The new numbers, issued to the calling station, in one statement; each order then holds its new row. */
async function insertIssued(
  t: Tx,
  issuing: Array<{ order: LoadedOrder; number: IssuedNumber }>,
  station: StationCaller,
  now: string,
): Promise<void> {
  if (issuing.length === 0) return;
  const rows = await t
    .insertInto('waybills')
    .values(
      issuing.map(({ order, number: n }) => ({
        order_id: order.row.id,
        order_sn: order.row.sn,
        factory_shop_id: station.factoryShopId,
        waybill_no: n.waybillNo,
        courier: n.courier,
        address_version: order.row.address_version,
        status: 'issued' as const,
        issued_at: now,
        returned_at: null,
        cancelled_at: null,
        printed_at: null,
        unverified: null,
        slave_waybill_nos: null,
        returned_station_id: null,
        cancel_reason: null,
        station_id: station.stationId,
        claimed_at: now,
      })),
    )
    .returningAll()
    .execute();
  const byOrder = new Map(rows.map((r) => [r.order_id, r]));
  for (const { order } of issuing) order.waybill = byOrder.get(order.row.id)!;
}

/**
 * A station's payload key, read once per process: it is fixed at pairing and never changes, and a
 * revoked station never gets this far (authentication refuses it first).
 */
const payloadKeys = new WeakMap<HubContext['db'], Map<number, Buffer>>();

async function payloadKeyOf(ctx: HubContext, stationId: number): Promise<Buffer> {
  let keys = payloadKeys.get(ctx.db);
  if (!keys) payloadKeys.set(ctx.db, (keys = new Map()));
  let key = keys.get(stationId);
  if (!key) {
    const row = await ctx.db
      .selectFrom('stations')
      .select('payload_key')
      .where('id', '=', stationId)
      .executeTakeFirstOrThrow();
    key = Buffer.from(row.payload_key, 'base64');
    keys.set(stationId, key);
  }
  return key;
}

function buildResults(
  sns: string[],
  requested: string[],
  plan: Map<string, Decision>,
  newlyIssued: Set<string>,
  key: Buffer,
  merchants: Map<number, MerchantInfo | undefined>,
): WaybillResult[] {
  const bySn = new Map<string, WaybillResult>();
  for (const sn of sns) {
    const d = plan.get(sn)!;
    if (d.kind === 'refuse') {
      bySn.set(sn, d.result);
      continue;
    }
    const o = d.order;
    const w = o.waybill!;
    const r = recipientOf(o.row);
    const m = merchants.get(o.row.merchant_shop_id);
    const payload: PrintPayload = {
      v: 1,
      orderSn: sn,
      courier: w.courier,
      waybillNo: w.waybill_no,
      addressVersion: w.address_version,
      routing: routingCodeFor(w.courier, r),
      receiver: {
        name: maskName(r.name),
        phone: maskPhone(r.phone),
        province: r.province,
        city: r.city,
        district: r.district,
        detail: r.detail,
      },
      shipper: m?.shipper ?? { name: m?.displayName ?? '', phone: '', address: '' },
      items: itemsOf(o.row).map((i) => ({ goodsName: i.goodsName, spec: i.spec, quantity: i.quantity })),
      pieces: { index: 1, total: 1 },
      issuedAt: w.issued_at,
    };
    bySn.set(sn, {
      orderSn: sn,
      status: 'issued',
      waybillNo: w.waybill_no,
      courier: w.courier,
      addressVersion: w.address_version,
      reused: !newlyIssued.has(sn),
      ...(d.kind === 'issue' && d.replaces?.reason === 'takeover' ? { takenOver: true } : {}),
      printPayload: sealPrintPayload(key, payload),
    });
  }
  return requested.map((sn) => bySn.get(sn)!);
}
