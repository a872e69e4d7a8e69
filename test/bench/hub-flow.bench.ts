/**
 * Print-and-ship benchmarks (`node test/bench/hub-flow.bench.ts`, part of `npm run bench:hub`):
 *
 * 1. Returns per second through POST /v1/station/mutations, 100 per request (goal ≥ 2,000/s on
 *    SQLite), against two baselines in the same run: replaying the same batches (ids ≤ last: the
 *    stored results come back, nothing is written) and a guard check of the same 100 orders.
 * 2. Statement generation for 50,000 returned orders (the durable job, from POST to ready) and the
 *    streamed CSV and XLSX downloads, with peak memory (sampled RSS/heap and the process maxRSS),
 *    against a 5,000-order statement as baseline: time should scale with rows, memory should not.
 *
 * The hub runs in this process on a real port; SQLite always, PostgreSQL too when
 * DAIFA_TEST_PG_URL is set. Options: --returns N (default 6000), --orders N (default 50000).
 */
import { randomBytes } from 'node:crypto';
import v8 from 'node:v8';
import vm from 'node:vm';
import { performance } from 'node:perf_hooks';
import type { HubDb } from '../../server/db/open.ts';
import { chunks } from '../../server/db/tx.ts';
import { maskRecipient } from '../../shared/domain/masking.ts';
import { startTestHub, type Dialect, type TestHub } from '../server/support/hub.ts';
import {
  allocate,
  bindAndAccept,
  createFactory,
  createMerchant,
  createOrders,
  ok,
  pairStation,
} from '../server/support/hub.ts';
import { issueNumbers, newClientId, returned } from '../server/support/scenarios.ts';
import { fmtMs, fmtRate, fmtRatio, markdownTable } from './stats.ts';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const RETURNS = arg('returns', 6000);
// A full GC before each memory measurement, so the peaks are about the step, not earlier garbage.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const ORDERS = arg('orders', 50_000);
const BASELINE_ORDERS = Math.round(ORDERS / 10);

function startHub(dialect: Dialect): Promise<TestHub> {
  return startTestHub({ dialect, now: new Date('2026-11-27T02:00:00.000Z') });
}

