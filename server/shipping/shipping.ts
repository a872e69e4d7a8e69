/**
 * M6: return addresses (退货地址) and shipping (发货). An order ships only after its tracking number
 * was returned (回传); it then becomes `shipped`, which the factory feed shows. After-sale opened
 * after the return does not block shipping (the seed: handled offline), but the result warns.
 */
import type { ReturnAddressesTable } from '../db/schema.ts';
import type { ReturnAddress, ReturnAddressInput, ShipmentResult, ShipmentsRequest } from '../../shared/api/shipping.ts';
import { SHIPMENT_REFUSALS } from '../../shared/api/shipping.ts';
import type { HubContext } from '../context.ts';
import { DomainError } from '../errors.ts';
import { loadOrdersBySn } from '../orders/orders.ts';
import { chunks, lockOrdersBySn, writeTx, type Tx } from '../db/tx.ts';
import { recordFeedChanges } from '../stations/feed-versions.ts';
import type { Selectable } from 'kysely';

const AFTER_SALE_WARNING = '订单在回传运单号后发起了售后，已照常发货，请线下处理售后';

function view(r: Selectable<ReturnAddressesTable>): ReturnAddress {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    address: r.address,
    isDefault: r.is_default === 1,
    createdAt: r.created_at,
  };
}

function notFound(): DomainError {
  return new DomainError('RETURN_ADDRESS_NOT_FOUND', '退货地址不存在');
}

