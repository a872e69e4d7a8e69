/** The merchant's risk view (M9) reads its allocations by time: one index range instead of a scan. */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('allocations_merchant_time')
    .on('allocations')
    .columns(['merchant_shop_id', 'allocated_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('allocations_merchant_time').execute();
}
