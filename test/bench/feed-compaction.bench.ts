/**
 * Feed compaction benchmark (`node test/bench/feed-compaction.bench.ts`, part of `npm run bench`).
 *
 * A factory whose feed has seen 1,000,000 changes: 200,000 orders, 5 changes each (allocated,
 * number issued, returned, shipped, one more). 2,000 of them, spread over the whole history, are
 * still to print (allocated long ago, never printed); the others shipped, all but the last 1,000
 * changes' more than 30 days ago. `feed_entries` keeps one row per order (the version of its latest
 * change), so the 1,000,000 changes leave 200,000 rows and a version counter at 1,000,000; they are
 * written straight into the tables in that final state (through the API it would take an hour).
 * The orders still to print are older than the horizon, so a reset after compaction takes several
 * pages that all lie below it.
 *
 * Measured before and after `compactFeeds()`, through real HTTP on 127.0.0.1, on SQLite (and
 * PostgreSQL with DAIFA_TEST_PG_URL): the table's rows and bytes, a station's full pull after a
 * reset (what a station behind the horizon, or a new one, downloads), and as the baseline the pull
 * of an up-to-date station (the last 1,000 changes), which compaction must leave as it was.
 */
import { sql } from 'kysely';
import { maskRecipient } from '../../shared/domain/masking.ts';
import type { FeedResponse } from '../../shared/api/stations.ts';
import { compactFeeds } from '../../server/stations/feed-compaction.ts';
import { NO_RATE_LIMITS } from '../../server/config.ts';
import { chunks } from '../../server/db/tx.ts';
import { hubContext, ok, startTestHub, type Dialect, type TestHub, type TestStation } from '../server/support/hub.ts';
import { benchShops } from './hub.bench.ts';
import { fmtMs, fmtRatio, markdownTable, timeMs } from './stats.ts';

const PG_URL = process.env.DAIFA_TEST_PG_URL ?? '';
const ORDERS = 200_000;
const LIVE = 2_000;
/** Changes of the last retention period: the station that is up to date pulls these. */
const RECENT = 1_000;
const isLive = (i: number) => i % (ORDERS / LIVE) === 0;
const CHANGES_PER_ORDER = 5;
const DAY = 86_400_000;

async function seed(h: TestHub, merchantId: number, factoryId: number): Promise<void> {
  const old = new Date(Date.now() - 40 * DAY).toISOString();
  const recipient = {
    name: '欧阳娜娜',
    phone: '13800138000',
    province: '浙江省',
    city: '杭州市',
    district: '西湖区',
    detail: '幸福路1号',
  };
  const masked = JSON.stringify(maskRecipient(recipient));
  const items = JSON.stringify([
    { goodsId: 'G1', skuId: 'SKU-1', goodsName: '纯棉短袖T恤', spec: '白色 L', quantity: 1 },
  ]);
  for (const part of chunks(
    Array.from({ length: ORDERS }, (_, i) => i),
    2000,
  )) {
    await h.db.transaction().execute(async (t) => {
      const orders = await t
        .insertInto('orders')
        .values(
          part.map((i) => ({
            sn: `FC${String(i).padStart(7, '0')}`,
            merchant_shop_id: merchantId,
            status: isLive(i) ? ('awaiting_shipment' as const) : ('shipped' as const),
            after_sale: 'none' as const,
            audit: 'none' as const,
            address_version: 1,
            items_json: items,
            recipient_name: recipient.name,
            recipient_phone: recipient.phone,
            recipient_province: recipient.province,
            recipient_city: recipient.city,
            recipient_district: recipient.district,
            recipient_detail: recipient.detail,
            masked_recipient_json: masked,
            created_at: old,
            updated_at: old,
          })),
        )
        .returning(['id', 'sn'])
        .execute();
      await t
        .insertInto('allocations')
        .values(
          orders.map((o) => ({
            order_id: o.id,
            merchant_shop_id: merchantId,
            factory_shop_id: factoryId,
            status: 'allocated' as const,
            allocated_at: old,
            cancelled_at: null,
            cancel_reason: null,
          })),
        )
        .execute();
      const finished = orders.filter((_, j) => !isLive(part[j]!));
      if (finished.length > 0) {
        await t
          .insertInto('waybills')
          .values(
            finished.map((o) => ({
              order_id: o.id,
              order_sn: o.sn,
              factory_shop_id: factoryId,
              waybill_no: `FCW${o.id}`,
              courier: 'ZTO' as const,
              address_version: 1,
              status: 'returned' as const,
              issued_at: old,
              returned_at: old,
              cancelled_at: null,
              station_id: null,
              claimed_at: null,
            })),
          )
          .execute();
      }
      // The version of each order's latest change, in the order the orders came.
      await t
        .insertInto('feed_entries')
        .values(
          orders.map((o, j) => ({
            factory_shop_id: factoryId,
            order_id: o.id,
            version: (part[j]! + 1) * CHANGES_PER_ORDER,
          })),
        )
        .execute();
    });
  }
  const head = ORDERS * CHANGES_PER_ORDER;
  await h.db.updateTable('factory_versions').set({ version: head }).where('factory_shop_id', '=', factoryId).execute();
  // The compaction run of 31 days ago saw every change but the last RECENT.
  await h.db
    .insertInto('feed_checkpoints')
    .values({
      factory_shop_id: factoryId,
      version: head - RECENT,
      at: new Date(Date.now() - 31 * DAY).toISOString(),
    })
    .execute();
}

