/**
 * Hub core benchmark (`npm run bench:hub` → `node test/bench/hub.bench.ts`; plain Node, no vitest).
 *
 * Through real HTTP on 127.0.0.1, on SQLite (and PostgreSQL when DAIFA_TEST_PG_URL is set):
 *  1. a batch allocation of 1,000 orders (10 batches → also fills the feed with 10,000 changes),
 *     against the same 1,000 orders allocated with 1,000 single-order requests;
 *  2. a feed pull of 10,000 changes (total time, changes/s), at the default page size and at the
 *     maximum, against a bare Fastify route serving the same JSON from memory (pure HTTP + JSON cost);
 *  3. the guard check of 1,000 orders, p50 and p99 (goal: p50 ≤ 50 ms on SQLite), against the same
 *     1,000 checks as 1,000 single-order requests, and against a bare Fastify echo of the same size.
 * The figures that matter are the ratios: they hold across machines better than milliseconds do.
 *
 * Options: --samples N (guard-check samples, default 40), --feed-runs N (default 3).
 * Other benches may import `startBenchHub`, `benchShops` and `echoServer` from here.
 */
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AllocateResponse } from '../../shared/api/orders.ts';
import type { CheckResponse, FeedResponse } from '../../shared/api/stations.ts';
import {
  bindAndAccept,
  createFactory,
  createMerchant,
  makeOrder,
  ok,
  pairStation,
  startTestHub,
  type Dialect,
  type TestHub,
  type TestShop,
  type TestStation,
} from '../server/support/hub.ts';
import { fmtMs, fmtRate, fmtRatio, markdownTable, percentile, sample, timeMs } from './stats.ts';

const PG_URL = process.env.DAIFA_TEST_PG_URL ?? '';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : dflt;
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}

// ───────────────────────── reusable pieces ─────────────────────────

/** A hub on a fresh database (temp SQLite file, or a random PostgreSQL database) on a real port. */
export async function startBenchHub(dialect: Dialect): Promise<TestHub> {
  return startTestHub({ dialect, testClock: false });
}

/** A merchant bound to a factory, with a paired station, and `orders` created orders (1,000 per request). */
export async function benchShops(
  h: TestHub,
  orders: number,
): Promise<{ merchant: TestShop; factory: TestShop; station: TestStation; sns: string[]; createMs: number[] }> {
  const merchant = await createMerchant(h, '压测商家');
  const factory = await createFactory(h, '压测工厂');
  await bindAndAccept(h, merchant, factory);
  const station = await pairStation(h, factory, '压测打印站');
  const sns: string[] = [];
  const createMs: number[] = [];
  for (let i = 0; i < orders; i += 1000) {
    const part = Array.from({ length: Math.min(1000, orders - i) }, (_, k) =>
      makeOrder({ sn: `B${h.dialect[0]}${Date.now().toString(36)}-${String(i + k).padStart(6, '0')}` }),
    );
    createMs.push(
      await timeMs(() =>
        ok(h, 'POST', '/v1/platform/orders', {
          token: h.adminToken,
          body: { merchantShopId: merchant.shopId, orders: part },
        }),
      ),
    );
    sns.push(...part.map((o) => o.sn));
  }
  return { merchant, factory, station, sns, createMs };
}

/**
 * The HTTP baseline: a bare Fastify app (no database, no schemas, no auth) on a real port that
 * echoes a check-shaped answer for a list of sns and serves preset JSON pages from memory.
 */
