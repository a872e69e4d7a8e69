/**
 * POST /v1/station/mutations: the station's outbox push, exactly-once (DESIGN §4).
 *
 * - Each installation has a clientId whose mutation ids rise by exactly 1.
 * - In ONE transaction: the effects of every new mutation, its stored result, and the client's
 *   last_mutation_id. A crash before commit leaves nothing; after commit, everything.
 * - Ids ≤ last are not applied again; their stored results are returned. A gap is refused whole.
 * - A business rejection is permanent: it is stored and counted as processed like an applied one.
 * - Only the station holding an order's claim (D10) returns or cancels its number; a station whose
 *   number was taken over is told `taken_over`, and a return of it is intercepted (its parcel
 *   carries a dead label). A reprint (label_reprinted) is recorded for the merchant (M9).
 */
import type { LabelReprintsTable, WaybillsTable } from '../db/schema.ts';
import type { BlockReason } from '../../shared/domain/reasons.ts';
import { mutationRejectionText } from '../../shared/domain/reasons.ts';
import { printability } from '../../shared/domain/rules.ts';
import type { Mutation, MutationRejectReason, MutationResult, MutationsRequest } from '../../shared/api/waybills.ts';
import { MutationResultSchema } from '../../shared/api/waybills.ts';
import type { HubContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import type { StationCaller } from '../callers.ts';
import { insertEvents } from '../orders/allocation.ts';
import { loadOrdersBySn, orderStateOf, type LoadedOrder } from '../orders/orders.ts';
import { chunks, lockOrdersBySn, writeTx, type Tx } from '../db/tx.ts';
import { inList, updateRows, type ColumnType } from '../db/sql.ts';
import { recordFeedChanges } from '../stations/feed-versions.ts';
import type { ElectronicWaybillService } from './courier.ts';
import type { Insertable, Selectable } from 'kysely';

type WaybillRow = Selectable<WaybillsTable>;

/** The batch does not start at last + 1 (or its ids are not consecutive): the station resends from lastMutationId + 1. */
function mutationGap(lastMutationId: number, message: string): DomainError {
  return new DomainError('MUTATION_GAP', message, { lastMutationId });
}

function rejected(id: number, reason: MutationRejectReason, intercept = false): MutationResult {
  return { id, status: 'rejected', reason, message: mutationRejectionText(reason, intercept), intercept };
}

/**
 * Block reasons that mean the order turned abnormal after its waybill was issued to this factory.
 * A parcel already labelled for it must be pulled (拦截).
 */
const INTERCEPT_REASONS = new Set<BlockReason>([
  'after_sale',
  'audit_hold',
  'address_changed',
  'order_cancelled',
  'allocation_cancelled',
]);

export interface MutationOutcome {
  lastMutationId: number;
  results: MutationResult[];
}

export async function applyMutations(
  ctx: HubContext,
  courierService: ElectronicWaybillService,
  station: StationCaller,
  req: MutationsRequest,
): Promise<MutationOutcome> {
  const F = station.factoryShopId;
  const ms = req.mutations;
  const cancelled: Array<{ courier: WaybillRow['courier']; waybillNo: string }> = [];

  const outcome = await writeTx(ctx, async (trx) => {
    cancelled.length = 0;
    const t = trx;
    const now = ctx.clock.now().toISOString();
    // The client row first, created if new and locked in the same statement (an upsert that updates
    // locks the row on PostgreSQL): pushes of one client are serialised.
    const client = await t
      .insertInto('station_clients')
      .values({
        client_id: req.clientId,
        factory_shop_id: F,
        station_id: station.stationId,
        last_mutation_id: 0,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('client_id').doUpdateSet((eb) => ({ client_id: eb.ref('excluded.client_id') })))
      .returningAll()
      .executeTakeFirstOrThrow();
    if (client.factory_shop_id !== F) {
      throw new DomainError('FORBIDDEN', '该 clientId 属于其他厂家的打印站');
    }
    const last = client.last_mutation_id;
    const firstId = ms[0]!.id;
    for (let i = 1; i < ms.length; i++) {
      if (ms[i]!.id !== ms[i - 1]!.id + 1) {
        throw mutationGap(last, `一批内的变更编号必须连续递增（${ms[i - 1]!.id} 之后是 ${ms[i]!.id}）`);
      }
    }
    if (firstId > last + 1) {
      throw mutationGap(last, `变更编号不连续：已处理到 ${last}，收到 ${firstId}，请从 ${last + 1} 重新提交`);
    }

    const results = new Map<number, MutationResult>();
    const old = ms.filter((m) => m.id <= last).map((m) => m.id);
    for (const part of chunks(old, 500)) {
      const rows = await t
        .selectFrom('mutation_results')
        .select(['mutation_id', 'result_json'])
        .where('client_id', '=', req.clientId)
        .where('mutation_id', 'in', part)
        .execute();
      for (const r of rows) results.set(r.mutation_id, MutationResultSchema.parse(JSON.parse(r.result_json)));
    }
    const fresh = ms.filter((m) => m.id > last);
    if (fresh.length > 0) {
      const changedOrders = await applyFresh(ctx, t, F, station.stationId, fresh, now, results, cancelled);
      for (const part of chunks(fresh, 200)) {
        await t
          .insertInto('mutation_results')
          .values(
            part.map((m) => ({
              client_id: req.clientId,
              mutation_id: m.id,
              result_json: JSON.stringify(results.get(m.id)),
            })),
          )
          .execute();
      }
      await t
        .updateTable('station_clients')
        .set({ last_mutation_id: fresh[fresh.length - 1]!.id, station_id: station.stationId, updated_at: now })
        .where('client_id', '=', req.clientId)
        .execute();
      // Last (db/tx.ts lock order): the factory's counter is held for this statement and the commit.
      await recordFeedChanges(trx, new Map([[F, changedOrders]]));
    }
    const lastMutationId = Math.max(last, ms[ms.length - 1]!.id);
    return {
      lastMutationId,
      // A stored result can only be missing for an id the hub never saw, which ids ≤ last cannot be.
      results: ms.map((m) => results.get(m.id) ?? { id: m.id, status: 'applied' as const }),
    };
  });
  for (const c of cancelled) await courierService.cancel(c.courier, c.waybillNo);
  return outcome;
}

/** The columns a mutation may change on a waybill, written back in one statement per push. */
const WAYBILL_CHANGES: Record<string, ColumnType> = {
  id: 'integer',
  status: 'text',
  returned_at: 'text',
  printed_at: 'text',
  unverified: 'integer',
  slave_waybill_nos: 'text',
  returned_station_id: 'integer',
  station_id: 'integer',
  claimed_at: 'text',
  cancelled_at: 'text',
  cancel_reason: 'text',
};

/**
 * Applies the new mutations in id order; returns the ids of orders whose factory view changed. Each
 * mutation is decided against the state the earlier ones left (in memory); the waybills they change
 * are then written once each, in one statement, as are the reprints.
 */
async function applyFresh(
  ctx: HubContext,
  t: Tx,
  F: number,
  stationId: number,
  fresh: Mutation[],
  now: string,
  results: Map<number, MutationResult>,
  cancelled: Array<{ courier: WaybillRow['courier']; waybillNo: string }>,
): Promise<number[]> {
  const sns = [...new Set(fresh.map((m) => m.orderSn))];
  await lockOrdersBySn(t, ctx, sns);
  const orders = await loadOrdersBySn(t, sns, { factoryShopId: F });
  const numbers = [...new Set(fresh.map((m) => m.waybillNo))];
  const waybills = new Map<string, WaybillRow>();
  for (const part of chunks(numbers, 1000)) {
    for (const w of await t
      .selectFrom('waybills')
      .selectAll()
      .where(inList(t, 'waybill_no', part))
      .execute()) {
      waybills.set(w.waybill_no, w);
    }
  }
  const changed = new Set<number>();
  const written = new Map<number, WaybillRow>();
  const reprints: Insertable<LabelReprintsTable>[] = [];
  const cancelledReturns: Array<{ orderId: number; reason: string }> = [];

  for (const m of fresh) {
    const o = orders.get(m.orderSn);
    const w = waybills.get(m.waybillNo);
    const result = decide(m, o, w, F, stationId);
    results.set(m.id, result);
    if (result.status !== 'applied' || !o || !w) continue;
    if (m.type === 'waybill_returned' && w.status === 'issued') {
      Object.assign(w, {
        status: 'returned' as const,
        returned_at: now,
        printed_at: m.printedAt,
        unverified: m.unverified ? 1 : 0,
        slave_waybill_nos: m.slaveWaybillNos?.length ? JSON.stringify(m.slaveWaybillNos) : null,
        returned_station_id: stationId,
        // A number issued before claims existed belongs to the station that returns it.
        station_id: stationId,
        claimed_at: w.claimed_at ?? now,
      });
      written.set(w.id, w);
      changed.add(o.row.id);
    } else if (m.type === 'waybill_cancelled' && w.status !== 'cancelled') {
      const reason = m.reason || 'station';
      // The merchant saw a returned number: its order history says where it went.
      if (w.status === 'returned') cancelledReturns.push({ orderId: o.row.id, reason });
      Object.assign(w, { status: 'cancelled' as const, cancelled_at: now, cancel_reason: reason });
      written.set(w.id, w);
      cancelled.push({ courier: w.courier, waybillNo: w.waybill_no });
      changed.add(o.row.id);
    } else if (m.type === 'label_reprinted') {
      reprints.push({
        order_id: o.row.id,
        factory_shop_id: F,
        waybill_no: w.waybill_no,
        station_id: stationId,
        reason: m.reason,
        printed_at: m.printedAt,
        recorded_at: now,
      });
    }
    // Later mutations of this batch see the order as it now is.
    o.waybill = w.status === 'cancelled' ? null : (w as LoadedOrder['waybill']);
  }
  await updateRows(t, 'waybills', 'id', WAYBILL_CHANGES, [...written.values()]);
  const byReason = new Map<string, number[]>();
  for (const c of cancelledReturns) byReason.set(c.reason, [...(byReason.get(c.reason) ?? []), c.orderId]);
  for (const [reason, orderIds] of byReason) await insertEvents(t, orderIds, 'waybill_cancelled', F, reason, now);
  if (reprints.length > 0) await t.insertInto('label_reprints').values(reprints).execute();
  return [...changed];
}

function decide(
  m: Mutation,
  o: LoadedOrder | undefined,
  w: WaybillRow | undefined,
  F: number,
  stationId: number,
): MutationResult {
  // Another factory's order (or none at all): say nothing about it.
  if (!o || !o.allocation) return rejected(m.id, 'not_allocated');
  if (!w || w.order_id !== o.row.id || w.factory_shop_id !== F) return rejected(m.id, 'waybill_not_current');
  // A label this station printed for a number it no longer holds is not the live one: pull it,
  // unless the mutation only tried to cancel that number.
  if (claimLost(m, w, stationId)) return rejected(m.id, 'taken_over', m.type !== 'waybill_cancelled');

  if (m.type === 'waybill_cancelled') {
    // A returned number may be cancelled until the merchant ships (M5): the order is then printable
    // again at this factory and not shippable. A shipped parcel is with the courier under its number.
    if (w.status === 'returned' && o.row.status === 'shipped') return rejected(m.id, 'waybill_shipped');
    return { id: m.id, status: 'applied' }; // issued or returned → cancelled, or already cancelled (same effect)
  }
  if (m.type === 'label_reprinted') {
    // The current number or the returned one: a cancelled number is on no parcel that may ship.
    if (w.status === 'cancelled') return rejected(m.id, 'waybill_not_current');
    return { id: m.id, status: 'applied' };
  }

  if (w.status === 'returned') return { id: m.id, status: 'applied' }; // the same number again: no change
  if (w.status === 'cancelled') {
    // A number cancelled because the address changed (re-issued since) is on a label with the old
    // address: that parcel must be pulled (M7), not just told its number is dead.
    if (w.address_version < o.row.address_version) return rejected(m.id, 'address_changed', true);
    return rejected(m.id, 'waybill_cancelled');
  }
  // Judge the order with the number being returned as its waybill (M7: it must still be current).
  const state = orderStateOf({ ...o, waybill: w });
  const p = printability(state, { factoryShopId: F });
  if (p.printable) return { id: m.id, status: 'applied' };
  // printability() names the live cause of an automatic un-allocation (M3): after-sale, not its effect.
  const reason: BlockReason = p.reason;
  return rejected(m.id, reason, INTERCEPT_REASONS.has(reason));
}

/**
 * Whether the number's claim is no longer (or never was) this station's (D10): it was cancelled
 * because another station took the order over, or another station holds it. Any station of the
 * factory may reprint a returned label; a number issued before claims existed is nobody's.
 */
function claimLost(m: Mutation, w: WaybillRow, stationId: number): boolean {
  if (w.status === 'cancelled') return w.cancel_reason === 'takeover' || w.cancel_reason === 'station_revoked';
  if (w.station_id === null || w.station_id === stationId) return false;
  return !(m.type === 'label_reprinted' && w.status === 'returned');
}
