/**
 * The first tables: shops, roles, bindings, orders, allocations, the feed, stations and waybills.
 * Written once for both SQLite and PostgreSQL: the only difference is how an auto-increment id is
 * declared, which `addId` hides.
 */
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';
import { addId } from './helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);

  await addId(d, db.schema.createTable('shops'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('shop_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('merchant_profiles')
    .addColumn('shop_id', 'integer', (c) => c.primaryKey().references('shops.id'))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('shipper_name', 'text', (c) => c.notNull())
    .addColumn('shipper_phone', 'text', (c) => c.notNull())
    .addColumn('shipper_address', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('factory_profiles')
    .addColumn('shop_id', 'integer', (c) => c.primaryKey().references('shops.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await addId(d, db.schema.createTable('bindings'))
    .addColumn('merchant_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('factory_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addUniqueConstraint('bindings_pair', ['merchant_shop_id', 'factory_shop_id'])
    .execute();
  await db.schema.createIndex('bindings_factory').on('bindings').columns(['factory_shop_id']).execute();

  await addId(d, db.schema.createTable('orders'))
    .addColumn('sn', 'text', (c) => c.notNull().unique())
    .addColumn('merchant_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('after_sale', 'text', (c) => c.notNull())
    .addColumn('audit', 'text', (c) => c.notNull())
    .addColumn('address_version', 'integer', (c) => c.notNull())
    .addColumn('items_json', 'text', (c) => c.notNull())
    .addColumn('recipient_name', 'text', (c) => c.notNull())
    .addColumn('recipient_phone', 'text', (c) => c.notNull())
    .addColumn('recipient_province', 'text', (c) => c.notNull())
    .addColumn('recipient_city', 'text', (c) => c.notNull())
    .addColumn('recipient_district', 'text', (c) => c.notNull())
    .addColumn('recipient_detail', 'text', (c) => c.notNull())
    // maskRecipient() of the above, computed when it is written: what factories see (M4).
    .addColumn('masked_recipient_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('orders_merchant').on('orders').columns(['merchant_shop_id', 'id']).execute();

  await addId(d, db.schema.createTable('allocations'))
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
    .addColumn('merchant_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('factory_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('allocated_at', 'text', (c) => c.notNull())
    .addColumn('cancelled_at', 'text')
    .addColumn('cancel_reason', 'text')
    .execute();
  await db.schema.createIndex('allocations_order').on('allocations').columns(['order_id', 'id']).execute();
  await db.schema
    .createIndex('allocations_factory')
    .on('allocations')
    .columns(['factory_shop_id', 'order_id'])
    .execute();
  // At most one live allocation per order, whatever two concurrent requests try.
  await db.schema
    .createIndex('allocations_one_live')
    .on('allocations')
    .column('order_id')
    .unique()
    .where(sql.ref('status'), '=', 'allocated')
    .execute();

  await addId(d, db.schema.createTable('order_events'))
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('factory_shop_id', 'integer')
    .addColumn('reason', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('order_events_order').on('order_events').columns(['order_id', 'id']).execute();

  await db.schema
    .createTable('factory_versions')
    .addColumn('factory_shop_id', 'integer', (c) => c.primaryKey().references('shops.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('min_version', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('feed_entries')
    .addColumn('factory_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('feed_entries_pk', ['factory_shop_id', 'order_id'])
    .execute();
  await db.schema
    .createIndex('feed_entries_version')
    .on('feed_entries')
    .columns(['factory_shop_id', 'version'])
    .execute();

  await addId(d, db.schema.createTable('stations'))
    .addColumn('factory_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('payload_key', 'text', (c) => c.notNull())
    .addColumn('paired_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('stations_factory').on('stations').columns(['factory_shop_id']).execute();

  await db.schema
    .createTable('pairing_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('factory_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .addColumn('station_id', 'integer')
    .execute();

  await addId(d, db.schema.createTable('waybills'))
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
    .addColumn('order_sn', 'text', (c) => c.notNull())
    .addColumn('factory_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('waybill_no', 'text', (c) => c.notNull().unique())
    .addColumn('courier', 'text', (c) => c.notNull())
    .addColumn('address_version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'text', (c) => c.notNull())
    .addColumn('returned_at', 'text')
    .addColumn('cancelled_at', 'text')
    .execute();
  await db.schema.createIndex('waybills_order').on('waybills').columns(['order_id', 'id']).execute();
  await db.schema.createIndex('waybills_factory').on('waybills').columns(['factory_shop_id', 'status']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'waybills',
    'pairing_codes',
    'stations',
    'feed_entries',
    'factory_versions',
    'order_events',
    'allocations',
    'orders',
    'bindings',
    'factory_profiles',
    'merchant_profiles',
    'shop_tokens',
    'shops',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
