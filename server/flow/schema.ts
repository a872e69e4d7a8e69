/**
 * Kysely types of the [hub-flow] tables (migration 0002_flow), on top of the core's Database.
 * The flow code works on `FlowDb`, the same connection seen with these tables added.
 */
import type { Generated, Kysely, Transaction } from 'kysely';
import type { Database, WaybillsTable } from '../db/schema.ts';
import type { Courier } from '../../shared/domain/types.ts';

export interface FlowWaybillsTable extends WaybillsTable {
  printed_at: string | null;
  /** 1 when printed offline under the grace policy (D5). */
  unverified: number | null;
  /** JSON string[] of extra parcel numbers. */
  slave_waybill_nos: string | null;
  returned_station_id: number | null;
  /** station | address_changed | takeover | station_revoked, or the station's own words. */
  cancel_reason: string | null;
}

export interface WaybillSerialsTable {
  courier: Courier;
  last_serial: number;
}

export interface StationClientsTable {
  client_id: string;
  factory_shop_id: number;
  station_id: number;
  last_mutation_id: number;
  updated_at: string;
}

export interface MutationResultsTable {
  client_id: string;
  mutation_id: number;
  result_json: string;
}

export interface ReturnAddressesTable {
  id: Generated<number>;
  merchant_shop_id: number;
  name: string;
  phone: string;
  address: string;
  is_default: number;
  created_at: string;
  deleted_at: string | null;
}

export interface ShipmentsTable {
  order_id: number;
  merchant_shop_id: number;
  factory_shop_id: number;
  waybill_no: string;
  courier: string;
  return_address_id: number;
  warning: string | null;
  shipped_at: string;
}

export interface SettlementPricesTable {
  id: Generated<number>;
  factory_shop_id: number;
  merchant_shop_id: number;
  sku_id: string;
  price_fen: number;
  valid_from: string;
}

export interface StatementsTable {
  id: Generated<number>;
  merchant_shop_id: number;
  factory_shop_id: number;
  from_at: string;
  to_at: string;
  status: 'pending' | 'ready' | 'failed';
  created_at: string;
  ready_at: string | null;
  order_count: number | null;
  row_count: number | null;
  total_quantity: number | null;
  total_fen: number | null;
  missing_price_rows: number | null;
  error: string | null;
  attempts: number;
  lease_owner: string | null;
  /** Real (wall) time, not the injectable clock: leases are about processes, not business time. */
  lease_until_ms: number | null;
}

export interface StatementRowsTable {
  statement_id: number;
  seq: number;
  order_sn: string;
  goods_name: string;
  spec: string;
  sku_id: string;
  quantity: number;
  unit_price_fen: number | null;
  amount_fen: number | null;
  courier: string;
  waybill_no: string;
  allocated_at: string;
  returned_at: string;
}

export interface FlowDatabase extends Omit<Database, 'waybills'> {
  waybills: FlowWaybillsTable;
  waybill_serials: WaybillSerialsTable;
  station_clients: StationClientsTable;
  mutation_results: MutationResultsTable;
  return_addresses: ReturnAddressesTable;
  shipments: ShipmentsTable;
  settlement_prices: SettlementPricesTable;
  statements: StatementsTable;
  statement_rows: StatementRowsTable;
}

export type FlowDb = Kysely<FlowDatabase>;
export type FlowTx = Transaction<FlowDatabase>;

/** The same connection, typed with the flow tables. */
export function flowDb(db: Kysely<Database>): FlowDb {
  return db as unknown as FlowDb;
}

export function flowTx(trx: Transaction<Database>): FlowTx {
  return trx as unknown as FlowTx;
}
