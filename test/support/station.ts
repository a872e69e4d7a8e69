/**
 * Test support for the station, run for real: the hub as its own Node process (so a test can stop it
 * and start it again on the same port and database), the station's Node process in browser mode
 * (`main/host/station-main.ts`), and Debian's Chromium with a persistent profile driven over CDP by
 * playwright-core. Any of them can be killed with SIGKILL.
 */
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { buildTarget } from '../../scripts/build.ts';
import type { TestHub } from '../server/support/hub.ts';
import { freshDatabase, type Dialect } from '../server/support/hub.ts';

export const ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const CHROMIUM = process.env.DAIFA_CHROMIUM ?? '/usr/bin/chromium';

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

function waitForLine(
  child: ChildProcess,
  stream: 'stdout' | 'stderr',
  match: RegExp,
  timeoutMs: number,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${match} (got: ${buf.slice(-500)})`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => match.test(l));
      if (line) {
        cleanup();
        resolve(line);
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`process exited (${code}) before ${match}: ${buf.slice(-800)}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child[stream]?.off('data', onData);
      child.off('exit', onExit);
    };
    child[stream]?.on('data', onData);
    child.once('exit', onExit);
  });
}

async function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((r) => child.once('exit', () => r()));
}

// ───────────────────────── the hub as a process ─────────────────────────

