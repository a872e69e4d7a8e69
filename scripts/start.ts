/**
 * `npm start`: the product on embedded defaults, on one machine.
 *  1. a hub on SQLite (./data/hub.db) as its own process, with demo data on first start
 *     (a merchant, a factory, an accepted binding, 200 orders);
 *  2. a station paired to it, which syncs its factory's feed and prints every printable order, guard
 *     first, to the virtual printer (PDF files in ./data/prints) until a real printer is configured,
 *     then returns the tracking numbers (回传运单号).
 * The hub keeps running until Ctrl-C. `--once` stops after the print run (used by the test).
 *
 * Environment: PORT (8787), DATABASE_URL (sqlite:./data/hub.db), DAIFA_DATA (./data),
 * DAIFA_PRINTER (file://<data>/prints?ext=pdf), DAIFA_COURIER (ZTO).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createHubClient, type HubClient } from '../shared/api/client.ts';
import { CORE_ENDPOINTS } from '../shared/api/endpoints.ts';
import { blockReasonText, type BlockReason, type Courier } from '../shared/domain/index.ts';
import { pdfBackend } from '../main/print/backends/pdf.ts';
import { openTransport } from '../main/print/transports/index.ts';
import {
  MAX_CHUNK,
  printChunk,
  pushOutbox,
  queueReturns,
  type LabelOutcome,
  type Outbox,
} from '../main/station/print-run.ts';
import { demoLoginLinks, formatDemoLoginLinks, httpHubCall, seedDemo } from '../server/seed.ts';

const { values: args } = parseArgs({ options: { once: { type: 'boolean', default: false } } });
const dataDir = path.resolve(process.env.DAIFA_DATA ?? 'data');
const port = Number(process.env.PORT ?? 8787);
const hubUrl = `http://127.0.0.1:${port}`;
const databaseUrl = process.env.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'hub.db')}`;
const printerUrl = process.env.DAIFA_PRINTER ?? `file://${path.join(dataDir, 'prints')}?ext=pdf`;
const courier = (process.env.DAIFA_COURIER ?? 'ZTO') as Courier;
const statePath = path.join(dataDir, 'demo-station.json');

/** What the demo keeps between starts: the shops' tokens and the paired station's identity. Local only. */
interface DemoState {
  adminToken: string;
  merchantToken: string;
  factoryToken: string;
  station: { stationId: number; token: string; payloadKey: string };
  outbox: Outbox;
}

await mkdir(dataDir, { recursive: true });
let state = await readState();
const adminToken = state?.adminToken ?? randomBytes(24).toString('base64url');

const hub = startHub(adminToken);
try {
  await waitForHub();
  console.log(`平台 (hub) 已启动: ${hubUrl}  数据库: ${databaseUrl.split(':')[0]}`);
  const firstStart = !state;
  if (!state) state = await seedAndPair(adminToken);
  await saveState(state);
  await runStation(state, firstStart);
  console.log(formatDemoLoginLinks(await demoLoginLinks(httpHubCall(hubUrl), state)));
} catch (e) {
  console.error(`启动失败: ${(e as Error).message}`);
  hub.kill('SIGTERM');
  process.exit(1);
}

if (args.once) {
  hub.kill('SIGTERM');
} else {
  console.log(`\n平台继续运行于 ${hubUrl} （商家令牌与厂家令牌见 ${statePath}）。按 Ctrl-C 停止。`);
  process.on('SIGINT', () => hub.kill('SIGTERM'));
}

