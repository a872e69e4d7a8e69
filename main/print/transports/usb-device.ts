/**
 * A printer-class device file: `/dev/usb/lpN` on Linux (the usblp kernel driver), or anything that
 * behaves like it (a parallel port, a FIFO in tests). Each job opens the device, writes everything and
 * closes it, like `cat label.tspl > /dev/usb/lp0` — so an unplugged printer is noticed at the next job.
 *
 * The device is opened without O_CREAT: a missing /dev/usb/lp0 must fail as "device not found", not
 * silently create a regular file. usblp reports printer faults through errno: ENOSPC = paper out
 * (LP_PNOPAPER), EIO = off-line / error; errors.ts maps both.
 *
 * A write to a stalled printer blocks in libuv's thread pool and cannot be cancelled; after
 * `writeTimeoutMs` we report a timeout and close the handle once the stuck write returns.
 */
import { constants, promises as fsp } from 'node:fs';
import { PrinterError, toPrinterError } from '../errors.ts';
import { parseStatus, statusQuery, statusReplyComplete, type PrinterLanguage } from './status.ts';
import type { PrinterStatus, Transport } from './types.ts';

/** The part of a FileHandle this transport uses (tests inject failures through it). */
export interface DeviceHandle {
  write(data: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesRead: number }>;
  close(): Promise<void>;
}

export type DeviceOpener = (path: string, flags: number) => Promise<DeviceHandle>;

const defaultOpen: DeviceOpener = (path, flags) => fsp.open(path, flags);

export interface DeviceTransportOptions {
  path: string;
  url: string;
  language?: PrinterLanguage | undefined;
  writeTimeoutMs?: number | undefined;
  statusTimeoutMs?: number | undefined;
  open?: DeviceOpener;
}

const CHUNK = 64 * 1024;

function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => PrinterError): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export class DeviceFileTransport implements Transport {
  readonly url: string;
  readonly path: string;
  private readonly language: PrinterLanguage | undefined;
  private readonly writeTimeoutMs: number;
  private readonly statusTimeoutMs: number;
  private readonly open: DeviceOpener;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: DeviceTransportOptions) {
    this.url = options.url;
    this.path = options.path;
    this.language = options.language;
    this.writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
    this.statusTimeoutMs = options.statusTimeoutMs ?? 2_000;
    this.open = options.open ?? defaultOpen;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async openDevice(flags: number): Promise<DeviceHandle> {
    try {
      return await this.open(this.path, flags);
    } catch (err) {
      throw toPrinterError(err, this.path);
    }
  }

  send(bytes: Uint8Array): Promise<void> {
    return this.serial(async () => {
      const handle = await this.openDevice(constants.O_WRONLY | constants.O_APPEND);
      let stuck: Promise<unknown> | undefined;
      try {
        let offset = 0;
        while (offset < bytes.length) {
          const length = Math.min(CHUNK, bytes.length - offset);
          const write = handle.write(bytes, offset, length);
          stuck = write;
          const { bytesWritten } = await withTimeout(
            write,
            this.writeTimeoutMs,
            () =>
              new PrinterError('timeout', {
                target: this.path,
                detail: `device accepted no data for ${this.writeTimeoutMs} ms`,
              }),
          );
          stuck = undefined;
          if (bytesWritten <= 0)
            throw new PrinterError('printer_error', { target: this.path, detail: 'write returned 0' });
          offset += bytesWritten;
        }
      } catch (err) {
        throw toPrinterError(err, this.path);
      } finally {
        // Close now, or once a write stuck in the thread pool finally returns.
        const close = () => handle.close().catch(() => undefined);
        if (stuck) void stuck.then(close, close);
        else await close();
      }
    });
  }

  status(): Promise<PrinterStatus> {
    const language = this.language;
    if (!language) {
      return Promise.reject(
        new PrinterError('unsupported', { target: this.path, detail: 'status needs ?lang=tspl|zpl|escpos' }),
      );
    }
    return this.serial(async () => {
      const handle = await this.openDevice(constants.O_RDWR);
      let abandoned = false;
      try {
        const query = statusQuery(language);
        await handle.write(query, 0, query.length);
        const chunks: Uint8Array[] = [];
        const read = async (): Promise<Uint8Array> => {
          while (!abandoned) {
            const buf = new Uint8Array(256);
            const { bytesRead } = await handle.read(buf, 0, buf.length, null);
            if (bytesRead > 0) chunks.push(buf.subarray(0, bytesRead));
            const all = Buffer.concat(chunks);
            if (statusReplyComplete(language, all)) return all;
            if (bytesRead === 0) await new Promise((r) => setTimeout(r, 20));
          }
          return new Uint8Array(0);
        };
        const reply = await withTimeout(read(), this.statusTimeoutMs, () => {
          abandoned = true;
          return new PrinterError('timeout', { target: this.path, detail: 'no status reply' });
        });
        return parseStatus(language, reply);
      } catch (err) {
        throw toPrinterError(err, this.path);
      } finally {
        // FileHandle.close() waits for pending operations: after a timeout the read is still blocked
        // on the device, so close in the background instead of hanging the status call.
        const close = handle.close().catch(() => undefined);
        if (!abandoned) await close;
      }
    });
  }

  async close(): Promise<void> {
    await this.queue;
  }
}