async function post(h: TestHub, path: string, token: string, body: unknown): Promise<unknown> {
  const res = await fetch(h.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status !== 200) throw new Error(`${path} → ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
  return json;
}

// ------------------------------------------------------------------------------ 1. returns/s

async function benchReturns(h: TestHub): Promise<string[][]> {
  const merchant = await createMerchant(h);
  const factory = await createFactory(h);
  await bindAndAccept(h, merchant, factory);
  const station = await pairStation(h, factory);
  const sns = await createOrders(h, merchant, RETURNS);
  for (const part of chunks(sns, 1000)) await allocate(h, merchant, factory.shopId, part);
  const numbers: string[] = [];
  for (const part of chunks(sns, 100)) numbers.push(...(await issueNumbers(h, station, part)));
  const clientId = newClientId();
  const batches = chunks(
    sns.map((sn, i) => returned(i + 1, sn, numbers[i]!)),
    100,
  );

  const t0 = performance.now();
  for (const b of batches) {
    const r = (await post(h, '/v1/station/mutations', station.token, { clientId, mutations: b })) as {
      results: Array<{ status: string }>;
    };
    if (r.results.some((x) => x.status !== 'applied')) throw new Error('a return was rejected');
  }
  const applyMs = performance.now() - t0;

  const t1 = performance.now();
  for (const b of batches) await post(h, '/v1/station/mutations', station.token, { clientId, mutations: b });
  const replayMs = performance.now() - t1;

  const t2 = performance.now();
  for (const part of chunks(sns, 100)) await post(h, '/v1/station/check', station.token, { orderSns: part });
  const checkMs = performance.now() - t2;

  const rate = (ms: number) => (RETURNS / ms) * 1000;
  return [
    [
      h.dialect,
      `apply ${RETURNS.toLocaleString('en-US')} returns (100/request)`,
      fmtMs(applyMs / batches.length),
      fmtRate(rate(applyMs)),
      rate(applyMs) >= 2000 || h.dialect !== 'sqlite' ? '1.0×' : '1.0× (below the 2,000/s goal)',
    ],
    [
      h.dialect,
      'baseline: replay the same batches (stored results, no writes)',
      fmtMs(replayMs / batches.length),
      fmtRate(rate(replayMs)),
      fmtRatio(applyMs / replayMs),
    ],
    [
      h.dialect,
      'baseline: guard check of the same 100 orders',
      fmtMs(checkMs / batches.length),
      fmtRate(rate(checkMs)),
      fmtRatio(applyMs / checkMs),
    ],
  ];
}

// --------------------------------------------------------------------------- 2. statements

/** Writes returned orders straight into the tables (the API would take minutes for 50,000). */
async function seedReturnedOrders(
  db: HubDb,
  merchantId: number,
  factoryId: number,
  n: number,
  prefix: string,
  returnedFrom: number,
): Promise<void> {
  const f = db;
  const provinces = [
    ['广东省', '深圳市', '南山区'],
    ['浙江省', '杭州市', '西湖区'],
    ['北京市', '北京市', '朝阳区'],
  ] as const;
  for (const part of chunks(
    Array.from({ length: n }, (_, i) => i),
    500,
  )) {
    await f.transaction().execute(async (t) => {
      const now = new Date(returnedFrom).toISOString();
      const orders = await t
        .insertInto('orders')
        .values(
          part.map((i) => {
            const [province, city, district] = provinces[i % 3]!;
            const items = [
              {
                goodsId: 'G1',
                skuId: `SKU-${i % 20}`,
                goodsName: '纯棉短袖T恤',
                spec: `白色 ${['S', 'M', 'L', 'XL'][i % 4]}`,
                quantity: 1 + (i % 3),
              },
              ...(i % 4 === 0
                ? [{ goodsId: 'G2', skuId: 'SKU-NOPRICE', goodsName: '赠品袜子', spec: '均码', quantity: 1 }]
                : []),
            ];
            return {
              sn: `${prefix}${String(i).padStart(8, '0')}`,
              merchant_shop_id: merchantId,
              status: 'awaiting_shipment' as const,
              after_sale: 'none' as const,
              audit: 'none' as const,
              address_version: 0,
              items_json: JSON.stringify(items),
              recipient_name: '欧阳娜娜',
              recipient_phone: '13800138000',
              recipient_province: province,
              recipient_city: city,
              recipient_district: district,
              recipient_detail: `幸福路${i}号`,
              masked_recipient_json: JSON.stringify(
                maskRecipient({
                  name: '欧阳娜娜',
                  phone: '13800138000',
                  province,
                  city,
                  district,
                  detail: `幸福路${i}号`,
                }),
              ),
              created_at: now,
              updated_at: now,
            };
          }),
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
            allocated_at: now,
            cancelled_at: null,
            cancel_reason: null,
          })),
        )
        .execute();
      await t
        .insertInto('waybills')
        .values(
          orders.map((o, j) => ({
            order_id: o.id,
            order_sn: o.sn,
            factory_shop_id: factoryId,
            waybill_no: `${prefix}W${o.id}`,
            courier: 'ZTO' as const,
            address_version: 0,
            status: 'returned' as const,
            issued_at: now,
            returned_at: new Date(returnedFrom + (part[j]! % 1000) * 1000).toISOString(),
            cancelled_at: null,
            printed_at: now,
            unverified: 0,
            slave_waybill_nos: null,
            returned_station_id: null,
            cancel_reason: null,
          })),
        )
        .execute();
    });
  }
}

interface MemPeak {
  rss: number;
  heap: number;
  /** The highest RSS of the process seen during the step (not a difference). */
  rssAbs: number;
}

/** Samples RSS and heap every 10 ms while `fn` runs; returns the peaks above the level at the start. */
async function withPeakMemory<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number; peak: MemPeak }> {
  gc();
  const base = process.memoryUsage();
  const peak = { rss: 0, heap: 0, rssAbs: base.rss };
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peak.rssAbs = Math.max(peak.rssAbs, m.rss);
    peak.rss = Math.max(peak.rss, m.rss - base.rss);
    peak.heap = Math.max(peak.heap, m.heapUsed - base.heapUsed);
  }, 10);
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  clearInterval(timer);
  return { result, ms, peak };
}

const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

async function benchStatements(h: TestHub): Promise<string[][]> {
  const merchant = await createMerchant(h);
  const factory = await createFactory(h);
  await bindAndAccept(h, merchant, factory);
  h.clock.set(new Date('2026-11-01T00:00:00.000Z')); // prices in force before the returns below
  await ok(h, 'PUT', '/v1/factory/prices', {
    token: factory.token,
    body: Array.from({ length: 20 }, (_, i) => ({
      merchantShopId: merchant.shopId,
      skuId: `SKU-${i}`,
      priceFen: 500 + i * 10,
    })),
  });
  const dayA = Date.parse('2026-11-10T00:00:00.000Z');
  const dayB = Date.parse('2026-11-20T00:00:00.000Z');
  const tag = randomBytes(3).toString('hex');
  const seed0 = performance.now();
  await seedReturnedOrders(h.db, merchant.shopId, factory.shopId, BASELINE_ORDERS, `B${tag}`, dayA);
  await seedReturnedOrders(h.db, merchant.shopId, factory.shopId, ORDERS, `F${tag}`, dayB);
  const seedMs = performance.now() - seed0;

  h.clock.set(new Date('2026-11-27T02:00:00.000Z'));
  const rows: string[][] = [];
  const stats: Array<{ orders: number; ms: number; rows: number }> = [];
  for (const [orders, day] of [
    [BASELINE_ORDERS, dayA],
    [ORDERS, dayB],
  ] as const) {
    h.clock.advance(11 * 60_000); // the 10-minute statement limit
    const gen = await withPeakMemory(async () => {
      const { statement } = await ok(h, 'POST', '/v1/merchant/statements', {
        token: merchant.token,
        body: {
          factoryShopId: factory.shopId,
          from: new Date(day).toISOString(),
          to: new Date(day + 86_400_000).toISOString(),
        },
      });
      for (;;) {
        const { statement: s } = await ok(h, 'GET', `/v1/merchant/statements/${statement.id}`, {
          token: merchant.token,
        });
        if (s.status === 'ready') return s;
        if (s.status === 'failed') throw new Error(`statement failed: ${s.error}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    });
    const st = gen.result as { id: number; orderCount: number; rowCount: number; missingPriceRows: number };
    if (st.orderCount !== orders) throw new Error(`statement has ${st.orderCount} orders, expected ${orders}`);
    stats.push({ orders, ms: gen.ms, rows: st.rowCount });
    rows.push([
      h.dialect,
      `generate (${orders.toLocaleString('en-US')} orders, ${st.rowCount.toLocaleString('en-US')} rows, ${st.missingPriceRows.toLocaleString('en-US')} without price)`,
      fmtMs(gen.ms),
      mib(gen.peak.rss),
      mib(gen.peak.heap),
      mib(gen.peak.rssAbs),
    ]);
    for (const format of ['csv', 'xlsx'] as const) {
      const dl = await withPeakMemory(async () => {
        const res = await fetch(`${h.url}/v1/merchant/statements/${st.id}/download?format=${format}`, {
          headers: { authorization: `Bearer ${merchant.token}` },
        });
        let bytes = 0;
        const reader = res.body!.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return bytes;
          bytes += value.length;
        }
      });
      rows.push([
        h.dialect,
        `download ${format.toUpperCase()} (${orders.toLocaleString('en-US')} orders, ${mib(dl.result)})`,
        fmtMs(dl.ms),
        mib(dl.peak.rss),
        mib(dl.peak.heap),
        mib(dl.peak.rssAbs),
      ]);
    }
  }
  const [base, big] = stats;
  rows.push([
    h.dialect,
    `time ratio ${ORDERS.toLocaleString('en-US')} vs ${BASELINE_ORDERS.toLocaleString('en-US')} orders (rows ×${(big!.rows / base!.rows).toFixed(1)})`,
    fmtRatio(big!.ms / base!.ms),
    '',
    '',
    '',
  ]);
  rows.push([
    h.dialect,
    `(seeding ${(ORDERS + BASELINE_ORDERS).toLocaleString('en-US')} returned orders straight into the tables)`,
    fmtMs(seedMs),
    '',
    '',
    '',
  ]);
  return rows;
}

