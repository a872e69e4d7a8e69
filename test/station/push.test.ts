/**
 * The hub pushes, the station pulls at once (Chromium, browser mode, the hub as a process): with the
 * poll interval set to ten minutes, a new allocation and an order turning abnormal reach the station's
 * IndexedDB within a second — only the push channel can bring them that fast — and still do after
 * the hub restarts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { allocate, createOrders, platformEvent } from '../server/support/hub.ts';
import { startHubProcess, startStack, tempDir, type HubProcess, type StationStack } from '../support/station.ts';
import { factoryWithOrders, type FactoryScenario } from '../support/station-scenario.ts';
import * as H from '../support/harness-driver.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Records main's `feedChanged` events in the page, with their time. */
async function recordFeedEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as any).feedEvents = [];
    (window as any).daifaHarness.runtime.client.on('feedChanged', (e: { live: boolean }) =>
      (window as any).feedEvents.push({ live: e.live, at: Date.now() }),
    );
  });
}

async function feedEvents(page: Page): Promise<Array<{ live: boolean; at: number }>> {
  return page.evaluate(() => (window as any).feedEvents);
}

/** Milliseconds from now until `ok` holds for the order in IndexedDB. */
async function msUntilOrder(page: Page, sn: string, ok: (row: any) => boolean, timeoutMs = 5000): Promise<number> {
  const t0 = Date.now();
  await H.until(
    () => H.orderView(page, sn),
    (row) => row !== undefined && ok(row),
    `order ${sn} in IndexedDB`,
    timeoutMs,
  );
  return Date.now() - t0;
}

describe('new orders pushed to a station', () => {
  let hub: HubProcess;
  let scenario: FactoryScenario;
  let stack: StationStack;
  const tmp = tempDir('daifa-push-');

  beforeAll(async () => {
    hub = await startHubProcess();
    scenario = await factoryWithOrders(hub.asTestHub(), { orders: 10 });
    stack = await startStack({
      hub,
      code: await scenario.pairingCode(),
      name: '推送打印站',
      dir: tmp.dir,
      harnessQuery: 'pullMs=600000',
    });
    await H.waitForOrders(stack.page, 10);
    await recordFeedEvents(stack.page);
  });
  afterAll(async () => {
    await stack?.close();
    await hub?.close();
    tmp.cleanup();
  });

  it('a new allocation and an order turning abnormal reach IndexedDB within 1 s, with a 10-minute poll', async () => {
    const page = stack.page;
    const h = hub.asTestHub();
    // Main opened its stream at start-up; the first pull came from the page's start, not a timer.
    await H.until(
      () => page.evaluate(() => (window as any).daifaHarness.runtime.sync.status.pulling),
      (p) => !p,
      'the first pull to end',
    );
    const fresh = await createOrders(h, scenario.merchant, 3);
    const times: number[] = [];
    for (const sn of fresh) {
      const arrived = msUntilOrder(page, sn, () => true);
      await allocate(h, scenario.merchant, scenario.factory.shopId, [sn]);
      times.push(await arrived);
    }
    const turning = scenario.sns[0]!;
    const blocked = msUntilOrder(page, turning, (row) => row.view === 'blocked' && row.reason === 'after_sale');
    await platformEvent(h, turning, { type: 'after_sale_opened' });
    times.push(await blocked);
    expect(Math.max(...times), `arrival times ${times.join(', ')} ms`).toBeLessThan(1000);
  });

  it('after the hub restarts, the stream comes back by itself and pushes again', async () => {
    const page = stack.page;
    const h = hub.asTestHub();
    const before = (await feedEvents(page)).length;
    await hub.stop('SIGTERM');
    await H.until(
      () => feedEvents(page),
      (es) => es.slice(before).some((e) => !e.live),
      'the stream to close',
      10_000,
    );
    await hub.start();
    await H.until(
      () => feedEvents(page),
      (es) => es.slice(before).some((e, i, all) => e.live && all.slice(0, i).some((x) => !x.live)),
      'the stream to come back',
      15_000,
    );
    const [sn] = await createOrders(h, scenario.merchant, 1);
    const arrived = msUntilOrder(page, sn!, () => true);
    await allocate(h, scenario.merchant, scenario.factory.shopId, [sn!]);
    expect(await arrived).toBeLessThan(1000);
  });
});
