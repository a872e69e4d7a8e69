/** The platform creating a merchant's orders, and the merchant's order lists. */
import type {
  CreatePlatformOrdersRequest,
  CreatePlatformOrdersResponse,
  MerchantOrderDetailResponse,
  MerchantOrdersResponse,
} from '../../shared/api/orders.ts';
import type { z } from 'zod';
import type { MerchantOrdersQuerySchema } from '../../shared/api/orders.ts';
import type { OrderStage } from '../../shared/domain/stages.ts';
import { sql, type ExpressionBuilder, type Selectable, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database, OrdersTable } from '../db/schema.ts';
import { maskRecipient } from '../../shared/domain/masking.ts';
import type { HubContext } from '../context.ts';
import { nowIso } from '../context.ts';
import { DomainError } from '../errors.ts';
import { insertEvents } from './allocation.ts';
import { loadOrdersById, loadOrdersBySn, merchantOrderView } from './orders.ts';
import { chunks, writeTx } from '../db/tx.ts';
import { inList } from '../db/sql.ts';

export async function createPlatformOrders(
  ctx: HubContext,
  req: CreatePlatformOrdersRequest,
): Promise<CreatePlatformOrdersResponse> {
  const at = nowIso(ctx);
  return writeTx(ctx, async (trx) => {
    const shop = await trx.selectFrom('shops').select('role').where('id', '=', req.merchantShopId).executeTakeFirst();
    if (!shop) throw new DomainError('SHOP_NOT_FOUND', '店铺不存在');
    if (shop.role !== 'merchant') throw new DomainError('NOT_A_MERCHANT', '该店铺不是商家，不能创建订单');
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
  const desc = q.order === 'desc';
  let query = ctx.db.selectFrom('orders').selectAll('orders').where('orders.merchant_shop_id', '=', merchantShopId);
  if (q.cursor) query = query.where('orders.id', desc ? '<' : '>', Number(q.cursor));
  if (q.status) query = query.where('orders.status', '=', q.status);
  if (q.createdFrom) query = query.where('orders.created_at', '>=', new Date(q.createdFrom).toISOString());
  if (q.createdTo) query = query.where('orders.created_at', '<', new Date(q.createdTo).toISOString());
  if (q.sn) query = query.where(contains('orders.sn', q.sn));
  // Goods names and SKU IDs live in the items JSON; a substring of it is what a person types.
  if (q.goods) query = query.where(contains('orders.items_json', JSON.stringify(q.goods).slice(1, -1)));
  if (q.stage) query = whereStage(query, q.stage);
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
    .orderBy('orders.id', desc ? 'desc' : 'asc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const loaded = await loadOrdersById(
    ctx.db,
    page.map((r) => r.id),
  );
  const orders = page.map((r) => merchantOrderView(loaded.get(r.id)!));
  return { orders, nextCursor: rows.length > q.limit ? String(page[page.length - 1]!.id) : null };
}

/** `column LIKE '%text%'`, where `%` and `_` typed by a person are literal text, not wildcards. */
function contains(column: string, text: string) {
  const pattern = `%${text.replace(/[%_!]/g, (c) => `!${c}`)}%`;
  return sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '!'`;
}

type OrdersQuery = SelectQueryBuilder<Database, 'orders', Selectable<OrdersTable>>;

/** The stages of the seed's flow (`orderStage()` in shared/domain/stages.ts), as conditions on one order row. */
function whereStage(query: OrdersQuery, stage: OrderStage): OrdersQuery {
  const live = (eb: ExpressionBuilder<Database, 'orders'>) =>
    eb
      .selectFrom('allocations')
      .select('allocations.id')
      .whereRef('allocations.order_id', '=', 'orders.id')
      .where('allocations.status', '=', 'allocated');
  const numberOfLiveFactory = (eb: ExpressionBuilder<Database, 'orders'>, status: 'issued' | 'returned') =>
    eb
      .selectFrom('waybills')
      .innerJoin('allocations', (j) =>
        j
          .onRef('allocations.order_id', '=', 'waybills.order_id')
          .onRef('allocations.factory_shop_id', '=', 'waybills.factory_shop_id')
          .on('allocations.status', '=', 'allocated'),
      )
      .select('waybills.id')
      .whereRef('waybills.order_id', '=', 'orders.id')
      .where('waybills.status', '=', status);
  const awaiting = query.where('orders.status', '=', 'awaiting_shipment');
  switch (stage) {
    case 'unallocated':
      return awaiting.where((eb) => eb.not(eb.exists(live(eb))));
    case 'allocated':
      return awaiting
        .where((eb) => eb.exists(live(eb)))
        .where((eb) => eb.not(eb.exists(numberOfLiveFactory(eb, 'issued'))))
        .where((eb) => eb.not(eb.exists(numberOfLiveFactory(eb, 'returned'))));
    case 'waybill_issued':
      return awaiting.where((eb) => eb.exists(numberOfLiveFactory(eb, 'issued')));
    case 'waybill_returned':
      return awaiting.where((eb) => eb.exists(numberOfLiveFactory(eb, 'returned')));
    case 'shipped':
      return query.where('orders.status', '=', 'shipped');
    case 'after_sale':
      return query.where('orders.after_sale', '=', 'open');
    case 'audit_hold':
      return query.where('orders.audit', '=', 'hold');
  }
}

export async function merchantOrderDetail(
  ctx: HubContext,
  merchantShopId: number,
  sn: string,
): Promise<MerchantOrderDetailResponse> {
  const o = (await loadOrdersBySn(ctx.db, [sn], { merchantShopId })).get(sn);
  if (!o) throw new DomainError('ORDER_NOT_FOUND', '订单不存在');
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
