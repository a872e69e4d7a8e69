/**
 * 分配 / 批量分配 / 取消分配 (M3). One transaction per request, bulk statements, a result per order.
 * Whether an order may be allocated is decided by shared `allocatability()` only.
 */
import { allocatability } from '../../shared/domain/rules.ts';
import { allocationRefusalText } from '../../shared/domain/reasons.ts';
import type { AllocationCancelReason } from '../../shared/domain/types.ts';
import {
  CANCEL_ALLOCATION_REFUSALS,
  type AllocationResult,
  type CancelAllocationRefusal,
  type CancelAllocationResult,
} from '../../shared/api/orders.ts';
import type { HubContext } from '../context.ts';
import { nowIso } from '../context.ts';
import { isBound } from '../bindings/bindings.ts';
import { inList } from '../db/sql.ts';
import { loadOrdersBySn, orderStateOf, type LoadedOrder } from './orders.ts';
import { chunks, lockOrdersBySn, writeTx, type Tx } from '../db/tx.ts';
import { recordFeedChanges } from '../stations/feed-versions.ts';

export async function allocateOrders(
  ctx: HubContext,
  merchantShopId: number,
  factoryShopId: number,
  orderSns: string[],
): Promise<AllocationResult[]> {
  const sns = [...new Set(orderSns)];
  const at = nowIso(ctx);
  const bySn = await writeTx(ctx, async (trx) => {
    const bound = await isBound(trx, merchantShopId, factoryShopId);
    const results = new Map<string, AllocationResult>();
    if (bound) {
      await lockOrdersBySn(trx, ctx, sns, merchantShopId);
      const orders = await loadOrdersBySn(trx, sns, { merchantShopId });
      const allocated: LoadedOrder[] = [];
      for (const sn of sns) {
        const o = orders.get(sn) ?? null;
        const verdict = allocatability(o ? orderStateOf(o) : null, { bound });
        if (verdict.allocatable) allocated.push(o!);
        results.set(sn, toResult(sn, verdict));
      }
      if (allocated.length > 0) {
        for (const part of chunks(allocated, 500)) {
          await trx
            .insertInto('allocations')
            .values(
              part.map((o) => ({
                order_id: o.row.id,
                merchant_shop_id: merchantShopId,
                factory_shop_id: factoryShopId,
                status: 'allocated' as const,
                allocated_at: at,
                cancelled_at: null,
                cancel_reason: null,
              })),
            )
            .execute();
        }
        await insertEvents(
          trx,
          allocated.map((o) => o.row.id),
          'allocated',
          factoryShopId,
          null,
          at,
        );
        // Last, with the orders locked and written (db/tx.ts lock order).
        await recordFeedChanges(trx, new Map([[factoryShopId, allocated.map((o) => o.row.id)]]));
      }
    } else {
      // Not bound: nothing is written, but each order still gets its own reason (not found first).
      const orders = await loadOrdersBySn(trx, sns, { merchantShopId });
      for (const sn of sns) {
        const o = orders.get(sn) ?? null;
        results.set(sn, toResult(sn, allocatability(o ? orderStateOf(o) : null, { bound })));
      }
    }
    return results;
  });
  return orderSns.map((sn, i) => (orderSns.indexOf(sn) === i ? bySn.get(sn)! : duplicate(sn)));
}

function toResult(sn: string, verdict: ReturnType<typeof allocatability>): AllocationResult {
  return verdict.allocatable
    ? { orderSn: sn, result: 'allocated' }
    : { orderSn: sn, result: 'refused', reason: verdict.reason, message: allocationRefusalText(verdict.reason) };
}

/** The same sn twice in one request: the second mention is refused as already handled. */
function duplicate(sn: string): AllocationResult {
  return {
    orderSn: sn,
    result: 'refused',
    reason: 'already_allocated',
    message: allocationRefusalText('already_allocated'),
  };
}

export async function insertEvents(
  trx: Tx,
  orderIds: number[],
  type: string,
  factoryShopId: number | null,
  reason: string | null,
  at: string,
): Promise<void> {
  for (const part of chunks(orderIds, 500)) {
    await trx
      .insertInto('order_events')
      .values(part.map((order_id) => ({ order_id, type, factory_shop_id: factoryShopId, reason, at })))
      .execute();
  }
}

/** End live allocations (by allocation id) with a reason; the caller has locked the orders and records the feed change. */
export async function endAllocations(
  trx: Tx,
  allocations: { id: number; orderId: number; factoryShopId: number }[],
  reason: AllocationCancelReason,
  at: string,
): Promise<void> {
  for (const part of chunks(allocations, 500)) {
    await trx
      .updateTable('allocations')
      .set({ status: 'cancelled', cancelled_at: at, cancel_reason: reason })
      .where(
        inList(
          trx,
          'id',
          part.map((a) => a.id),
        ),
      )
      .execute();
  }
  const byFactory = new Map<number, number[]>();
  for (const a of allocations) byFactory.set(a.factoryShopId, [...(byFactory.get(a.factoryShopId) ?? []), a.orderId]);
  for (const [factoryShopId, orderIds] of byFactory) {
    await insertEvents(trx, orderIds, 'allocation_cancelled', factoryShopId, reason, at);
  }
}

export async function cancelAllocations(
  ctx: HubContext,
  merchantShopId: number,
  orderSns: string[],
): Promise<CancelAllocationResult[]> {
  const sns = [...new Set(orderSns)];
  const at = nowIso(ctx);
  const bySn = await writeTx(ctx, async (trx) => {
    await lockOrdersBySn(trx, ctx, sns, merchantShopId);
    const orders = await loadOrdersBySn(trx, sns, { merchantShopId });

    const results = new Map<string, CancelAllocationResult>();
    const toEnd: { id: number; orderId: number; factoryShopId: number }[] = [];
    const used = new Map<number, number[]>();
    for (const sn of sns) {
      const o = orders.get(sn);
      const refusal: CancelAllocationRefusal | null = !o
        ? 'not_found'
        : o.allocation?.status !== 'allocated'
          ? 'not_allocated'
          : o.waybill?.status === 'returned'
            ? 'waybill_returned'
            : null;
      if (refusal) {
        results.set(sn, {
          orderSn: sn,
          result: 'refused',
          reason: refusal,
          message: CANCEL_ALLOCATION_REFUSALS[refusal].zh,
        });
        continue;
      }
      const a = o!.allocation!;
      used.set(a.factory_shop_id, [...(used.get(a.factory_shop_id) ?? []), o!.row.id]);
      toEnd.push({ id: a.id, orderId: o!.row.id, factoryShopId: a.factory_shop_id });
      results.set(sn, { orderSn: sn, result: 'cancelled' });
    }
    await endAllocations(trx, toEnd, 'merchant', at);
    await recordFeedChanges(trx, used);
    return results;
  });
  return orderSns.map((sn, i) =>
    orderSns.indexOf(sn) === i
      ? bySn.get(sn)!
      : {
          orderSn: sn,
          result: 'refused',
          reason: 'not_allocated',
          message: CANCEL_ALLOCATION_REFUSALS.not_allocated.zh,
        },
  );
}
