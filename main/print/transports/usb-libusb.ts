/**
 * Direct USB through the `usb` package (v3: WebUSB-style API over the Rust `nusb` library), for when no
 * kernel printer driver exposes a /dev/usb/lpN (common on macOS, and on Linux systems without usblp).
 * We open the device, claim its printer-class interface (class 7), and write to its bulk OUT endpoint;
 * the bulk IN endpoint, if any, carries status replies.
 *
 * When the kernel's usblp driver already owns the interface we do not steal it unless the address says
 * `?detach=1`: the device file is the better path then (it is what the error message recommends).
 *
 * Untested against real hardware here: this machine has no USB bus (/sys/bus/usb is absent). The unit
 * tests drive this class through an injected fake device with the same shape.
 */
import { createRequire } from 'node:module';
import { PrinterError, toPrinterError } from '../errors.ts';
import { parseStatus, statusQuery, statusReplyComplete, type PrinterLanguage } from './status.ts';
import type { PrinterStatus, Transport } from './types.ts';

export const USB_CLASS_PRINTER = 7;

/** The subset of the `usb` package's device object we rely on (kept structural so tests can fake it). */
export interface UsbEndpointLike {
  endpointNumber: number;
  direction: 'in' | 'out';
  type: 'bulk' | 'interrupt' | 'isochronous';
}
export interface UsbInterfaceLike {
  interfaceNumber: number;
  alternate: { interfaceClass: number; endpoints: UsbEndpointLike[] };
}
export interface UsbDeviceLike {
  vendorId: number;
  productId: number;
  readonly manufacturerName?: string | null;
  readonly productName?: string | null;
  readonly serialNumber?: string | null;
  readonly configuration?: { interfaces: UsbInterfaceLike[] } | null;
  open(): Promise<void>;
  close(): Promise<void>;
  claimInterface(n: number): Promise<void>;
  releaseInterface(n: number): Promise<void>;
  detachKernelDriver?(n: number): Promise<void>;
  transferOut(
    endpointNumber: number,
    data: Uint8Array,
    timeoutMs?: number,
  ): Promise<{ status: string; bytesWritten: number }>;
  transferIn(
    endpointNumber: number,
    length: number,
    timeoutMs?: number,
  ): Promise<{ status: string; data?: DataView | undefined }>;
}

export interface UsbBus {
  getDevices(): Promise<UsbDeviceLike[]>;
  findDeviceByIds(vid: number, pid: number): Promise<UsbDeviceLike | undefined>;
}

