/**
 * Working a batch, for real (hub process, station process, engines in Chromium, TCP printer): pause and
 * resume stop and restart at the exact label, cancel leaves the rest unprinted, two batches on one
 * printer queue instead of interleaving, and only one window of the station runs the engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRawListener, type RawListener } from '../support/raw-listener.ts';
import {
  openHarness,
  startHubProcess,
  startStack,
  tempDir,
  type HubProcess,
  type StationStack,
} from '../support/station.ts';
import { factoryWithOrders, type FactoryScenario } from '../support/station-scenario.ts';
import { completeLabels } from '../support/tspl-decode.ts';
import * as H from '../support/harness-driver.ts';

const READY = { query: Uint8Array.from([0x1b, 0x21, 0x3f]), reply: Uint8Array.from([0x00]) };

describe('working a batch', () => {
  let hub: HubProcess;
  let scenario: FactoryScenario;
  let printer: RawListener;
  let stack: StationStack;
  let printerId: string;
  let sns: string[];
  const tmp = tempDir('daifa-controls-');

  beforeAll(async () => {
    hub = await startHubProcess();
    scenario = await factoryWithOrders(hub.asTestHub(), { orders: 400 });
    printer = await startRawListener({ respond: READY });
    stack = await startStack({ hub, code: await scenario.pairingCode(), name: '打印站 P', dir: tmp.dir });
    await H.waitForOrders(stack.page, 400);
    printerId = await H.addPrinter(stack.page, { name: '标签机', url: `${printer.url}?lang=tspl`, format: 'tspl' });
    sns = await H.printableSns(stack.page);
  });
  afterAll(async () => {
    await stack?.close();
    await printer?.close();
    await hub?.close();
    tmp.cleanup();
  });

  const sent = async (batchId: number) => (await H.items(stack.page, batchId)).filter((i) => i.state === 'sent').length;

  it('pause stops after the label in flight; resume goes on from the next one', async () => {
    const batchId = await H.createBatch(stack.page, { orderSns: sns.slice(0, 150), printerId, courier: 'ZTO' });
    await H.startBatch(stack.page, batchId);
    await H.until(
      () => sent(batchId),
      (n) => n >= 20,
      '20 labels',
    );
    await H.runner(stack.page, 'pause', batchId);
    expect((await H.waitForBatchState(stack.page, batchId, ['paused'])).pause?.kind).toBe('worker');
    await new Promise((r) => setTimeout(r, 500));
    const atPause = await sent(batchId);
    const onPaper = completeLabels(printer.connections).length;
    await new Promise((r) => setTimeout(r, 1000));
    expect(await sent(batchId)).toBe(atPause);
    expect(completeLabels(printer.connections).length).toBe(onPaper);
    expect(atPause).toBeLessThan(150);
    await H.runBatch(stack.page, batchId);
    expect((await H.batch(stack.page, batchId)).state).toBe('done');
    expect(await sent(batchId)).toBe(150);
    const labels = completeLabels(printer.connections);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('cancel leaves the rest of the batch unprinted', async () => {
    const batchId = await H.createBatch(stack.page, { orderSns: sns.slice(150, 250), printerId, courier: 'ZTO' });
    await H.startBatch(stack.page, batchId);
    await H.until(
      () => sent(batchId),
      (n) => n >= 10,
      '10 labels',
    );
    await H.runner(stack.page, 'cancel', batchId);
    await H.waitForBatchState(stack.page, batchId, ['cancelled']);
    await new Promise((r) => setTimeout(r, 1000));
    const items = await H.items(stack.page, batchId);
    const done = items.filter((i) => i.state === 'sent').length;
    expect(done).toBeLessThan(100);
    expect(items.filter((i) => i.state === 'cancelled').length).toBe(100 - done);
    expect(items.every((i) => i.state === 'sent' || i.state === 'cancelled')).toBe(true);
  });

  it('two batches on one printer queue one after the other', async () => {
    const a = await H.createBatch(stack.page, { orderSns: sns.slice(250, 290), printerId, courier: 'ZTO' });
    const b = await H.createBatch(stack.page, { orderSns: sns.slice(290, 330), printerId, courier: 'ZTO' });
    const before = completeLabels(printer.connections).length;
    await Promise.all([H.runBatch(stack.page, a), H.runBatch(stack.page, b)]);
    const [ia, ib] = await Promise.all([H.items(stack.page, a), H.items(stack.page, b)]);
    const order = completeLabels(printer.connections).slice(before);
    const numbersA = new Set(ia.map((i) => i.waybillNo));
    const numbersB = new Set(ib.map((i) => i.waybillNo));
    expect(order).toHaveLength(80);
    expect(order.slice(0, 40).every((n) => numbersA.has(n))).toBe(true);
    expect(order.slice(40).every((n) => numbersB.has(n))).toBe(true);
  });

  it('only one window runs the engines; when it closes, another takes over', async () => {
    const second = await openHarness(stack.chrome, stack.station);
    const leaders = () => Promise.all([H.isLeader(stack.page), H.isLeader(second)]);
    expect(await leaders()).toEqual([true, false]);
    await stack.page.close();
    await H.until(
      () => H.isLeader(second),
      (l) => l,
      'the second window to lead',
    );
  });
});
