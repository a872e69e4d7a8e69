/**
 * One live (issued) number per order *and factory*, not per order. An order re-allocated to another
 * factory while the first one still held an issued number must get its own number there; with one
 * per order, the second factory's insert hit the unique index every time and it could never print.
 * Each factory's view of an order only ever looks at its own waybills (server/orders/orders.ts).
 */
import { sql, type Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('waybills_one_issued').execute();
  await db.schema
    .createIndex('waybills_one_issued_per_factory')
    .on('waybills')
    .columns(['order_id', 'factory_shop_id'])
    .unique()
    .where(sql.ref('status'), '=', 'issued')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('waybills_one_issued_per_factory').execute();
  await db.schema
    .createIndex('waybills_one_issued')
    .on('waybills')
    .column('order_id')
    .unique()
    .where(sql.ref('status'), '=', 'issued')
    .execute();
}
