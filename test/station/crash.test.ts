/**
 * Crash safety (DESIGN.md §7), for real: SIGKILL of Chromium (its persistent profile keeps IndexedDB)
 * and of the station's Node process, at random points during a batch, 30 times. After each restart the
 * worker — played by the test, who looks at what the printer actually delivered — answers for the
 * labels shown in doubt. In the end:
 * - 0 lost and 0 duplicate returns (the hub has each printed order returned once);
 * - no label printed twice, and at most one label in doubt per crash (one printer).
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRawListener, type RawListener } from '../support/raw-listener.ts';
import { startHubProcess, startStack, tempDir, type HubProcess, type StationStack } from '../support/station.ts';
import { factoryWithOrders, type FactoryScenario } from '../support/station-scenario.ts';
import { completeLabels } from '../support/tspl-decode.ts';
import { mulberry32 } from '../../server/seed.ts';
import * as H from '../support/harness-driver.ts';

const ROUNDS = Number(process.env.DAIFA_CRASH_ROUNDS ?? 30);
const READY = { query: Uint8Array.from([0x1b, 0x21, 0x3f]), reply: Uint8Array.from([0x00]) };

describe(`crash safety: ${ROUNDS} SIGKILLs of Chromium and of the station during a batch`, () => {
  let hub: HubProcess;
  let scenario: FactoryScenario;
  let printer: RawListener;
  let stack: StationStack;
  let printerId: string;
  const tmp = tempDir('daifa-crash-');
  const rng = mulberry32(Number(process.env.DAIFA_CRASH_SEED ?? 20261130));

  beforeAll(async () => {
    hub = await startHubProcess();
    scenario = await factoryWithOrders(hub.asTestHub(), { orders: 400 });
    printer = await startRawListener({ respond: READY });
    stack = await startStack({ hub, code: await scenario.pairingCode(), name: '打印站 C', dir: tmp.dir });
    await H.waitForOrders(stack.page, 400);
    printerId = await H.addPrinter(stack.page, { name: '标签机', url: `${printer.url}?lang=tspl`, format: 'tspl' });
  });
  afterAll(async () => {
    await stack?.close();
    await printer?.close();
    await hub?.close();
    tmp.cleanup();
  });

  it('loses no return, duplicates none, and prints no label twice', async () => {
    const sns = await H.printableSns(stack.page);
    expect(sns.length).toBe(400);
    const batchId = await H.createBatch(stack.page, { orderSns: sns, printerId, courier: 'ZTO' });
    const inDoubtPerCrash: number[] = [];
    const kinds = { chromium: 0, station: 0 };

    for (let round = 0; round < ROUNDS; round++) {
      await H.startBatch(stack.page, batchId);
      // A random point: anywhere from the prepare round trips to deep in the printing.
      await new Promise((r) => setTimeout(r, 100 + Math.floor(rng() * 900)));
      if (rng() < 0.5) {
        kinds.chromium++;
        await stack.restartChromium();
      } else {
        kinds.station++;
        await stack.restartStation();
      }
      // The restarted page recovered: labels left `sending` are now in doubt. The worker checks the printer.
      const items = await H.items(stack.page, batchId);
      expect(items.filter((i) => i.state === 'sending')).toEqual([]);
      const doubtful = items.filter((i) => i.state === 'in_doubt');
      inDoubtPerCrash.push(doubtful.length);
      const onPaper = new Set(completeLabels(printer.connections));
      for (const i of doubtful) {
        await H.runner(stack.page, 'resolveInDoubt', i.id, onPaper.has(i.waybillNo!) ? 'printed' : 'not_printed');
      }
    }

    await H.runBatch(stack.page, batchId);
    const finished = await H.batch(stack.page, batchId);
    if (finished.state !== 'done') {
      const left = (await H.items(stack.page, batchId)).filter((i) => i.state !== 'sent');
      throw new Error(
        `batch ${finished.state}: ${JSON.stringify(finished.pause)}; not sent: ${JSON.stringify(left.slice(0, 5))} (${left.length})`,
      );
    }
    await H.waitOutboxDrained(stack.page, 60_000);

    const items = await H.items(stack.page, batchId);
    expect(items.every((i) => i.state === 'sent')).toBe(true);
    // At most one label per printer in doubt after any crash.
    expect(Math.max(...inDoubtPerCrash)).toBeLessThanOrEqual(1);

    // No label printed twice: every number on paper once, and exactly the batch's numbers.
    const labels = completeLabels(printer.connections);
    const counts = new Map<string, number>();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    expect(new Set(labels)).toEqual(new Set(items.map((i) => i.waybillNo)));

    // No return lost, none twice: the hub has each order returned once, with the number on paper.
    const db = new Database(hub.databaseUrl.replace(/^sqlite:/, ''), { readonly: true });
    try {
      const rows = db
        .prepare(`select order_sn as sn, waybill_no as no from waybills where status = 'returned'`)
        .all() as Array<{
        sn: string;
        no: string;
      }>;
      expect(rows).toHaveLength(400);
      expect(new Set(rows.map((r) => r.sn)).size).toBe(400);
      for (const r of rows) expect(counts.get(r.no)).toBe(1);
    } finally {
      db.close();
    }
    const log = await H.printLog(stack.page);
    expect(log).toHaveLength(400);
    expect(new Set(log.map((l) => l.waybillNo)).size).toBe(400);

    console.info(
      `crash test: ${ROUNDS} kills (Chromium ${kinds.chromium}, station ${kinds.station}); labels in doubt after a crash: ` +
        `${inDoubtPerCrash.filter((n) => n > 0).length} crashes with one, resolved by the worker; ${labels.length} labels on paper`,
    );
  });
});