// ----------------------------------------------------------------------------------- main

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const dialects = (
  process.env.DAIFA_TEST_PG_URL ? (['sqlite', 'postgres'] as Dialect[]) : (['sqlite'] as Dialect[])
).filter((d) => only === undefined || d === only);
if (!process.env.DAIFA_TEST_PG_URL) console.warn('PostgreSQL run SKIPPED: set DAIFA_TEST_PG_URL');
const returnRows: string[][] = [];
const statementRows: string[][] = [];
for (const dialect of dialects) {
  const h = await startHub(dialect);
  try {
    returnRows.push(...(await benchReturns(h)));
    if (!process.argv.includes('--no-statements')) statementRows.push(...(await benchStatements(h)));
  } finally {
    await h.close();
  }
}
const { maxRSS } = process.resourceUsage();
console.log(`\n### hub-flow: returns through POST /v1/station/mutations (\`node test/bench/hub-flow.bench.ts\`)\n`);
console.log(markdownTable(['db', 'what', 'per request', 'returns/s', 'apply vs this'], returnRows));
console.log(`\n### hub-flow: statements (growth = peak above the level at the start of the step, after a full GC)\n`);
console.log(markdownTable(['db', 'what', 'time', 'RSS growth', 'heap growth', 'peak RSS'], statementRows));
console.log(
  `\nprocess maxRSS over the whole run: ${mib(maxRSS * 1024)} (Node ${process.version}, ${(await import('node:os')).cpus().length} cores)`,
);
