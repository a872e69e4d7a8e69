/**
 * Raw TCP (port 9100, "JetDirect"): the bytes go to the printer as they are. The connection is opened on
 * the first send and kept for the next ones, so the first label leaves at once and later ones do not pay
 * a handshake; it is reopened if the printer closed it in between.
 *
 * Timeouts: connecting has its own limit; writing fails when no data has been accepted for
 * `writeTimeoutMs` (a printer that stops reading — paused, out of paper — fills the socket buffers and
 * then makes no progress). Writes are chunked and wait for 'drain', so memory stays flat on long jobs.
 *
 * An idle connection is not trusted: a printer switched off and on (the usual cure for a paper jam)
 * forgets it without a word, and a write into it is accepted by our kernel and lost — reported as
 * sent. So a connection is reused only within `idleReuseMs` of its last exchange (a batch streams
 * over one connection); after that a fresh handshake proves the printer is there.
 */
import net from 'node:net';
import { PrinterError, toPrinterError } from '../errors.ts';
import { parseStatus, statusQuery, statusReplyComplete, type PrinterLanguage } from './status.ts';
import type { PrinterStatus, Transport } from './types.ts';

export interface TcpTransportOptions {
  host: string;
  port: number;
  url: string;
  language?: PrinterLanguage | undefined;
  connectTimeoutMs?: number | undefined;
  writeTimeoutMs?: number | undefined;
  statusTimeoutMs?: number | undefined;
  /** Reuse the open connection only if its last exchange ended less than this long ago (default 2 s). */
  idleReuseMs?: number | undefined;
  /** Test seam: how the socket is created. */
  createConnection?: (options: net.NetConnectOpts) => net.Socket;
}

const CHUNK = 64 * 1024;

export class TcpTransport implements Transport {
  readonly url: string;
  private readonly host: string;
  private readonly port: number;
  private readonly language: PrinterLanguage | undefined;
  private readonly connectTimeoutMs: number;
  private readonly writeTimeoutMs: number;
  private readonly statusTimeoutMs: number;
  private readonly idleReuseMs: number;
  /** When the last send or status exchange on `socket` ended (performance.now()). */
  private lastUsed = 0;
  private readonly createConnection: (options: net.NetConnectOpts) => net.Socket;
  private socket: net.Socket | undefined;
  /** Bytes the printer sent us (status replies); kept only while a status query waits. */
  private inbox: Buffer[] = [];
  private onInbox: (() => void) | undefined;
  /** Serialises sends and status queries: one conversation with the printer at a time. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: TcpTransportOptions) {
    this.url = options.url;
    this.host = options.host;
    this.port = options.port;
    this.language = options.language;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
    this.statusTimeoutMs = options.statusTimeoutMs ?? 2_000;
    this.idleReuseMs = options.idleReuseMs ?? 2_000;
    this.createConnection = options.createConnection ?? ((o) => net.connect(o));
  }

  private get target(): string {
    return `${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private connect(): Promise<net.Socket> {
    const live = this.socket;
    if (live && !live.destroyed && live.writable && !live.readableEnded) {
      if (performance.now() - this.lastUsed <= this.idleReuseMs) return Promise.resolve(live);
      live.destroy(); // idle too long: the printer may have restarted and forgotten it
    }
    this.socket = undefined;
    return new Promise((resolve, reject) => {
      const socket = this.createConnection({ host: this.host, port: this.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(
          new PrinterError('unreachable', {
            target: this.target,
            detail: `connect timed out after ${this.connectTimeoutMs} ms`,
          }),
        );
      }, this.connectTimeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(toPrinterError(err, this.target));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 30_000);
        // Errors after connecting surface through the write that hits them; this keeps them from
        // becoming uncaught exceptions when nothing is being written.
        socket.on('error', () => undefined);
        socket.on('data', (chunk: Buffer) => {
          if (!this.onInbox) return; // unsolicited bytes (e.g. a printer's banner): ignored
          this.inbox.push(chunk);
          this.onInbox();
        });
        socket.on('end', () => socket.end());
        this.socket = socket;
        resolve(socket);
      });
    });
  }

  /** Resolves when `socket` can take more data, rejects on error/close or after writeTimeoutMs without progress. */
  private waitFor(socket: net.Socket, event: 'drain' | 'flushed', flushed?: Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        socket.off('drain', onDrain);
        socket.off('error', onError);
        socket.off('close', onClose);
      };
      const onDrain = () => {
        cleanup();
        resolve();
      };
      const onError = (err: Error) => {
        cleanup();
        reject(toPrinterError(err, this.target));
      };
      const onClose = () => {
        cleanup();
        reject(new PrinterError('connection_lost', { target: this.target, detail: 'socket closed during write' }));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new PrinterError('timeout', {
            target: this.target,
            detail: `no data accepted for ${this.writeTimeoutMs} ms (${socket.writableLength} bytes waiting)`,
          }),
        );
      }, this.writeTimeoutMs);
      socket.on('error', onError);
      socket.on('close', onClose);
      if (event === 'drain') socket.on('drain', onDrain);
      else flushed?.then(onDrain, onError);
    });
  }

  send(bytes: Uint8Array): Promise<void> {
    return this.serial(async () => {
      const socket = await this.connect();
      try {
        let last: Promise<void> = Promise.resolve();
        for (let offset = 0; offset < bytes.length; offset += CHUNK) {
          const chunk = bytes.subarray(offset, Math.min(offset + CHUNK, bytes.length));
          let ok = true;
          last = new Promise<void>((resolve, reject) => {
            ok = socket.write(chunk, (err) => (err ? reject(err) : resolve()));
          });
          last.catch(() => undefined); // observed below
          if (!ok) await this.waitFor(socket, 'drain');
        }
        // Every byte handed to the kernel: that is "sent" for a raw socket.
        await this.waitFor(socket, 'flushed', last);
        this.lastUsed = performance.now();
      } catch (err) {
        socket.destroy();
        this.socket = undefined;
        throw toPrinterError(err, this.target);
      }
    });
  }

  status(): Promise<PrinterStatus> {
    const language = this.language;
    if (!language) {
      return Promise.reject(
        new PrinterError('unsupported', { target: this.target, detail: 'status needs ?lang=tspl|zpl|escpos' }),
      );
    }
    return this.serial(async () => {
      const socket = await this.connect();
      this.inbox = [];
      const reply = new Promise<Uint8Array>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.onInbox = undefined;
          reject(new PrinterError('timeout', { target: this.target, detail: 'no status reply' }));
        }, this.statusTimeoutMs);
        this.onInbox = () => {
          const all = Buffer.concat(this.inbox);
          if (statusReplyComplete(language, all)) {
            clearTimeout(timer);
            this.onInbox = undefined;
            resolve(all);
          }
        };
      });
      socket.write(statusQuery(language));
      const status = parseStatus(language, await reply);
      this.lastUsed = performance.now();
      return status;
    });
  }

  close(): Promise<void> {
    return this.serial(async () => {
      const socket = this.socket;
      this.socket = undefined;
      if (!socket || socket.destroyed) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          socket.destroy();
          resolve();
        }, 2_000);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        socket.end();
      });
    });
  }
}
