/**
 * Loading orders with their allocation and waybill, in batches (no N+1), and turning them
 * into the domain's OrderState and the API's views. Rules are never re-derived here: they come
 * from shared/domain (printability, masking).
 */
import { sql, type Kysely, type Selectable, type SqlBool } from 'kysely';
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
  /** The version of the order's entry in the factory's feed (0: none), when loaded `withFeedVersion`. */
  feedVersion?: number;
  /** The merchant's name and shipper, when loaded `withMerchant`. */
  merchant?: MerchantInfo;
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

/** Columns of the rows an order is loaded with, each read under a prefix (`a__id`, `w__status`…). */
const ALLOCATION_COLUMNS = [
  'id',
  'order_id',
  'merchant_shop_id',
  'factory_shop_id',
  'status',
  'allocated_at',
  'cancelled_at',
  'cancel_reason',
] as const satisfies readonly (keyof AllocationRow)[];
const WAYBILL_COLUMNS = [
  'id',
  'order_id',
  'order_sn',
  'factory_shop_id',
  'waybill_no',
  'courier',
  'address_version',
  'status',
  'issued_at',
  'returned_at',
  'cancelled_at',
  'station_id',
  'claimed_at',
  'printed_at',
  'unverified',
  'slave_waybill_nos',
  'returned_station_id',
  'cancel_reason',
] as const satisfies readonly (keyof WaybillRow)[];

export interface LoadOptions {
  /** Only this factory's allocations and waybills count (its own view of the order). */
  factoryShopId?: number;
  /** Only this merchant's orders. */
  merchantShopId?: number;
  /** Also the version of each order's entry in the factory's feed (needs factoryShopId). */
  withFeedVersion?: boolean;
  /** Also the merchant's display name and shipper (what a factory's snapshot shows). */
  withMerchant?: boolean;
}

/**
 * Orders with their latest allocation (of the factory, when given), the current waybill of that
 * allocation's factory (the newest one not cancelled) and the station holding its claim, in ONE
 * statement: on PostgreSQL every statement is a round trip, and a single statement also reads one
 * consistent snapshot without a transaction. Inside a write transaction, lock the orders first
 * (lockOrders) and load them after: a statement that waited for a row lock still reads the other
 * tables as they were when it started.
 */