function startHub(token: string): ChildProcess {
  const child = spawn(process.execPath, ['server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      HUB_ADMIN_TOKEN: token,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  child.on('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') {
      console.error(`平台进程退出 (code ${code}, signal ${signal})`);
      process.exit(1);
    }
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

async function seedAndPair(admin: string): Promise<DemoState> {
  console.log('首次启动：写入演示数据（商家、厂家、绑定、200 个订单）…');
  const seed = await seedDemo(httpHubCall(hubUrl), { adminToken: admin, orders: 200, seed: 7 });
  const paired = await createHubClient({ baseUrl: hubUrl }).call(CORE_ENDPOINTS.pairStation, {
    body: { code: seed.pairingCode, name: '打印站 1' },
  });
  console.log(`打印站已配对: 厂家店铺ID ${seed.factory.shopId}，打印站 #${paired.stationId}`);
  return {
    adminToken: admin,
    merchantToken: seed.merchant.token,
    factoryToken: seed.factory.token,
    station: { stationId: paired.stationId, token: paired.token, payloadKey: paired.payloadKey },
    outbox: { clientId: `demo-${randomUUID()}`, nextId: 1, pending: [] },
  };
}

async function runStation(s: DemoState, showGuard: boolean): Promise<void> {
  const hubClient: HubClient = createHubClient({ baseUrl: hubUrl, token: s.station.token });
  // Returns queued by an earlier run whose answer never came: push them before anything else.
  if (s.outbox.pending.length > 0) await pushReturns(hubClient, s);
  const printable = await syncPrintable(hubClient);
  console.log(`已同步订单，可打印 ${printable.length} 单；打印机: ${printerUrl}`);
  if (showGuard && printable[0]) {
    // The demo shows the guard (D4, M7): an order turns abnormal after the station synced it.
    await createHubClient({ baseUrl: hubUrl, token: s.adminToken }).call(CORE_ENDPOINTS.platformOrderEvent, {
      params: { sn: printable[0] },
      body: { type: 'after_sale_opened' },
    });
    console.log(`演示：订单 ${printable[0]} 在同步之后发起售后，打印前的复核会拦截它`);
  }
  const transport = openTransport(printerUrl);
  const outcomes: LabelOutcome[] = [];
  try {
    for (let i = 0; i < printable.length; i += MAX_CHUNK) {
      const chunk = await printChunk(
        { hub: hubClient, payloadKey: s.station.payloadKey, backend: pdfBackend, transport, renderOptions: {} },
        printable.slice(i, i + MAX_CHUNK),
        courier,
      );
      outcomes.push(...chunk);
      queueReturns(
        s.outbox,
        chunk.filter((o): o is Extract<LabelOutcome, { state: 'sent' }> => o.state === 'sent'),
      );
      await saveState(s); // the queue is on disk before it is pushed
      await pushReturns(hubClient, s);
    }
  } finally {
    await transport.close();
  }
  summarize(outcomes);
}

async function pushReturns(hubClient: HubClient, s: DemoState): Promise<void> {
  for (const { mutation, result } of await pushOutbox(hubClient, s.outbox)) {
    if (result.status === 'rejected') {
      const intercept = result.intercept ? '（拦截：请取出此包裹）' : '';
      console.log(`  回传被拒 ${mutation.orderSn}: ${result.message}${intercept}`);
    }
  }
  await saveState(s);
}

async function saveState(s: DemoState): Promise<void> {
  await writeFile(statePath, JSON.stringify(s, null, 2), { mode: 0o600 });
}

/** Pull the whole feed (following resets and pages) and keep the printable orders. */
async function syncPrintable(hubClient: HubClient): Promise<string[]> {
  const view = new Map<string, boolean>();
  let cursor: string | undefined;
  for (;;) {
    const page = await hubClient.call(CORE_ENDPOINTS.feed, { query: { cursor, limit: 500 } });
    if (page.reset) view.clear();
    for (const c of page.changes) view.set(c.orderSn, c.printable);
    cursor = page.cursor;
    if (!page.hasMore) break;
  }
  return [...view].filter(([, ok]) => ok).map(([sn]) => sn);
}

function summarize(outcomes: LabelOutcome[]): void {
  const sent = outcomes.filter((o) => o.state === 'sent').length;
  const failed = outcomes.filter((o) => o.state === 'failed');
  const blocked = new Map<BlockReason, number>();
  for (const o of outcomes) if (o.state === 'blocked') blocked.set(o.reason, (blocked.get(o.reason) ?? 0) + 1);
  console.log(
    `打印完成: 已打印并回传 ${sent} 单，拦截 ${[...blocked.values()].reduce((a, b) => a + b, 0)} 单，失败 ${failed.length} 单`,
  );
  for (const [reason, n] of blocked) console.log(`  拦截 ${n} 单: ${blockReasonText(reason)}`);
  for (const f of failed) console.log(`  失败 ${f.orderSn}: ${f.error}`);
}

async function readState(): Promise<DemoState | null> {
  try {
    return JSON.parse(await readFile(statePath, 'utf8')) as DemoState;
  } catch {
    return null;
  }
}