export async function listReturnAddresses(ctx: HubContext, merchantId: number): Promise<ReturnAddress[]> {
  const rows = await ctx.db
    .selectFrom('return_addresses')
    .selectAll()
    .where('merchant_shop_id', '=', merchantId)
    .where('deleted_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map(view);
}

export async function createReturnAddress(
  ctx: HubContext,
  merchantId: number,
  input: ReturnAddressInput,
): Promise<ReturnAddress> {
  return writeTx(ctx, async (trx) => {
    const t = trx;
    const now = ctx.clock.now().toISOString();
    const existing = await t
      .selectFrom('return_addresses')
      .select('id')
      .where('merchant_shop_id', '=', merchantId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    // The first address is the default; a new default takes over from the old one.
    const isDefault = input.isDefault === true || !existing;
    if (isDefault) await clearDefault(t, merchantId);
    const row = await t
      .insertInto('return_addresses')
      .values({
        merchant_shop_id: merchantId,
        name: input.name,
        phone: input.phone,
        address: input.address,
        is_default: isDefault ? 1 : 0,
        created_at: now,
        deleted_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return view(row);
  });
}

async function clearDefault(t: Tx, merchantId: number): Promise<void> {
  await t
    .updateTable('return_addresses')
    .set({ is_default: 0 })
    .where('merchant_shop_id', '=', merchantId)
    .where('is_default', '=', 1)
    .execute();
}

export async function updateReturnAddress(
  ctx: HubContext,
  merchantId: number,
  id: number,
  input: ReturnAddressInput,
): Promise<ReturnAddress> {
  return writeTx(ctx, async (trx) => {
    const t = trx;
    const cur = await t
      .selectFrom('return_addresses')
      .selectAll()
      .where('id', '=', id)
      .where('merchant_shop_id', '=', merchantId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (!cur) throw notFound();
    if (input.isDefault === true) await clearDefault(t, merchantId);
    const row = await t
      .updateTable('return_addresses')
      .set({
        name: input.name,
        phone: input.phone,
        address: input.address,
        is_default: input.isDefault === undefined ? cur.is_default : input.isDefault ? 1 : 0,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return view(row);
  });
}

/** Soft delete: shipments keep pointing at the address they used. */
export async function deleteReturnAddress(ctx: HubContext, merchantId: number, id: number): Promise<void> {
  const res = await ctx.db
    .updateTable('return_addresses')
    .set({ deleted_at: ctx.clock.now().toISOString(), is_default: 0 })
    .where('id', '=', id)
    .where('merchant_shop_id', '=', merchantId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw notFound();
}

/** Per order, the factories whose feed holds it. */
async function feedFactoriesOf(trx: Tx, orderIds: number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (const part of chunks(orderIds, 1000)) {
    const rows = await trx
      .selectFrom('feed_entries')
      .select(['order_id', 'factory_shop_id'])
      .where('order_id', 'in', part)
      .execute();
    for (const r of rows) out.set(r.order_id, [...(out.get(r.order_id) ?? []), r.factory_shop_id]);
  }
  return out;
}

export async function shipOrders(
  ctx: HubContext,
  merchantId: number,
  req: ShipmentsRequest,
): Promise<ShipmentResult[]> {
  const addr = await ctx.db
    .selectFrom('return_addresses')
    .select('id')
    .where('id', '=', req.returnAddressId)
    .where('merchant_shop_id', '=', merchantId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!addr) throw notFound();
  const sns = [...new Set(req.orderSns)];

  const bySn = await writeTx(ctx, async (trx) => {
    const t = trx;
    const now = ctx.clock.now().toISOString();
    await lockOrdersBySn(trx, ctx, sns, merchantId);
    const loaded = await loadOrdersBySn(trx, sns, { merchantShopId: merchantId });
    // The status is in the snapshot of every factory that ever had the order (an earlier, cancelled
    // allocation too), so each of their feeds gets the change, not only the current factory's.
    const factoriesOf = await feedFactoriesOf(
      trx,
      [...loaded.values()].map((o) => o.row.id),
    );
    const out = new Map<string, ShipmentResult>();
    const changed = new Map<number, number[]>();
    for (const sn of sns) {
      const o = loaded.get(sn);
      const refuse = (reason: keyof typeof SHIPMENT_REFUSALS): void => {
        out.set(sn, { orderSn: sn, status: 'refused', reason, message: SHIPMENT_REFUSALS[reason] });
      };
      if (!o) {
        refuse('not_found');
        continue;
      }
      if (o.row.status === 'shipped') refuse('already_shipped');
      else if (o.row.status === 'cancelled') refuse('order_cancelled');
      // Cancelled by the merchant or on after-sale: no number can come back for it, so it is not waiting for one.
      else if (o.allocation?.status !== 'allocated') refuse('not_allocated');
      else if (o.waybill?.status !== 'returned') refuse('not_returned');
      else {
        const w = o.waybill;
        const F = o.allocation!.factory_shop_id;
        // Before the return an open after-sale blocks printing and un-allocates, so an open one here opened after it.
        const warning =
          o.row.after_sale === 'open'
            ? { code: 'after_sale_after_return' as const, message: AFTER_SALE_WARNING }
            : undefined;
        await t.updateTable('orders').set({ status: 'shipped', updated_at: now }).where('id', '=', o.row.id).execute();
        await t
          .insertInto('shipments')
          .values({
            order_id: o.row.id,
            merchant_shop_id: merchantId,
            factory_shop_id: F,
            waybill_no: w.waybill_no,
            courier: w.courier,
            return_address_id: addr.id,
            warning: warning ? warning.code : null,
            shipped_at: now,
          })
          .execute();
        await t
          .insertInto('order_events')
          .values({
            order_id: o.row.id,
            type: 'shipped',
            factory_shop_id: F,
            reason: warning ? warning.code : null,
            at: now,
          })
          .execute();
        for (const f of new Set([F, ...(factoriesOf.get(o.row.id) ?? [])])) {
          changed.set(f, [...(changed.get(f) ?? []), o.row.id]);
        }
        out.set(sn, {
          orderSn: sn,
          status: 'shipped',
          waybillNo: w.waybill_no,
          courier: w.courier,
          shippedAt: now,
          ...(warning ? { warning } : {}),
        });
      }
    }
    // Last (db/tx.ts lock order).
    await recordFeedChanges(trx, changed);
    return out;
  });
  return req.orderSns.map((sn) => bySn.get(sn)!);
}
