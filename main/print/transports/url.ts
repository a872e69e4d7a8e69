/**
 * Printer addresses. Parsed by hand rather than with `new URL` alone, because `usb://1fc9:2016`
 * (vendor:product in hex) is not a valid WHATWG URL (the "port" is not decimal).
 */
import { fileURLToPath } from 'node:url';
import { PrinterError } from '../errors.ts';
import type { PrinterLanguage } from './status.ts';
import type { TransportTarget } from './types.ts';

export const DEFAULT_RAW_PORT = 9100;
const FILE_EXTS = new Set(['pdf', 'png', 'tspl', 'zpl', 'escpos', 'prn', 'bin']);
const LANGUAGES = new Set<PrinterLanguage>(['tspl', 'zpl', 'escpos']);

export interface ParsedPrinterUrl {
  target: TransportTarget;
  language: PrinterLanguage | undefined;
}

function splitQuery(url: string): [string, URLSearchParams] {
  const q = url.indexOf('?');
  return q < 0 ? [url, new URLSearchParams()] : [url.slice(0, q), new URLSearchParams(url.slice(q + 1))];
}

function flag(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const v = params.get(name);
  if (v === null) return fallback;
  return !['0', 'false', 'no', 'off'].includes(v.toLowerCase());
}

export function parsePrinterUrl(url: string): ParsedPrinterUrl {
  const bad = (detail: string) => new PrinterError('bad_url', { target: url, detail });
  const [base, params] = splitQuery(url.trim());
  const lang = params.get('lang')?.toLowerCase();
  if (lang !== undefined && !LANGUAGES.has(lang as PrinterLanguage)) throw bad(`unknown lang=${lang}`);
  const language = lang as PrinterLanguage | undefined;
  const scheme = /^([a-z]+):\/\//i.exec(base)?.[1]?.toLowerCase();

  switch (scheme) {
    case 'file': {
      let dir: string;
      try {
        dir = fileURLToPath(base);
      } catch (err) {
        throw bad(err instanceof Error ? err.message : String(err));
      }
      const ext = (params.get('ext') ?? 'pdf').toLowerCase();
      if (!FILE_EXTS.has(ext)) throw bad(`unknown ext=${ext}`);
      return { target: { kind: 'file', dir, ext }, language };
    }
    case 'tcp': {
      let parsed: URL;
      try {
        parsed = new URL(base);
      } catch {
        throw bad('not a tcp://host:port address');
      }
      const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
      if (!host) throw bad('missing host');
      const port = parsed.port ? Number(parsed.port) : DEFAULT_RAW_PORT;
      return { target: { kind: 'tcp', host, port }, language };
    }
    case 'usb': {
      const rest = base.slice('usb://'.length);
      const ids = /^([0-9a-f]{4}):([0-9a-f]{4})\/?$/i.exec(rest);
      if (ids) {
        return {
          target: {
            kind: 'usb-libusb',
            vendorId: parseInt(ids[1] ?? '', 16),
            productId: parseInt(ids[2] ?? '', 16),
            detach: flag(params, 'detach', false),
          },
          language,
        };
      }
      if (rest.startsWith('/') && rest.length > 1) {
        return { target: { kind: 'usb-device', path: decodeURIComponent(rest) }, language };
      }
      throw bad('expected usb:///dev/usb/lpN or usb://VID:PID (hex)');
    }
    case 'system': {
      const queue = decodeURIComponent(base.slice('system://'.length).replace(/\/+$/, ''));
      // CUPS names have no spaces or slashes, but Windows queue names may contain both.
      if (!queue || [...queue].some((c) => c.charCodeAt(0) < 0x20)) throw bad('missing or invalid queue name');
      return { target: { kind: 'system', queue, raw: flag(params, 'raw', true) }, language };
    }
    default:
      throw bad(`unknown scheme ${scheme ?? '(none)'}`);
  }
}

/** The printer address for a virtual printer folder (what a fresh install uses). */
export function fileUrlFor(dir: string, ext = 'pdf'): string {
  const path = dir.replace(/\\/g, '/');
  const withSlash = path.startsWith('/') ? path : `/${path}`;
  return `file://${encodeURI(withSlash)}?ext=${ext}`;
}

/** A link much slower than a printer prints: a Bluetooth serial port or a plain serial line. */
export interface SlowLink {
  kind: 'bluetooth' | 'serial';
  /** Line speed in baud (bits per second): the address's `?baud=`, else 115,200, what these printers ship with. */
  baud: number;
}

/**
 * Bluetooth printers appear as serial ports (`/dev/rfcomm0`, SPP), and serial printers as `/dev/ttyS0`,
 * `/dev/ttyUSB0`, `/dev/ttyACM0`: at 115,200 baud they carry about 11 KiB/s, so a label's bitmap text
 * takes seconds to arrive while the printer could print it in one.
 */
export function slowLinkOf(url: string): SlowLink | null {
  let target: TransportTarget;
  try {
    ({ target } = parsePrinterUrl(url));
  } catch {
    return null;
  }
  if (target.kind !== 'usb-device') return null;
  const baud = Number(splitQuery(url.trim())[1].get('baud') ?? 115_200);
  const rate = Number.isFinite(baud) && baud > 0 ? baud : 115_200;
  if (/\/rfcomm\d+$/.test(target.path)) return { kind: 'bluetooth', baud: rate };
  if (/\/tty(S|USB|ACM|AMA)\d+$/.test(target.path)) return { kind: 'serial', baud: rate };
  return null;
}

/** Seconds to move `bytes` over a serial line (8 data bits, 1 start and 1 stop bit per byte). */
export function serialSeconds(bytes: number, baud: number): number {
  return (bytes * 10) / baud;
}

export interface SlowLinkWarning {
  code: 'slow_link';
  secondsPerLabel: number;
  zh: string;
  en: string;
}

/** A warning for a printer on a slow link, with what one label of `bytesPerLabel` costs there; null on a fast link. */
export function slowLinkWarning(url: string, bytesPerLabel: number): SlowLinkWarning | null {
  const link = slowLinkOf(url);
  if (!link) return null;
  const seconds = serialSeconds(bytesPerLabel, link.baud);
  const kib = (bytesPerLabel / 1024).toFixed(1);
  const via = link.kind === 'bluetooth' ? '蓝牙' : '串口';
  return {
    code: 'slow_link',
    secondsPerLabel: seconds,
    zh: `打印机 ${url} 经${via}连接（${link.baud} 波特）：每张面单 ${kib} KiB，传输约需 ${seconds.toFixed(1)} 秒，比打印还慢。批量打印请改用 USB 或网络连接。`,
    en: `Printer ${url} is on a ${link.kind} link (${link.baud} baud): each label is ${kib} KiB and takes about ${seconds.toFixed(1)} s to send, longer than it takes to print. Use USB or the network for batches.`,
  };
}
