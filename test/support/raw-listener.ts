/**
 * A stand-in for a network label printer: a TCP listener on 127.0.0.1 (random port, or a given one)
 * that records every connection's bytes. Options let a test make it misbehave: never read (to provoke
 * write timeouts) or answer status queries with chosen bytes.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export interface RawConnection {
  chunks: Buffer[];
  ended: boolean;
  bytes(): Buffer;
}

export interface RawListenerOptions {
  port?: number;
  /** Never read: data piles up in the kernel buffers until the sender stalls. */
  neverRead?: boolean;
  /** Reply to each incoming chunk that contains `query` with `reply` (status emulation). */
  respond?: { query: Uint8Array; reply: Uint8Array };
}

export interface RawListener {
  port: number;
  url: string;
  connections: RawConnection[];
  /** All bytes from all connections, in order. */
  bytes(): Buffer;
  /** Resolves once at least `n` bytes arrived in total (or rejects after timeoutMs). */
  waitForBytes(n: number, timeoutMs?: number): Promise<Buffer>;
  /** Resolves once `count` connections have ended (the sender closed). */
  waitForEnded(count?: number, timeoutMs?: number): Promise<void>;
  /** Changes the status emulation from now on (e.g. paper out, then ready again). */
  setRespond(respond: RawListenerOptions['respond']): void;
  /** Drops every open connection (a printer switched off, a cable pulled). */
  dropConnections(): void;
  /** Stops reading, as a busy printer with a full buffer does: the sender's writes soon block. */
  pauseReading(): void;
  resumeReading(): void;
  close(): Promise<void>;
}

function indexOf(haystack: Buffer, needle: Uint8Array): number {
  return haystack.indexOf(Buffer.from(needle.buffer, needle.byteOffset, needle.byteLength));
}

export async function startRawListener(options: RawListenerOptions = {}): Promise<RawListener> {
  const connections: RawConnection[] = [];
  const sockets = new Set<net.Socket>();
  let respond = options.respond;
  let paused = false;
  const waiters = new Set<() => void>();
  const poke = () => {
    for (const w of waiters) w();
  };

  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const conn: RawConnection = {
      chunks: [],
      ended: false,
      bytes: () => Buffer.concat(conn.chunks),
    };
    connections.push(conn);
    if (options.neverRead) {
      socket.pause();
      return;
    }
    if (paused) socket.pause();
    socket.on('data', (chunk: Buffer) => {
      conn.chunks.push(chunk);
      if (respond && indexOf(chunk, respond.query) >= 0) socket.write(respond.reply);
      poke();
    });
    socket.on('end', () => {
      conn.ended = true;
      socket.end();
      poke();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('listener has no port');
  const port = address.port;

  const all = () => Buffer.concat(connections.flatMap((c) => c.chunks));
  const waitUntil = (done: () => boolean, timeoutMs: number, what: string) =>
    new Promise<void>((resolve, reject) => {
      if (done()) return resolve();
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`raw listener: timed out waiting for ${what} (have ${all().length} bytes)`));
      }, timeoutMs);
      waiters.add(check);
    });

  return {
    port,
    url: `tcp://127.0.0.1:${port}`,
    connections,
    bytes: all,
    async waitForBytes(n, timeoutMs = 10_000) {
      await waitUntil(() => all().length >= n, timeoutMs, `${n} bytes`);
      return all();
    },
    waitForEnded(count = 1, timeoutMs = 10_000) {
      return waitUntil(
        () => connections.filter((c) => c.ended).length >= count,
        timeoutMs,
        `${count} ended connection(s)`,
      );
    },
    setRespond(r) {
      respond = r;
    },
    dropConnections() {
      for (const s of sockets) s.destroy();
    },
    pauseReading() {
      paused = true;
      for (const s of sockets) s.pause();
    },
    resumeReading() {
      paused = false;
      for (const s of sockets) s.resume();
    },
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface CupsAvailability {
  ok: boolean;
  reason: string;
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, LC_ALL: 'C', LANG: 'C' } });
    let out = '';
    child.stdout.on('data', (c) => (out += String(c)));
    child.stderr.on('data', (c) => (out += String(c)));
    child.on('error', (e) => resolve({ code: -1, out: String(e) }));
    child.on('close', (code) => resolve({ code, out }));
  });
}

/**
 * Makes sure the CUPS scheduler answers, starting `cupsd` when it is installed but not running
 * (the lead's .ci/run starts it in CI). Returns why not, when it cannot.
 */
export async function ensureCupsRunning(): Promise<CupsAvailability> {
  const check = async () => /scheduler is running/.test((await run('lpstat', ['-r'])).out);
  if (await check()) return { ok: true, reason: 'running' };
  const started = await run('cupsd', []);
  if (started.code !== 0) return { ok: false, reason: `cupsd did not start: ${started.out.trim()}` };
  for (let i = 0; i < 50; i++) {
    if (await check()) return { ok: true, reason: 'started cupsd' };
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ok: false, reason: 'lpstat -r still says the scheduler is not running' };
}

/** Creates a raw CUPS queue that prints to `socket://127.0.0.1:port`; returns its name and a cleanup. */
export async function createCupsQueue(port: number): Promise<{ name: string; remove: () => Promise<void> }> {
  const name = `DAIFA_TEST_${randomBytes(4).toString('hex')}`;
  const r = await run('lpadmin', ['-p', name, '-E', '-v', `socket://127.0.0.1:${port}`]);
  if (r.code !== 0) throw new Error(`lpadmin failed: ${r.out}`);
  return {
    name,
    remove: async () => {
      await run('cancel', ['-a', name]);
      await run('lpadmin', ['-x', name]);
    },
  };
}

/** Runs a command with the C locale (test helper for lpstat/lpadmin checks). */
export const runTool = run;

/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = address && typeof address !== 'string' ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
