/**
 * `npm run station`: the station in browser mode, alone, against any hub.
 *
 *   npm run station -- [--hub URL [--code PAIRING_CODE]] [--port N] [--data DIR] [--name NAME] [--no-open]
 *
 * It hosts main's services in this Node process, serves the built UI on 127.0.0.1 and prints the page's
 * address (its fragment carries this launch's secret). `--hub` alone fills in the hub on the UI's 配对
 * screen; with `--code` it pairs before the UI opens. With `--json`, the first stdout line is a JSON object with
 * the URL, for programs that start a station.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { StationError } from '../../shared/ipc/index.ts';
import { fileSecretStore } from '../station/secret-store.ts';
import { createStationServices } from '../station/services.ts';
import { startBrowserHost } from './browser-host.ts';
import { exitWithParent } from './lifecycle.ts';
import { openBrowser } from './open-browser.ts';

const repoRoot = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');

const { values: args } = parseArgs({
  options: {
    hub: { type: 'string' },
    code: { type: 'string' },
    name: { type: 'string' },
    port: { type: 'string', default: process.env.STATION_PORT ?? '0' },
    data: { type: 'string', default: process.env.DAIFA_STATION_DATA ?? path.join('data', 'station') },
    printer: { type: 'string' },
    'no-open': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'static-dir': { type: 'string', default: path.join(repoRoot, 'dist', 'renderer') },
    'hub-probe-ms': { type: 'string' },
  },
});

const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port 应为 0–65535 的整数 (got ${args.port})`);
  process.exit(2);
}
if (args.code && !args.hub) {
  console.error('--code 需与 --hub 同时给出（配对） / give --hub with --code to pair');
  process.exit(2);
}
exitWithParent();

const dataDir = path.resolve(args.data);
const log = (line: string) => console.error(`[station] ${line}`);
const services = await createStationServices({
  dataDir,
  host: 'browser',
  secrets: fileSecretStore(path.join(dataDir, 'secrets.json')),
  log,
  ...(args.printer ? { defaultPrinterUrl: args.printer } : {}),
  ...(args.name ? { stationName: args.name } : {}),
  ...(args.hub ? { hubUrl: args.hub } : {}),
  ...(args['hub-probe-ms'] ? { hubProbeMs: Number(args['hub-probe-ms']) } : {}),
});

if (args.hub && args.code) {
  const info = await services.handlers.info({}, noCaller());
  if (!info.paired || info.hubUrl !== args.hub.replace(/\/+$/, '')) {
    try {
      const paired = await services.handlers.pair(
        { hubUrl: args.hub, code: args.code, name: args.name ?? info.stationName },
        noCaller(),
      );
      log(`已配对：${paired.factoryName} / ${paired.stationName}`);
    } catch (e) {
      const err = e instanceof StationError ? e : new StationError('internal', { detail: String(e) });
      console.error(`配对失败：${err.message} / pairing failed: ${err.messageEn}`);
      await services.close();
      process.exit(1);
    }
  }
}

const host = await startBrowserHost({ services, port, staticDir: args['static-dir'], log });
if (args.json) console.log(JSON.stringify({ url: host.url, port: host.port, dataDir }));
else console.log(`打印站已启动 / station running: ${host.url}`);
if (!args['no-open'] && !args.json) openBrowser(host.url, log);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await host.close();
  await services.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());

function noCaller() {
  return { connectionId: 'cli', emit: () => undefined, signal: new AbortController().signal };
}
