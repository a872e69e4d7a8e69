/**
 * Caddy in front of hub processes, run from the Caddyfile the README documents
 * (docs/deploy/Caddyfile), over plain HTTP on a free 127.0.0.1 port and with its admin endpoint off.
 * Needs the `caddy` binary (Debian package `caddy`).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, ROOT } from './station.ts';

export const CADDYFILE = path.join(ROOT, 'docs/deploy/Caddyfile');

export function caddyAvailable(): boolean {
  return spawnSync('caddy', ['version'], { stdio: 'ignore' }).status === 0;
}

export interface Caddy {
  url: string;
  close(): Promise<void>;
}

export async function startCaddy(upstreams: string[]): Promise<Caddy> {
  const port = await freePort();
  const home = mkdtempSync(path.join(tmpdir(), 'daifa-caddy-'));
  const child: ChildProcess = spawn('caddy', ['run', '--config', CADDYFILE, '--adapter', 'caddyfile'], {
    env: {
      ...process.env,
      HOME: home,
      XDG_DATA_HOME: home,
      XDG_CONFIG_HOME: home,
      DAIFA_SITE: `http://127.0.0.1:${port}`,
      DAIFA_HUBS: upstreams.map((u) => new URL(u).host).join(' '),
      DAIFA_CADDY_ADMIN: 'off',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/v1/health`)).ok) break;
    } catch {
      // not yet
    }
    if (child.exitCode !== null) throw new Error(`caddy exited with ${child.exitCode}: ${log}`);
    if (Date.now() > deadline) throw new Error(`caddy did not start: ${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async close() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
