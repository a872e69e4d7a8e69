/**
 * Compaction of the station feed. `feed_entries` holds one row per order a factory ever had, so it
 * grows with every order, and a station that resets pulls them all. Orders finished long ago —
 * shipped, cancelled, or no longer allocated to the factory, with no live number of its — need not
 * stay: below a horizon (the factory's feed version one retention period ago) their rows are
 * removed, and `min_version` rises to the horizon, so a station whose cursor is older gets a reset
 * (DESIGN §4) and with it only the orders that still matter. A station that is up to date keeps
 * the finished orders it already has; nothing it could still act on is removed.
 *
 * The horizon comes from checkpoints: every run records each factory's version with the time, and
 * uses the newest one at least a retention period old. Runs are idempotent, so several hubs on one
 * PostgreSQL may run them.
 */
import type { HubContext } from '../context.ts';
import { writeTx } from '../db/tx.ts';

export const DEFAULT_FEED_RETENTION_MS = 30 * 24 * 3_600_000;

export interface CompactionResult {
  /** Factories whose horizon moved. */
  factories: number;
  /** Feed rows removed. */
  removed: number;
}

export async function compactFeeds(
  ctx: HubContext,
  retentionMs = DEFAULT_FEED_RETENTION_MS,
): Promise<CompactionResult> {
  const now = ctx.clock.now();
  const cutoff = new Date(now.getTime() - retentionMs).toISOString();
  const factories = await ctx.db.selectFrom('factory_versions').select(['factory_shop_id', 'version']).execute();
  const result: CompactionResult = { factories: 0, removed: 0 };
  for (const f of factories) {
    await ctx.db
      .insertInto('feed_checkpoints')
      .values({ factory_shop_id: f.factory_shop_id, version: f.version, at: now.toISOString() })
      .onConflict((oc) => oc.columns(['factory_shop_id', 'version']).doNothing())
      .execute();
    const removed = await compactFactory(ctx, f.factory_shop_id, cutoff);
    if (removed !== null) {
      result.factories++;
      result.removed += removed;
    }
  }
  return result;
}

/** Removes the factory's finished orders below its horizon; null when the horizon did not move. */
async function compactFactory(ctx: HubContext, factoryShopId: number, cutoff: string): Promise<number | null> {
  const checkpoint = await ctx.db
    .selectFrom('feed_checkpoints')
    .select(['version', 'at'])
    .where('factory_shop_id', '=', factoryShopId)
    .where('at', '<=', cutoff)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!checkpoint) return null;
  const horizon = checkpoint.version;
  return writeTx(ctx, async (trx) => {
    // The factory's version row first (the hub's lock order): its feed readers and writers wait.
    let fq = trx.selectFrom('factory_versions').select('min_version').where('factory_shop_id', '=', factoryShopId);
    if (ctx.dialect === 'postgres') fq = fq.forUpdate();
    const fv = await fq.executeTakeFirstOrThrow();
    if (fv.min_version >= horizon) return null;
    // A row a writer moves above the horizon meanwhile is re-checked by PostgreSQL and kept.
    const removed = await trx
      .deleteFrom('feed_entries')
      .where('factory_shop_id', '=', factoryShopId)
      .where('version', '<=', horizon)
      .where((eb) =>
        eb.and([
          eb.or([
            eb.exists(
              eb
                .selectFrom('orders')
                .select('orders.id')
                .whereRef('orders.id', '=', 'feed_entries.order_id')
                .where('orders.status', 'in', ['shipped', 'cancelled']),
            ),
            eb.not(
              eb.exists(
                eb
                  .selectFrom('allocations')
                  .select('allocations.id')
                  .whereRef('allocations.order_id', '=', 'feed_entries.order_id')
                  .where('allocations.factory_shop_id', '=', factoryShopId)
                  .where('allocations.status', '=', 'allocated'),
              ),
            ),
          ]),
          // A number the factory holds and has not returned: its station must still be told about it.
          eb.not(
            eb.exists(
              eb
                .selectFrom('waybills')
                .select('waybills.id')
                .whereRef('waybills.order_id', '=', 'feed_entries.order_id')
                .where('waybills.factory_shop_id', '=', factoryShopId)
                .where('waybills.status', '=', 'issued'),
            ),
          ),
        ]),
      )
      .executeTakeFirst();
    await trx
      .updateTable('factory_versions')
      .set({ min_version: horizon })
      .where('factory_shop_id', '=', factoryShopId)
      .execute();
    // Older checkpoints can no longer be a horizon.
    await trx
      .deleteFrom('feed_checkpoints')
      .where('factory_shop_id', '=', factoryShopId)
      .where('version', '<', horizon)
      .execute();
    return Number(removed.numDeletedRows);
  });
}

/** Runs compaction in the hub process every `intervalMs`. */
export class FeedCompactor {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private readonly ctx: HubContext;
  private readonly retentionMs: number;
  private readonly intervalMs: number;

  constructor(ctx: HubContext, opts: { retentionMs: number; intervalMs: number }) {
    this.ctx = ctx;
    this.retentionMs = opts.retentionMs;
    this.intervalMs = opts.intervalMs;
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = compactFeeds(this.ctx, this.retentionMs)
        .then((r) => r.removed > 0 && this.ctx.log.info(r, 'feed compacted'))
        .catch((err: unknown) => this.ctx.log.error({ err }, 'feed compaction failed'))
        .finally(() => (this.running = null));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
