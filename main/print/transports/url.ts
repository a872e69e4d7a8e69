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
