/**
 * Loading orders with their allocation and waybill, in batches (no N+1), and turning them
 * into the domain's OrderState and the API's views. Rules are never re-derived here: they come
 * from shared/domain (printability, masking).
 */
import type { Kysely, Selectable } from 'kysely';
import type {
  Allocation,
  MaskedRecipient,
  OrderItem,
  OrderState,
  Recipient,
  Waybill,
} from '../../shared/domain/types.ts';
import { printability } from '../../shared/domain/rules.ts';
import type { FactoryOrderSnapshot, MerchantOrder } from '../../shared/api/orders.ts';
import type { AllocationsTable, Database, OrdersTable, WaybillsTable } from '../db/schema.ts';
import { chunks } from '../db/tx.ts';
import { inList } from '../db/sql.ts';

export type OrderRow = Selectable<OrdersTable>;
export type AllocationRow = Selectable<AllocationsTable>;
export type WaybillRow = Selectable<WaybillsTable>;
type Db = Kysely<Database>;

/** A station that holds (or held) a waybill's claim. A revoked station's claim blocks nobody. */
export interface ClaimHolder {
  id: number;
  name: string;
  revokedAt: string | null;
}

/** An order as the hub holds it, from one party's point of view. */
export interface LoadedOrder {
  row: OrderRow;
  /** The latest allocation (of this factory, when loaded for a factory). */
  allocation: AllocationRow | null;
  /** The current (not cancelled) waybill of that allocation's factory. */
  waybill: WaybillRow | null;
  /** The station holding that waybill's claim, live or revoked; null when there is none. */
  holder: ClaimHolder | null;
}

export function unloadedOrder(row: OrderRow): LoadedOrder {
  return { row, allocation: null, waybill: null, holder: null };
}

export function itemsOf(row: OrderRow): OrderItem[] {
  return JSON.parse(row.items_json) as OrderItem[];
}

export function recipientOf(row: OrderRow): Recipient {
  return {
    name: row.recipient_name,
    phone: row.recipient_phone,
    province: row.recipient_province,
    city: row.recipient_city,
    district: row.recipient_district,
    detail: row.recipient_detail,
  };
}

/** The masked recipient stored with the row (maskRecipient() at write time). */
export function maskedRecipientOf(row: OrderRow): MaskedRecipient {
  return JSON.parse(row.masked_recipient_json) as MaskedRecipient;
}

export function allocationOf(a: AllocationRow): Allocation {
  return {
    factoryShopId: a.factory_shop_id,
    status: a.status,
    allocatedAt: a.allocated_at,
    cancelledAt: a.cancelled_at,
    cancelReason: a.cancel_reason,
  };
}

export function waybillOf(w: WaybillRow, holder: ClaimHolder | null): Waybill {
  const live = holder !== null && holder.id === w.station_id && holder.revokedAt === null;
  return {
    waybillNo: w.waybill_no,
    courier: w.courier,
    addressVersion: w.address_version,
    status: w.status,
    issuedAt: w.issued_at,
    returnedAt: w.returned_at,
    claim: live ? { stationId: holder.id, stationName: holder.name, claimedAt: w.claimed_at ?? w.issued_at } : null,
  };
}

export function orderStateOf(o: LoadedOrder): OrderState {
  return {
    status: o.row.status,
    afterSale: o.row.after_sale,
    audit: o.row.audit,
    addressVersion: o.row.address_version,
    allocation: o.allocation ? allocationOf(o.allocation) : null,
    waybill: o.waybill ? waybillOf(o.waybill, o.holder) : null,
  };
}

/**
 * Load orders by id with their latest allocation and current waybill. With `factoryShopId`,
 * only that factory's allocations and waybills count (its own view of the order).
 */
export async function loadOrdersById(
  db: Db,
  orderIds: number[],
  opts: { factoryShopId?: number } = {},
): Promise<Map<number, LoadedOrder>> {
  const out = new Map<number, LoadedOrder>();
  const ids = [...new Set(orderIds)];
  for (const part of chunks(ids, 1000)) {
    const rows = await db
      .selectFrom('orders')
      .selectAll()
      .where(inList(db, 'id', part))
      .execute();
    for (const row of rows) out.set(row.id, unloadedOrder(row));
  }
  await attachAllocationsAndWaybills(db, out, opts);
  return out;
}

/** Same, by sn; sns not found are absent from the map. `merchantShopId` restricts to one merchant's orders. */
export async function loadOrdersBySn(
  db: Db,
  sns: string[],
  opts: { factoryShopId?: number; merchantShopId?: number } = {},
): Promise<Map<string, LoadedOrder>> {
  const byId = new Map<number, LoadedOrder>();
  for (const part of chunks([...new Set(sns)], 1000)) {
    let q = db
      .selectFrom('orders')
      .selectAll()
      .where(inList(db, 'sn', part));
    if (opts.merchantShopId !== undefined) q = q.where('merchant_shop_id', '=', opts.merchantShopId);
    for (const row of await q.execute()) byId.set(row.id, unloadedOrder(row));
  }
  await attachAllocationsAndWaybills(db, byId, opts);
  const out = new Map<string, LoadedOrder>();
  for (const o of byId.values()) out.set(o.row.sn, o);
  return out;
}

