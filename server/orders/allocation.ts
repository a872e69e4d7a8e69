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
import { chunks, lockOrders, RetryTransaction, writeTx, type Tx } from '../db/tx.ts';
import { reserveVersions, writeFeedEntries } from '../stations/feed-versions.ts';

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
      // Versions first (lock order: factory, then orders); one per order asked for.
      const ids = await orderIdsOf(trx, merchantShopId, sns);
      const first = (await reserveVersions(trx, new Map([[factoryShopId, ids.length]]))).get(factoryShopId);
      await lockOrders(trx, ctx, ids);
      const orders = await loadOrdersBySn(trx, sns, { merchantShopId });
      const allocated: LoadedOrder[] = [];
      for (const sn of sns) {
        const o = orders.get(sn) ?? null;
        const verdict = allocatability(o ? orderStateOf(o) : null, { bound });
        if (verdict.allocatable) allocated.push(o!);
        results.set(sn, toResult(sn, verdict));
      }
      if (allocated.length > 0 && first !== undefined) {
        if (allocated.length > ids.length) throw new RetryTransaction();
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
        await writeFeedEntries(
          trx,
          factoryShopId,
          allocated.map((o) => o.row.id),
          first,
        );
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

async function orderIdsOf(trx: Tx, merchantShopId: number, sns: string[]): Promise<number[]> {
  const ids: number[] = [];
  for (const part of chunks(sns, 1000)) {
    const rows = await trx
      .selectFrom('orders')
      .select('id')
      .where(inList(trx, 'sn', part))
      .where('merchant_shop_id', '=', merchantShopId)
      .execute();
    for (const r of rows) ids.push(r.id);
  }
  return ids;
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

/** End live allocations (by allocation id) with a reason; the caller has reserved versions and locked the orders. */
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
    // Optimistic read to learn which factories to lock; re-checked after the locks.
    const before = await loadOrdersBySn(trx, sns, { merchantShopId });
    const counts = new Map<number, number>();
    for (const o of before.values()) {
      if (o.allocation?.status === 'allocated') {
        counts.set(o.allocation.factory_shop_id, (counts.get(o.allocation.factory_shop_id) ?? 0) + 1);
      }
    }
    const first = await reserveVersions(trx, counts);
    await lockOrders(
      trx,
      ctx,
      [...before.values()].map((o) => o.row.id),
    );
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
      const list = used.get(a.factory_shop_id) ?? [];
      list.push(o!.row.id);
      used.set(a.factory_shop_id, list);
      if (list.length > (counts.get(a.factory_shop_id) ?? 0)) throw new RetryTransaction();
      toEnd.push({ id: a.id, orderId: o!.row.id, factoryShopId: a.factory_shop_id });
      results.set(sn, { orderSn: sn, result: 'cancelled' });
    }
    await endAllocations(trx, toEnd, 'merchant', at);
    for (const [factoryShopId, orderIds] of used) {
      await writeFeedEntries(trx, factoryShopId, orderIds, first.get(factoryShopId)!);
    }
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
