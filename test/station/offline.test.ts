/**
 * Offline printing (D5, DESIGN.md §5), for real: the station reaches the hub through a proxy that the
 * test cuts in the middle of a batch, while the hub stays up for the platform.
 * - grace (the default, 30 min): prepared orders keep printing, marked unverified; when the hub is back
 *   the outbox drains, and an order that turned abnormal meanwhile raises an interception alert;
 * - block: nothing more prints until the hub is back, then the batch resumes by itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { platformEvent } from '../server/support/hub.ts';
import type { RawListener } from '../support/raw-listener.ts';
import { startProxiedStation, type ProxiedStation } from '../support/proxied-station.ts';
import type { HubProcess, StationStack } from '../support/station.ts';
import type { TcpProxy } from '../support/tcp-proxy.ts';
import { decodeTspl } from '../support/tspl-decode.ts';
import * as H from '../support/harness-driver.ts';

describe('printing while the hub is unreachable', () => {
  let station: ProxiedStation;
  let hub: HubProcess;
  let proxy: TcpProxy;
  let printer: RawListener;
  let stack: StationStack;
  let printerId: string;

  beforeAll(async () => {
    station = await startProxiedStation({ orders: 300, name: '打印站 离线', tmpPrefix: 'daifa-offline-' });
    ({ hub, proxy, printer, stack, printerId } = station);
  });
  afterAll(async () => {
    await station?.close();
  });

  const sentCount = async (batchId: number) =>
    (await H.items(stack.page, batchId)).filter((i) => i.state === 'sent').length;

  it('under grace: prepared orders print on, unverified; back online, returns drain and an abnormal one raises an alert', async () => {
    const page = stack.page;
    const sns = (await H.printableSns(page)).slice(0, 150);
    const batchId = await H.createBatch(page, { orderSns: sns, printerId, courier: 'ZTO' });
    await H.startBatch(page, batchId);
    await H.until(
      () => sentCount(batchId),
      (n) => n >= 30,
      '30 labels sent',
    );

    proxy.cut();
    // The platform moves on while this station cannot hear it: the last order of the batch goes into after-sale.
    const turned = sns[sns.length - 1]!;
    await platformEvent(hub.asTestHub(), turned, { type: 'after_sale_opened' });

    const b = await H.waitForBatchState(page, batchId, ['done', 'paused']);
    expect(b.state).toBe('done');
    const items = await H.items(page, batchId);
    expect(items.filter((i) => i.state === 'sent')).toHaveLength(150);
    const unverified = items.filter((i) => i.unverified);
    expect(unverified.length).toBeGreaterThanOrEqual(100);
    expect(unverified.map((i) => i.orderSn)).toContain(turned);
    expect(await H.outboxCount(page)).toBeGreaterThanOrEqual(unverified.length);
    expect(await H.alerts(page)).toEqual([]);

    proxy.restore();
    await H.waitOutboxDrained(page, 30_000);
    const alerts = await H.alerts(page);
    expect(alerts).toMatchObject([{ orderSn: turned, reason: 'after_sale', acked: 0 }]);
    const labels = decodeTspl(printer.bytes()).labels.map((l) => l.barcodes[0]!.content);
    expect(labels).toHaveLength(150);
    expect(new Set(labels).size).toBe(150);
  });

  it('under block: nothing more prints while the hub is away, and the batch resumes when it is back', async () => {
    const page = stack.page;
    await H.setSettings(page, { offlinePolicy: { mode: 'block' } });
    const sns = (await H.printableSns(page)).slice(0, 60);
    const batchId = await H.createBatch(page, { orderSns: sns, printerId, courier: 'ZTO' });
    await H.startBatch(page, batchId);
    await H.until(
      () => sentCount(batchId),
      (n) => n >= 10,
      '10 labels sent',
    );

    proxy.cut();
    const paused = await H.waitForBatchState(page, batchId, ['paused', 'done']);
    expect(paused.state).toBe('paused');
    expect(paused.pause?.kind).toBe('offline');
    const atPause = await sentCount(batchId);
    const bytesAtPause = printer.bytes().length;
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await sentCount(batchId)).toBe(atPause);
    expect(printer.bytes().length).toBe(bytesAtPause);
    expect(atPause).toBeLessThan(60);

    proxy.restore();
    const done = await H.waitForBatchState(page, batchId, ['done'], 60_000);
    expect(done.state).toBe('done');
    expect(await sentCount(batchId)).toBe(60);
    const unverified = (await H.items(page, batchId)).filter((i) => i.unverified);
    expect(unverified).toEqual([]);
    await H.waitOutboxDrained(page);
  });
});
