/**
 * Browser mode (DESIGN.md §1, §8): main's services hosted by a plain Node process that serves the built
 * renderer on http://127.0.0.1:PORT and carries the IPC contract over a local WebSocket.
 *
 * A web page elsewhere in the same browser must not be able to print or read anything:
 * - it listens on loopback only, and answers only requests whose Host is this address (DNS rebinding);
 * - a WebSocket must come from this page's Origin, and must first prove it holds the per-launch secret,
 *   which reaches the page in the URL fragment (never in a query string, a request or a log);
 * - frames are size-limited, and every frame and every call's arguments are validated in main.
 */
import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  ClientFrameSchema,
  HELLO_TIMEOUT_MS,
  MAX_FRAME_BYTES,
  StationError,
  WS_CLOSE,
  WS_PATH,
  type EventName,
  type EventPayload,
  type ServerFrame,
} from '../../shared/ipc/index.ts';
import type { StationServices } from '../station/services.ts';
import { stationCsp } from './csp.ts';
import { dispatch } from './dispatch.ts';

export interface BrowserHostOptions {
  services: StationServices;
  /** 0 picks a free port. */
  port?: number;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Fixed only by tests; a fresh random secret per launch otherwise. */
  secret?: string;
  log?: (line: string) => void;
  helloTimeoutMs?: number;
}

export interface BrowserHost {
  port: number;
  origin: string;
  /** The page's address with the secret in its fragment: open this, print it to the terminal only. */
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wav': 'audio/wav',
};

export async function startBrowserHost(opts: BrowserHostOptions): Promise<BrowserHost> {
  const log = opts.log ?? (() => undefined);
  const secret = opts.secret ?? randomBytes(24).toString('base64url');
  const secretBytes = Buffer.from(secret);
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const origin = `http://127.0.0.1:${port}`;
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = new Set([origin, `http://localhost:${port}`]);
  const root = path.resolve(opts.staticDir);

  server.on('request', async (req, res) => {
    const headers = {
      'content-security-policy': stationCsp([origin.replace(/^http/, 'ws')]),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
    };
    if (!allowedHosts.has(req.headers.host ?? '')) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end('misdirected request');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', ...headers }).end();
      return;
    }
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', origin).pathname);
    const rel = urlPath === '/' ? 'index.html' : urlPath.replace(/^\/+/, '');
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(404, headers).end();
      return;
    }
    let stat;
    try {
      stat = await fsp.stat(file);
    } catch {
      stat = null;
    }
    if (!stat?.isFile()) {
      if (rel === 'index.html') {
        res
          .writeHead(503, { 'content-type': 'text/html; charset=utf-8', ...headers })
          .end(
            '<!doctype html><meta charset="utf-8"><title>Daifa</title><p>打印站界面尚未构建：请先运行 <code>npm run build</code>。<br>The station UI is not built yet: run <code>npm run build</code>.</p>',
          );
      } else {
        res.writeHead(404, headers).end();
      }
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': rel === 'index.html' ? 'no-store' : 'public, max-age=31536000, immutable',
      ...headers,
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
  });
  const authed = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const reject = (status: number, why: string) => {
      socket.end(`HTTP/1.1 ${status} ${why}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    };
    if (new URL(req.url ?? '/', origin).pathname !== WS_PATH) return reject(404, 'Not Found');
    if (!allowedHosts.has(req.headers.host ?? '')) return reject(421, 'Misdirected Request');
    if (!allowedOrigins.has(req.headers.origin ?? '')) {
      log(`refused a WebSocket from origin ${JSON.stringify(req.headers.origin ?? null)}`);
      return reject(403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  const send = (ws: WebSocket, frame: ServerFrame) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
  };

  wss.on('connection', (ws) => {
    const connectionId = randomUUID();
    const ac = new AbortController();
    let ok = false;
    const hello = setTimeout(
      () => ws.close(WS_CLOSE.helloTimeout, 'hello timeout'),
      opts.helloTimeoutMs ?? HELLO_TIMEOUT_MS,
    );
    ws.on('close', () => {
      clearTimeout(hello);
      authed.delete(ws);
      ac.abort();
      opts.services.disconnect(connectionId);
    });
    ws.on('error', () => undefined);
    ws.on('message', async (data, isBinary) => {
      let frame;
      try {
        if (isBinary) throw new Error('binary frame');
        frame = ClientFrameSchema.parse(JSON.parse(data.toString()));
      } catch {
        send(ws, { t: 'error', error: new StationError('invalid_message').toBody() });
        if (!ok) ws.close(WS_CLOSE.badFrame, 'bad frame');
        return;
      }
      if (!ok) {
        const given = Buffer.from(frame.t === 'hello' ? frame.secret : '');
        if (frame.t !== 'hello' || given.length !== secretBytes.length || !timingSafeEqual(given, secretBytes)) {
          send(ws, { t: 'error', error: new StationError('unauthorized').toBody() });
          ws.close(WS_CLOSE.unauthorized, 'unauthorized');
          return;
        }
        ok = true;
        clearTimeout(hello);
        authed.add(ws);
        send(ws, { t: 'welcome' });
        return;
      }
      if (frame.t !== 'call') {
        send(ws, { t: 'error', error: new StationError('invalid_message').toBody() });
        return;
      }
      const reply = await dispatch(opts.services.handlers, frame.method, frame.args, {
        connectionId,
        signal: ac.signal,
        emit: <E extends EventName>(name: E, payload: EventPayload<E>) => send(ws, { t: 'event', name, payload }),
      });
      send(
        ws,
        reply.ok
          ? { t: 'result', id: frame.id, ok: true, result: reply.result }
          : { t: 'result', id: frame.id, ok: false, error: reply.error },
      );
    });
  });

  const unsubscribe = opts.services.onBroadcast((name, payload) => {
    for (const ws of authed) send(ws, { t: 'event', name, payload });
  });

  return {
    port,
    origin,
    url: `${origin}/#k=${secret}`,
    async close() {
      unsubscribe();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
