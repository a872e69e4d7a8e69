/**
 * The station's whole print path, for real: the hub as a process over HTTP, the station's Node process
 * (main's services in browser mode), the renderer's engines in Chromium with a persistent profile, and a
 * TCP 9100 listener as the printer. Pair, sync 500 orders, print a batch of 200: the printer receives
 * exactly the printable orders, their barcodes scan, and the hub has each return exactly once.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mmToDots } from '../../shared/label/index.ts';
import { monoToPng } from '../../main/print/render/index.ts';
import { zbarDecodeBuffer } from '../support/decode.ts';
import { startRawListener, type RawListener } from '../support/raw-listener.ts';
import { composeTsplBitmap, decodeTspl, paintNativeCodes } from '../support/tspl-decode.ts';
import { startHubProcess, startStack, tempDir, type HubProcess, type StationStack } from '../support/station.ts';
import { factoryWithOrders, type FactoryScenario } from '../support/station-scenario.ts';
import * as H from '../support/harness-driver.ts';

describe('station print flow (hub process, station process, Chromium, TCP printer)', () => {
  let hub: HubProcess;
  let scenario: FactoryScenario;
  let printer: RawListener;
  let stack: StationStack;
  const tmp = tempDir('daifa-flow-');

  beforeAll(async () => {
    hub = await startHubProcess();
    scenario = await factoryWithOrders(hub.asTestHub(), { orders: 500, abnormal: 20 });
    printer = await startRawListener();
    stack = await startStack({ hub, code: await scenario.pairingCode(), name: '打印站 A', dir: tmp.dir });
  });

  afterAll(async () => {
    await stack?.close();
    await printer?.close();
    await hub?.close();
    tmp.cleanup();
  });

  it('pairs and syncs all 500 orders into IndexedDB, abnormal ones blocked with their reason', async () => {
    await H.waitForOrders(stack.page, 500);
    expect(await H.orderCount(stack.page)).toBe(500);
    const views = await Promise.all(scenario.abnormal.slice(0, 4).map((sn) => H.orderView(stack.page, sn)));
    expect(views.map((v) => v?.view)).toEqual(['blocked', 'blocked', 'blocked', 'blocked']);
    expect(views.map((v) => v?.reason)).toEqual(['after_sale', 'audit_hold', 'after_sale', 'audit_hold']);
  });

  it('prints a batch of 200 (abnormal orders among them): exactly the printable ones reach the printer, and scan', async () => {
    const page = stack.page;
    const printerId = await H.addPrinter(page, { name: '网口标签机', url: `${printer.url}?lang=tspl`, format: 'tspl' });
    const printable = (await H.printableSns(page)).slice(0, 190);
    const selection = [...printable, ...scenario.abnormal.slice(0, 10)];
    const batchId = await H.createBatch(page, { orderSns: selection, printerId, courier: 'ZTO', sortBySku: true });
    await H.runBatch(page, batchId);
    const done = await H.batch(page, batchId);
    expect(done.state).toBe('done');

    const items = await H.items(page, batchId);
    const sent = items.filter((i) => i.state === 'sent');
    const blocked = items.filter((i) => i.state === 'blocked');
    expect(sent.map((i) => i.orderSn).sort()).toEqual([...printable].sort());
    expect(blocked.map((i) => i.orderSn).sort()).toEqual(scenario.abnormal.slice(0, 10).sort());
    expect(new Set(blocked.map((i) => i.reason))).toEqual(new Set(['after_sale', 'audit_hold']));
    // Once the batch is done, each printed order shows in the list as printed (or returned) with its number,
    // so a worker choosing the next orders does not see them as still to print; the blocked stay blocked.
    const rows = (await page.evaluate(
      (sns) => (window as any).daifaHarness.runtime.db.orders.bulkGet(sns), // eslint-disable-line @typescript-eslint/no-explicit-any
      sent.map((i) => i.orderSn),
    )) as Array<{ view: string; waybillNo: string | null }>;
    rows.forEach((o, k) => {
      expect(['printed', 'returned']).toContain(o.view);
      expect(o.waybillNo).toBe(sent[k]!.waybillNo);
    });
    const blockedViews = await Promise.all(blocked.map((b) => H.orderView(page, b.orderSn)));
    expect(blockedViews.every((v) => v?.view === 'blocked')).toBe(true);
    // Sorted by SKU: the SKUs come in runs, not interleaved.
    const skuOrder = await page.evaluate(
      async (sns) => (await (window as any).daifaHarness.runtime.db.orders.bulkGet(sns)).map((o: any) => o.skuIds[0]), // eslint-disable-line @typescript-eslint/no-explicit-any
      items.map((i) => i.orderSn),
    );
    const runs = skuOrder.filter((s: string, k: number) => k === 0 || s !== skuOrder[k - 1]).length;
    expect(runs).toBe(new Set(skuOrder).size);

    // The printer got one label per sent item, each with that item's number, and none twice.
    await printer.waitForBytes(1);
    const job = decodeTspl(printer.bytes());
    const printed = job.labels.map((l) => l.barcodes[0]?.content);
    expect(printed).toHaveLength(sent.length);
    expect(new Set(printed).size).toBe(printed.length);
    expect(new Set(printed)).toEqual(new Set(sent.map((i) => i.waybillNo)));
    // Nothing of a blocked order reached the printer.
    const bytes = printer.bytes().toString('latin1');
    for (const b of blocked) expect(bytes).not.toContain(b.orderSn);

    // The labels scan as printed (bitmap text + the printer's native codes), checked with zbarimg.
    const w = mmToDots(100, 203);
    const h = mmToDots(180, 203);
    for (const label of job.labels.slice(0, 12)) {
      const pageBits = composeTsplBitmap(label, w, h, true);
      paintNativeCodes(pageBits, label);
      const symbols = await zbarDecodeBuffer(monoToPng(pageBits));
      expect(symbols.find((s) => s.type === 'CODE-128')?.data).toBe(label.barcodes[0]!.content);
    }
  });

  it('drains the outbox, and the hub has each printed order returned exactly once by this station', async () => {
    const page = stack.page;
    await H.waitOutboxDrained(page);
    const sent = (await H.allItems(page)).filter((i) => i.state === 'sent');
    const db = new Database(hub.databaseUrl.replace(/^sqlite:/, ''), { readonly: true });
    try {
      const rows = db
        .prepare(`select order_sn as sn, count(*) as n from waybills where status = 'returned' group by order_sn`)
        .all() as Array<{ sn: string; n: number }>;
      const returned = new Map(rows.map((r) => [r.sn, r.n]));
      expect(returned.size).toBe(sent.length);
      for (const i of sent) expect(returned.get(i.orderSn)).toBe(1);
      const results = db.prepare(`select count(*) as n from mutation_results`).get() as { n: number };
      expect(results.n).toBe(sent.length);
    } finally {
      db.close();
    }
    // The print log says so too.
    const log = await H.printLog(page);
    expect(log.filter((l: { returnState: string }) => l.returnState === 'returned')).toHaveLength(sent.length);
  });
});