async function loadOrders(
  db: Db,
  where: { column: 'id'; values: number[] } | { column: 'sn'; values: string[] },
  opts: LoadOptions,
): Promise<LoadedOrder[]> {
  const out: LoadedOrder[] = [];
  for (const part of chunks<string | number>([...new Set<string | number>(where.values)], 1000)) {
    const F = opts.factoryShopId;
    let q = db
      .selectFrom('orders as o')
      .leftJoin('allocations as a', (j) =>
        j.on(
          sql<SqlBool>`a.id = (select max(a2.id) from allocations a2 where a2.order_id = o.id${
            F === undefined ? sql`` : sql` and a2.factory_shop_id = ${F}`
          })`,
        ),
      )
      .leftJoin('waybills as w', (j) =>
        j.on(
          sql<SqlBool>`w.id = (select max(w2.id) from waybills w2 where w2.order_id = o.id
                         and w2.factory_shop_id = a.factory_shop_id and w2.status <> 'cancelled')`,
        ),
      )
      .leftJoin('stations as s', 's.id', 'w.station_id')
      .selectAll('o')
      .select([
        ...ALLOCATION_COLUMNS.map((c) => sql.ref(`a.${c}`).as(`a__${c}`)),
        ...WAYBILL_COLUMNS.map((c) => sql.ref(`w.${c}`).as(`w__${c}`)),
        sql.ref('s.name').as('s__name'),
        sql.ref('s.revoked_at').as('s__revoked_at'),
      ])
      .where(inList(db, `o.${where.column}`, part));
    if (opts.merchantShopId !== undefined) q = q.where('o.merchant_shop_id', '=', opts.merchantShopId);
    if (opts.withFeedVersion && F !== undefined) {
      q = q
        .leftJoin('feed_entries as fe', (j) => j.onRef('fe.order_id', '=', 'o.id').on('fe.factory_shop_id', '=', F))
        .select(sql.ref('fe.version').as('s__feed_version'));
    }
    if (opts.withMerchant) {
      q = q
        .innerJoin('shops as m', 'm.id', 'o.merchant_shop_id')
        .leftJoin('merchant_profiles as mp', 'mp.shop_id', 'o.merchant_shop_id')
        .select([
          sql.ref('m.name').as('s__shop_name'),
          sql.ref('mp.display_name').as('s__display_name'),
          sql.ref('mp.shipper_name').as('s__shipper_name'),
          sql.ref('mp.shipper_phone').as('s__shipper_phone'),
          sql.ref('mp.shipper_address').as('s__shipper_address'),
        ]);
    }
    for (const r of (await q.execute()) as Array<Record<string, unknown>>) {
      const row = {} as Record<string, unknown>;
      const a = {} as Record<string, unknown>;
      const w = {} as Record<string, unknown>;
      for (const [k, v] of Object.entries(r)) {
        if (k.startsWith('a__')) a[k.slice(3)] = v;
        else if (k.startsWith('w__')) w[k.slice(3)] = v;
        else if (!k.startsWith('s__')) row[k] = v;
      }
      const waybill = w.id == null ? null : (w as unknown as WaybillRow);
      out.push({
        ...(opts.withFeedVersion ? { feedVersion: (r.s__feed_version as number | null) ?? 0 } : {}),
        ...(opts.withMerchant ? { merchant: merchantInfoOf(r) } : {}),
        row: row as OrderRow,
        allocation: a.id == null ? null : (a as unknown as AllocationRow),
        waybill,
        holder:
          waybill?.station_id != null && r.s__name != null
            ? {
                id: waybill.station_id,
                name: r.s__name as string,
                revokedAt: (r.s__revoked_at as string | null) ?? null,
              }
            : null,
      });
    }
  }
  return out;
}

/** Load orders by id with their latest allocation and current waybill (see loadOrders). */
export async function loadOrdersById(
  db: Db,
  orderIds: number[],
  opts: LoadOptions = {},
): Promise<Map<number, LoadedOrder>> {
  const loaded = await loadOrders(db, { column: 'id', values: orderIds }, opts);
  return new Map(loaded.map((o) => [o.row.id, o]));
}

/** Same, by sn; sns not found are absent from the map. */
export async function loadOrdersBySn(db: Db, sns: string[], opts: LoadOptions = {}): Promise<Map<string, LoadedOrder>> {
  const loaded = await loadOrders(db, { column: 'sn', values: sns }, opts);
  return new Map(loaded.map((o) => [o.row.sn, o]));
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
    .selectFrom('shops as m')
    .leftJoin('merchant_profiles as mp', 'mp.shop_id', 'm.id')
    .select([
      'm.id',
      sql.ref('m.name').as('s__shop_name'),
      sql.ref('mp.display_name').as('s__display_name'),
      sql.ref('mp.shipper_name').as('s__shipper_name'),
      sql.ref('mp.shipper_phone').as('s__shipper_phone'),
      sql.ref('mp.shipper_address').as('s__shipper_address'),
    ])
    .where(inList(db, 'm.id', ids))
    .execute();
  for (const r of rows) out.set(r.id, merchantInfoOf(r as Record<string, unknown>));
  return out;
}

/** The merchant's name and shipper from a row of shops ⟕ merchant_profiles (columns prefixed `s__`). */
function merchantInfoOf(r: Record<string, unknown>): MerchantInfo {
  const name = r.s__shipper_name as string | null;
  const phone = r.s__shipper_phone as string | null;
  const address = r.s__shipper_address as string | null;
  return {
    displayName: (r.s__display_name as string | null) ?? (r.s__shop_name as string),
    shipper: name !== null && phone !== null && address !== null ? { name, phone, address } : null,
  };
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
