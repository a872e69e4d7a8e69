/**
 * Drives the station's engines page (renderer/harness.html) from a test: every call goes through the
 * renderer's own runtime — its Dexie database, sync engine and batch runner, and the contract over the
 * station's WebSocket — exactly as the UI's buttons do.
 */
import type { Page } from 'playwright-core';
import type { NewBatch } from '../../renderer/engines/batch-runner.ts';
import type { BatchRow, JobItemRow } from '../../renderer/data/db.ts';
import type { NewPrinter } from '../../shared/ipc/index.ts';

/* eslint-disable @typescript-eslint/no-explicit-any */

export async function orderCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as any).daifaHarness.runtime.db.orders.count());
}

/** Polls `probe` (run in Node, usually one page.evaluate) until `ok` holds. */
export async function until<T>(
  probe: () => Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(v)?.slice(0, 300)})`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function waitForOrders(page: Page, n: number, timeoutMs = 60_000): Promise<void> {
  await until(
    () => orderCount(page),
    (c) => c >= n,
    `${n} orders in IndexedDB`,
    timeoutMs,
  );
}

export async function pullNow(page: Page): Promise<void> {
  await page.evaluate(() => (window as any).daifaHarness.runtime.sync.pull());
}

export async function printableSns(page: Page, limit?: number): Promise<string[]> {
  return page.evaluate((l) => (window as any).daifaHarness.printableSns(l), limit);
}

export async function orderView(page: Page, sn: string): Promise<{ view: string; reason: string | null } | undefined> {
  return page.evaluate((s) => (window as any).daifaHarness.runtime.db.orders.get(s), sn);
}

export async function addPrinter(page: Page, printer: NewPrinter): Promise<string> {
  return page.evaluate(async (p) => (await (window as any).daifaHarness.runtime.client.api.addPrinter(p)).id, printer);
}

export async function setSettings(page: Page, patch: Record<string, unknown>): Promise<void> {
  await page.evaluate((p) => (window as any).daifaHarness.runtime.client.api.setSettings(p), patch);
}

export async function createBatch(page: Page, batch: NewBatch): Promise<number> {
  return page.evaluate((b) => (window as any).daifaHarness.runtime.runner.createBatch(b), batch);
}

/** Starts the batch; resolves when its run ends (done, paused or cancelled). */
export async function runBatch(page: Page, batchId: number, opts: { pin?: string } = {}): Promise<void> {
  await page.evaluate(([id, o]) => (window as any).daifaHarness.runtime.runner.start(id, o), [batchId, opts] as const);
}

/** Starts the batch without waiting for it. */
export async function startBatch(page: Page, batchId: number): Promise<void> {
  await page.evaluate((id) => {
    void (window as any).daifaHarness.runtime.runner.start(id);
  }, batchId);
}

export async function batch(page: Page, batchId: number): Promise<BatchRow> {
  return page.evaluate((id) => (window as any).daifaHarness.runtime.db.batches.get(id), batchId);
}

export async function items(page: Page, batchId: number): Promise<JobItemRow[]> {
  return page.evaluate(
    (id) =>
      (window as any).daifaHarness.runtime.db.jobItems
        .where('[batchId+seq]')
        .between([id, 0], [id, Infinity])
        .toArray(),
    batchId,
  );
}

export async function allItems(page: Page): Promise<JobItemRow[]> {
  return page.evaluate(() => (window as any).daifaHarness.runtime.db.jobItems.toArray());
}

export async function waitForBatchState(
  page: Page,
  batchId: number,
  states: string[],
  timeoutMs = 120_000,
): Promise<BatchRow> {
  return until(
    () => batch(page, batchId),
    (b) => states.includes(b?.state),
    `batch ${batchId} in ${states.join('|')}`,
    timeoutMs,
  );
}

export async function outboxCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as any).daifaHarness.runtime.db.outbox.count());
}

export async function waitOutboxDrained(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.evaluate(() => (window as any).daifaHarness.runtime.sync.push().catch(() => undefined));
  await until(
    () => outboxCount(page),
    (n) => n === 0,
    'an empty outbox',
    timeoutMs,
  );
}

export async function alerts(
  page: Page,
): Promise<Array<{ orderSn: string; waybillNo: string | null; reason: string; acked: number }>> {
  return page.evaluate(() => (window as any).daifaHarness.runtime.db.alerts.toArray());
}

export async function runner(page: Page, method: string, ...args: unknown[]): Promise<unknown> {
  return page.evaluate(([m, a]) => (window as any).daifaHarness.runtime.runner[m](...a), [method, args] as const);
}

export async function printLog(
  page: Page,
): Promise<Array<{ waybillNo: string; orderSn: string; returnState: string; kind: string }>> {
  return page.evaluate(() => (window as any).daifaHarness.runtime.db.printLog.toArray());
}

/** Whether this page's window runs the station's engines (Web Locks leadership). */
export async function isLeader(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as any).daifaHarness.runtime.leadership.isLeader());
}

export async function batches(page: Page): Promise<BatchRow[]> {
  return page.evaluate(() => (window as any).daifaHarness.runtime.db.batches.toArray());
}

/** Whether this store still has to read main's print journal (it was created and the hub was not reached yet). */
export async function journalPending(page: Page): Promise<boolean> {
  return page.evaluate(async () =>
    Boolean(await (window as any).daifaHarness.runtime.db.meta.get('store.journalPending')),
  );
}

/** When the page's store was created: it changes when the browser lost the one before. */
export async function storeCreatedAt(page: Page): Promise<string | undefined> {
  return page.evaluate(async () => (await (window as any).daifaHarness.runtime.db.meta.get('store.createdAt'))?.value);
}
