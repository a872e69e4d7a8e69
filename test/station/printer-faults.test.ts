/**
 * Printer faults in the middle of a batch (TCP 9100 listener as the printer): the batch pauses with the
 * printer's own zh/en message, and resumes at the exact label — none skipped, none printed twice.
 * - the printer reports paper out (TSPL status query answered "paper empty");
 * - the printer drops the connection (switched off) and refuses new ones;
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRawListener, type RawListener } from '../support/raw-listener.ts';
import { startHubProcess, startStack, tempDir, type HubProcess, type StationStack } from '../support/station.ts';
import { factoryWithOrders, type FactoryScenario } from '../support/station-scenario.ts';
import { completeLabels } from '../support/tspl-decode.ts';
import * as H from '../support/harness-driver.ts';

/** TSPL `<ESC>!?` answers one status byte: 0x00 ready, bit 2 (0x04) paper empty. */
const TSPL_STATUS_QUERY = Uint8Array.from([0x1b, 0x21, 0x3f]);
const READY = { query: TSPL_STATUS_QUERY, reply: Uint8Array.from([0x00]) };
const PAPER_OUT = { query: TSPL_STATUS_QUERY, reply: Uint8Array.from([0x04]) };

describe('printer faults mid-batch', () => {
  let hub: HubProcess;
  let scenario: FactoryScenario;
  let printer: RawListener;
  let stack: StationStack;
  let printerId: string;
  const tmp = tempDir('daifa-faults-');

  beforeAll(async () => {
    hub = await startHubProcess();
    scenario = await factoryWithOrders(hub.asTestHub(), { orders: 200 });
    printer = await startRawListener({ respond: READY });
    stack = await startStack({ hub, code: await scenario.pairingCode(), name: '打印站 F', dir: tmp.dir });
    await H.waitForOrders(stack.page, 200);
    printerId = await H.addPrinter(stack.page, { name: '标签机', url: `${printer.url}?lang=tspl`, format: 'tspl' });
  });
  afterAll(async () => {
    await stack?.close();
    await printer?.close();
    await hub?.close();
    tmp.cleanup();
  });

  const sent = async (batchId: number) => (await H.items(stack.page, batchId)).filter((i) => i.state === 'sent');

  it('paper out: pauses with the printer’s message, then resumes at the exact label', async () => {
    const page = stack.page;
    const sns = (await H.printableSns(page)).slice(0, 80);
    const batchId = await H.createBatch(page, { orderSns: sns, printerId, courier: 'ZTO' });
    await H.startBatch(page, batchId);
    await H.until(
      () => sent(batchId).then((s) => s.length),
      (n) => n >= 25,
      '25 labels',
    );
    printer.setRespond(PAPER_OUT);

    const paused = await H.waitForBatchState(page, batchId, ['paused', 'done']);
    expect(paused.state).toBe('paused');
    expect(paused.pause).toMatchObject({ kind: 'printer', error: { code: 'printer_error', cause: 'paper_out' } });
    expect(paused.pause!.error!.message).toMatch(/缺纸/);
    expect(paused.pause!.error!.messageEn).toMatch(/out of paper/);
    const items = await H.items(page, batchId);
    const failed = items.filter((i) => i.state === 'failed');
    expect(failed).toHaveLength(1);
    // Nothing is left half-done: every label is sent, failed (the one the printer refused) or still queued.
    expect(items.every((i) => ['sent', 'failed', 'queued'].includes(i.state))).toBe(true);

    printer.setRespond(READY);
    await H.runner(page, 'continueFrom', failed[0]!.id);
    const done = await H.waitForBatchState(page, batchId, ['done']);
    expect(done.state).toBe('done');
    const all = await sent(batchId);
    expect(all).toHaveLength(80);
    const labels = completeLabels(printer.connections);
    expect(labels).toHaveLength(80);
    expect(new Set(labels)).toEqual(new Set(all.map((i) => i.waybillNo)));
    // In order: the label refused for paper was the next one printed after the refill.
    expect(labels.indexOf(failed[0]!.waybillNo!)).toBe(items.findIndex((i) => i.id === failed[0]!.id));
  });

  it('the printer drops the connection and is away: pauses as unreachable, resumes at the exact label', async () => {
    const page = stack.page;
    const sns = (await H.printableSns(page)).slice(0, 80);
    const batchId = await H.createBatch(page, { orderSns: sns, printerId, courier: 'ZTO' });
    await H.startBatch(page, batchId);
    await H.until(
      () => sent(batchId).then((s) => s.length),
      (n) => n >= 20,
      '20 labels',
    );
    const port = printer.port;
    await printer.close();

    const paused = await H.waitForBatchState(page, batchId, ['paused', 'done']);
    expect(paused.state).toBe('paused');
    expect(paused.pause?.error?.cause).toMatch(/unreachable|connection_lost/);
    expect(paused.pause!.error!.message).toMatch(/打印机/);
    const failed = (await H.items(page, batchId)).filter((i) => i.state === 'failed');
    expect(failed).toHaveLength(1);

    printer = await startRawListener({ port, respond: READY });
    await H.runner(page, 'continueFrom', failed[0]!.id);
    expect((await H.waitForBatchState(page, batchId, ['done'])).state).toBe('done');
    const all = await sent(batchId);
    expect(all).toHaveLength(80);
    const labels = completeLabels(printer.connections);
    // The new listener saw the refused label and everything after it, once each.
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels[0]).toBe(failed[0]!.waybillNo);
    const failedSeq = (await H.items(page, batchId)).findIndex((i) => i.id === failed[0]!.id);
    expect(labels).toHaveLength(80 - failedSeq);
  });
});
