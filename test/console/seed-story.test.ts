/**
 * The seed's whole 代发管理 story, driven through the web console in real Chromium against a real hub
 * (SQLite and PostgreSQL): a merchant and a factory in two browser contexts, plus a print station
 * that pairs with the code the console shows and returns its numbers through the hub API. Every step
 * is done by role and visible text, as a person would. Screenshots go to test-artifacts/console/.
 */
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Download, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MerchantOrderDetailResponse, PlatformOrderInput } from '../../shared/api/orders.ts';
import type { PairStationResponse } from '../../shared/api/stations.ts';
import { fenToYuan } from '../../shared/domain/money.ts';
import { issueAndReturn, issueNumbers, newClientId, push, reprinted, setClock } from '../server/support/scenarios.ts';
import {
  IN_CI,
  PG_URL,
  createOrders,
  createShop,
  makeOrder,
  ok,
  platformEvent,
  startTestHub,
  type TestHub,
  type TestShop,
} from '../server/support/hub.ts';
import { launchChromium, screenshot, signedIn } from './support.ts';

const DB_RUNS = (['sqlite', 'postgres'] as const).filter((d) => d === 'sqlite' || PG_URL || IN_CI);

/** 10:00 China time today: three statements 11 minutes apart stay on one China day. */
function chinaMorning(): Date {
  const day = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  return new Date(`${day}T10:00:00+08:00`);
}

const PRICE_FEN: Record<string, number> = { 'SKU-0': 1250, 'SKU-1': 800, 'SKU-2': 2000 };

