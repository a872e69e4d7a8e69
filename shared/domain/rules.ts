/**
 * The order rules of the seed (M3, M7), in one place. The hub, the station's guard and the UI
 * all call these; nothing else may re-derive them.
 */
import type { AllocationCancelReason, OrderState, ShopId } from './types.ts';
import type { AllocationRefusal, BlockReason } from './reasons.ts';

export type Printability = { printable: true } | { printable: false; reason: BlockReason };

export interface PrintabilityOptions {
  /**
   * The factory asking. When given, an order allocated to another factory (or never allocated)
   * is `not_allocated`, which tells nothing about it.
   */
  factoryShopId?: ShopId;
  /**
   * An explicit reprint of a label whose tracking number was already returned. M7's blocking
   * only applies before the return, so after-sale, audit and address changes do not block a
   * reprint; a cancelled order, a cancelled allocation or a shipped parcel still do.
   */
  reprint?: boolean;
  /**
   * The station asking (D10). An issued number held by another station is `printing_elsewhere`
   * for it, so one order gets one label whatever the number of stations.
   */
  stationId?: number;
  /** An explicit takeover of the claim (with a reason, recorded by the hub): another station's claim does not block. */
  takeover?: boolean;
}

/** Whether a factory may print this order's waybill now, and if not, why (M7, D4). */
export function printability(order: OrderState, opts: PrintabilityOptions = {}): Printability {
  const alloc = order.allocation;
  if (!alloc || (opts.factoryShopId !== undefined && alloc.factoryShopId !== opts.factoryShopId)) {
    return blocked('not_allocated');
  }
  if (order.status === 'cancelled') return blocked('order_cancelled');
  if (alloc.status === 'cancelled') return blocked(cancelledAllocationReason(order));
  if (order.status === 'shipped') return blocked('order_shipped');
  const returned = order.waybill?.status === 'returned';
  if (returned) return opts.reprint ? { printable: true } : blocked('waybill_returned');
  if (order.afterSale === 'open') return blocked('after_sale');
  if (order.audit === 'hold') return blocked('audit_hold');
  if (isWaybillStale(order)) return blocked('address_changed');
  // Last: an abnormal order is reported as abnormal whoever holds it, and a takeover never overrides that.
  if (isClaimedElsewhere(order, opts)) return blocked('printing_elsewhere');
  return { printable: true };
}

/** The order's issued number is held by a station other than the one asking, and it is not taking over. */
function isClaimedElsewhere(order: OrderState, opts: PrintabilityOptions): boolean {
  const wb = order.waybill;
  if (opts.stationId === undefined || opts.takeover || wb === null || wb.status !== 'issued') return false;
  return wb.claim !== null && wb.claim.stationId !== opts.stationId;
}

/**
 * An allocation that after-sale or audit cancelled (M3) is reported by its live cause, so the worker
 * reads 订单售后中 rather than 已取消分配; once the cause has passed, the cancellation itself is the reason.
 */
function cancelledAllocationReason(order: OrderState): BlockReason {
  const cause = order.allocation?.cancelReason;
  if (cause === 'after_sale' && order.afterSale === 'open') return 'after_sale';
  if (cause === 'audit_hold' && order.audit === 'hold') return 'audit_hold';
  return 'allocation_cancelled';
}

/** A waybill issued before the latest address change carries the old address (M7). */
export function isWaybillStale(order: OrderState): boolean {
  const wb = order.waybill;
  return wb !== null && wb.status === 'issued' && wb.addressVersion < order.addressVersion;
}

export type Allocatability = { allocatable: true } | { allocatable: false; reason: AllocationRefusal };

export interface AllocatabilityOptions {
  /** Whether the merchant has an accepted binding with the target factory (M2). */
  bound: boolean;
}

/** Whether a merchant may allocate this order to a factory now (M3). */
export function allocatability(order: OrderState | null, opts: AllocatabilityOptions): Allocatability {
  if (!order) return refused('not_found');
  if (order.status === 'cancelled') return refused('order_cancelled');
  if (order.status === 'shipped') return refused('order_shipped');
  if (order.afterSale === 'open') return refused('after_sale');
  if (order.audit === 'hold') return refused('audit_hold');
  if (order.allocation?.status === 'allocated') return refused('already_allocated');
  if (!opts.bound) return refused('not_bound');
  return { allocatable: true };
}

/**
 * M3: an allocated order that enters after-sale or audit is un-allocated automatically,
 * as is one whose order is cancelled. Once the tracking number is returned, the parcel is
 * out of the system's hands (the seed: handled offline), so nothing is undone then.
 * Returns the reason to record, or null when the allocation stands.
 */
export function autoUnallocateReason(order: OrderState): AllocationCancelReason | null {
  if (order.allocation?.status !== 'allocated') return null;
  if (order.waybill?.status === 'returned') return null;
  if (order.status === 'cancelled') return 'order_cancelled';
  if (order.afterSale === 'open') return 'after_sale';
  if (order.audit === 'hold') return 'audit_hold';
  return null;
}

function blocked(reason: BlockReason): Printability {
  return { printable: false, reason };
}

function refused(reason: AllocationRefusal): Allocatability {
  return { allocatable: false, reason };
}
