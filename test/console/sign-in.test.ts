/**
 * Console sign-in in real Chromium: one-time login links, the session cookie's flags, logout, and
 * the refusals — a reused or expired link gets a clear page, a cross-site POST without the CSRF token
 * changes nothing. Also the security headers and CSP of the console pages, and a hub whose console
 * has not been built.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { createSettableClock } from '../../server/clock.ts';
import type { MerchantOrdersResponse } from '../../shared/api/orders.ts';
import {
  bindAndAccept,
  call,
  createFactory,
  createMerchant,
  createOrders,
  ok,
  startTestHub,
  type TestHub,
} from '../server/support/hub.ts';
import { setClock } from '../server/support/scenarios.ts';
import { launchChromium, loginLink, screenshot, signedIn } from './support.ts';

describe('console sign-in', () => {
  let hub: TestHub;
  let browser: Browser;

  beforeAll(async () => {
    hub = await startTestHub({ dialect: 'sqlite' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('a login link signs in once: the cookie is HttpOnly and SameSite=Strict, and the link is refused the second time', async () => {
    const merchant = await createMerchant(hub, '一次性链接商家');
    const link = await loginLink(hub, merchant);
    expect(link).toMatch(/\/login#dfl_/);

    const first = await browser.newContext();
    const page = await first.newPage();
    await page.goto(link);
    await page.getByRole('button', { name: '退出登录' }).waitFor();
    expect(page.url()).not.toContain('dfl_'); // the token leaves the address bar
    const [cookie] = await first.cookies();
    expect(cookie).toMatchObject({ name: 'daifa_session', httpOnly: true, sameSite: 'Strict', path: '/' });

    const second = await browser.newContext();
    const again = await second.newPage();
    await again.goto(link);
    await again.getByRole('heading', { name: '登录链接已使用过' }).waitFor();
    await again.getByText('请向平台重新获取登录链接。').waitFor();
    expect(await second.cookies()).toEqual([]);
    await screenshot(again, 'sign-in-link-reused');
    await first.close();
    await second.close();
  });

  it('an expired link (11 minutes later on the hub clock) gets its own page', async () => {
    const merchant = await createMerchant(hub, '过期链接商家');
    const link = await loginLink(hub, merchant);
    await setClock(hub, new Date(hub.clock.now().getTime() + 11 * 60_000));
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(link);
    await page.getByRole('heading', { name: '登录链接已过期' }).waitFor();
    await page
      .getByRole('alert')
      .getByText(/有效期 10 分钟/)
      .waitFor();
    await context.close();
  });

  it('a cross-site POST with the cookie but without the CSRF token is refused and changes nothing', async () => {
    const merchant = await createMerchant(hub, '被攻击的商家');
    const factory = await createFactory(hub);
    await bindAndAccept(hub, merchant, factory);
    const [sn] = await createOrders(hub, merchant, 1);
    const { context, page } = await signedIn(browser, hub, merchant);

    // A page of another origin on the same site (127.0.0.1, another port): SameSite=Strict lets the
    // cookie through, so it is the CSRF check that must stop the forged request.
    const evil = await serve(`<!doctype html><html><body>
      <form id="f" method="POST" action="${hub.url}/v1/merchant/allocations" enctype="text/plain">
        <input name='{"factoryShopId":${factory.shopId},"orderSns":["${sn}"],"x":"' value='"}'>
      </form>
      <script>document.getElementById('f').submit();</script></body></html>`);
    const attacker = await context.newPage();
    const forged = attacker.waitForResponse((r) => r.url() === `${hub.url}/v1/merchant/allocations`);
    await attacker.goto(evil.url);
    const answer = await forged;
    expect(answer.status()).toBe(403);
    expect(await answer.text()).toContain('CSRF_FAILED');
    expect(answer.request().headers().cookie ?? (await answer.request().allHeaders()).cookie).toContain(
      'daifa_session=',
    );

    // Nothing was allocated.
    const list = await ok<MerchantOrdersResponse>(hub, 'GET', '/v1/merchant/orders', { token: merchant.token });
    expect(list.orders.find((o) => o.sn === sn)?.allocation).toBeNull();

    // From the console's own page: without the header refused, with it accepted.
    const withoutToken = await page.evaluate(
      async (body) => {
        const r = await fetch('/v1/merchant/allocations', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        return { status: r.status, body: await r.json() };
      },
      JSON.stringify({ factoryShopId: factory.shopId, orderSns: [sn] }),
    );
    expect(withoutToken).toMatchObject({ status: 403, body: { error: { code: 'CSRF_FAILED' } } });
    await page.getByRole('link', { name: '订单' }).click();
    await page.getByRole('row', { name: sn, exact: true }).getByRole('button', { name: '分配', exact: true }).click();
    await expect.poll(() => page.getByRole('region', { name: '操作结果' }).textContent()).toContain(`${sn} 已分配`);
    await evil.close();
    await context.close();
  });

  it('logout ends the session: the page says so, and the old cookie no longer works', async () => {
    const factory = await createFactory(hub, '退出测试工厂');
    const { context, page } = await signedIn(browser, hub, factory);
    const [cookie] = await context.cookies();
    await page.getByRole('button', { name: '退出登录' }).click();
    await page.getByText('您已退出登录。').waitFor();
    expect(await context.cookies()).toEqual([]);
    const replay = await call(hub, 'GET', '/v1/session', { headers: { cookie: `daifa_session=${cookie!.value}` } });
    expect(replay.status).toBe(401);
    await page.reload();
    await page.getByRole('heading', { name: '请登录' }).waitFor();
    await context.close();
  });

  it('bearer tokens keep working for API clients next to sessions', async () => {
    const merchant = await createMerchant(hub, '接口商家');
    const me = await call(hub, 'GET', '/v1/session', { token: merchant.token });
    expect(me.status).toBe(200);
    expect(me.body.session).toMatchObject({ shopId: merchant.shopId, role: 'merchant', csrfToken: null });
    const post = await call(hub, 'POST', '/v1/merchant/return-addresses', {
      token: merchant.token,
      body: { name: '李四', phone: '0571-1', address: '杭州' },
    });
    expect(post.status).toBe(201); // no CSRF token needed: a bearer token is not sent by a browser on its own
  });

  it('console pages carry the security headers and a strict CSP; the English switch works', async () => {
    const res = await fetch(`${hub.url}/merchant/orders`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const csp = res.headers.get('content-security-policy') ?? '';
    for (const d of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) {
      expect(csp).toContain(d);
    }
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(await res.text()).toContain('<div id="root">');
    // An unknown API path is still the API's JSON 404, not the console page.
    const api404 = await call(hub, 'GET', '/v1/no-such-thing');
    expect(api404).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });

    const merchant = await createMerchant(hub, '双语商家');
    const { context, page } = await signedIn(browser, hub, merchant);
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('button', { name: 'Batch allocate' }).waitFor();
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '批量分配' }).waitFor();
    expect(violations).toEqual([]);
    await context.close();
  });

  it('a hub whose console was not built still starts, and its page says how to build it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'daifa-no-console-'));
    const app = await buildApp({ db: hub.db, clock: createSettableClock(), adminToken: null, consoleDir: dir });
    try {
      const page = await app.inject({ method: 'GET', url: '/' });
      expect(page.statusCode).toBe(503);
      expect(page.body).toContain('npm run build:console');
      expect(page.body).toContain('控制台尚未构建');
      const api = await app.inject({ method: 'GET', url: '/v1/health' });
      expect(api.statusCode).toBe(200);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function serve(html: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((r) => server.close(() => r())) };
}
