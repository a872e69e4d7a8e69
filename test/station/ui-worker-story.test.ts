/**
 * A warehouse worker's day, through the station UI only (roles and visible text, like a person): the
 * real hub (as a process, behind a proxy that can cut this station off), the station's Node process in
 * browser mode, the React UI in Chromium with a persistent profile, and a TCP 9100 printer.
 * Screenshots of each screen go to test-artifacts/ui/.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { platformEvent } from '../server/support/hub.ts';
import { mmToDots } from '../../shared/label/index.ts';
import { monoToPng } from '../../main/print/render/index.ts';
import { zbarDecodeBuffer } from '../support/decode.ts';
import { startRawListener, type RawListener } from '../support/raw-listener.ts';
import {
  launchChromium,
  ROOT,
  startHubProcess,
  startStationProcess,
  tempDir,
  type ChromiumProcess,
  type HubProcess,
  type StationProcess,
} from '../support/station.ts';
import { factoryWithOrders, type FactoryScenario } from '../support/station-scenario.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';
import { completeLabels, composeTsplBitmap, decodeTspl, paintNativeCodes } from '../support/tspl-decode.ts';
import { until } from '../support/harness-driver.ts';

const READY = { query: Uint8Array.from([0x1b, 0x21, 0x3f]), reply: Uint8Array.from([0x00]) };
const SHOTS = path.join(ROOT, 'test-artifacts', 'ui');

describe('the worker story, through the UI', () => {
  let hub: HubProcess;
  let proxy: TcpProxy;
  let scenario: FactoryScenario;
  let printer: RawListener;
  let station: StationProcess;
  let chrome: ChromiumProcess;
  let page: Page;
  const tmp = tempDir('daifa-ui-');
  const returned = () => {
    const db = new Database(hub.databaseUrl.replace(/^sqlite:/, ''), { readonly: true });
    try {
      return (db.prepare(`select count(*) as n from waybills where status = 'returned'`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  const openPage = async () => {
    page = await chrome.newPage();
    page.on('pageerror', (e) => console.error(`[ui page error] ${e.message}`));
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(station.url);
  };
  const nav = (name: string) =>
    page
      .getByRole('navigation')
      .getByRole('button', { name: new RegExp(`^${name}`) })
      .click();
  /** Filters the orders by SKU, selects them all and opens the batch dialog; returns how many were selected. */
  const printBatchOf = async (sku: string): Promise<number> => {
    await nav('订单');
    await page.getByRole('button', { name: '清除筛选' }).click();
    await page.getByLabel('商品/SKU').selectOption(sku);
    const selectAll = page.getByRole('button', { name: /^全选筛选结果/ });
    const n = Number(/\((\d+)\)/.exec((await selectAll.textContent())!)![1]);
    await selectAll.click();
    await page.getByRole('button', { name: /^批量打印 \(/ }).click();
    return n;
  };

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    hub = await startHubProcess();
    proxy = await startTcpProxy(hub.port);
    scenario = await factoryWithOrders(hub.asTestHub(), { orders: 1000, abnormal: 20 });
    printer = await startRawListener({ respond: READY });
    station = await startStationProcess({ dataDir: path.join(tmp.dir, 'station') });
    chrome = await launchChromium(path.join(tmp.dir, 'profile'));
    await openPage();
  });
  afterAll(async () => {
    await chrome?.close();
    await station?.kill('SIGTERM');
    await printer?.close();
    await proxy?.close();
    await hub?.close();
    tmp.cleanup();
  });

  it('1. pairs with the hub and syncs', async () => {
    await page.getByLabel('平台地址').fill(proxy.url);
    await page.getByLabel('配对码').fill(await scenario.pairingCode());
    await page.getByLabel('打印站名称').fill('一号打印站');
    await shot('01-pairing');
    await page.getByRole('button', { name: '配对' }).click();
    await expect
      .poll(() => page.getByRole('radio', { name: /全部状态/ }).textContent(), { timeout: 60_000 })
      .toContain('1000');
    await expect.poll(() => page.getByRole('radio', { name: /已拦截/ }).textContent()).toContain('20');
    await expect.poll(() => page.getByTestId('hub-state').textContent()).toBe('已连接平台');
  });

  it('2. adds the network label printer by its address, with a live preview', async () => {
    await nav('打印机');
    const form = page.getByRole('form', { name: '添加打印机' });
    await form.getByLabel('名称').fill('网口标签机');
    await form.getByLabel('地址').fill(`${printer.url}?lang=tspl`);
    await form.getByLabel('打印语言').selectOption('tspl');
    await form.getByRole('button', { name: '添加' }).click();
    const card = page.getByRole('article', { name: '网口标签机' });
    await card.getByRole('button', { name: '设为默认' }).click();
    await expect.poll(() => card.getByText('默认', { exact: true }).count()).toBe(1);
    await expect.poll(() => card.getByRole('img', { name: /预览/ }).count()).toBe(1);
    await shot('02-printers');
  });

  it('3–4. filters by SKU, selects 200, prints them: progress reaches 200, blocked reasons shown, barcodes scan, returns reach the hub', async () => {
    expect(await printBatchOf('SKU-1')).toBe(200);
    const dialog = page.getByRole('dialog', { name: '批量打印' });
    const blocked = Number(await dialog.getByTestId('plan-blocked').textContent());
    const printable = Number(await dialog.getByTestId('plan-printable').textContent());
    expect(printable + blocked).toBe(200);
    expect(blocked).toBeGreaterThan(0);
    await shot('03-batch-dialog');
    await dialog.getByRole('button', { name: '确认打印' }).click();
    await expect.poll(() => page.getByTestId('batch-progress').textContent(), { timeout: 90_000 }).toBe('200/200');
    await page.getByLabel('只看').selectOption('blocked');
    const blockedRows = page.getByRole('row').filter({ hasText: /订单售后中|订单审核中/ });
    await expect.poll(() => blockedRows.count()).toBe(blocked);
    await shot('04-batch-progress');

    const labels = completeLabels(printer.connections);
    expect(labels).toHaveLength(printable);
    expect(new Set(labels).size).toBe(printable);
    const job = decodeTspl(printer.bytes());
    for (const label of job.labels.slice(0, 5)) {
      const bits = composeTsplBitmap(label, mmToDots(100, 203), mmToDots(180, 203), true);
      paintNativeCodes(bits, label);
      const codes = await zbarDecodeBuffer(monoToPng(bits));
      expect(codes.find((c) => c.type === 'CODE-128')?.data).toBe(label.barcodes[0]!.content);
    }
    await expect.poll(() => page.getByText(/待回传: 0/).count(), { timeout: 30_000 }).toBe(1);
    expect(returned()).toBe(printable);
  });

  it('5. the hub stops: the offline banner shows and (policy: block) printing stops; it starts again: printing resumes', async () => {
    await nav('设置');
    await page.getByLabel('离线时不打印').check();
    await expect.poll(() => page.getByText('已保存').count()).toBe(1);
    await expect.poll(() => page.getByLabel('离线时不打印').isChecked()).toBe(true);
    await shot('05-settings');
    const total = await printBatchOf('SKU-2');
    await page.getByRole('dialog', { name: '批量打印' }).getByRole('button', { name: '确认打印' }).click();
    await until(
      async () => Number((await page.getByTestId('batch-progress').textContent())?.split('/')[0] ?? 0),
      (n) => n >= 20,
      '20 labels',
    );
    await hub.stop();
    await expect.poll(() => page.getByText(/^平台离线/).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('已暂停', { exact: true }).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await shot('05-offline-banner');
    const stuck = await page.getByTestId('batch-progress').textContent();
    await new Promise((r) => setTimeout(r, 1500));
    expect(await page.getByTestId('batch-progress').textContent()).toBe(stuck);
    await hub.start();
    await expect
      .poll(() => page.getByTestId('batch-progress').textContent(), { timeout: 60_000 })
      .toBe(`${total}/${total}`);
    await expect.poll(() => page.getByText(/^平台离线/).count()).toBe(0);
  });

  it('6. an order that turned abnormal while this station printed it offline raises an alert, shown until acknowledged', async () => {
    await nav('设置');
    await page.getByLabel('离线宽限（分钟）').check();
    await nav('订单');
    await page.getByRole('button', { name: '清除筛选' }).click();
    await page.getByLabel('商品/SKU').selectOption('SKU-3');
    await page.getByRole('radio', { name: /^可打印/ }).click();
    const sn = (await page.getByRole('row').nth(1).getByRole('cell').nth(1).textContent())!;
    await page.getByRole('checkbox', { name: sn }).click();
    await page.getByRole('button', { name: /^批量打印 \(1\)/ }).click();
    // Numbers taken while online, printed after this station lost the hub.
    const dialog = page.getByRole('dialog', { name: '批量打印' });
    await dialog.getByRole('button', { name: '先取号，稍后打印' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    proxy.cut();
    await page.getByRole('button', { name: '继续' }).click();
    await expect.poll(() => page.getByTestId('batch-progress').textContent(), { timeout: 30_000 }).toBe('1/1');
    expect(await page.getByText(/离线未核验/).count()).toBeGreaterThan(0);
    await platformEvent(hub.asTestHub(), sn, { type: 'after_sale_opened' });
    proxy.restore();
    const banner = page.getByRole('alert').filter({ hasText: '拦截提醒：请取出此包裹' });
    await expect.poll(() => banner.count(), { timeout: 30_000 }).toBe(1);
    expect(await banner.textContent()).toContain(sn);
    await nav('拦截提醒');
    await shot('06-alerts');
    await page.getByRole('button', { name: `已处理 ${sn}` }).click();
    await expect.poll(() => banner.count()).toBe(0);
  });

  it('7. the browser is killed mid-batch: after a restart the in-doubt dialog appears, and the worker answers from the printer', async () => {
    const total = await printBatchOf('SKU-4');
    printer.pauseReading(); // a printer with a full buffer: the station's write blocks mid-label
    await page.getByRole('dialog', { name: '批量打印' }).getByRole('button', { name: '确认打印' }).click();
    await until(
      () => page.getByText(/^打印中 1$/).count(),
      (n) => n === 1,
      'a label in flight',
      60_000,
    );
    await new Promise((r) => setTimeout(r, 1000));
    expect(await page.getByText(/^打印中 1$/).count()).toBe(1);
    await chrome.kill();
    printer.resumeReading();
    chrome = await launchChromium(path.join(tmp.dir, 'profile'));
    await openPage();
    const dialog = page.getByRole('dialog', { name: '有面单打印状态不确定' });
    await expect.poll(() => dialog.count(), { timeout: 30_000 }).toBe(1);
    await shot('07-in-doubt');
    const text = (await dialog.textContent())!;
    const waybillNo = /运单号\s*(\w+)/.exec(text)![1]!;
    await new Promise((r) => setTimeout(r, 500));
    const onPaper = completeLabels(printer.connections).includes(waybillNo);
    await dialog.getByRole('button', { name: onPaper ? '已打出' : '没有打出' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await nav('打印批次');
    await page.getByRole('button', { name: '继续' }).click();
    await expect
      .poll(() => page.getByTestId('batch-progress').textContent(), { timeout: 90_000 })
      .toBe(`${total}/${total}`);
    const labels = completeLabels(printer.connections);
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('8. a reprint needs a reason', async () => {
    await nav('打印记录');
    const first = page.getByRole('button', { name: /^重打 / }).first();
    const sn = (await first.getAttribute('aria-label'))!.replace('重打 ', '');
    await first.click();
    const dialog = page.getByRole('dialog', { name: `重打 ${sn}` });
    const before = completeLabels(printer.connections).length;
    await dialog.getByRole('button', { name: '重打' }).click();
    expect(await dialog.getByRole('alert').textContent()).toContain('重打必须填写原因');
    await shot('08-reprint');
    await dialog.getByLabel('重打原因（必填）').fill('面单卡纸，重打');
    await dialog.getByRole('button', { name: '重打' }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    await expect.poll(() => completeLabels(printer.connections).length).toBe(before + 1);
    await expect.poll(() => page.getByRole('cell', { name: /重打：面单卡纸，重打/ }).count()).toBe(1);
  });

  it('9. scan-to-print works from the keyboard alone', async () => {
    await nav('订单');
    await page.getByRole('button', { name: '清除筛选' }).click();
    await page.getByLabel('商品/SKU').selectOption('SKU-0');
    await page.getByRole('radio', { name: /^可打印/ }).click();
    const sn = (await page.getByRole('row').nth(1).getByRole('cell').nth(1).textContent())!;
    const before = completeLabels(printer.connections).length;
    await page.keyboard.press('F2');
    await page.keyboard.type(sn);
    await page.keyboard.press('Enter');
    await expect
      .poll(
        () =>
          page
            .getByRole('status')
            .filter({ hasText: `✔ 已打印 ${sn}` })
            .count(),
        { timeout: 30_000 },
      )
      .toBe(1);
    await expect.poll(() => completeLabels(printer.connections).length).toBe(before + 1);
    // A SKU code prints that SKU's next printable single-SKU order.
    await page.keyboard.type('SKU-0');
    await page.keyboard.press('Enter');
    await expect
      .poll(
        () =>
          page
            .getByRole('status')
            .filter({ hasText: /✔ 已打印 T\w+/ })
            .textContent(),
        { timeout: 30_000 },
      )
      .not.toContain(sn);
    await expect.poll(() => completeLabels(printer.connections).length).toBe(before + 2);
    // A tracking number shows its order and its print history.
    const last = completeLabels(printer.connections).at(-1)!;
    await page.keyboard.type(last);
    await page.keyboard.press('Enter');
    const history = page.getByRole('table', { name: '打印历史' });
    await expect.poll(() => history.getByRole('cell', { name: last }).count(), { timeout: 30_000 }).toBe(1);
    await page.keyboard.type('NO-SUCH-CODE');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: '未找到' }).count()).toBe(1);
    await shot('09-scan');
  });

  it('10. the English switch works', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    for (const word of [
      'Orders',
      'Batches',
      'Scan to print',
      'Print log',
      'Intercepts',
      'Printers',
      'Today',
      'Settings',
    ]) {
      expect(
        await page
          .getByRole('navigation')
          .getByRole('button', { name: new RegExp(`^${word}`) })
          .count(),
      ).toBe(1);
    }
    await page.getByRole('navigation').getByRole('button', { name: 'Today' }).click();
    await expect.poll(() => page.getByText('Printed today').count()).toBe(1);
    await shot('10-english-today');
    await page
      .getByRole('navigation')
      .getByRole('button', { name: /^Orders/ })
      .click();
    await shot('11-english-orders');
    await page.getByRole('button', { name: '中文' }).click();
    expect(await page.getByRole('navigation').getByRole('button', { name: /^订单/ }).count()).toBe(1);
  });
});