export interface HubProcess {
  url: string;
  port: number;
  adminToken: string;
  databaseUrl: string;
  dialect: Dialect;
  /** The running process's id (null while stopped). */
  readonly pid: number | null;
  /** The shape the hub test helpers (createShop, allocate…) take. */
  asTestHub(): TestHub;
  stop(signal?: NodeJS.Signals): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface HubProcessOptions {
  dialect?: Dialect;
  /** Run on this database (another node of a cluster); closing the hub then leaves the database alone. */
  databaseUrl?: string;
  adminToken?: string;
  /** More environment for the hub (HUB_* settings). */
  env?: Record<string, string>;
}

/** The numbers a hub on SQLite has as returned (回传), read from its database file. */
export function returnedWaybills(hub: HubProcess): Array<{ sn: string; no: string; unverified: boolean }> {
  const db = new Database(hub.databaseUrl.replace(/^sqlite:/, ''), { readonly: true });
  try {
    const rows = db
      .prepare(`select order_sn as sn, waybill_no as no, unverified from waybills where status = 'returned'`)
      .all() as Array<{ sn: string; no: string; unverified: number | null }>;
    return rows.map((r) => ({ ...r, unverified: r.unverified === 1 }));
  } finally {
    db.close();
  }
}

export async function startHubProcess(opts: HubProcessOptions = {}): Promise<HubProcess> {
  const dialect = opts.dialect ?? 'sqlite';
  const { url: databaseUrl, drop } = opts.databaseUrl
    ? { url: opts.databaseUrl, drop: async () => undefined }
    : await freshDatabase(dialect);
  const port = await freePort();
  const adminToken = opts.adminToken ?? `admin-${randomBytes(12).toString('hex')}`;
  let child: ChildProcess | null = null;
  const hub: HubProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    adminToken,
    databaseUrl,
    dialect,
    get pid() {
      return child?.pid ?? null;
    },
    asTestHub: () => ({ url: hub.url, adminToken, dialect, databaseUrl }) as unknown as TestHub,
    async start() {
      const c = spawn(process.execPath, [path.join(ROOT, 'server/main.ts')], {
        env: {
          ...process.env,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATABASE_URL: databaseUrl,
          HUB_ADMIN_TOKEN: adminToken,
          HUB_TEST_CLOCK: '1',
          LOG_LEVEL: 'warn',
          HUB_STATEMENT_WORKER: 'off',
          ...opts.env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = c;
      let log = '';
      c.stderr?.on('data', (d: Buffer) => {
        log = (log + d.toString()).slice(-4000);
      });
      c.stdout?.on('data', () => undefined);
      const deadline = Date.now() + 30_000;
      for (;;) {
        try {
          if ((await fetch(`${hub.url}/v1/health`)).ok) return;
        } catch {
          // not yet
        }
        if (c.exitCode !== null) throw new Error(`hub exited with ${c.exitCode}: ${log}`);
        if (Date.now() > deadline) throw new Error(`hub did not start: ${log}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async stop(signal = 'SIGKILL') {
      const c = child;
      child = null;
      if (!c) return;
      c.kill(signal);
      // A graceful stop that takes too long is finished the hard way: the test is not about it.
      const force = setTimeout(() => c.kill('SIGKILL'), 3_000);
      await waitExit(c);
      clearTimeout(force);
    },
    async close() {
      await hub.stop('SIGTERM');
      await drop();
    },
  };
  await hub.start();
  return hub;
}

// ───────────────────────── the station's Node process ─────────────────────────

export interface StationProcess {
  url: string;
  origin: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** The headless engines page (same runtime as the UI); `query` its options, e.g. `pullMs=600000`. */
  harnessUrl(query?: string): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface StationStartOptions {
  dataDir: string;
  hubUrl?: string;
  code?: string;
  name?: string;
  printerUrl?: string;
  port?: number;
  env?: Record<string, string>;
}

export async function startStationProcess(opts: StationStartOptions): Promise<StationProcess> {
  const argv = [
    path.join(ROOT, 'main/host/station-main.ts'),
    '--json',
    '--data',
    opts.dataDir,
    '--port',
    String(opts.port ?? 0),
  ];
  if (opts.hubUrl && opts.code) argv.push('--hub', opts.hubUrl, '--code', opts.code);
  if (opts.name) argv.push('--name', opts.name);
  if (opts.printerUrl) argv.push('--printer', opts.printerUrl);
  argv.push('--hub-probe-ms', '300');
  const child = spawn(process.execPath, argv, {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d) => {
    log += d.toString();
    if (log.length > 20_000) log = log.slice(-10_000);
  });
  const line = await waitForLine(child, 'stdout', /^\{.*"url"/, 30_000).catch((e: Error) => {
    throw new Error(`${e.message}\nstation log: ${log}`);
  });
  const info = JSON.parse(line) as { url: string; port: number };
  const u = new URL(info.url);
  return {
    url: info.url,
    origin: u.origin,
    port: info.port,
    dataDir: opts.dataDir,
    child,
    harnessUrl: (query) => `${u.origin}/harness.html${query ? `?${query}` : ''}${u.hash}`,
    async kill(signal = 'SIGKILL') {
      child.kill(signal);
      await waitExit(child);
    },
  };
}

// ───────────────────────── Chromium with a persistent profile ─────────────────────────

export interface ChromiumProcess {
  browser: Browser;
  context: BrowserContext;
  child: ChildProcess;
  newPage(): Promise<Page>;
  /** SIGKILL: no chance to flush anything that was not committed. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
  '--remote-debugging-port=0',
];

export async function launchChromium(profileDir: string, extraArgs: string[] = []): Promise<ChromiumProcess> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium)`);
  // Its own process group, so a crash can take the whole browser down at once (browser, renderers,
  // utility processes), as a power cut or the OS killing the app would.
  const child = spawn(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${profileDir}`, ...extraArgs, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const line = await waitForLine(child, 'stderr', /DevTools listening on ws:\/\//, 30_000);
  const ws = /ws:\/\/\S+/.exec(line)![0];
  const browser = await chromium.connectOverCDP(ws);
  const context = browser.contexts()[0]!;
  return {
    browser,
    context,
    child,
    newPage: () => context.newPage(),
    async kill() {
      killGroup(child.pid!, 'SIGKILL');
      await waitExit(child);
      await waitGroupGone(child.pid!);
      await browser.close().catch(() => undefined);
    },
    async close() {
      await browser.close().catch(() => undefined);
      killGroup(child.pid!, 'SIGTERM');
      await waitExit(child);
      await waitGroupGone(child.pid!);
    },
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Waits until no process of the group is left (a new browser must not meet the old one's files in use). */
async function waitGroupGone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  killGroup(pid, 'SIGKILL');
}

// ───────────────────────── the built renderer ─────────────────────────

/** Builds the renderer when dist/ is missing or older than its sources (a production build, as shipped). */
export async function ensureRendererBuilt(): Promise<void> {
  await buildTarget('renderer', { ifStale: true, quiet: true });
}

// ───────────────────────── the headless engines page ─────────────────────────

/** Opens the engines page and waits until its runtime is up. */
export async function openHarness(chrome: ChromiumProcess, station: StationProcess, query?: string): Promise<Page> {
  const page = await chrome.newPage();
  page.on('pageerror', (e) => console.error(`[harness page error] ${e.message}`));
  await page.goto(station.harnessUrl(query));
  await page.waitForFunction(() => document.body.dataset.ready === '1', undefined, { timeout: 30_000 });
  return page;
}

// ───────────────────────── a whole station stack ─────────────────────────

export interface StationStack {
  hub: HubProcess;
  station: StationProcess;
  chrome: ChromiumProcess;
  page: Page;
  profileDir: string;
  /** Restarts the station's Node process on the same port and data folder (its page reconnects). */
  restartStation(): Promise<void>;
  /**
   * Starts Chromium again on the same profile and reopens the engines page; `wipeStore` deletes the
   * profile's IndexedDB meanwhile, as a browser does with a store it finds damaged after a crash.
   */
  restartChromium(opts?: { wipeStore?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(opts: {
  hub: HubProcess;
  code: string;
  name?: string;
  dir: string;
  /** The address the station uses for the hub (a proxy in front of it, to cut this station off). */
  hubUrl?: string;
  /** Options of the engines page (its query string), e.g. `pullMs=600000`. */
  harnessQuery?: string;
}): Promise<StationStack> {
  const dataDir = path.join(opts.dir, 'station');
  const profileDir = path.join(opts.dir, 'profile');
  let station = await startStationProcess({
    dataDir,
    hubUrl: opts.hubUrl ?? opts.hub.url,
    code: opts.code,
    name: opts.name,
  });
  const port = station.port;
  let chrome = await launchChromium(profileDir);
  let page = await openHarness(chrome, station, opts.harnessQuery);
  const stack: StationStack = {
    hub: opts.hub,
    get station() {
      return station;
    },
    get chrome() {
      return chrome;
    },
    get page() {
      return page;
    },
    profileDir,
    async restartStation() {
      await station.kill('SIGKILL').catch(() => undefined);
      station = await startStationProcess({ dataDir, port });
      // This launch has a new secret: open the page afresh with it (a fragment-only change of the same
      // address would not reload the page).
      await page.goto('about:blank');
      await page.goto(station.harnessUrl(opts.harnessQuery));
      await page.waitForFunction(() => document.body.dataset.ready === '1', undefined, { timeout: 30_000 });
    },
    async restartChromium({ wipeStore = false } = {}) {
      await chrome.kill().catch(() => undefined);
      if (wipeStore) rmSync(path.join(profileDir, 'Default', 'IndexedDB'), { recursive: true, force: true });
      chrome = await launchChromium(profileDir);
      page = await openHarness(chrome, station, opts.harnessQuery);
    },
    async close() {
      await chrome.close().catch(() => undefined);
      await station.kill('SIGTERM').catch(() => undefined);
    },
  };
  return stack;
}
