/**
 * Support for the console's end-to-end suites: a real hub (test/server/support) serving the built
 * console, Debian's Chromium through playwright-core, and sign-in through real login links.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ok, type TestHub, type TestShop } from '../server/support/hub.ts';
import type { CreateLoginLinkResponse } from '../../shared/api/session.ts';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Screenshots of the suites (gitignored): test-artifacts/console/. */
export const ARTIFACTS = path.resolve('test-artifacts/console');

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export async function loginLink(hub: TestHub, shop: Pick<TestShop, 'shopId'>): Promise<string> {
  const link = await ok<CreateLoginLinkResponse>(hub, 'POST', '/v1/platform/login-links', {
    token: hub.adminToken,
    body: { shopId: shop.shopId },
  });
  return hub.url + link.path;
}

/** A fresh browser context signed in as `shop` through a one-time login link. */
export async function signedIn(
  browser: Browser,
  hub: TestHub,
  shop: Pick<TestShop, 'shopId'>,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    acceptDownloads: true,
    locale: 'zh-CN',
    viewport: { width: 1360, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(await loginLink(hub, shop));
  await page.getByRole('button', { name: '退出登录' }).waitFor();
  return { context, page };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
