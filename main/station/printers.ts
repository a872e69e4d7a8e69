/**
 * The station's printers as main knows them: each configured printer's backend (its language) and
 * transport (its address), kept open between chunks, one chunk at a time per printer. Every printer
 * failure leaves here as a StationError whose cause is the printer's own code (paper_out, head_open…)
 * with its actionable zh/en message.
 */
import { randomUUID } from 'node:crypto';
import {
  NewPrinterSchema,
  StationError,
  type NewPrinter,
  type PrinterConfig,
  type PrinterStatusView,
} from '../../shared/ipc/index.ts';
import { SAMPLE_LABEL } from '../../shared/label/index.ts';
import {
  normalizeOptions,
  prepareLabel,
  type LabelBackend,
  type LabelReport,
  type RenderOptions,
} from '../print/backend.ts';
import { loadBackend } from '../print/backends/index.ts';
import { renderPng } from '../print/backends/png.ts';
import { PrinterError } from '../print/errors.ts';
import { deliver, openTransport, slowLinkWarning, statusError, type Transport } from '../print/transports/index.ts';
import { labelFailure } from './label-failure.ts';
import type { SettingsStore } from './settings-store.ts';

export interface OpenPrinter {
  config: PrinterConfig;
  backend: LabelBackend;
  transport: Transport;
  options: RenderOptions;
}

type RenderFields = Pick<PrinterConfig, 'template' | 'dpi' | 'offsetMm' | 'darkness' | 'speed' | 'gapMm' | 'direction'>;

export function renderOptionsOf(p: RenderFields): RenderOptions {
  return normalizeOptions({
    template: p.template,
    dpi: p.dpi,
    offsetMm: p.offsetMm,
    darkness: p.darkness,
    speed: p.speed,
    copies: 1,
    ...(p.gapMm !== undefined ? { gapMm: p.gapMm } : {}),
    ...(p.direction !== undefined ? { direction: p.direction } : {}),
  });
}

export function printerFailure(e: unknown, printer: string): StationError {
  if (e instanceof StationError) return e;
  if (e instanceof PrinterError) {
    return new StationError('printer_error', {
      message: e.message,
      messageEn: e.messageEn,
      cause: e.code,
      ...(e.detail ? { detail: e.detail } : {}),
    });
  }
  const msg = e instanceof Error ? e.message : String(e);
  return new StationError('printer_error', {
    message: `打印机 ${printer} 出错：${msg}`,
    messageEn: `Printer ${printer} failed: ${msg}`,
    cause: 'unknown',
  });
}

