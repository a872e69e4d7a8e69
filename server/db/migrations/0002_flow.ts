/**
 * The print-and-ship tables: waybill serials and return details, the station push state
 * (exactly-once), return addresses, shipments, settlement price history and statements.
 * Written once for SQLite and PostgreSQL, like 0001.
 */
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';
import { addId } from './helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);

  // Per-courier number serials: a block is reserved by UPDATE … RETURNING inside the issuing transaction.
  await db.schema
    .createTable('waybill_serials')
    .addColumn('courier', 'text', (c) => c.primaryKey())
    .addColumn('last_serial', 'bigint', (c) => c.notNull())
    .execute();

  // What the station told us when it returned (回传) or cancelled a number.
  for (const [name, type] of [
    ['printed_at', 'text'],
    ['unverified', 'integer'],
    ['slave_waybill_nos', 'text'],
    ['returned_station_id', 'integer'],
    ['cancel_reason', 'text'],
  ] as const) {
    await db.schema.alterTable('waybills').addColumn(name, type).execute();
  }
  // At most one live (issued) number per order, whatever two stations ask at once.
  await db.schema
    .createIndex('waybills_one_issued')
    .on('waybills')
    .column('order_id')
    .unique()
    .where(sql.ref('status'), '=', 'issued')
    .execute();
  // Statements select a factory's returns by time.
  await db.schema
    .createIndex('waybills_factory_returned')
    .on('waybills')
    .columns(['factory_shop_id', 'returned_at', 'id'])
    .execute();

  // DESIGN §4 push: one row per station installation; last_mutation_id moves in the same transaction as the effects.
  await db.schema
    .createTable('station_clients')
    .addColumn('client_id', 'text', (c) => c.primaryKey())
    .addColumn('factory_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('station_id', 'integer', (c) => c.notNull())
    .addColumn('last_mutation_id', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('mutation_results')
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('mutation_id', 'integer', (c) => c.notNull())
    .addColumn('result_json', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mutation_results_pk', ['client_id', 'mutation_id'])
    .execute();

  await addId(d, db.schema.createTable('return_addresses'))
    .addColumn('merchant_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema
    .createIndex('return_addresses_merchant')
    .on('return_addresses')
    .columns(['merchant_shop_id', 'id'])
    .execute();

  await db.schema
    .createTable('shipments')
    .addColumn('order_id', 'integer', (c) => c.primaryKey().references('orders.id'))
    .addColumn('merchant_shop_id', 'integer', (c) => c.notNull())
    .addColumn('factory_shop_id', 'integer', (c) => c.notNull())
    .addColumn('waybill_no', 'text', (c) => c.notNull())
    .addColumn('courier', 'text', (c) => c.notNull())
    .addColumn('return_address_id', 'integer', (c) => c.notNull().references('return_addresses.id'))
    .addColumn('warning', 'text')
    .addColumn('shipped_at', 'text', (c) => c.notNull())
    .execute();

  // Settlement prices keep every version: a statement uses the one in force at the return.
  await addId(d, db.schema.createTable('settlement_prices'))
    .addColumn('factory_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('merchant_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('price_fen', 'integer', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('settlement_prices_pair')
    .on('settlement_prices')
    .columns(['factory_shop_id', 'merchant_shop_id', 'sku_id', 'valid_from', 'id'])
    .execute();

  // Statements are durable jobs: a worker claims a pending one with a lease (FOR UPDATE SKIP LOCKED on PG).
  await addId(d, db.schema.createTable('statements'))
    .addColumn('merchant_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('factory_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('from_at', 'text', (c) => c.notNull())
    .addColumn('to_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ready_at', 'text')
    .addColumn('order_count', 'integer')
    .addColumn('row_count', 'integer')
    .addColumn('total_quantity', 'integer')
    .addColumn('total_fen', 'bigint')
    .addColumn('missing_price_rows', 'integer')
    .addColumn('error', 'text')
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until_ms', 'bigint')
    .execute();
  await db.schema
    .createIndex('statements_pair')
    .on('statements')
    .columns(['merchant_shop_id', 'factory_shop_id', 'created_at'])
    .execute();
  await db.schema.createIndex('statements_status').on('statements').columns(['status', 'id']).execute();

  await db.schema
    .createTable('statement_rows')
    .addColumn('statement_id', 'integer', (c) => c.notNull().references('statements.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('order_sn', 'text', (c) => c.notNull())
    .addColumn('goods_name', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('sku_id', 'text', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull())
    .addColumn('unit_price_fen', 'integer')
    .addColumn('amount_fen', 'bigint')
    .addColumn('courier', 'text', (c) => c.notNull())
    .addColumn('waybill_no', 'text', (c) => c.notNull())
    .addColumn('allocated_at', 'text', (c) => c.notNull())
    .addColumn('returned_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('statement_rows_pk', ['statement_id', 'seq'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'statement_rows',
    'statements',
    'settlement_prices',
    'shipments',
    'return_addresses',
    'mutation_results',
    'station_clients',
    'waybill_serials',
  ]) {
    await db.schema.dropTable(t).execute();
  }
  await db.schema.dropIndex('waybills_one_issued').execute();
  await db.schema.dropIndex('waybills_factory_returned').execute();
  for (const c of ['printed_at', 'unverified', 'slave_waybill_nos', 'returned_station_id', 'cancel_reason']) {
    await db.schema.alterTable('waybills').dropColumn(c).execute();
  }
}