/** Loads the native `usb` module lazily: a station without it (or without a USB bus) still starts. */
export function loadUsbBus(): UsbBus {
  try {
    const require = createRequire(import.meta.url);
    const mod = require('usb') as { usb: UsbBus };
    return mod.usb;
  } catch (err) {
    throw new PrinterError('unsupported', {
      target: 'libusb',
      detail: `the usb module could not load: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
}

export function hexId(n: number): string {
  return n.toString(16).padStart(4, '0');
}

/** The printer-class interface of a device, with its bulk endpoints; undefined if it has none. */
export function printerInterface(
  device: UsbDeviceLike,
): { iface: UsbInterfaceLike; out: UsbEndpointLike; in: UsbEndpointLike | undefined } | undefined {
  for (const iface of device.configuration?.interfaces ?? []) {
    if (iface.alternate.interfaceClass !== USB_CLASS_PRINTER) continue;
    const out = iface.alternate.endpoints.find((e) => e.direction === 'out' && e.type === 'bulk');
    if (!out) continue;
    return { iface, out, in: iface.alternate.endpoints.find((e) => e.direction === 'in' && e.type === 'bulk') };
  }
  return undefined;
}

export interface LibusbTransportOptions {
  vendorId: number;
  productId: number;
  detach: boolean;
  url: string;
  language?: PrinterLanguage | undefined;
  writeTimeoutMs?: number | undefined;
  statusTimeoutMs?: number | undefined;
  bus?: UsbBus;
}

/** Bulk transfers are split so a stalled printer is noticed per chunk, not after a whole label. */
const CHUNK = 16 * 1024;

export class LibusbTransport implements Transport {
  readonly url: string;
  private readonly options: LibusbTransportOptions;
  private device: UsbDeviceLike | undefined;
  private endpoints: ReturnType<typeof printerInterface>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: LibusbTransportOptions) {
    this.url = options.url;
    this.options = options;
  }

  private get target(): string {
    return `usb://${hexId(this.options.vendorId)}:${hexId(this.options.productId)}`;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private timed<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PrinterError('timeout', { target: this.target, detail: what })), ms);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  private async claim(): Promise<{ device: UsbDeviceLike; out: UsbEndpointLike; in: UsbEndpointLike | undefined }> {
    if (this.device && this.endpoints) return { device: this.device, ...this.endpoints };
    const bus = this.options.bus ?? loadUsbBus();
    let device: UsbDeviceLike | undefined;
    try {
      device = await bus.findDeviceByIds(this.options.vendorId, this.options.productId);
    } catch (err) {
      throw new PrinterError('unsupported', { target: this.target, detail: String(err), cause: err });
    }
    if (!device) throw new PrinterError('device_not_found', { target: this.target });
    try {
      await device.open();
    } catch (err) {
      throw toPrinterError(err, this.target);
    }
    const found = printerInterface(device);
    if (!found) {
      await device.close().catch(() => undefined);
      throw new PrinterError('device_not_found', {
        target: this.target,
        detail: 'device has no printer-class interface with a bulk OUT endpoint',
      });
    }
    const n = found.iface.interfaceNumber;
    try {
      if (this.options.detach && device.detachKernelDriver) await device.detachKernelDriver(n).catch(() => undefined);
      await device.claimInterface(n);
    } catch (err) {
      await device.close().catch(() => undefined);
      // A claimed-by-kernel interface shows up as EBUSY / "busy" / "resource" from nusb.
      const text = err instanceof Error ? err.message : String(err);
      if (/busy|resource|claimed/i.test(text)) {
        throw new PrinterError('kernel_driver_active', { target: this.target, detail: text, cause: err });
      }
      throw toPrinterError(err, this.target);
    }
    this.device = device;
    this.endpoints = found;
    return { device, ...found };
  }

  send(bytes: Uint8Array): Promise<void> {
    return this.serial(async () => {
      const { device, out } = await this.claim();
      try {
        for (let offset = 0; offset < bytes.length; offset += CHUNK) {
          const chunk = bytes.slice(offset, Math.min(offset + CHUNK, bytes.length));
          const ms = this.options.writeTimeoutMs ?? 30_000;
          const result = await this.timed(
            device.transferOut(out.endpointNumber, chunk, ms),
            ms + 500,
            'bulk OUT transfer did not complete',
          );
          if (result.status !== 'ok' || result.bytesWritten !== chunk.length) {
            throw new PrinterError(result.status === 'stall' ? 'printer_error' : 'connection_lost', {
              target: this.target,
              detail: `transferOut status=${result.status} wrote ${result.bytesWritten}/${chunk.length}`,
            });
          }
        }
      } catch (err) {
        await this.release();
        throw toPrinterError(err, this.target);
      }
    });
  }

  status(): Promise<PrinterStatus> {
    const language = this.options.language;
    return this.serial(async () => {
      if (!language) {
        throw new PrinterError('unsupported', { target: this.target, detail: 'status needs ?lang=tspl|zpl|escpos' });
      }
      const { device, out, in: inEp } = await this.claim();
      if (!inEp)
        throw new PrinterError('unsupported', { target: this.target, detail: 'printer has no bulk IN endpoint' });
      await device.transferOut(out.endpointNumber, statusQuery(language));
      const chunks: Uint8Array[] = [];
      const deadline = Date.now() + (this.options.statusTimeoutMs ?? 2_000);
      while (Date.now() < deadline) {
        const r = await this.timed(
          device.transferIn(inEp.endpointNumber, 64),
          deadline - Date.now(),
          'no status reply',
        );
        if (r.data && r.data.byteLength > 0) {
          chunks.push(new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength));
          const all = Buffer.concat(chunks);
          if (statusReplyComplete(language, all)) return parseStatus(language, all);
        }
      }
      throw new PrinterError('timeout', { target: this.target, detail: 'no status reply' });
    });
  }

  private async release(): Promise<void> {
    const device = this.device;
    const n = this.endpoints?.iface.interfaceNumber;
    this.device = undefined;
    this.endpoints = undefined;
    if (!device) return;
    if (n !== undefined) await device.releaseInterface(n).catch(() => undefined);
    await device.close().catch(() => undefined);
  }

  close(): Promise<void> {
    return this.serial(() => this.release());
  }
}