export interface PrinterPool {
  list(): PrinterConfig[];
  config(id: string): PrinterConfig;
  open(id: string): Promise<OpenPrinter>;
  add(input: NewPrinter): Promise<PrinterConfig>;
  update(id: string, patch: Partial<Omit<PrinterConfig, 'id'>>): Promise<PrinterConfig>;
  remove(id: string): Promise<void>;
  /** Sends one job; asks the printer for its state first when `preflight` (paper out gets no bytes). */
  send(p: OpenPrinter, bytes: Uint8Array, preflight: boolean): Promise<void>;
  status(id: string): Promise<PrinterStatusView>;
  testPage(id: string): Promise<{ report: LabelReport; warning: { zh: string; en: string } | null }>;
  preview(settings: RenderFields): Promise<{
    png: Uint8Array;
    widthPx: number;
    heightPx: number;
    report: LabelReport;
  }>;
  /** Runs `fn` while holding the printer: one chunk at a time per printer. */
  exclusive<T>(id: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function createPrinterPool(settings: SettingsStore, now: () => Date = () => new Date()): PrinterPool {
  const open = new Map<string, OpenPrinter>();
  const busy = new Set<string>();

  function config(id: string): PrinterConfig {
    const p = settings.get().settings.printers.find((x) => x.id === id);
    if (!p) throw new StationError('printer_not_found', { detail: id });
    return p;
  }

  async function drop(id: string) {
    const o = open.get(id);
    open.delete(id);
    await o?.transport.close().catch(() => undefined);
  }

  function validateAddress(url: string) {
    try {
      openTransport(url);
    } catch (e) {
      throw new StationError('settings_invalid', {
        message: e instanceof PrinterError ? e.message : `打印机地址无效：${url}`,
        messageEn: e instanceof PrinterError ? e.messageEn : `Invalid printer address: ${url}`,
        cause: 'bad_url',
      });
    }
  }

  function checkLayout(p: RenderFields) {
    try {
      const o = renderOptionsOf(p);
      prepareLabel({ ...SAMPLE_LABEL }, o);
    } catch (e) {
      throw labelFailure(e, 'settings_invalid');
    }
  }

  const pool: PrinterPool = {
    list: () => settings.get().settings.printers,
    config,
    async open(id) {
      const cached = open.get(id);
      if (cached) return cached;
      const c = config(id);
      const language = c.format === 'tspl' || c.format === 'zpl' || c.format === 'escpos' ? c.format : undefined;
      const o: OpenPrinter = {
        config: c,
        backend: await loadBackend(c.format, c.escposMode ?? 'text'),
        transport: openTransport(c.url, language ? { language } : {}),
        options: renderOptionsOf(c),
      };
      open.set(id, o);
      return o;
    },
    async add(input) {
      const parsed = NewPrinterSchema.parse(input);
      validateAddress(parsed.url);
      const c: PrinterConfig = {
        template: '100x180',
        dpi: 203,
        darkness: 8,
        speed: 4,
        offsetMm: { x: 0, y: 0 },
        ...parsed,
        id: randomUUID(),
      };
      checkLayout(c);
      await settings.update((s) => {
        s.settings.printers.push(c);
        if (!s.settings.defaultPrinterId) s.settings.defaultPrinterId = c.id;
        return s;
      });
      return c;
    },
    async update(id, patch) {
      const next = { ...config(id), ...patch, id };
      if (patch.url !== undefined) validateAddress(next.url);
      checkLayout(next);
      await settings.update((s) => {
        s.settings.printers = s.settings.printers.map((p) => (p.id === id ? next : p));
        return s;
      });
      await drop(id);
      return next;
    },
    async remove(id) {
      config(id);
      await settings.update((s) => {
        s.settings.printers = s.settings.printers.filter((p) => p.id !== id);
        if (s.settings.defaultPrinterId === id) s.settings.defaultPrinterId = s.settings.printers[0]?.id ?? null;
        for (const [t, pid] of Object.entries(s.settings.printerByTemplate)) {
          if (pid === id) delete s.settings.printerByTemplate[t as keyof typeof s.settings.printerByTemplate];
        }
        return s;
      });
      await drop(id);
    },
    async send(p, bytes, preflight) {
      try {
        await deliver(p.transport, bytes, { preflight });
      } catch (e) {
        throw printerFailure(e, p.config.name);
      }
    },
    async status(id) {
      const p = await pool.open(id);
      const at = now().toISOString();
      if (!p.transport.status) return { printerId: id, state: 'unknown', error: null, at };
      try {
        const s = await p.transport.status();
        const fault = statusError(s, p.transport.url);
        return fault
          ? { printerId: id, state: 'fault', error: printerFailure(fault, p.config.name).toBody(), at }
          : { printerId: id, state: 'ready', error: null, at };
      } catch (e) {
        const err = printerFailure(e, p.config.name);
        const state = err.causeCode === 'timeout' || err.causeCode === 'unsupported' ? 'unknown' : 'unreachable';
        return { printerId: id, state, error: state === 'unknown' ? null : err.toBody(), at };
      }
    },
    async testPage(id) {
      const p = await pool.open(id);
      const rendered = await p.backend.render([{ ...SAMPLE_LABEL, printedAt: now().toISOString() }], p.options);
      await pool.send(p, rendered.bytes, true);
      // A Bluetooth or serial link carries a label slower than the printer prints it: say so.
      const slow = slowLinkWarning(p.config.url, rendered.bytes.length);
      return { report: rendered.reports[0]!, warning: slow ? { zh: slow.zh, en: slow.en } : null };
    },
    async preview(s) {
      let rendered;
      try {
        rendered = await renderPng([SAMPLE_LABEL], renderOptionsOf(s));
      } catch (e) {
        throw labelFailure(e);
      }
      const png = rendered.bytes;
      // IHDR: width and height are the first fields after the 8-byte signature and the chunk header.
      const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
      return { png, widthPx: view.getUint32(16), heightPx: view.getUint32(20), report: rendered.reports[0]! };
    },
    async exclusive(id, fn) {
      if (busy.has(id)) throw new StationError('printer_busy');
      busy.add(id);
      try {
        return await fn();
      } finally {
        busy.delete(id);
      }
    },
    async close() {
      for (const id of [...open.keys()]) await drop(id);
    },
  };
  return pool;
}
