/** The platform creating a merchant's orders, and the merchant's order lists. */
import type {
  CreatePlatformOrdersRequest,
  CreatePlatformOrdersResponse,
  MerchantOrderDetailResponse,
  MerchantOrdersResponse,
} from '../../shared/api/hub.ts';
import type { z } from 'zod';
import type { MerchantOrdersQuerySchema } from '../../shared/api/hub.ts';
import { maskRecipient } from '../../shared/domain/masking.ts';
import type { HubContext } from '../context.ts';
import { nowIso } from '../context.ts';
import { notFound, unprocessable } from '../http/errors.ts';
import { insertEvents } from './allocation.ts';
import {
  attachAllocationsAndWaybills,
  loadOrdersBySn,
  merchantOrderView,
  unloadedOrder,
  type LoadedOrder,
} from './orders.ts';
import { chunks, writeTx } from './tx.ts';
import { inList } from './sql.ts';

export async function createPlatformOrders(
  ctx: HubContext,
  req: CreatePlatformOrdersRequest,
): Promise<CreatePlatformOrdersResponse> {
  const at = nowIso(ctx);
  return writeTx(ctx, async (trx) => {
    const shop = await trx.selectFrom('shops').select('role').where('id', '=', req.merchantShopId).executeTakeFirst();
    if (!shop) throw notFound('SHOP_NOT_FOUND', '店铺不存在');
    if (shop.role !== 'merchant') throw unprocessable('NOT_A_MERCHANT', '该店铺不是商家，不能创建订单');
    const sns = req.orders.map((o) => o.sn);
    const existing = new Set<string>();
    for (const part of chunks([...new Set(sns)], 1000)) {
      for (const r of await trx
        .selectFrom('orders')
        .select('sn')
        .where(inList(trx, 'sn', part))
        .execute())
        existing.add(r.sn);
    }
    const results: CreatePlatformOrdersResponse['results'] = [];
    const fresh = [];
    for (const o of req.orders) {
      if (existing.has(o.sn)) {
        results.push({ orderSn: o.sn, result: 'exists' });
        continue;
      }
      existing.add(o.sn);
      results.push({ orderSn: o.sn, result: 'created' });
      fresh.push({
        sn: o.sn,
        merchant_shop_id: req.merchantShopId,
        status: 'awaiting_shipment' as const,
        after_sale: 'none' as const,
        audit: 'none' as const,
        address_version: 1,
        items_json: JSON.stringify(o.items),
        recipient_name: o.recipient.name,
        recipient_phone: o.recipient.phone,
        recipient_province: o.recipient.province,
        recipient_city: o.recipient.city,
        recipient_district: o.recipient.district,
        recipient_detail: o.recipient.detail,
        masked_recipient_json: JSON.stringify(maskRecipient(o.recipient)),
        created_at: o.createdAt ? new Date(o.createdAt).toISOString() : at,
        updated_at: at,
      });
    }
    for (const part of chunks(fresh, 200)) {
      const ids = await trx.insertInto('orders').values(part).returning('id').execute();
      await insertEvents(
        trx,
        ids.map((r) => r.id),
        'created',
        null,
        null,
        at,
      );
    }
    return { results };
  });
}

type MerchantOrdersQuery = z.output<typeof MerchantOrdersQuerySchema>;

export async function listMerchantOrders(
  ctx: HubContext,
  merchantShopId: number,
  q: MerchantOrdersQuery,
): Promise<MerchantOrdersResponse> {
  let query = ctx.db
    .selectFrom('orders')
    .selectAll('orders')
    .where('orders.merchant_shop_id', '=', merchantShopId)
    .where('orders.id', '>', q.cursor ? Number(q.cursor) : 0);
  if (q.status) query = query.where('orders.status', '=', q.status);
  if (q.allocation === 'allocated' || q.factoryShopId !== undefined) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('allocations')
          .select('allocations.id')
          .whereRef('allocations.order_id', '=', 'orders.id')
          .where('allocations.status', '=', 'allocated')
          .$if(q.factoryShopId !== undefined, (s) => s.where('allocations.factory_shop_id', '=', q.factoryShopId!)),
      ),
    );
  } else if (q.allocation === 'cancelled') {
    // The latest allocation ended (by the merchant or automatically): one ended, none live.
    query = query
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('allocations')
            .select('allocations.id')
            .whereRef('allocations.order_id', '=', 'orders.id')
            .where('allocations.status', '=', 'cancelled'),
        ),
      )
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('allocations')
              .select('allocations.id')
              .whereRef('allocations.order_id', '=', 'orders.id')
              .where('allocations.status', '=', 'allocated'),
          ),
        ),
      );
  } else if (q.allocation === 'unallocated') {
    query = query.where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('allocations')
            .select('allocations.id')
            .whereRef('allocations.order_id', '=', 'orders.id')
            .where('allocations.status', '=', 'allocated'),
        ),
      ),
    );
  }
  const rows = await query
    .orderBy('orders.id')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const loaded = new Map<number, LoadedOrder>(page.map((row) => [row.id, unloadedOrder(row)]));
  await attachAllocationsAndWaybills(ctx.db, loaded, {});
  const orders = page.map((r) => merchantOrderView(loaded.get(r.id)!));
  return { orders, nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null };
}

export async function merchantOrderDetail(
  ctx: HubContext,
  merchantShopId: number,
  sn: string,
): Promise<MerchantOrderDetailResponse> {
  const o = (await loadOrdersBySn(ctx.db, [sn], { merchantShopId })).get(sn);
  if (!o) throw notFound('ORDER_NOT_FOUND', '订单不存在');
  const events = await ctx.db
    .selectFrom('order_events')
    .select(['type', 'at', 'factory_shop_id', 'reason'])
    .where('order_id', '=', o.row.id)
    .orderBy('id')
    .execute();
  // M9: who reprinted a label and why, and every number that passed from one print station to another.
  const reprints = await ctx.db
    .selectFrom('label_reprints')
    .innerJoin('stations', 'stations.id', 'label_reprints.station_id')
    .select(['label_reprints.waybill_no', 'stations.name', 'label_reprints.reason', 'label_reprints.printed_at'])
    .where('label_reprints.order_id', '=', o.row.id)
    .orderBy('label_reprints.id')
    .execute();
  const takeovers = await ctx.db
    .selectFrom('waybill_takeovers')
    .innerJoin('stations as from_station', 'from_station.id', 'waybill_takeovers.from_station_id')
    .innerJoin('stations as to_station', 'to_station.id', 'waybill_takeovers.to_station_id')
    .select([
      'waybill_takeovers.old_waybill_no',
      'waybill_takeovers.new_waybill_no',
      'from_station.name as from_name',
      'to_station.name as to_name',
      'waybill_takeovers.reason',
      'waybill_takeovers.at',
    ])
    .where('waybill_takeovers.order_id', '=', o.row.id)
    .orderBy('waybill_takeovers.id')
    .execute();
  return {
    order: merchantOrderView(o),
    events: events.map((e) => ({ type: e.type, at: e.at, factoryShopId: e.factory_shop_id, reason: e.reason })),
    reprints: reprints.map((r) => ({
      waybillNo: r.waybill_no,
      stationName: r.name,
      reason: r.reason,
      printedAt: r.printed_at,
    })),
    takeovers: takeovers.map((t) => ({
      oldWaybillNo: t.old_waybill_no,
      newWaybillNo: t.new_waybill_no,
      fromStationName: t.from_name,
      toStationName: t.to_name,
      reason: t.reason,
      at: t.at,
    })),
  };
}
