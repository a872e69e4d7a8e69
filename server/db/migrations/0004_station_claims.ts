/**
 * Station claims (D10): a waybill number is issued *to a station*, which alone may print, return or
 * cancel it until another station takes the claim over explicitly. Also the records the merchant
 * sees (M9): takeovers between stations and label reprints.
 *
 * Existing data: a returned number was held by the station that returned it. An issued number
 * stays unclaimed (null); the first station that asks for it takes the claim with the same number.
 */
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.ts';
import { addId } from './helpers.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const d = dialectOf(db);

  // No foreign key, like returned_station_id: SQLite cannot drop a column that has one, and stations are never deleted.
  await db.schema.alterTable('waybills').addColumn('station_id', 'integer').execute();
  await db.schema.alterTable('waybills').addColumn('claimed_at', 'text').execute();
  await db
    .updateTable('waybills')
    .set({ station_id: sql.ref('returned_station_id'), claimed_at: sql.ref('issued_at') })
    .where('status', '=', 'returned')
    .where('returned_station_id', 'is not', null)
    .execute();
  // A revoked station's live numbers are found by station (its claims stop blocking at once).
  await db.schema
    .createIndex('waybills_station_issued')
    .on('waybills')
    .columns(['station_id', 'factory_shop_id'])
    .where(sql.ref('status'), '=', 'issued')
    .execute();

  // One row per claim moved from one station to another: an explicit takeover, or the claim of a revoked station.
  await addId(d, db.schema.createTable('waybill_takeovers'))
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
    .addColumn('factory_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('old_waybill_no', 'text', (c) => c.notNull())
    .addColumn('new_waybill_no', 'text', (c) => c.notNull())
    .addColumn('from_station_id', 'integer', (c) => c.notNull().references('stations.id'))
    .addColumn('to_station_id', 'integer', (c) => c.notNull().references('stations.id'))
    // takeover | station_revoked
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('waybill_takeovers_order').on('waybill_takeovers').columns(['order_id', 'id']).execute();

  await addId(d, db.schema.createTable('label_reprints'))
    .addColumn('order_id', 'integer', (c) => c.notNull().references('orders.id'))
    .addColumn('factory_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('waybill_no', 'text', (c) => c.notNull())
    .addColumn('station_id', 'integer', (c) => c.notNull().references('stations.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('printed_at', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('label_reprints_order').on('label_reprints').columns(['order_id', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('label_reprints').execute();
  await db.schema.dropTable('waybill_takeovers').execute();
  await db.schema.dropIndex('waybills_station_issued').execute();
  await db.schema.alterTable('waybills').dropColumn('claimed_at').execute();
  await db.schema.alterTable('waybills').dropColumn('station_id').execute();
}
