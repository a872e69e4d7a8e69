/**
 * The hub as an operator runs it (`node server/main.ts`): its settings, HTTPS with its own
 * certificate, and a SIGTERM that ends in bounded time whatever its clients hold open.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_RATE_LIMITS, readConfig } from '../../../server/config.ts';

const MAIN = fileURLToPath(new URL('../../../server/main.ts', import.meta.url));

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'daifa-hub-process-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Hub {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<{ code: number | null; afterMs: number }>;
}

/** Starts `node server/main.ts` on a free port; resolves once it logs that it listens. */
async function startHub(env: Record<string, string>): Promise<Hub> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: `sqlite:${join(dir, `hub-${Math.random().toString(36).slice(2)}.db`)}`,
      HUB_ADMIN_TOKEN: 'a'.repeat(40),
      LOG_LEVEL: 'info',
      HUB_STATEMENT_WORKER: 'off',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let signalledAt = 0;
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const kill = child.kill.bind(child);
  child.kill = (signal?: NodeJS.Signals | number) => {
    signalledAt = performance.now();
    return kill(signal);
  };
  const exited = new Promise<{ code: number | null; afterMs: number }>((resolve) =>
    child.once('exit', (code) => resolve({ code, afterMs: performance.now() - signalledAt })),
  );
  for (let i = 0; i < 300; i++) {
    const m = /"port":(\d+)[^\n]*hub listening/.exec(out);
    if (m) return { child, port: Number(m[1]), output: () => out, exited };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`hub did not start: ${out}`);
}

describe('hub settings', () => {
  it('defaults: loopback only, plain HTTP, production rate limits and timeouts', () => {
    const c = readConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8787, tls: null, rateLimits: DEFAULT_RATE_LIMITS });
    expect(c.timeouts).toEqual({ headersMs: 10_000, requestMs: 30_000, keepAliveMs: 30_000, idleMs: 60_000 });
  });

  it('reads rate limits, timeouts and the admin token from a file; refuses what it cannot use', () => {
    const tokenFile = join(dir, 'admin-token');
    writeFileSync(tokenFile, `${'t'.repeat(40)}\n`);
    const c = readConfig({
      HUB_RATE_LIMIT_PUBLIC: '5/30s',
      HUB_RATE_LIMIT_STATION: 'off',
      HUB_REQUEST_TIMEOUT_MS: '2000',
      HUB_ADMIN_TOKEN_FILE: tokenFile,
    });
    expect(c.rateLimits.public).toEqual({ max: 5, windowMs: 30_000 });
    expect(c.rateLimits.station).toBeNull();
    expect(c.timeouts.requestMs).toBe(2000);
    expect(c.adminToken).toBe('t'.repeat(40));
    for (const [env, message] of [
      [{ HUB_TLS_CERT: '/x.pem' }, /HUB_TLS_CERT and HUB_TLS_KEY go together/],
      [{ HUB_TLS_CERT: join(dir, 'none.pem'), HUB_TLS_KEY: join(dir, 'none.key') }, /HUB_TLS_CERT: cannot read/],
      [{ HUB_RATE_LIMIT_REPORT: 'lots' }, /HUB_RATE_LIMIT_REPORT must look like 10\/1m/],
      [{ HUB_HEADERS_TIMEOUT_MS: '-1' }, /HUB_HEADERS_TIMEOUT_MS must be a whole number/],
      [{ HUB_ADMIN_TOKEN: 'x', HUB_ADMIN_TOKEN_FILE: tokenFile }, /not both/],
    ] as const) {
      expect(() => readConfig(env), JSON.stringify(env)).toThrow(ConfigError);
      expect(() => readConfig(env)).toThrow(message);
    }
  });

  it('a setting it cannot use stops the hub at start with exit code 2 and the reason', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, HUB_TLS_CERT: join(dir, 'cert.pem') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(out).toContain('HUB_TLS_CERT and HUB_TLS_KEY go together');
  });
});

describe('hub process', () => {
  it('SIGTERM ends within the grace period although clients hold a keep-alive and a half-sent request', async () => {
    const hub = await startHub({ HUB_SHUTDOWN_GRACE_MS: '1000' });
    const base = `http://127.0.0.1:${hub.port}`;
    // A keep-alive connection, idle after its request (fetch keeps it in its pool).
    expect((await fetch(`${base}/v1/health`)).status).toBe(200);
    // A request whose headers never finish, and one whose body never comes.
    const sockets = [
      'GET /v1/health HTTP/1.1\r\nHost: x\r\n',
      'POST /v1/stations/pair HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"co',
    ].map((head) => {
      const s = connect(hub.port, '127.0.0.1', () => s.write(head));
      s.on('error', () => undefined);
      return s;
    });
    await new Promise((r) => setTimeout(r, 200));
    hub.child.kill('SIGTERM');
    const { code, afterMs } = await Promise.race([
      hub.exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => {
          hub.child.kill('SIGKILL');
          reject(new Error(`still running 10 s after SIGTERM: ${hub.output().slice(-2000)}`));
        }, 10_000),
      ),
    ]);
    for (const s of sockets) s.destroy();
    expect(code).toBe(0);
    // The grace period (1 s), and a little to close the database and exit.
    expect(afterMs).toBeLessThan(3_000);
  });

  it('serves HTTPS with its own certificate (HUB_TLS_CERT, HUB_TLS_KEY), with HSTS', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=daifa-hub.test',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]);
    const hub = await startHub({ HUB_TLS_CERT: cert, HUB_TLS_KEY: key });
    try {
      expect(hub.output()).toContain('"tls":true');
      const res = await new Promise<{ status: number; hsts: unknown; body: string }>((resolve, reject) => {
        const req = httpsRequest(
          { host: '127.0.0.1', port: hub.port, path: '/v1/health', ca: execFileSync('cat', [cert]) },
          (r) => {
            let body = '';
            r.on('data', (d: Buffer) => (body += d.toString()));
            r.on('end', () =>
              resolve({ status: r.statusCode ?? 0, hsts: r.headers['strict-transport-security'], body }),
            );
          },
        );
        req.on('error', reject);
        req.end();
      });
      expect(res).toEqual({ status: 200, hsts: 'max-age=31536000; includeSubDomains', body: '{"ok":true}' });
      // Plain HTTP on the same port is not served.
      await expect(fetch(`http://127.0.0.1:${hub.port}/v1/health`)).rejects.toThrow();
    } finally {
      hub.child.kill('SIGTERM');
      await hub.exited;
    }
  });
});
