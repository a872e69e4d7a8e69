/**
 * The browser loses the station's store (DESIGN.md §7): Chromium deletes an IndexedDB it finds damaged
 * after a crash, or the worker opens the station in another browser. Main's print journal survives it,
 * and a new store rebuilds from it what it needs: the returns not yet pushed, the print log, and the
 * label in doubt. The test kills Chromium in the middle of an offline batch (returns still queued) and
 * deletes the profile's IndexedDB before starting it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawListener } from '../support/raw-listener.ts';
import { startProxiedStation, type ProxiedStation } from '../support/proxied-station.ts';
import { returnedWaybills, type HubProcess, type StationStack } from '../support/station.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';
import { completeLabels } from '../support/tspl-decode.ts';
import * as H from '../support/harness-driver.ts';

describe('a station whose browser store is lost', () => {
  let station: ProxiedStation;
  let hub: HubProcess;
  let proxy: TcpProxy;
  let printer: RawListener;
  let stack: StationStack;
  let printerId: string;

  beforeAll(async () => {
    station = await startProxiedStation({ orders: 200, name: '打印站 恢复', tmpPrefix: 'daifa-lost-store-' });
    ({ hub, proxy, printer, stack, printerId } = station);
  });
  afterAll(async () => {
    await station?.close();
  });

  const returnedOnHub = () => returnedWaybills(hub);

  it('rebuilds its unsent returns, print log and label in doubt from main’s journal, and prints nothing twice', async () => {
    const all = await H.printableSns(stack.page);
    // Printed and returned before anything goes wrong.
    const first = await H.createBatch(stack.page, { orderSns: all.slice(0, 40), printerId, courier: 'ZTO' });
    await H.runBatch(stack.page, first);
    await H.waitOutboxDrained(stack.page);
    expect(returnedOnHub()).toHaveLength(40);

    // Offline under grace: labels print, their returns wait in the store. Another courier than the station's
    // default (ZTO), which the rebuilt batch must keep.
    const rest = all.slice(40, 160);
    const second = await H.createBatch(stack.page, { orderSns: rest, printerId, courier: 'YTO' });
    await H.startBatch(stack.page, second);
    await H.until(
      async () => (await H.items(stack.page, second)).filter((i) => i.state === 'sent').length,
      (n) => n >= 20,
      '20 labels of the second batch sent',
    );
    proxy.cut();
    await H.until(
      async () => (await H.items(stack.page, second)).filter((i) => i.state === 'sent').length,
      (n) => n >= 60,
      '60 labels sent offline',
    );
    expect(await H.outboxCount(stack.page)).toBeGreaterThan(0);
    // Which labels printed offline (unverified): the lost store knew, the rebuilt one must learn it from main.
    const offline = new Map(
      (await H.items(stack.page, second)).filter((i) => i.state === 'sent').map((i) => [i.waybillNo!, i.unverified]),
    );
    expect([...offline.values()].filter(Boolean).length).toBeGreaterThan(0);

    await stack.restartChromium({ wipeStore: true });
    // Still offline: the new store cannot yet tell which numbers the hub still wants, so it invents nothing.
    expect(await H.batches(stack.page)).toEqual([]);
    expect(await H.journalPending(stack.page)).toBe(true);

    proxy.restore();
    await H.until(
      () => H.journalPending(stack.page),
      (pending) => !pending,
      'the journal read into the new store',
    );
    // A batch per courier: the first batch's labels (returned already: print log only) and the second's.
    const restoredBatches = await H.batches(stack.page);
    for (const b of restoredBatches) expect(b.name).toMatch(/^恢复的打印记录/);
    expect(restoredBatches.map((b) => b.courier).sort()).toEqual(['YTO', 'ZTO']);
    const restoredZto = restoredBatches.find((b) => b.courier === 'ZTO')!;
    expect([restoredZto.total, restoredZto.state]).toEqual([40, 'done']);
    const restored = restoredBatches.find((b) => b.courier === 'YTO')!;
    const restoredItems = await H.items(stack.page, restored.id!);
    // At most one label was between the journal and the printer's answer.
    const doubtful = restoredItems.filter((i) => i.state === 'in_doubt');
    expect(doubtful.length).toBeLessThanOrEqual(1);
    const onPaper = new Set(completeLabels(printer.connections));
    for (const i of doubtful) {
      await H.runner(stack.page, 'resolveInDoubt', i.id, onPaper.has(i.waybillNo!) ? 'printed' : 'not_printed');
    }
    if ((await H.batch(stack.page, restored.id!)).state !== 'done') await H.runBatch(stack.page, restored.id!);
    await H.waitOutboxDrained(stack.page);

    // Every label on paper is returned once; the print log is whole again (40 + what the second batch printed).
    const paper = completeLabels(printer.connections);
    expect(new Set(paper).size).toBe(paper.length);
    const returned = returnedOnHub();
    expect(new Set(returned.map((r) => r.no))).toEqual(new Set(paper));
    for (const r of returned) if (offline.has(r.no)) expect(r.unverified, r.no).toBe(offline.get(r.no));
    const log = await H.printLog(stack.page);
    expect(new Set(log.map((l) => l.waybillNo))).toEqual(new Set(paper));
    expect(log).toHaveLength(paper.length);

    // The worker prints what the lost batch had not reached: no label twice, every order once.
    const done = new Set(returned.map((r) => r.sn));
    const left = rest.filter((sn) => !done.has(sn));
    expect(left.length).toBeGreaterThan(0);
    const third = await H.createBatch(stack.page, { orderSns: left, printerId, courier: 'YTO' });
    await H.runBatch(stack.page, third);
    expect((await H.batch(stack.page, third)).state).toBe('done');
    await H.waitOutboxDrained(stack.page);
    const finalPaper = completeLabels(printer.connections);
    expect(new Set(finalPaper).size).toBe(finalPaper.length);
    expect(finalPaper).toHaveLength(160);
    expect(returnedOnHub()).toHaveLength(160);
  });
});
