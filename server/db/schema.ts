/**
 * Kysely table types of the hub. Times are ISO-8601 UTC text (sortable, portable across
 * SQLite and PostgreSQL); JSON is stored as text. Ids are integers on both databases.
 */
import type { Generated } from 'kysely';
import type { Courier } from '../../shared/domain/types.ts';

export interface ShopsTable {
  id: Generated<number>;
  name: string;
  /** null until the shop chooses (M1); one role per shop. */
  role: 'merchant' | 'factory' | null;
  created_at: string;
}

export interface ShopTokensTable {
  /** sha256 hex of the bearer token; the token itself is never stored. */
  token_hash: string;
  shop_id: number;
  created_at: string;
  revoked_at: string | null;
}

export interface MerchantProfilesTable {
  shop_id: number;
  display_name: string;
  shipper_name: string;
  shipper_phone: string;
  shipper_address: string;
  updated_at: string;
}

export interface FactoryProfilesTable {
  shop_id: number;
  name: string;
  updated_at: string;
}

export interface BindingsTable {
  id: Generated<number>;
  merchant_shop_id: number;
  factory_shop_id: number;
  status: 'pending' | 'accepted' | 'rejected';
  requested_at: string;
  decided_at: string | null;
}

export interface OrdersTable {
  id: Generated<number>;
  sn: string;
  merchant_shop_id: number;
  status: 'awaiting_shipment' | 'shipped' | 'cancelled';
  after_sale: 'none' | 'open' | 'closed';
  audit: 'none' | 'hold' | 'released';
  address_version: number;
  /** JSON: OrderItem[] */
  items_json: string;
  recipient_name: string;
  recipient_phone: string;
  recipient_province: string;
  recipient_city: string;
  recipient_district: string;
  recipient_detail: string;
  /** JSON: maskRecipient() of the recipient, computed on write (masking is the costly part of a feed page). */
  masked_recipient_json: string;
  created_at: string;
  updated_at: string;
}

export interface AllocationsTable {
  id: Generated<number>;
  order_id: number;
  merchant_shop_id: number;
  factory_shop_id: number;
  status: 'allocated' | 'cancelled';
  allocated_at: string;
  cancelled_at: string | null;
  cancel_reason: 'merchant' | 'after_sale' | 'audit_hold' | 'order_cancelled' | null;
}

export interface OrderEventsTable {
  id: Generated<number>;
  order_id: number;
  /** created | allocated | allocation_cancelled | address_changed | after_sale_opened | … */
  type: string;
  factory_shop_id: number | null;
  /** Why, e.g. the cancel reason of an allocation_cancelled. */
  reason: string | null;
  at: string;
}

export interface FactoryVersionsTable {
  factory_shop_id: number;
  /** Bumped inside every transaction that changes something this factory sees (DESIGN §4). */
  version: number;
  /** Cursors below this are too old to serve incrementally and get a reset. */
  min_version: number;
}

/** A factory's feed version at a compaction run: how a later run finds its horizon. */
export interface FeedCheckpointsTable {
  factory_shop_id: number;
  version: number;
  at: string;
}

/**
 * One row per (factory, order) in the factory's feed: the version of its latest change. Compaction
 * removes the rows of orders finished before the horizon (feed-compaction.ts).
 */
export interface FeedEntriesTable {
  factory_shop_id: number;
  order_id: number;
  version: number;
}

export interface StationsTable {
  id: Generated<number>;
  factory_shop_id: number;
  name: string;
  token_hash: string;
  /** base64 of 32 random bytes generated at pairing: the station's print payload key. */
  payload_key: string;
  paired_at: string;
  revoked_at: string | null;
}

export interface PairingCodesTable {
  /** sha256 hex of the normalised code. */
  code_hash: string;
  factory_shop_id: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  station_id: number | null;
}

/** An electronic waybill number issued to an order for a factory (M5), and what became of it. */
export interface WaybillsTable {
  id: Generated<number>;
  order_id: number;
  order_sn: string;
  factory_shop_id: number;
  waybill_no: string;
  courier: 'ZTO' | 'YTO' | 'YUNDA' | 'STO' | 'JTSD';
  address_version: number;
  status: 'issued' | 'returned' | 'cancelled';
  issued_at: string;
  returned_at: string | null;
  cancelled_at: string | null;
  /** The station the number was issued to (D10); null for a number issued before claims existed, until a station claims it. */
  station_id: number | null;
  claimed_at: string | null;
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

export type TakeoverKind = 'takeover' | 'station_revoked';

/** A claim moved from one station to another (D10): an explicit takeover, or the claim of a revoked station. */
export interface WaybillTakeoversTable {
  id: Generated<number>;
  order_id: number;
  factory_shop_id: number;
  old_waybill_no: string;
  new_waybill_no: string;
  from_station_id: number;
  to_station_id: number;
  kind: TakeoverKind;
  reason: string;
  at: string;
}

/** A label printed again for the same number (D7), shown to the merchant (M9). */
export interface LabelReprintsTable {
  id: Generated<number>;
  order_id: number;
  factory_shop_id: number;
  waybill_no: string;
  station_id: number;
  reason: string;
  printed_at: string;
  recorded_at: string;
}

/** One-time console login links (DESIGN §8a); the token itself is never stored. */
export interface LoginLinksTable {
  token_hash: string;
  shop_id: number;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** Console sessions behind the HttpOnly cookie. */
export interface ConsoleSessionsTable {
  token_hash: string;
  shop_id: number;
  created_at: string;
  expires_at: string;
  /** Set at logout; the cookie is worthless from then on. */
  ended_at: string | null;
}

/** A rate-limit window shared by the hubs of one PostgreSQL (server/http/rate-limit.ts). */
export interface RateLimitHitsTable {
  key: string;
  hits: number;
  reset_at_ms: number;
}

export interface Database {
  shops: ShopsTable;
  shop_tokens: ShopTokensTable;
  merchant_profiles: MerchantProfilesTable;
  factory_profiles: FactoryProfilesTable;
  bindings: BindingsTable;
  orders: OrdersTable;
  allocations: AllocationsTable;
  order_events: OrderEventsTable;
  factory_versions: FactoryVersionsTable;
  feed_entries: FeedEntriesTable;
  feed_checkpoints: FeedCheckpointsTable;
  stations: StationsTable;
  pairing_codes: PairingCodesTable;
  waybills: WaybillsTable;
  waybill_takeovers: WaybillTakeoversTable;
  label_reprints: LabelReprintsTable;
  login_links: LoginLinksTable;
  console_sessions: ConsoleSessionsTable;
  rate_limit_hits: RateLimitHitsTable;
  waybill_serials: WaybillSerialsTable;
  station_clients: StationClientsTable;
  mutation_results: MutationResultsTable;
  return_addresses: ReturnAddressesTable;
  shipments: ShipmentsTable;
  settlement_prices: SettlementPricesTable;
  statements: StatementsTable;
  statement_rows: StatementRowsTable;
}