for (const dialect of DB_RUNS) {
  describe(`the seed story in the console [${dialect}]`, () => {
    let hub: TestHub;
    let browser: Browser;
    let merchantShop: TestShop;
    let factoryShop: TestShop;
    let strangerShop: TestShop;
    let merchant: { context: BrowserContext; page: Page };
    let factory: { context: BrowserContext; page: Page };
    const orders: PlatformOrderInput[] = [];
    let afterSale: PlatformOrderInput;
    let station: PairStationResponse;
    /** Recipients given by address changes during the story (also never to be seen by the factory). */
    const changedRecipients: PlatformOrderInput['recipient'][] = [];
    /** Every page and response body the factory context saw (M4 check). */
    const factorySaw: string[] = [];

    beforeAll(async () => {
      if (dialect === 'postgres' && !PG_URL) throw new Error('CI=true but DAIFA_TEST_PG_URL is unset');
      hub = await startTestHub({ dialect, now: chinaMorning() });
      browser = await launchChromium();
      merchantShop = await ok<TestShop>(hub, 'POST', '/v1/shops', {
        token: hub.adminToken,
        body: { name: '小美服饰旗舰店' },
      });
      factoryShop = await ok<TestShop>(hub, 'POST', '/v1/shops', {
        token: hub.adminToken,
        body: { name: '义乌优品代发工厂' },
      });
      strangerShop = await createShop(hub, '隔壁杂货铺');
      merchant = await signedIn(browser, hub, merchantShop);
      factory = await signedIn(browser, hub, factoryShop);
      factory.page.on('response', (r: Response) => {
        const type = r.headers()['content-type'] ?? '';
        if (/json|text|csv/.test(type))
          void r.text().then(
            (t) => factorySaw.push(t),
            () => undefined,
          );
      });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await hub?.close();
    });

    async function orderWaybill(sn: string): Promise<string | undefined> {
      const d = await ok<MerchantOrderDetailResponse>(hub, 'GET', `/v1/merchant/orders/${sn}`, {
        token: merchantShop.token,
      });
      return d.order.waybill?.waybillNo;
    }

    async function factoryPage(name: string): Promise<Page> {
      const p = factory.page;
      await p.getByRole('navigation').getByRole('link', { name }).click();
      await p.getByRole('heading', { level: 2 }).waitFor();
      await p.waitForLoadState('networkidle');
      factorySaw.push(await p.content());
      return p;
    }

    it('1. each shop chooses its role (开通代发)', async () => {
      const m = merchant.page;
      await m.getByRole('radio', { name: '我是商家' }).check();
      await m.getByLabel('店铺展示名称').fill('小美服饰');
      await m.getByLabel('发货人', { exact: true }).fill('小美服饰售后部');
      await m.getByLabel('发货人电话').fill('0579-85551234');
      await m.getByLabel('发货地址').fill('浙江省金华市义乌市稠城街道工人北路1号');
      await m.getByRole('button', { name: '开通商家代发' }).click();
      await expect.poll(() => m.getByRole('link', { name: '厂家管理' }).count()).toBe(1);
      await screenshot(m, `${dialect}-01-merchant-role`);

      const f = factory.page;
      await f.getByRole('radio', { name: '我是代发厂家' }).check();
      await f.getByLabel('厂家名称').fill('义乌优品代发工厂');
      await f.getByRole('button', { name: '开通代发厂家' }).click();
      await expect.poll(() => f.getByRole('link', { name: '合作商家' }).count()).toBe(1);

      // The platform delivers the merchant's orders; one is under after-sale.
      for (let i = 0; i < 7; i++) orders.push(makeOrder());
      afterSale = makeOrder();
      await createOrders(hub, merchantShop, [...orders, afterSale]);
      await platformEvent(hub, afterSale.sn, { type: 'after_sale_opened' });
    });

    it('2. a wrong factory shop ID shows the exact error; the right one sends the request', async () => {
      const m = merchant.page;
      await m.getByRole('link', { name: '厂家管理' }).click();
      await m.getByLabel('厂家店铺ID').fill(String(strangerShop.shopId));
      await m.getByRole('button', { name: '绑定', exact: true }).click();
      await expect.poll(() => m.getByRole('alert').textContent()).toContain('请输入正确的厂家店铺ID');
      await screenshot(m, `${dialect}-02-bind-wrong-id`);
      await m.getByLabel('厂家店铺ID').fill(String(factoryShop.shopId));
      await m.getByRole('button', { name: '绑定', exact: true }).click();
      await m.getByText('已发送绑定申请，等待厂家同意').waitFor();
      await m.getByRole('cell', { name: '待同意' }).waitFor();
    });

    it('3. the factory accepts the merchant (合作商家)', async () => {
      const f = await factoryPage('合作商家');
      await f.getByRole('row', { name: '小美服饰' }).getByRole('button', { name: '同意' }).click();
      await f.getByRole('cell', { name: '已绑定' }).waitFor();
      const m = merchant.page;
      await m.getByRole('link', { name: '订单' }).click();
      await m.getByRole('link', { name: '厂家管理' }).click();
      await m.getByRole('cell', { name: '已绑定' }).waitFor();
    });

    it('4. allocate one, then a batch (the after-sale order is refused with its reason), cancel one', async () => {
      const m = merchant.page;
      await m.getByRole('link', { name: '订单' }).click();
      const row = (sn: string) => m.getByRole('row', { name: sn, exact: true });
      await row(orders[0]!.sn).getByRole('button', { name: '分配', exact: true }).click();
      const results = m.getByRole('region', { name: '操作结果' });
      await expect.poll(() => results.textContent()).toContain(`${orders[0]!.sn} 已分配`);

      for (const o of [...orders.slice(1, 6), afterSale]) await row(o.sn).getByRole('checkbox').check();
      await m.getByText('已选 6 单').waitFor();
      await m.getByRole('button', { name: '批量分配' }).click();
      await expect.poll(() => results.textContent()).toContain('成功 5 单，失败 1 单');
      expect(await results.textContent()).toContain(`${afterSale.sn} 未成功：订单售后中，无法分配`);
      await screenshot(m, `${dialect}-04-batch-allocate`);

      await row(orders[5]!.sn).getByRole('button', { name: '取消分配' }).click();
      await expect.poll(() => results.textContent()).toContain(`${orders[5]!.sn} 已取消分配`);
      await expect.poll(() => row(orders[5]!.sn).getByRole('cell', { name: '待分配' }).count()).toBe(1);

      // Filters: the allocated ones, by stage.
      await m.getByLabel('状态').selectOption({ label: '已分配' });
      await m.getByRole('button', { name: '查询' }).click();
      await expect.poll(() => m.getByRole('row').count()).toBe(1 + 5);
      // Details: the history shows the allocation and its cancellation.
      await m.getByLabel('状态').selectOption({ label: '全部' });
      await m.getByLabel('订单号').fill(orders[5]!.sn);
      await m.getByRole('button', { name: '查询' }).click();
      await m.getByRole('button', { name: orders[5]!.sn }).click();
      const detail = m.getByRole('region', { name: '订单详情' });
      await expect.poll(() => detail.textContent()).toContain('取消分配 · 义乌优品代发工厂（商家取消）');
      await m.getByRole('button', { name: '关闭' }).click();
    });

    it('5. the factory keeps its prices: form, CSV export, a bad CSV refused whole, a good CSV imported', async () => {
      const f = await factoryPage('结算价格');
      const warning = f.getByRole('note', { name: /没有结算价格/ });
      await expect.poll(() => warning.textContent()).toContain('SKU-0');

      await f.getByLabel('商家').selectOption({ label: `小美服饰（${merchantShop.shopId}）` });
      await f.getByLabel('SKU ID').fill('SKU-0');
      await f.getByLabel('结算价格（元）').fill('12.50');
      await f.getByRole('button', { name: '设置价格' }).click();
      await f.getByRole('cell', { name: '12.50' }).waitFor();

      const bad = [
        '商家店铺ID,SKU ID,结算价格(元)',
        `${merchantShop.shopId},SKU-1,8.00`,
        `${merchantShop.shopId},SKU-2,十元`,
      ].join('\n');
      await f.getByLabel('导入 CSV').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
      await expect.poll(() => f.getByRole('alert').textContent()).toContain('第 3 行');
      expect(await f.getByRole('cell', { name: 'SKU-1', exact: true }).count()).toBe(0); // nothing half-imported

      const good = [
        '商家店铺ID,SKU ID,结算价格(元)',
        `${merchantShop.shopId},SKU-1,8.00`,
        `${merchantShop.shopId},SKU-2,20`,
      ].join('\n');
      await f
        .getByLabel('导入 CSV')
        .setInputFiles({ name: 'prices.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
      await f.getByText('已导入 2 条价格').waitFor();
      await f.getByRole('cell', { name: 'SKU-2', exact: true }).waitFor();
      await expect.poll(() => warning.count()).toBe(0);

      const [download] = await Promise.all([
        f.waitForEvent('download'),
        f.getByRole('button', { name: '导出 CSV' }).click(),
      ]);
      const exported = await readFile(await download.path(), 'utf8');
      for (const [sku, fen] of Object.entries(PRICE_FEN))
        expect(exported).toContain(`${merchantShop.shopId},${sku},${fenToYuan(fen)}`);

      await f
        .getByRole('row', { name: `${merchantShop.shopId} SKU-0` })
        .getByRole('button', { name: '价格历史' })
        .click();
      await expect.poll(() => f.getByRole('region', { name: '价格历史' }).textContent()).toContain('12.50');
      await screenshot(f, `${dialect}-05-factory-prices`);
    });

    it('6. the factory pairs a station; the station prints and returns its numbers', async () => {
      const f = await factoryPage('打印站');
      await f.getByRole('button', { name: '配对新打印站' }).click();
      const code = (await f.locator('.code-big').textContent())!.trim();
      expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      await f.getByText('有效期至').waitFor();
      station = await ok<PairStationResponse>(hub, 'POST', '/v1/stations/pair', {
        body: { code, name: '打印站1' },
      });
      await issueAndReturn(
        hub,
        station,
        orders.slice(0, 4).map((o) => o.sn),
      );
      await issueNumbers(hub, station, [orders[4]!.sn]); // printed, not returned yet
      await f.getByRole('button', { name: '刷新' }).click();
      await f.getByRole('row', { name: '打印站1' }).getByText('使用中').waitFor();
      await screenshot(f, `${dialect}-06-factory-stations`);

      const o = await factoryPage('订单');
      await o
        .getByRole('row', { name: orders[0]!.sn })
        .getByText(/已回传/)
        .waitFor();
      await screenshot(o, `${dialect}-06-factory-orders`);
    });

    it('7. the merchant ships a batch with a return address; only returned orders can be chosen', async () => {
      const m = merchant.page;
      await m.getByRole('link', { name: '退货地址' }).click();
      const add = m.getByRole('form', { name: '新增退货地址' });
      await add.getByLabel('联系人').fill('售后部 李四');
      await add.getByLabel('电话').fill('0571-88880000');
      await add.getByLabel('地址').fill('浙江省杭州市余杭区仓前街道退货仓 2 号门');
      await add.getByRole('button', { name: '新增退货地址' }).click();
      await m.getByRole('cell', { name: '默认地址' }).waitFor();
      await m
        .getByRole('row', { name: /售后部 李四/ })
        .getByRole('button', { name: '编辑' })
        .click();
      await m.getByRole('form', { name: '编辑' }).getByLabel('电话').fill('0571-88886666');
      await m.getByRole('button', { name: '保存' }).click();
      await m.getByRole('cell', { name: '0571-88886666' }).waitFor();

      await m.getByRole('link', { name: '发货' }).click();
      const returned = orders.slice(0, 4).map((o) => o.sn);
      await m.getByRole('row', { name: returned[0], exact: true }).waitFor();
      // Only the four returned orders are listed; the allocated-but-not-returned one is not.
      expect(await m.getByRole('row', { name: orders[4]!.sn, exact: true }).count()).toBe(0);
      expect(await m.getByRole('row').count()).toBe(1 + 4);
      for (const sn of returned.slice(0, 3))
        await m.getByRole('row', { name: sn, exact: true }).getByRole('checkbox').check();
      await m.getByRole('button', { name: '批量发货' }).click();
      const results = m.getByRole('region', { name: '操作结果' });
      await expect.poll(() => results.textContent()).toContain('成功 3 单，失败 0 单');
      await m.getByRole('row', { name: returned[3], exact: true }).getByRole('button', { name: '发货' }).click();
      await expect.poll(() => results.textContent()).toContain(`${returned[3]} 已发货`);
      await screenshot(m, `${dialect}-07-ship`);
    });

    it('8. a statement is generated, refreshed until ready, and its CSV and XLSX are right', async () => {
      const m = merchant.page;
      await m.getByRole('link', { name: '对账单' }).click();
      await m.getByLabel('厂家').selectOption({ label: '义乌优品代发工厂' });
      await m.getByRole('button', { name: '生成' }).click();
      await m.getByText('已提交，对账单生成中，请稍后刷新列表').waitFor();
      await m.getByRole('row', { name: '#1' }).waitFor();
      await expect
        .poll(async () => {
          await m.getByRole('button', { name: '刷新列表' }).click();
          return m.getByRole('row', { name: '#1' }).getByRole('link', { name: '下载 CSV' }).count();
        })
        .toBe(1);
      await screenshot(m, `${dialect}-08-statements`);

      const expected = expectedRows(orders.slice(0, 4));
      const csv = await downloadText(m, m.getByRole('row', { name: '#1' }).getByRole('link', { name: '下载 CSV' }));
      const lines = csv
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      const body = lines.slice(2, 2 + expected.length).map((l) => l.split(','));
      expect(body.map((c) => [c[0], c[3], Number(c[4]), c[5], c[6]])).toEqual(
        expected.map((r) => [r.sn, r.sku, r.qty, fenToYuan(r.unit), fenToYuan(r.unit * r.qty)]),
      );
      const total = expected.reduce((s, r) => s + r.unit * r.qty, 0);
      expect(lines[2 + expected.length]).toContain(fenToYuan(total));

      const xlsx = await download(m, m.getByRole('row', { name: '#1' }).getByRole('link', { name: '下载 XLSX' }));
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await readFile(await xlsx.path())) as unknown as ArrayBuffer);
      const sheet = wb.worksheets[0]!;
      const rows = expected.map((_, i) => sheet.getRow(3 + i).values as unknown[]);
      expect(rows.map((v) => [v[1], v[4], v[5], v[6], v[7]])).toEqual(
        expected.map((r) => [r.sn, r.sku, r.qty, r.unit / 100, (r.unit * r.qty) / 100]),
      );

      // The factory sees the same statement, and downloads the same rows.
      const f = await factoryPage('对账单');
      await f.getByRole('row', { name: '#1' }).getByText('小美服饰').waitFor();
      const factoryCsv = await downloadText(
        f,
        f.getByRole('row', { name: '#1' }).getByRole('link', { name: '下载 CSV' }),
      );
      factorySaw.push(factoryCsv);
      expect(factoryCsv.split('\r\n').slice(2)).toEqual(csv.split('\r\n').slice(2));
    });

    it('9. the limit: 10 minutes apart, 3 a day, and the 4th says when the next is allowed', async () => {
      const m = merchant.page;
      const generate = async () => {
        await m.getByLabel('厂家').selectOption({ label: '义乌优品代发工厂' });
        await m.getByRole('button', { name: '生成' }).click();
      };
      await generate();
      await expect.poll(() => m.getByRole('alert').textContent()).toContain('两次生成对账单需间隔至少 10 分钟');
      for (let n = 2; n <= 3; n++) {
        await setClock(hub, new Date(hub.clock.now().getTime() + 11 * 60_000));
        await generate();
        await m.getByRole('row', { name: `#${n}` }).waitFor();
      }
      await setClock(hub, new Date(hub.clock.now().getTime() + 11 * 60_000));
      await generate();
      const alert = m.getByRole('alert');
      await expect.poll(() => alert.textContent()).toContain('同一厂家每天最多生成 3 次对账单');
      const nextDay = new Date(
        Date.parse(`${new Date(hub.clock.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10)}T00:00:00+08:00`) +
          86_400_000,
      );
      const when = new Date(nextDay.getTime() + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
      await m.getByText(`下次可生成时间：${when}（北京时间）`).waitFor();
      await screenshot(m, `${dialect}-09-statement-limit`);
    });

    it('风险: an order whose address changed while its label was out is listed as intercepted after printing', async () => {
      const moved = makeOrder().recipient;
      changedRecipients.push(moved);
      await platformEvent(hub, orders[4]!.sn, { type: 'address_changed', recipient: moved });
      const reprint = await push(hub, station, newClientId(), [
        reprinted(1, orders[0]!.sn, (await orderWaybill(orders[0]!.sn))!, '面单破损，补打'),
      ]);
      expect(reprint.body.results).toEqual([{ id: 1, status: 'applied' }]);
      const m = merchant.page;
      await m.getByRole('link', { name: '风险' }).click();
      await m
        .getByRole('region', { name: '补打记录' })
        .getByRole('row', { name: new RegExp(`${orders[0]!.sn}.*面单破损，补打.*打印站1`) })
        .waitFor();
      const intercepts = m.getByRole('region', { name: '打印后拦截' });
      await intercepts.getByRole('row', { name: new RegExp(`${orders[4]!.sn}.*收货信息变更`) }).waitFor();
      await m.getByRole('region', { name: '接管记录' }).waitFor();
      await screenshot(m, `${dialect}-risk`);
    });

    it('10. nothing the factory context saw holds a full name, phone or street of an order', async () => {
      for (const name of ['开通代发', '合作商家', '订单', '结算价格', '打印站', '对账单']) await factoryPage(name);
      const text = factorySaw.join('\n');
      expect(text).toContain(orders[0]!.sn); // it did see the orders…
      const leaks: string[] = [];
      for (const r of [...[...orders, afterSale].map((o) => o.recipient), ...changedRecipients]) {
        for (const secret of [r.name, r.phone, r.detail]) {
          if (text.includes(secret)) leaks.push(secret);
        }
      }
      expect(leaks).toEqual([]); // …and none of their consumers
    });
  });
}

interface ExpectedRow {
  sn: string;
  sku: string;
  qty: number;
  unit: number;
}

/** The statement's rows: every item of the returned orders, in return order, at the prices set. */
function expectedRows(returned: PlatformOrderInput[]): ExpectedRow[] {
  return returned.flatMap((o) =>
    o.items.map((i) => ({ sn: o.sn, sku: i.skuId, qty: i.quantity, unit: PRICE_FEN[i.skuId]! })),
  );
}

async function download(page: Page, link: ReturnType<Page['getByRole']>): Promise<Download> {
  const [d] = await Promise.all([page.waitForEvent('download'), link.click()]);
  return d;
}

async function downloadText(page: Page, link: ReturnType<Page['getByRole']>): Promise<string> {
  return readFile(await (await download(page, link)).path(), 'utf8');
}
