/**
 * Browser mode's doors (DESIGN.md §8): a web page elsewhere in the same browser must not be able to
 * print or read anything. Real HTTP and WebSocket connections against the real services, with a printer
 * that records every byte: whatever is refused, nothing reaches it.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../main/host/browser-host.ts';
import { fileSecretStore } from '../../../main/station/secret-store.ts';
import { createStationServices, type StationServices } from '../../../main/station/services.ts';
import { MAX_FRAME_BYTES } from '../../../shared/ipc/index.ts';
import { startRawListener, type RawListener } from '../../support/raw-listener.ts';
import { tempDir } from '../../support/station.ts';

const SECRET = 's3cret-for-this-launch-only-xyz';

describe('browser-mode host', () => {
  const tmp = tempDir('daifa-host-');
  let services: StationServices;
  let host: BrowserHost;
  let printer: RawListener;
  const logs: string[] = [];

  beforeAll(async () => {
    printer = await startRawListener();
    services = await createStationServices({
      dataDir: tmp.dir,
      host: 'browser',
      secrets: fileSecretStore(`${tmp.dir}/secrets.json`),
      defaultPrinterUrl: `${printer.url}?lang=tspl`,
      log: (l) => logs.push(l),
    });
    host = await startBrowserHost({
      services,
      staticDir: tmp.dir,
      secret: SECRET,
      helloTimeoutMs: 300,
      log: (l) => logs.push(l),
    });
  });
  afterAll(async () => {
    await host.close();
    await services.close();
    await printer.close();
    tmp.cleanup();
  });

  function connect(origin: string | null = host.origin, headers: Record<string, string> = {}) {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ipc`, {
      headers: { ...(origin ? { origin } : {}), ...headers },
    });
    const frames: Array<Record<string, unknown>> = [];
    const closed = new Promise<{ code: number; status?: number }>((resolve) => {
      ws.on('message', (d) => frames.push(JSON.parse(String(d))));
      ws.on('close', (code) => resolve({ code }));
      ws.on('unexpected-response', (_req, res) => resolve({ code: -1, status: res.statusCode }));
      ws.on('error', () => undefined);
    });
    const open = new Promise<void>((resolve) => ws.on('open', () => resolve()));
    let id = 0;
    const call = (method: string, args: unknown) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const want = ++id;
        const onMsg = (d: Buffer) => {
          const f = JSON.parse(String(d));
          if (f.t === 'result' && f.id === want) {
            ws.off('message', onMsg);
            resolve(f);
          }
        };
        ws.on('message', onMsg);
        ws.send(JSON.stringify({ t: 'call', id: want, method, args }));
      });
    return { ws, frames, closed, open, call };
  }

  async function authed() {
    const c = connect();
    await c.open;
    c.ws.send(JSON.stringify({ t: 'hello', secret: SECRET }));
    await new Promise<void>((resolve) => c.ws.once('message', () => resolve()));
    return c;
  }

  const printAttempt = {
    chunkId: 'chunk-0001',
    printerId: 'whatever',
    courier: 'ZTO',
    items: [{ itemId: 1, orderSn: 'SN1' }],
  };

  it('answers the page’s own origin once it proves the secret', async () => {
    const c = await authed();
    expect(c.frames[0]).toEqual({ t: 'welcome' });
    const r = await c.call('info', {});
    expect(r).toMatchObject({ ok: true, result: { host: 'browser' } });
    c.ws.close();
  });

  it('refuses a WebSocket from another origin, or without one, before any message', async () => {
    expect(await connect('https://evil.example').closed).toEqual({ code: -1, status: 403 });
    expect(await connect('http://127.0.0.1:1').closed).toEqual({ code: -1, status: 403 });
    expect(await connect(null).closed).toEqual({ code: -1, status: 403 });
  });

  it('refuses a request whose Host is not the station (DNS rebinding)', async () => {
    expect(await connect(host.origin, { host: 'evil.example' }).closed).toEqual({ code: -1, status: 421 });
    const status = await new Promise<number>((resolve) =>
      http.get({ host: '127.0.0.1', port: host.port, path: '/', headers: { host: 'rebound.example' } }, (res) =>
        resolve(res.statusCode!),
      ),
    );
    expect(status).toBe(421);
  });

  it('closes a connection with a wrong secret, with calls before hello, or that never says hello', async () => {
    const wrong = connect();
    await wrong.open;
    wrong.ws.send(JSON.stringify({ t: 'hello', secret: 'guess' }));
    expect((await wrong.closed).code).toBe(4401);
    expect(wrong.frames[0]).toMatchObject({ t: 'error', error: { code: 'unauthorized' } });

    const early = connect();
    await early.open;
    early.ws.send(JSON.stringify({ t: 'call', id: 1, method: 'printChunk', args: printAttempt }));
    expect((await early.closed).code).toBe(4401);

    const silent = connect();
    await silent.open;
    expect((await silent.closed).code).toBe(4408);
  });

  it('answers unknown methods, wrong types and malformed frames with errors, and prints nothing', async () => {
    const c = await authed();
    expect(await c.call('deleteEverything', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await c.call('constructor', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await c.call('printChunk', { ...printAttempt, items: 'all of them' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_args' },
    });
    expect(await c.call('printChunk', { ...printAttempt, items: [{ itemId: 1, orderSn: '../../etc' }] })).toMatchObject(
      {
        ok: false,
        error: { code: 'invalid_args' },
      },
    );
    // Well-formed, but this station is not paired: refused by the services.
    expect(await c.call('printChunk', printAttempt)).toMatchObject({ ok: false, error: { code: 'not_paired' } });
    c.ws.send('{not json');
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await new Promise((r) => setTimeout(r, 100));
    expect(c.frames.filter((f) => f.t === 'error').map((f) => (f.error as { code: string }).code)).toEqual([
      'invalid_message',
      'invalid_message',
    ]);
    c.ws.close();
    expect(printer.bytes().length).toBe(0);
  });

  it('drops a connection that sends an oversized frame', async () => {
    const c = await authed();
    c.ws.send(JSON.stringify({ t: 'call', id: 1, method: 'info', args: { pad: 'x'.repeat(MAX_FRAME_BYTES) } }));
    expect((await c.closed).code).toBe(1009);
    expect(printer.bytes().length).toBe(0);
  });

  it('serves the page with a strict CSP, never outside its folder, and never logs the secret', async () => {
    const res = await fetch(`${host.origin}/`);
    expect(res.status).toBe(503); // not built in this folder: a page that says so
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    const traversal = await new Promise<number>((resolve) =>
      http.get(
        { host: '127.0.0.1', port: host.port, path: '/../../etc/passwd', headers: { host: `127.0.0.1:${host.port}` } },
        (r) => resolve(r.statusCode!),
      ),
    );
    expect(traversal).toBe(404);
    expect(host.url).toContain(`#k=${SECRET}`);
    expect(host.url).not.toContain('?');
    expect(logs.join('\n')).not.toContain(SECRET);
  });
});