export async function echoServer(pages: string[] = []): Promise<{ url: string; app: FastifyInstance }> {
  const app = Fastify({ logger: false, bodyLimit: 2 * 1024 * 1024 });
  app.post('/echo-check', async (req) => {
    const { orderSns } = req.body as { orderSns: string[] };
    return {
      results: orderSns.map((orderSn) => ({ orderSn, printable: true, reason: null, version: 1, addressVersion: 1 })),
    };
  });
  app.get('/echo-page/:i', async (req, reply) => {
    const page = pages[Number((req.params as { i: string }).i)] ?? '{}';
    return reply.type('application/json').send(page);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('echo server did not bind');
  return { url: `http://127.0.0.1:${addr.port}`, app };
}

async function postJson(url: string, token: string | undefined, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`${url} → ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
  return json;
}

async function getJson(url: string, token?: string): Promise<unknown> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`${url} → ${res.status} ${JSON.stringify(json).slice(0, 200)}`);
  return json;
}

// ───────────────────────── the bench ─────────────────────────

export type Row = [measure: string, result: string, baseline: string, ratio: string];

const FEED_CHANGES = 10_000;
const BATCH = 1000;
/** How many of the 1,000 single-order baseline requests are actually timed. */
const SINGLES = 250;

export async function runHubBench(dialect: Dialect, opts: { samples: number; feedRuns: number }): Promise<Row[]> {
  const rows: Row[] = [];
  const h = await startBenchHub(dialect);
  try {
    const t0 = performance.now();
    // 10 batches for the feed and the batch figure, one more 1,000 for the single-order baseline.
    const { merchant, factory, station, sns, createMs } = await benchShops(h, FEED_CHANGES + SINGLES);
    const setupMs = performance.now() - t0;
    rows.push([
      'create 1,000 platform orders (1 request)',
      `p50 ${fmtMs(percentile(createMs, 50))}`,
      `setup of ${sns.length.toLocaleString('en-US')} orders ${fmtMs(setupMs)}`,
      '',
    ]);

    // 1. Batch allocation of 1,000, ten times (these fill the feed with 10,000 changes).
    const allocUrl = `${h.url}/v1/merchant/allocations`;
    const batchMs: number[] = [];
    for (let b = 0; b < FEED_CHANGES / BATCH; b++) {
      const part = sns.slice(b * BATCH, (b + 1) * BATCH);
      let res: AllocateResponse | undefined;
      batchMs.push(
        await timeMs(async () => {
          res = (await postJson(allocUrl, merchant.token, {
            factoryShopId: factory.shopId,
            orderSns: part,
          })) as AllocateResponse;
        }),
      );
      if (res!.results.some((r) => r.result !== 'allocated')) throw new Error('bench: an allocation was refused');
    }
    // Baseline: the same work as one request per order (a client without batching). Timing all 1,000
    // would dominate the bench's run time, so SINGLES of them are timed and scaled to 1,000.
    const singles = sns.slice(FEED_CHANGES, FEED_CHANGES + SINGLES);
    const singleAllocMs =
      (await timeMs(async () => {
        for (const sn of singles)
          await postJson(allocUrl, merchant.token, { factoryShopId: factory.shopId, orderSns: [sn] });
      })) *
      (BATCH / SINGLES);
    const batchP50 = percentile(batchMs, 50);
    rows.push([
      'batch allocation of 1,000 orders (1 request, 10 runs)',
      `p50 ${fmtMs(batchP50)}, max ${fmtMs(Math.max(...batchMs))} (${fmtRate((BATCH / batchP50) * 1000)})`,
      `1,000 single-order requests: ${fmtMs(singleAllocMs)} (${SINGLES} timed ×${BATCH / SINGLES})`,
      `${fmtRatio(singleAllocMs / batchP50)} faster`,
    ]);

    // 2. Feed pull of 10,000 changes from an empty cache, at the default and the maximum page size.
    let lastPages: string[] = [];
    for (const limit of [500, 1000]) {
      const runs: number[] = [];
      for (let r = 0; r < opts.feedRuns; r++) {
        const pages: string[] = [];
        runs.push(
          await timeMs(async () => {
            let cursor: string | undefined;
            let got = 0;
            while (got < FEED_CHANGES) {
              const q = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
              const page = (await getJson(`${h.url}/v1/station/feed?${q}`, station.token)) as FeedResponse;
              got += page.changes.length;
              cursor = page.cursor;
              if (limit === 1000) pages.push(JSON.stringify(page));
              if (!page.hasMore) break;
            }
            if (got < FEED_CHANGES) throw new Error(`bench: the feed had only ${got} changes`);
          }),
        );
        if (limit === 1000) lastPages = pages;
      }
      const med = percentile(runs, 50);
      if (limit === 1000) {
        // Baseline: the same 10 pages of JSON served from memory by a bare Fastify route.
        const e = await echoServer(lastPages);
        const echoRuns: number[] = [];
        for (let r = 0; r < opts.feedRuns; r++) {
          echoRuns.push(
            await timeMs(async () => {
              for (let i = 0; i < lastPages.length; i++) await getJson(`${e.url}/echo-page/${i}`);
            }),
          );
        }
        await e.app.close();
        const echoMed = percentile(echoRuns, 50);
        rows.push([
          `feed pull of 10,000 changes, limit ${limit} (${Math.ceil(FEED_CHANGES / limit)} pages)`,
          `${fmtMs(med)} (${fmtRate((FEED_CHANGES / med) * 1000)})`,
          `same JSON from a bare Fastify route: ${fmtMs(echoMed)}`,
          `${fmtRatio(med / echoMed)} of bare HTTP`,
        ]);
      } else {
        rows.push([
          `feed pull of 10,000 changes, limit ${limit} (default, ${Math.ceil(FEED_CHANGES / limit)} pages)`,
          `${fmtMs(med)} (${fmtRate((FEED_CHANGES / med) * 1000)})`,
          '',
          '',
        ]);
      }
    }

    // 3. Guard check of 1,000 orders (all allocated to this station's factory, so every row is read).
    const checkUrl = `${h.url}/v1/station/check`;
    const checkSns = sns.slice(0, BATCH);
    const checkMs = await sample(opts.samples, async () => {
      const res = (await postJson(checkUrl, station.token, { orderSns: checkSns })) as CheckResponse;
      if (res.results.length !== BATCH || !res.results[0]!.printable) throw new Error('bench: unexpected check answer');
    });
    const checkP50 = percentile(checkMs, 50);
    const checkP99 = percentile(checkMs, 99);
    const singleCheckMs =
      (await timeMs(async () => {
        for (const sn of checkSns.slice(0, SINGLES)) await postJson(checkUrl, station.token, { orderSns: [sn] });
      })) *
      (BATCH / SINGLES);
    const e = await echoServer();
    const echoMs = await sample(opts.samples, () => postJson(`${e.url}/echo-check`, undefined, { orderSns: checkSns }));
    await e.app.close();
    const echoP50 = percentile(echoMs, 50);
    const goal = dialect === 'sqlite' ? ` — goal p50 ≤ 50 ms: ${checkP50 <= 50 ? 'met' : 'NOT met'}` : '';
    rows.push([
      `guard check of 1,000 orders (1 request, ${opts.samples} runs)`,
      `p50 ${fmtMs(checkP50)}, p99 ${fmtMs(checkP99)}${goal}`,
      `1,000 single-order requests: ${fmtMs(singleCheckMs)} (${SINGLES} timed ×${BATCH / SINGLES})`,
      `${fmtRatio(singleCheckMs / checkP50)} faster`,
    ]);
    rows.push([
      'guard check of 1,000 orders vs. HTTP floor',
      `p50 ${fmtMs(checkP50)}`,
      `bare Fastify echo of the same size: p50 ${fmtMs(echoP50)}`,
      `${fmtRatio(checkP50 / echoP50)} of bare HTTP`,
    ]);
  } finally {
    await h.close();
  }
  return rows;
}

async function main(): Promise<void> {
  const samples = arg('samples', 40);
  const feedRuns = arg('feed-runs', 3);
  const dialects: Dialect[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];
  if (!PG_URL) console.error('PostgreSQL bench SKIPPED: set DAIFA_TEST_PG_URL to include it.');
  const started = performance.now();
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const out: string[] = [
    `## Hub core benchmark (\`npm run bench:hub\`)`,
    '',
    `Node ${process.version}, ${os.cpus().length} × ${cpu}, ${os.platform()}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at start; hub and client in one process over 127.0.0.1.`,
    '',
  ];
  for (const dialect of dialects) {
    const t = performance.now();
    const rows = await runHubBench(dialect, { samples, feedRuns });
    out.push(
      `### ${dialect === 'sqlite' ? 'SQLite (WAL)' : 'PostgreSQL'} — ${((performance.now() - t) / 1000).toFixed(1)} s`,
      '',
    );
    out.push(markdownTable(['measure', 'result', 'baseline (same run)', 'ratio'], rows), '');
  }
  out.push(
    `Total ${((performance.now() - started) / 1000).toFixed(1)} s; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end.`,
  );
  console.log(out.join('\n'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
