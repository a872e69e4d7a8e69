/**
 * The desktop app itself, driven by Playwright's Electron support: the locked-down window, the preload
 * exposing exactly the contract, and a worker pairing and syncing through the UI. It needs the Electron
 * binary, which npm's `electron` package downloads on first use and this project never downloads at
 * install time; where it is missing (CI here) the suite says so and skips. The glue it exercises is
 * unit-tested with a stand-in electron module in test/main/electron/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { buildTarget } from '../../scripts/build.ts';
import { ROOT, startHubProcess, tempDir, type HubProcess } from '../support/station.ts';
import { factoryWithOrders } from '../support/station-scenario.ts';

function electronBinary(): string | null {
  try {
    const dir = path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const rel = path.join(dir, 'path.txt');
    if (!existsSync(rel)) return null;
    const bin = path.join(dir, 'dist', readFileSync(rel, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
if (!binary) {
  console.warn(
    '\n!! Electron app test SKIPPED: the Electron binary is not installed (npm does not download it here; ' +
      'run `npx electron --version` once on a machine that may download it). The window, preload and IPC glue ' +
      'are covered by test/main/electron/ with a stand-in electron module.\n',
  );
}

describe.skipIf(!binary)('the Electron app', () => {
  let hub: HubProcess;
  let app: ElectronApplication;
  let page: Page;
  const tmp = tempDir('daifa-electron-');

  beforeAll(async () => {
    await buildTarget('renderer', { ifStale: true, quiet: true });
    await buildTarget('electron', { ifStale: true, quiet: true });
    hub = await startHubProcess();
    app = await _electron.launch({
      executablePath: binary!,
      args: [path.join(ROOT, 'dist/main/index.cjs'), '--no-sandbox'],
      env: { ...process.env, DAIFA_STATION_DATA: path.join(tmp.dir, 'station') },
    });
    page = await app.firstWindow();
  });
  afterAll(async () => {
    await app?.close();
    await hub?.close();
    tmp.cleanup();
  });

  it('shows the UI in a window without Node, with exactly the contract exposed', async () => {
    expect(await page.evaluate(() => typeof (window as { require?: unknown }).require)).toBe('undefined');
    expect(await page.evaluate(() => Object.keys((window as unknown as { daifa: object }).daifa).sort())).toEqual([
      'call',
      'on',
    ]);
    // The page is isolated from the preload's world and cannot reach Node or Electron.
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
    // Navigating away from our page is refused.
    await page.evaluate(() => (window.location.href = 'https://example.com/')).catch(() => undefined);
    expect(page.url()).toMatch(/^file:.*index\.html/);
  });

  it('pairs and syncs through the UI', async () => {
    const scenario = await factoryWithOrders(hub.asTestHub(), { orders: 30 });
    await page.getByLabel('平台地址').fill(hub.url);
    await page.getByLabel('配对码').fill(await scenario.pairingCode());
    await page.getByRole('button', { name: '配对' }).click();
    await expect
      .poll(() => page.getByRole('radio', { name: /全部状态/ }).textContent(), { timeout: 30_000 })
      .toContain('30');
  });
});