export async function attachAllocationsAndWaybills(
  db: Db,
  orders: Map<number, LoadedOrder>,
  opts: { factoryShopId?: number },
): Promise<void> {
  const ids = [...orders.keys()];
  for (const part of chunks(ids, 1000)) {
    let aq = db
      .selectFrom('allocations')
      .selectAll()
      .where(inList(db, 'order_id', part));
    if (opts.factoryShopId !== undefined) aq = aq.where('factory_shop_id', '=', opts.factoryShopId);
    // Ascending id: the last one seen per order is its latest.
    for (const a of await aq.orderBy('id').execute()) orders.get(a.order_id)!.allocation = a;

    let wq = db
      .selectFrom('waybills')
      .selectAll()
      .where(inList(db, 'order_id', part))
      .where('status', '!=', 'cancelled');
    if (opts.factoryShopId !== undefined) wq = wq.where('factory_shop_id', '=', opts.factoryShopId);
    for (const w of await wq.orderBy('id').execute()) {
      const o = orders.get(w.order_id)!;
      // Only the waybill of the factory the order is (or was last) allocated to describes it.
      if (o.allocation && o.allocation.factory_shop_id === w.factory_shop_id) o.waybill = w;
    }
  }
  const holders = await loadClaimHolders(
    db,
    [...orders.values()].flatMap((o) => (o.waybill?.station_id != null ? [o.waybill.station_id] : [])),
  );
  for (const o of orders.values()) o.holder = holders.get(o.waybill?.station_id ?? -1) ?? null;
}

export async function loadClaimHolders(db: Db, stationIds: number[]): Promise<Map<number, ClaimHolder>> {
  const out = new Map<number, ClaimHolder>();
  for (const part of chunks([...new Set(stationIds)], 1000)) {
    const rows = await db
      .selectFrom('stations')
      .select(['id', 'name', 'revoked_at'])
      .where(inList(db, 'id', part))
      .execute();
    for (const r of rows) out.set(r.id, { id: r.id, name: r.name, revokedAt: r.revoked_at });
  }
  return out;
}

export function merchantOrderView(o: LoadedOrder): MerchantOrder {
  const state = orderStateOf(o);
  return {
    sn: o.row.sn,
    status: state.status,
    afterSale: state.afterSale,
    audit: state.audit,
    addressVersion: state.addressVersion,
    items: itemsOf(o.row),
    recipient: recipientOf(o.row),
    createdAt: o.row.created_at,
    allocation: state.allocation,
    waybill: state.waybill,
  };
}

export interface MerchantInfo {
  displayName: string;
  shipper: { name: string; phone: string; address: string } | null;
}

export async function loadMerchantInfo(db: Db, merchantIds: number[]): Promise<Map<number, MerchantInfo>> {
  const out = new Map<number, MerchantInfo>();
  const ids = [...new Set(merchantIds)];
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('shops')
    .leftJoin('merchant_profiles', 'merchant_profiles.shop_id', 'shops.id')
    .select([
      'shops.id',
      'shops.name',
      'merchant_profiles.display_name',
      'merchant_profiles.shipper_name',
      'merchant_profiles.shipper_phone',
      'merchant_profiles.shipper_address',
    ])
    .where('shops.id', 'in', ids)
    .execute();
  for (const r of rows) {
    out.set(r.id, {
      displayName: r.display_name ?? r.name,
      shipper:
        r.shipper_name !== null && r.shipper_phone !== null && r.shipper_address !== null
          ? { name: r.shipper_name, phone: r.shipper_phone, address: r.shipper_address }
          : null,
    });
  }
  return out;
}

/**
 * The masked snapshot a factory (and its stations) receives (M4). The order must have been
 * loaded for this factory, so its allocation is this factory's.
 */
export function factorySnapshot(
  o: LoadedOrder,
  factoryShopId: number,
  version: number,
  merchant: MerchantInfo | undefined,
): FactoryOrderSnapshot {
  const state = orderStateOf(o);
  if (!state.allocation || state.allocation.factoryShopId !== factoryShopId) {
    throw new Error(`order ${o.row.sn} was never allocated to factory ${factoryShopId}`);
  }
  const p = printability(state, { factoryShopId });
  return {
    orderSn: o.row.sn,
    version,
    merchantShopId: o.row.merchant_shop_id,
    merchantDisplayName: merchant?.displayName ?? '',
    shipper: merchant?.shipper ?? null,
    items: itemsOf(o.row),
    recipient: maskedRecipientOf(o.row),
    status: state.status,
    afterSale: state.afterSale,
    audit: state.audit,
    addressVersion: state.addressVersion,
    allocation: state.allocation,
    waybill: state.waybill,
    printable: p.printable,
    reason: p.printable ? null : p.reason,
    createdAt: o.row.created_at,
  };
}
