/**
 * Feed compaction: each factory's feed version, recorded with the time at each compaction run, so a
 * later run can tell which version was current a retention period ago (its horizon).
 */
import type { Kysely } from 'kysely';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('feed_checkpoints')
    .addColumn('factory_shop_id', 'integer', (c) => c.notNull().references('shops.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('feed_checkpoints_pk', ['factory_shop_id', 'version'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('feed_checkpoints').execute();
}