async function tableSize(h: TestHub): Promise<{ rows: number; bytes: number }> {
  const rows = Number(
    (
      await h.db
        .selectFrom('feed_entries')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  if (h.dialect === 'postgres') {
    const r = await sql<{ b: number }>`select pg_total_relation_size('feed_entries') as b`.execute(h.db);
    return { rows, bytes: Number(r.rows[0]!.b) };
  }
  const r = await sql<{ b: number }>`select sum(pgsize) as b from dbstat
    where name = 'feed_entries' or name in (select name from sqlite_master where tbl_name = 'feed_entries')`.execute(
    h.db,
  );
  return { rows, bytes: Number(r.rows[0]!.b) };
}

async function pull(
  h: TestHub,
  station: TestStation,
  cursor?: string,
): Promise<{ ms: number; changes: number; pages: number }> {
  let changes = 0;
  let pages = 0;
  const ms = await timeMs(async () => {
    let c = cursor;
    for (;;) {
      const page = await ok<FeedResponse>(h, 'GET', '/v1/station/feed', {
        token: station.token,
        query: { cursor: c, limit: 1000 },
      });
      changes += page.changes.length;
      pages++;
      if (pages > 1_000) throw new Error(`the feed did not end after ${pages} pages (cursor ${c})`);
      c = page.cursor;
      if (!page.hasMore) return;
    }
  });
  return { ms, changes, pages };
}

const mib = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;

async function run(dialect: Dialect): Promise<string[][]> {
  const h = await startTestHub({ dialect, testClock: false, rateLimits: NO_RATE_LIMITS });
  try {
    const { merchant, factory, station } = await benchShops(h, 0);
    const seedMs = await timeMs(() => seed(h, merchant.shopId, factory.shopId));
    // What autovacuum would have done by now on a live database: without statistics the planner
    // guesses, and the pulls measure its guesses.
    if (dialect === 'postgres') await sql`analyze`.execute(h.db);
    const head = ORDERS * CHANGES_PER_ORDER;
    const recent = `f${factory.shopId}.v${head - RECENT}`;
    const firstRecent = (head - RECENT) / CHANGES_PER_ORDER; // the first order changed after the horizon
    let kept = 0;
    for (let i = 0; i < ORDERS; i++) if (isLive(i) || i >= firstRecent) kept++;

    const sizeBefore = await tableSize(h);
    const fullBefore = await pull(h, station);
    const recentBefore = await pull(h, station, recent);
    const ctx = hubContext(h);
    let removed = 0;
    const compactMs = await timeMs(async () => {
      removed = (await compactFeeds(ctx)).removed;
    });
    if (dialect === 'postgres') await sql`vacuum analyze feed_entries`.execute(h.db);
    const sizeAfter = await tableSize(h);
    const fullAfter = await pull(h, station);
    const recentAfter = await pull(h, station, recent);
    let vacuumed = '';
    if (dialect === 'postgres') {
      await sql`vacuum full feed_entries`.execute(h.db);
      vacuumed = ` (${mib((await tableSize(h)).bytes)} after VACUUM FULL)`;
    } else {
      await sql`vacuum`.execute(h.db);
      vacuumed = ` (${mib((await tableSize(h)).bytes)} after VACUUM)`;
    }
    if (fullAfter.changes !== kept || recentAfter.changes !== recentBefore.changes) {
      throw new Error(`unexpected pulls: ${fullAfter.changes} after compaction, ${recentAfter.changes} recent`);
    }
    return [
      [
        dialect,
        'feed_entries after 1,000,000 changes',
        `${sizeBefore.rows.toLocaleString('en-US')} rows, ${mib(sizeBefore.bytes)}`,
        `${sizeAfter.rows.toLocaleString('en-US')} rows, ${mib(sizeAfter.bytes)}${vacuumed}`,
        fmtRatio(sizeBefore.rows / sizeAfter.rows) + ' fewer rows',
      ],
      [
        dialect,
        'full pull after a reset (limit 1000)',
        `${fmtMs(fullBefore.ms)} (${fullBefore.changes.toLocaleString('en-US')} orders, ${fullBefore.pages} pages)`,
        `${fmtMs(fullAfter.ms)} (${fullAfter.changes.toLocaleString('en-US')} orders, ${fullAfter.pages} pages)`,
        fmtRatio(fullBefore.ms / fullAfter.ms) + ' faster',
      ],
      [
        dialect,
        'baseline: up-to-date pull, last 1,000 changes',
        fmtMs(recentBefore.ms),
        fmtMs(recentAfter.ms),
        fmtRatio(recentAfter.ms / recentBefore.ms) + ' of before',
      ],
      [dialect, `compaction run (${removed.toLocaleString('en-US')} rows removed)`, '', fmtMs(compactMs), ''],
      [dialect, '(seeding 200,000 orders straight into the tables)', fmtMs(seedMs), '', ''],
    ];
  } finally {
    await h.close();
  }
}

const rows: string[][] = [];
for (const dialect of ['sqlite', ...(PG_URL ? ['postgres' as const] : [])] as const) {
  const t0 = performance.now();
  rows.push(...(await run(dialect)));
  console.error(`${dialect}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
console.log('\n#### Feed compaction (`node test/bench/feed-compaction.bench.ts`)\n');
console.log(markdownTable(['db', 'what', 'before compaction', 'after compaction', 'ratio'], rows));
