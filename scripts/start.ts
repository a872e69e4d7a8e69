/**
 * `npm start`: the product on embedded defaults, on one machine.
 *  1. a hub on SQLite (./data/hub.db) in its own process, with demo data on first start (a merchant, a
 *     factory, an accepted binding, 200 orders — some under after-sale or audit, some with a changed
 *     address);
 *  2. the factory's print station in browser mode, in this process: main's services (hub link, guard,
 *     labels, printers) behind the station's local WebSocket, serving the built UI. It is paired to the
 *     hub on first start and prints to a virtual printer (files in ./data/station/prints) until a real
 *     printer is set up. Printing happens in the UI, through the renderer's engines: there is no other
 *     print path.
 * It prints the station's address (its fragment holds this launch's secret) and opens it in the browser,
 * and one-time login links to the web console (served by the hub at `/`) for the demo merchant and factory.
 * Ctrl-C stops both; if this process is killed outright, the hub sees its stdin pipe close and exits.
 *
 *   npm start -- [--no-open] [--port N]      (--port: the station's port; 0 picks a free one)
 *
 * Environment: PORT (the hub's, 8787), DATABASE_URL (sqlite:./data/hub.db), DAIFA_DATA (./data),
 * DAIFA_PRINTER (the station's first printer; default a virtual PDF printer).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createHubClient } from '../shared/api/client.ts';
import { ENDPOINTS } from '../shared/api/endpoints.ts';
import { startBrowserHost } from '../main/host/browser-host.ts';
import { exitWithParent } from '../main/host/lifecycle.ts';
import { openBrowser } from '../main/host/open-browser.ts';
import { fileSecretStore } from '../main/station/secret-store.ts';
import { createStationServices } from '../main/station/services.ts';
import { demoLoginLinks, formatDemoLoginLinks, httpHubCall, seedDemo } from '../server/seed.ts';
import { buildTarget, isStale } from './build.ts';

const root = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    'no-open': { type: 'boolean', default: false },
    port: { type: 'string', default: process.env.STATION_PORT ?? '8790' },
  },
});
const dataDir = path.resolve(process.env.DAIFA_DATA ?? 'data');
const stationDir = path.join(dataDir, 'station');
const databaseUrl = process.env.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'hub.db')}`;
const statePath = path.join(dataDir, 'demo.json');

/** The demo's platform side, kept between starts. Local only: it holds the shops' tokens. */
interface DemoState {
  adminToken: string;
  merchantToken: string;
  factoryToken: string;
  merchantShopId: number;
  factoryShopId: number;
}

exitWithParent();
await mkdir(dataDir, { recursive: true });
let state = await readState();
const adminToken = state?.adminToken ?? randomBytes(24).toString('base64url');
const hubPort = await portFor(process.env.PORT ?? '8787');
const hubUrl = `http://127.0.0.1:${hubPort}`;
const hub = startHub(adminToken);
let stopping = false;

try {
  await waitForHub();
  console.log(`平台 (hub) 已启动: ${hubUrl}  数据库: ${databaseUrl.split(':')[0]}`);
  let pairingCode: string | null = null;
  if (!state) {
    console.log('首次启动：写入演示数据（商家、厂家、绑定、200 个订单）…');
    const seed = await seedDemo(httpHubCall(hubUrl), { adminToken, orders: 200, seed: 7 });
    state = {
      adminToken,
      merchantToken: seed.merchant.token,
      factoryToken: seed.factory.token,
      merchantShopId: seed.merchant.shopId,
      factoryShopId: seed.factory.shopId,
    };
    pairingCode = seed.pairingCode;
    await writeFile(statePath, JSON.stringify(state, null, 2), { mode: 0o600 });
  }
  await ensureBuilt();

  const services = await createStationServices({
    dataDir: stationDir,
    host: 'browser',
    secrets: fileSecretStore(path.join(stationDir, 'secrets.json')),
    log: (line) => console.error(`[打印站] ${line}`),
    ...(process.env.DAIFA_PRINTER ? { defaultPrinterUrl: process.env.DAIFA_PRINTER } : {}),
  });
  const noCaller = { connectionId: 'start', emit: () => undefined, signal: new AbortController().signal };
  const info = await services.handlers.info({}, noCaller);
  if (!info.paired || info.hubUrl !== hubUrl) {
    const code =
      pairingCode ??
      (await createHubClient({ baseUrl: hubUrl, token: state.factoryToken }).call(ENDPOINTS.createPairingCode, {}))
        .code;
    const paired = await services.handlers.pair({ hubUrl, code, name: '打印站 1' }, noCaller);
    console.log(`打印站已配对: ${paired.factoryName}（厂家店铺ID ${paired.factoryShopId}），${paired.stationName}`);
  }
  const consoleLinks = formatDemoLoginLinks(await demoLoginLinks(httpHubCall(hubUrl), state));
  const host = await startBrowserHost({
    services,
    port: await portFor(args.port),
    staticDir: path.join(root, 'dist', 'renderer'),
  });
  console.log(`\n打印站 (station): ${host.url}`);
  console.log(`  虚拟打印机输出到 ${path.join(stationDir, 'prints')}（在“打印机”中可添加真实打印机）`);
  console.log(`  商家店铺ID ${state.merchantShopId}，厂家店铺ID ${state.factoryShopId}；令牌见 ${statePath}`);
  console.log(`\n${consoleLinks}`);
  console.log('按 Ctrl-C 停止。');
  if (!args['no-open']) openBrowser(host.url);

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await host.close();
    await services.close();
    hub.kill('SIGTERM');
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
} catch (e) {
  console.error(`启动失败: ${(e as Error).message}`);
  stopping = true;
  hub.kill('SIGTERM');
  process.exitCode = 1;
}

function startHub(token: string): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, 'server/main.ts')], {
    env: {
      ...process.env,
      PORT: String(hubPort),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      HUB_ADMIN_TOKEN: token,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
      // The hub exits when this process's end of its stdin pipe closes, even if we are killed outright.
      DAIFA_EXIT_WITH_PARENT: '1',
    },
    stdio: ['pipe', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`平台进程意外退出 (code ${code}, signal ${signal})`);
      process.exit(1);
    }
    process.exit(process.exitCode ?? 0);
  });
  return child;
}

async function waitForHub(): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${hubUrl}/v1/openapi.json`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`平台在 30 秒内没有响应 (${hubUrl})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The station UI and the console are built when missing or older than their sources. */
async function ensureBuilt(): Promise<void> {
  for (const target of ['renderer', 'console'] as const) {
    if (isStale(target)) console.log(`构建界面 (${target})…`);
    await buildTarget(target, { ifStale: true, quiet: true });
  }
}

/** A port number, or a free one for 0. */
async function portFor(value: string): Promise<number> {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`端口应为 0–65535 的整数: ${value}`);
  if (n !== 0) return n;
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const p = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(p));
    });
  });
}

async function readState(): Promise<DemoState | null> {
  try {
    return JSON.parse(await readFile(statePath, 'utf8')) as DemoState;
  } catch {
    return null;
  }
}
