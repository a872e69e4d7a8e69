/**
 * Station benchmark: `npm run bench:station` (plain Node, no vitest). Everything real: the hub as its
 * own process on SQLite, the station's Node process in browser mode, the renderer's engines in Chromium
 * with a persistent profile, and a TCP 9100 listener as the printer (TSPL).
 *
 * Measures, each against a baseline from the same run:
 * - initial sync of N orders (default 50,000) into IndexedDB — baseline: Dexie bulkPut of the same
 *   objects in the same page, no network, in the same 1,000-row transactions;
 * - incremental pull of 100 changes (p50);
 * - "print" to the first label's bytes at the listener, warm (guard + claim + render + send);
 * - pipeline throughput over 1,000 labels — baseline: bare TSPL rendering of the same labels in Node;
 * - the renderer's JS heap with N cached orders (after a forced GC).
 *
 * Options: --orders N (50000), --labels N (1000), --json.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { allocate, createOrders, makeOrder, platformEvent } from '../server/support/hub.ts';
import { startRawListener } from '../support/raw-listener.ts';
import { ensureRendererBuilt, startHubProcess, startStack, tempDir } from '../support/station.ts';
import { factoryWithOrders } from '../support/station-scenario.ts';
import { completeLabels } from '../support/tspl-decode.ts';
import * as H from '../support/harness-driver.ts';
import { fmtMs, fmtRatio, markdownTable, percentile } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    orders: { type: 'string', default: '50000' },
    labels: { type: 'string', default: '1000' },
    json: { type: 'boolean', default: false },
  },
});
const N = Number(args.orders);
const LABELS = Number(args.labels);
const READY = { query: Uint8Array.from([0x1b, 0x21, 0x3f]), reply: Uint8Array.from([0x00]) };

/* eslint-disable @typescript-eslint/no-explicit-any */
async function main() {
  await ensureRendererBuilt();
  const tmp = tempDir('daifa-bench-station-');
  const hub = await startHubProcess();
  const printer = await startRawListener({ respond: READY });
  const rows: string[][] = [];
  const results: Record<string, unknown> = {};
  try {
    const th = hub.asTestHub();
    const t0 = performance.now();
    const scenario = await factoryWithOrders(th, { orders: 0 });
    for (let i = 0; i < N; i += 1000) {
      const sns = await createOrders(
        th,
        scenario.merchant,
        Array.from({ length: Math.min(1000, N - i) }, (_, k) =>
          makeOrder({
            items: [
              {
                goodsId: `G${(i + k) % 40}`,
                skuId: `SKU-${(i + k) % 40}`,
                goodsName: `商品${(i + k) % 40}`,
                spec: '默认',
                quantity: 1,
              },
            ],
          }),
        ),
      );
      await allocate(th, scenario.merchant, scenario.factory.shopId, sns);
    }
    console.error(`set-up: ${N} orders allocated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // 1. Initial sync, from the first page load of a fresh profile to the last order stored.
    const syncStart = performance.now();
    const stack = await startStack({ hub, code: await scenario.pairingCode(), name: '基准打印站', dir: tmp.dir });
    const page = stack.page;
    await H.until(
      async () =>
        (await H.orderCount(page)) >= N &&
        !(await page.evaluate(() => (window as any).daifaHarness.runtime.sync.status.pulling)),
      (ok) => ok,
      `${N} orders synced`,
      600_000,
    );
    // From the engines page's first line of script to the last order stored (its own clock).
    const syncMs: number = await page.evaluate(() => performance.now() - (window as any).daifaHarness.startedAt);
    console.error(
      `station and browser started, orders synced: ${((performance.now() - syncStart) / 1000).toFixed(1)} s in all`,
    );

    // 5. Heap with N cached orders (after a forced GC).
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    rows.push([
      `engines page JS heap, ${N.toLocaleString('en-US')} orders cached in IndexedDB`,
      `${(usedSize / 2 ** 20).toFixed(1)} MiB`,
      '',
      '',
    ]);
    results.heapMiB = usedSize / 2 ** 20;

    // UI with N cached orders: the order list's first paint, a filter by SKU, select-all, and scrolling.
    const ui = await stack.chrome.newPage();
    await ui.setViewportSize({ width: 1440, height: 900 });
    const tPaint = performance.now();
    await ui.goto(stack.station.url);
    await ui.waitForSelector('[role="row"][aria-rowindex="2"]', { timeout: 60_000 });
    const firstPaintMs = performance.now() - tPaint;
    await ui.waitForFunction((n) => document.querySelector('[role="radio"]')?.textContent?.includes(String(n)), N, {
      timeout: 60_000,
    });
    // In the page: the action, then the next painted frame (two animation frames); median of 5 runs.
    const filterMs = await ui.evaluate(async () => {
      const times: number[] = [];
      const sel = [...document.querySelectorAll('label')]
        .find((l) => l.textContent!.startsWith('商品/SKU'))!
        .querySelector('select')!;
      const setter = Object.getOwnPropertyDescriptor(HTMLSelectElement.prototype, 'value')!.set!;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        setter.call(sel, sel.value === 'SKU-3' ? 'SKU-7' : 'SKU-3');
        sel.dispatchEvent(new Event('change', { bubbles: true }));
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        times.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 50));
      }
      return times.sort((a, b) => a - b)[2]!;
    });
    await ui.getByRole('button', { name: '清除筛选' }).click();
    const selectAllMs = await ui.evaluate(async () => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const buttons = [...document.querySelectorAll('button')];
        const clear = buttons.find((b) => b.textContent === '取消选择')!;
        if (!clear.disabled) clear.click();
        await new Promise((r) => setTimeout(r, 100));
        const t0 = performance.now();
        buttons.find((b) => b.textContent!.startsWith('全选筛选结果'))!.click();
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[2]!;
    });
    const selected = await ui.getByTestId('selected-count').textContent();
    if (Number(selected) !== N) throw new Error(`select-all selected ${selected}, expected ${N}`);
    // Scrolling: real wheel input through CDP, frame times from requestAnimationFrame.
    const box = (await ui.getByTestId('order-scroller').boundingBox())!;
    await ui.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const frames = ui.evaluate(
      () =>
        new Promise<number[]>((resolve) => {
          const stamps: number[] = [];
          const tick = (t: number) => {
            stamps.push(t);
            if (stamps.length < 180) requestAnimationFrame(tick);
            else resolve(stamps.slice(1).map((x, i) => x - stamps[i]!));
          };
          requestAnimationFrame(tick);
        }),
    );
    for (let i = 0; i < 120; i++) {
      await ui.mouse.wheel(0, 600);
      await new Promise((r) => setTimeout(r, 16));
    }
    const frameMs = await frames;
    const fps = 1000 / (frameMs.reduce((a, b) => a + b, 0) / frameMs.length);
    const p95Frame = percentile(frameMs, 95);
    const scrolled = await ui.getByTestId('order-scroller').evaluate((el) => el.scrollTop);
    if (scrolled < 10_000) throw new Error(`the list did not scroll (scrollTop ${scrolled})`);
    await ui.waitForFunction(() => !document.body.textContent?.includes('正在载入全部订单'), undefined, {
      timeout: 60_000,
    });
    const uiCdp = await ui.context().newCDPSession(ui);
    await uiCdp.send('HeapProfiler.collectGarbage');
    const uiHeap = ((await uiCdp.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize / 2 ** 20;
    rows.push([
      `order list first paint, ${N.toLocaleString('en-US')} orders cached`,
      fmtMs(firstPaintMs),
      '',
      'goal ≤ 1 s',
    ]);
    rows.push([
      `UI page JS heap, ${N.toLocaleString('en-US')} orders in the list's index`,
      `${uiHeap.toFixed(1)} MiB`,
      '',
      '',
    ]);
    rows.push(['order list filtered by SKU (to the painted frame)', `median ${fmtMs(filterMs)}`, '', 'goal ≤ 150 ms']);
    rows.push([
      `select-all of ${N.toLocaleString('en-US')} (to the painted frame)`,
      `median ${fmtMs(selectAllMs)}`,
      '',
      'goal ≤ 200 ms',
    ]);
    rows.push([
      'scrolling the order list (wheel input over CDP)',
      `${fps.toFixed(0)} fps, p95 frame ${fmtMs(p95Frame)}`,
      '',
      'goal ≥ 50 fps',
    ]);
    results.ui = { firstPaintMs, filterMs, selectAllMs, fps, p95Frame, heapMiB: uiHeap };
    await ui.close();

    // 2. Incremental pull of 100 changes.
    await page.evaluate(() => (window as any).daifaHarness.runtime.sync.stop());
    const sns = await H.printableSns(page);
    const pulls: number[] = [];
    for (let round = 0; round < 12; round++) {
      const part = sns.slice(20_000 + round * 100, 20_000 + (round + 1) * 100);
      await Promise.all(part.map((sn) => platformEvent(th, sn, { type: 'audit_hold' })));
      pulls.push(
        await page.evaluate(async () => {
          const t = performance.now();
          await (window as any).daifaHarness.runtime.sync.pull();
          return performance.now() - t;
        }),
      );
    }
    const pullP50 = percentile(pulls.slice(2), 50);
    rows.push([
      'incremental pull of 100 changes',
      `p50 ${fmtMs(pullP50)}, max ${fmtMs(Math.max(...pulls.slice(2)))}`,
      '',
      'goal p50 ≤ 150 ms',
    ]);
    results.incrementalPullP50 = pullP50;
    await page.evaluate(() => (window as any).daifaHarness.runtime.sync.start());

    // 3. "Print" to the first label's bytes, warm.
    const printerId = await H.addPrinter(page, { name: '基准标签机', url: `${printer.url}?lang=tspl`, format: 'tspl' });
    const pool = sns.slice(0, 30 + LABELS);
    const firsts: number[] = [];
    for (let i = 0; i < 30; i++) {
      const batchId = await H.createBatch(page, { orderSns: [pool[i]!], printerId, courier: 'ZTO' });
      const before = printer.bytes().length;
      const t = performance.now();
      await H.startBatch(page, batchId);
      await printer.waitForBytes(before + 1, 10_000);
      firsts.push(performance.now() - t);
      await H.waitForBatchState(page, batchId, ['done']);
    }
    const firstP50 = percentile(firsts.slice(5), 50);
    rows.push([
      '"print" to the first label’s bytes at the printer, warm',
      `p50 ${fmtMs(firstP50)}, p90 ${fmtMs(percentile(firsts.slice(5), 90))}`,
      '',
      'goal p50 ≤ 300 ms',
    ]);
    results.firstLabelP50 = firstP50;

    // 4. Pipeline throughput over LABELS labels; baseline: bare TSPL rendering of the same labels.
    const batchId = await H.createBatch(page, { orderSns: pool.slice(30), printerId, courier: 'ZTO' });
    const labelsBefore = completeLabels(printer.connections).length;
    const tp = performance.now();
    await H.runBatch(page, batchId);
    const pipeMs = performance.now() - tp;
    const printed = completeLabels(printer.connections).length - labelsBefore;
    if (printed !== LABELS) throw new Error(`printed ${printed} labels, expected ${LABELS}`);
    const { tsplBackend } = await import('../../main/print/backends/tspl.ts');
    const { normalizeOptions } = await import('../../main/print/backend.ts');
    const { sampleLabels } = await import('../../shared/label/index.ts');
    const data = sampleLabels(LABELS);
    const opts = normalizeOptions({});
    await tsplBackend.render([data[0]!], opts);
    const tb = performance.now();
    for (const d of data) await tsplBackend.render([d], opts);
    const bareMs = performance.now() - tb;
    const pipeRate = LABELS / (pipeMs / 1000);
    const bareRate = LABELS / (bareMs / 1000);
    rows.push([
      `pipeline throughput, ${LABELS.toLocaleString('en-US')} labels to the listener (prepare, guard, claim, render, two-phase send, return queued)`,
      `${pipeRate.toFixed(0)} labels/s`,
      `bare TSPL rendering: ${bareRate.toFixed(0)} labels/s`,
      `${(pipeRate / bareRate).toFixed(3)}× of bare rendering (goal ≥ 50 labels/s)`,
    ]);
    results.pipeline = { labelsPerSecond: pipeRate, bareRenderPerSecond: bareRate };
    // Baseline: the same objects written by Dexie in the same page, no network, same transaction size. Last,
    // because deleting its 50,000 rows afterwards keeps the origin's IndexedDB busy for a while (every
    // database of an origin shares one LevelDB), which would weigh on whatever is measured next.
    const baselineMs: number = await page.evaluate(async () => {
      const rt = (window as any).daifaHarness.runtime;
      const all = await rt.db.orders.toArray();
      const Ctor = rt.db.constructor;
      const db = new Ctor('bench-baseline');
      await db.open();
      const t = performance.now();
      for (let i = 0; i < all.length; i += 1000) await db.orders.bulkPut(all.slice(i, i + 1000));
      const ms = performance.now() - t;
      db.close();
      await db.delete();
      return ms;
    });
    rows.unshift([
      `initial sync of ${N.toLocaleString('en-US')} orders into IndexedDB`,
      `${(syncMs / 1000).toFixed(1)} s (${Math.round(N / (syncMs / 1000)).toLocaleString('en-US')}/s)`,
      `Dexie bulkPut, no network: ${(baselineMs / 1000).toFixed(1)} s`,
      `${fmtRatio(syncMs / baselineMs)} (goal ≤ 15 s and ≤ 3×)`,
    ]);
    results.initialSync = { ms: syncMs, baselineMs, ratio: syncMs / baselineMs };
    await H.waitOutboxDrained(page, 120_000);
    await stack.close();
  } finally {
    await printer.close();
    await hub.close();
    tmp.cleanup();
  }
  console.log(`\n### Station (\`npm run bench:station\`)\n`);
  console.log(markdownTable(['measure', 'result', 'baseline (same run)', 'ratio / goal'], rows));
  if (args.json) console.log(JSON.stringify(results, null, 2));
}

await main();
