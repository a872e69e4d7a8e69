/**
 * The product's front door: `npm start` (scripts/start.ts) runs a hub on SQLite with demo data and a
 * station paired to it, serving the UI and printing to the virtual printer. Killing it outright must not
 * leave its hub running; Ctrl-C stops both; a second start keeps the data.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodePdfBarcodes } from '../support/decode.ts';
import { launchChromium, ROOT, tempDir, type ChromiumProcess } from '../support/station.ts';
import * as H from '../support/harness-driver.ts';

interface Started {
  child: ChildProcess;
  stationUrl: string;
  hubPort: number;
  out: () => string;
}

async function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/start.ts'), '--no-open', '--port', '0'], {
    env: { ...process.env, PORT: '0', DAIFA_DATA: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const deadline = Date.now() + 90_000;
  while (!/打印站 \(station\): (\S+)/.test(out)) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}): ${out}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    stationUrl: /打印站 \(station\): (\S+)/.exec(out)![1]!,
    hubPort: Number(/平台 \(hub\) 已启动: http:\/\/127\.0\.0\.1:(\d+)/.exec(out)![1]),
    out: () => out,
  };
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

async function waitClosed(port: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!(await portOpen(port))) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

describe('npm start', () => {
  const tmp = tempDir('daifa-start-');
  let chrome: ChromiumProcess | undefined;
  afterAll(async () => {
    await chrome?.close();
    tmp.cleanup();
  });

  it('runs a seeded hub and a paired station whose engines sync and print to the virtual printer', async () => {
    const s = await start(tmp.dir);
    try {
      expect(s.out()).toContain('打印站已配对');
      expect(s.stationUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#k=[\w-]+$/);
      // The UI page is served.
      const html = await (await fetch(s.stationUrl.replace(/#.*/, ''))).text();
      expect(html).toContain('<div id="root">');
      // The same engines the UI drives: sync the demo factory's orders and print three of them.
      chrome = await launchChromium(path.join(tmp.dir, 'profile'));
      const page = await chrome.newPage();
      const u = new URL(s.stationUrl);
      await page.goto(`${u.origin}/harness.html${u.hash}`);
      await page.waitForFunction(() => document.body.dataset.ready === '1');
      await H.waitForOrders(page, 100);
      const sns = (await H.printableSns(page)).slice(0, 3);
      const printers = await page.evaluate(() => (window as any).daifaHarness.runtime.client.api.listPrinters({})); // eslint-disable-line @typescript-eslint/no-explicit-any
      const batchId = await H.createBatch(page, {
        orderSns: sns,
        printerId: printers.defaultPrinterId,
        courier: 'ZTO',
      });
      await H.runBatch(page, batchId);
      const items = await H.items(page, batchId);
      expect(items.map((i) => i.state)).toEqual(['sent', 'sent', 'sent']);
      const dir = path.join(tmp.dir, 'station', 'prints');
      const files = (await readdir(dir)).filter((f) => f.endsWith('.pdf'));
      expect(files).toHaveLength(3);
      const codes = await decodePdfBarcodes(await readFile(path.join(dir, files[0]!)));
      expect(items.map((i) => i.waybillNo)).toContain(codes[0]!.find((c) => c.type === 'CODE-128')?.data);
      await chrome.close();
      chrome = undefined;
      // Printed right after the station's address: the web console's one-time login links for the demo shops.
      expect(s.out()).toMatch(/商家 merchant: http:\/\/127\.0\.0\.1:\d+\/login#dfl_[\w-]+/);
      expect(s.out()).toMatch(/厂家 factory: +http:\/\/127\.0\.0\.1:\d+\/login#dfl_[\w-]+/);
    } finally {
      // Killed outright, with no chance to stop its hub: the hub must go too.
      s.child.kill('SIGKILL');
    }
    expect(await waitClosed(s.hubPort, 5_000)).toBe(true);
  });

  it('starts again on the same data, and Ctrl-C stops the hub and the station', async () => {
    const s = await start(tmp.dir);
    expect(s.out()).not.toContain('首次启动');
    const stationPort = Number(new URL(s.stationUrl).port);
    const exited = new Promise<number | null>((r) => s.child.once('exit', (code) => r(code)));
    s.child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(await waitClosed(s.hubPort, 5_000)).toBe(true);
    expect(await portOpen(stationPort)).toBe(false);
  });
});
