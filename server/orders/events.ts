/**
 * Platform events on an order (address change, after-sale, audit, cancel) and the automatic
 * un-allocation they may cause (M3), decided by shared `autoUnallocateReason()`.
 * A change to an order is pushed to the feed of every factory that has ever had it, so each
 * factory's view of the order stays equal to what a fresh reset would give.
 */
import { autoUnallocateReason } from '../../shared/domain/rules.ts';
import { maskRecipient } from '../../shared/domain/masking.ts';
import type { AllocationCancelReason } from '../../shared/domain/types.ts';
import type { MerchantOrder, PlatformOrderEventRequest } from '../../shared/api/orders.ts';
import type { HubContext } from '../context.ts';
import { nowIso } from '../context.ts';
import { DomainError } from '../errors.ts';
import { endAllocations, insertEvents } from './allocation.ts';
import { loadOrdersById, merchantOrderView, orderStateOf } from './orders.ts';
import { lockOrders, writeTx, type Tx } from '../db/tx.ts';
import { recordFeedChanges } from '../stations/feed-versions.ts';
import type { OrdersTable } from '../db/schema.ts';
import type { Updateable } from 'kysely';

/**
 * What a platform event means once the order has shipped: the parcel is with the courier. After-sale
 * is how a shipped order is returned or refunded, so it is recorded (nothing is un-allocated: the
 * number was returned). Cancelling, changing the address or holding for audit can no longer reach
 * the parcel, and are refused.
 */
const SHIPPED_ORDER_REFUSALS: Partial<Record<PlatformOrderEventRequest['type'], string>> = {
  cancelled: '订单已发货，不能取消（请走售后）',
  address_changed: '订单已发货，不能修改收货地址',
  audit_hold: '订单已发货，不能再审核',
  audit_released: '订单已发货，不能再审核',
};

/** The factories whose feed holds this order. */
export async function factoriesHavingOrder(trx: Tx, orderId: number): Promise<number[]> {
  const rows = await trx.selectFrom('feed_entries').select('factory_shop_id').where('order_id', '=', orderId).execute();
  return rows.map((r) => r.factory_shop_id).sort((a, b) => a - b);
}

export async function applyPlatformEvent(
  ctx: HubContext,
  sn: string,
  event: PlatformOrderEventRequest,
): Promise<{ order: MerchantOrder; autoUnallocated: AllocationCancelReason | null }> {
  const at = nowIso(ctx);
  return writeTx(ctx, async (trx) => {
    const found = await trx.selectFrom('orders').select('id').where('sn', '=', sn).executeTakeFirst();
    if (!found) throw new DomainError('ORDER_NOT_FOUND', '订单不存在');
    await lockOrders(trx, ctx, [found.id]);
    // Under the order's lock: no factory can get the order meanwhile (allocating locks it too).
    const factories = await factoriesHavingOrder(trx, found.id);

    const o = (await loadOrdersById(trx, [found.id])).get(found.id)!;
    if (o.row.status === 'cancelled') throw new DomainError('ORDER_CANCELLED', '订单已取消');
    if (o.row.status === 'shipped') {
      const refusal = SHIPPED_ORDER_REFUSALS[event.type];
      if (refusal) throw new DomainError('ORDER_SHIPPED', refusal);
    }

    const patch: Updateable<OrdersTable> = { updated_at: at };
    switch (event.type) {
      case 'address_changed':
        Object.assign(patch, {
          address_version: o.row.address_version + 1,
          recipient_name: event.recipient.name,
          recipient_phone: event.recipient.phone,
          recipient_province: event.recipient.province,
          recipient_city: event.recipient.city,
          recipient_district: event.recipient.district,
          recipient_detail: event.recipient.detail,
          masked_recipient_json: JSON.stringify(maskRecipient(event.recipient)),
        });
        break;
      case 'after_sale_opened':
        patch.after_sale = 'open';
        break;
      case 'after_sale_closed':
        patch.after_sale = 'closed';
        break;
      case 'audit_hold':
        patch.audit = 'hold';
        break;
      case 'audit_released':
        patch.audit = 'released';
        break;
      case 'cancelled':
        patch.status = 'cancelled';
        break;
    }
    await trx.updateTable('orders').set(patch).where('id', '=', o.row.id).execute();
    await insertEvents(trx, [o.row.id], event.type, null, null, at);
    o.row = { ...o.row, ...patch } as typeof o.row;

    const reason = autoUnallocateReason(orderStateOf(o));
    if (reason && o.allocation) {
      await endAllocations(
        trx,
        [{ id: o.allocation.id, orderId: o.row.id, factoryShopId: o.allocation.factory_shop_id }],
        reason,
        at,
      );
      o.allocation = { ...o.allocation, status: 'cancelled', cancelled_at: at, cancel_reason: reason };
    }
    // Last (db/tx.ts lock order): every factory that has the order hears of it.
    await recordFeedChanges(trx, new Map(factories.map((f) => [f, [o.row.id]])));
    return { order: merchantOrderView(o), autoUnallocated: reason };
  });
}
