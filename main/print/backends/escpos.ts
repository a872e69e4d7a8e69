/**
 * ESC/POS (Epson-compatible 80 mm receipt/label printers: Xprinter, Gprinter, HPRT…), built with
 * node-thermal-printer's buffer API (no live connection: the transport sends the bytes).
 *
 * Two modes:
 * - `text` (default): the waybill as printer text — Chinese as GB18030 double-byte text (FS & Chinese
 *   mode; encoded with iconv-lite, the encoder node-thermal-printer itself uses), the tracking number as
 *   a native `GS k` Code128 and the QR as native `GS ( k` commands. Smallest and fastest; the printer's
 *   own font and line layout, not our template's geometry.
 * - `raster`: the whole label exactly as the template draws it, as `GS v 0` raster bands, scaled to the
 *   paper width (a 100 mm label on 72 mm printable width prints at ~146 dpi). Pixel-identical to the
 *   preview; codes are rasters too, with whole-dot modules.
 *
 * What we build ourselves and why: node-thermal-printer's `code128()` always uses code set B and does
 * not escape `{`, and its `printQR()` counts UTF-16 units instead of bytes for non-ASCII data. So Code128
 * (with `{C` for digit runs, like ZPL) and non-ASCII QR are built here, byte-exact; ASCII QR goes through
 * `printQR()`. Characters outside GB18030's 1–2-byte range (emoji, CJK Ext-B such as 𠀾) are printed
 * as □ and reported, since receipt-printer fonts lack them.
 *
 * Printer darkness and speed have no portable ESC/POS command, so those options are ignored here.
 */
import iconv from 'iconv-lite';
import { PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import type { LabelData, LabelLayout } from '../../../shared/label/index.ts';
import {
  assertBarcodesFit,
  CODE128_QUIET_MODULES,
  code128Modules,
  fieldValue,
  goodsCandidates,
  LabelError,
  mmToDots,
  qrModules,
} from '../../../shared/label/index.ts';
import {
  normalizeOptions,
  prepareLabel,
  type LabelBackend,
  type RenderOptions,
  type RenderedLabels,
} from '../backend.ts';
import { renderMonochrome } from '../render/index.ts';
import { ByteSink } from './bitmap-bands.ts';
import type { NativeJobOptions } from './tspl.ts';

export type EscposMode = 'text' | 'raster';

export interface EscposJobOptions extends NativeJobOptions {
  mode?: EscposMode;
  /** Printable width in dots: 576 for 80 mm paper (default), 384 for 58 mm. */
  paperWidthDots?: number;
  /** Full cut after each label (default true). */
  cut?: boolean;
  /**
   * Calibration for text mode (GS L left margin / ESC J feed; positive only). Raster mode does not use
   * it: its layout already carries the offset, like every other format.
   */
  offsetMm?: { x: number; y: number };
}

export interface EscposLabelInput {
  data: LabelData;
  layout: LabelLayout;
}

export interface EscposResult {
  bytes: Uint8Array;
  /** Characters replaced by □ in text mode (not in the printer's GB18030 double-byte range). */
  missingGlyphs: string[];
  /** The same, per input label. */
  perLabelMissing: string[][];
}

const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;
/** Font A: 12 × 24 dots; a GB18030 double-byte character is 24 dots wide. */
const HALF_WIDTH_DOTS = 12;
/** A receipt has room, but a 30-item order should not print a metre of paper. */
const GOODS_MAX_LINES = 6;
/** Rows per `GS v 0` band: small enough for the receive buffers of cheap printers. */
const RASTER_BAND_ROWS = 128;

/** Display width in Font A columns: CJK and other double-byte characters take two. */
function columns(ch: string): number {
  return ch.codePointAt(0)! < 0x80 ? 1 : 2;
}

/** Greedy wrap by display columns; breaks at spaces for Latin text, anywhere for CJK. */
export function wrapColumns(text: string, maxCols: number): string[] {
  const lines: string[] = [];
  let line = '';
  let width = 0;
  for (const ch of text) {
    const w = columns(ch);
    if (width + w > maxCols && line) {
      const space = line.lastIndexOf(' ');
      if (ch !== ' ' && space > 0 && /^[\x21-\x7e]$/.test(ch) && line.length - space < 16) {
        lines.push(line.slice(0, space));
        line = line.slice(space + 1);
        width = [...line].reduce((n, c) => n + columns(c), 0);
      } else {
        lines.push(line);
        line = '';
        width = 0;
      }
      if (ch === ' ') continue;
    }
    line += ch;
    width += w;
  }
  if (line) lines.push(line);
  return lines;
}

/** GB18030 bytes of `text`; characters that need GB18030's 4-byte form become □ and are collected. */
export function encodeGb18030(text: string, missing: Set<string>): Buffer {
  let safe = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x20 && ch !== '\n') {
      safe += ' ';
      continue;
    }
    if (cp >= 0x80 && iconv.encode(ch, 'gb18030').length !== 2) {
      missing.add(ch);
      safe += '□';
    } else safe += ch;
  }
  return iconv.encode(safe, 'gb18030');
}

/**
 * `GS k 73 n {B…` / `{C…`: Code128 with code set C for runs of ≥ 4 digits (pairs sent as byte values
 * 0–99) and B for the rest; a literal `{` is sent as `{{`.
 */
export function escposCode128Data(value: string): Uint8Array {
  const out: number[] = [];
  let set: 'B' | 'C' | null = null;
  const use = (next: 'B' | 'C') => {
    if (set === next) return;
    out.push(0x7b, next === 'B' ? 0x42 : 0x43);
    set = next;
  };
  const digit = (i: number) => {
    const c = value.charCodeAt(i);
    return c >= 48 && c <= 57;
  };
  let i = 0;
  while (i < value.length) {
    let run = 0;
    while (i + run < value.length && digit(i + run)) run++;
    if (run >= 4 || (i === 0 && run === value.length && run >= 2)) {
      if (run % 2 === 1) {
        use('B');
        out.push(value.charCodeAt(i));
        i++;
        run--;
      }
      use('C');
      for (let k = 0; k < run; k += 2) out.push(Number(value.slice(i + k, i + k + 2)));
      i += run;
    } else {
      use('B');
      const c = value.charCodeAt(i);
      if (c === 0x7b) out.push(0x7b, 0x7b);
      else out.push(c);
      i++;
    }
  }
  return Uint8Array.from(out);
}

function code128Command(value: string, moduleDots: number, heightDots: number): Buffer {
  const data = escposCode128Data(value);
  if (data.length > 255) throw new Error('Code128 data too long for GS k');
  return Buffer.concat([
    Buffer.from([GS, 0x48, 2]), // HRI below the bars
    Buffer.from([GS, 0x66, 0]), // HRI font A
    Buffer.from([GS, 0x77, moduleDots]), // module width
    Buffer.from([GS, 0x68, heightDots]), // bar height
    Buffer.from([GS, 0x6b, 73, data.length]),
    Buffer.from(data),
  ]);
}

/** `GS ( k` QR: model 2, module size, ECC M, store (byte count of the UTF-8 data), print. */
export function qrCommand(value: string, cell: number): Buffer {
  const data = Buffer.from(value, 'utf8');
  const len = data.length + 3;
  return Buffer.concat([
    Buffer.from([GS, 0x28, 0x6b, 4, 0, 0x31, 0x41, 0x32, 0]),
    Buffer.from([GS, 0x28, 0x6b, 3, 0, 0x31, 0x43, cell]),
    Buffer.from([GS, 0x28, 0x6b, 3, 0, 0x31, 0x45, 0x31]),
    Buffer.from([GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30]),
    data,
    Buffer.from([GS, 0x28, 0x6b, 3, 0, 0x31, 0x51, 0x30]),
  ]);
}

function newPrinter(columns = 48): ThermalPrinter {
  // No interface: we only use the buffer. (The typings ask for one; the runtime does not.)
  return new ThermalPrinter({ type: PrinterTypes.EPSON, interface: '', width: columns });
}

function calibration(p: ThermalPrinter, opts: EscposJobOptions, dpi: number): void {
  const dx = Math.max(0, mmToDots(opts.offsetMm?.x ?? 0, dpi));
  const dy = Math.max(0, mmToDots(opts.offsetMm?.y ?? 0, dpi));
  if (dx > 0) p.add(Buffer.from([GS, 0x4c, dx & 0xff, dx >> 8])); // GS L left margin
  if (dy > 0) p.add(Buffer.from([ESC, 0x4a, Math.min(255, dy)])); // ESC J feed n dots
}

/** The largest character magnification (1–4) at which `text` fits on one line. */
function fitMagnification(text: string, paperDots: number, max: number): number {
  const cols = [...text].reduce((n, c) => n + columns(c), 0);
  for (let m = max; m > 1; m--) if (cols * HALF_WIDTH_DOTS * m <= paperDots) return m;
  return 1;
}

function textLabel(data: LabelData, opts: EscposJobOptions, missing: Set<string>): Buffer {
  const paperDots = opts.paperWidthDots ?? 576;
  const cols = Math.floor(paperDots / HALF_WIDTH_DOTS);
  const p = newPrinter(cols);
  const text = (s: string) => p.add(encodeGb18030(s, missing));
  const lines = (s: string, indent = '') => {
    for (const l of wrapColumns(s, cols - indent.length)) {
      text(indent + l);
      p.newLine();
    }
  };
  const big = (s: string, max: number) => {
    if (!s) return;
    const m = fitMagnification(s, paperDots, max);
    p.setTextSize(m - 1, m - 1);
    lines(s);
    p.setTextNormal();
  };

  p.add(Buffer.from([ESC, 0x40])); // initialise
  p.add(Buffer.from([FS, 0x26])); // Chinese (double-byte) character mode: GB18030 text
  calibration(p, opts, 203);
  p.alignCenter();
  p.bold(true);
  big(fieldValue(data, 'courierName'), 2);
  big(fieldValue(data, 'routingCode'), 4);
  big(fieldValue(data, 'bigPen'), 2);
  p.bold(false);
  const hub = [fieldValue(data, 'packageCenter.name'), fieldValue(data, 'packageCenter.code')].filter(Boolean);
  if (hub.length > 0) {
    p.bold(true);
    lines(`集 ${hub.join(' ')}`);
    p.bold(false);
  }

  // The main barcode, then the same number small in the lower part, as on the label templates.
  const moduleDots = escposModuleDots(data.waybillNo, paperDots);
  p.add(code128Command(data.waybillNo, moduleDots, 96));
  p.newLine();

  p.alignLeft();
  p.drawLine();
  p.bold(true);
  lines(`收 ${fieldValue(data, 'receiver.name')}  ${fieldValue(data, 'receiver.phone')}`);
  p.bold(false);
  lines(fieldValue(data, 'receiver.address'), '   ');
  p.drawLine();
  lines(`寄 ${fieldValue(data, 'sender.name')}  ${fieldValue(data, 'sender.phone')}`);
  lines(fieldValue(data, 'sender.address'), '   ');
  p.drawLine();
  // Goods: the fullest summary that fits GOODS_MAX_LINES, else "first items … 等N件" (the layout's rule).
  const goods = goodsCandidates(data.items).map((g) => `物品：${g}`);
  lines(goods.find((g) => wrapColumns(g, cols).length <= GOODS_MAX_LINES) ?? goods[goods.length - 1] ?? '');
  const remark = fieldValue(data, 'remark');
  if (remark) lines(`备注：${remark}`);
  p.alignCenter();
  p.add(code128Command(data.waybillNo, moduleDots, 56));
  p.newLine();
  p.alignLeft();
  p.bold(true);
  lines(`已验视    件数：${fieldValue(data, 'pieces')}`);
  p.bold(false);
  lines(`打印时间：${fieldValue(data, 'printedAt')}`);
  lines(`订单号：${fieldValue(data, 'orderSn')}`);
  p.alignCenter();
  const qrMods = qrModules(data.qrPayload);
  const cell = Math.max(1, Math.min(8, Math.floor(Math.min(paperDots, 240) / (qrMods + 8))));
  if (Buffer.byteLength(data.qrPayload) === data.qrPayload.length) {
    p.printQR(data.qrPayload, { cellSize: cell, correction: 'M', model: 2 });
  } else {
    p.add(qrCommand(data.qrPayload, cell));
  }
  p.newLine();
  p.alignLeft();
  if (opts.cut ?? true) p.cut();
  return p.getBuffer();
}

/**
 * The module width of a text-mode barcode: the widest that fits the paper with quiet zones, at most 6.
 * Under 2 dots a receipt printer's barcode does not scan, so such a number is refused (printers encode
 * by themselves; our estimate of the symbol is the same rule as theirs).
 */
export function escposModuleDots(waybillNo: string, paperDots: number): number {
  const modules = code128Modules(waybillNo);
  const moduleDots = Math.min(6, Math.floor(paperDots / (modules + 2 * CODE128_QUIET_MODULES)));
  if (moduleDots < 2) {
    throw new LabelError(
      'BARCODE_TOO_LONG',
      `运单号 ${waybillNo}（${waybillNo.length} 位）在 ${paperDots} 点宽的纸上放不下能扫描的条码（最窄条需至少 2 点）`,
      `Tracking number ${waybillNo} (${waybillNo.length} characters) does not fit a scannable barcode on ${paperDots}-dot paper (bars need at least 2 dots)`,
    );
  }
  return moduleDots;
}

/** The dpi at which a label of `widthMm` fills `paperDots` (never above the printer's 203). */
export function rasterDpi(widthMm: number, paperDots: number): number {
  return Math.min(203, Math.floor((paperDots * 25.4) / widthMm));
}

function rasterLabel(layout: LabelLayout, opts: EscposJobOptions): Buffer {
  const paperDots = opts.paperWidthDots ?? 576;
  const dpi = rasterDpi(layout.widthMm, paperDots);
  // The label is scaled to the paper: its barcodes must keep whole-dot modules of 2 dots there too.
  assertBarcodesFit(layout, dpi);
  const bits = renderMonochrome(layout, { dpi });
  const p = newPrinter();
  p.add(Buffer.from([ESC, 0x40]));
  const sink = new ByteSink();
  // GS v 0 polarity is 1 = print, the same as our renderer: rows go out unchanged.
  for (let y = 0; y < bits.heightDots; y += RASTER_BAND_ROWS) {
    const h = Math.min(RASTER_BAND_ROWS, bits.heightDots - y);
    const xBytes = bits.bytesPerRow;
    sink.bytes(Uint8Array.of(GS, 0x76, 0x30, 0, xBytes & 0xff, xBytes >> 8, h & 0xff, h >> 8));
    sink.bytes(bits.rows.subarray(y * xBytes, (y + h) * xBytes));
  }
  p.add(Buffer.from(sink.toBytes()));
  if (opts.cut ?? true) p.cut();
  return p.getBuffer();
}

export function renderEscpos(labels: EscposLabelInput[], opts: EscposJobOptions): EscposResult {
  const all = new Set<string>();
  const perLabel: string[][] = [];
  const sink = new ByteSink();
  const copies = Math.max(1, Math.round(opts.copies ?? 1));
  const raster = (opts.mode ?? 'text') === 'raster';
  for (const { data, layout } of labels) {
    // Raster prints our font (its gaps are the layout's); text mode prints the printer's GB18030 font.
    const missing = new Set<string>(raster ? layout.missingGlyphs : []);
    const one = raster ? rasterLabel(layout, opts) : textLabel(data, opts, missing);
    for (let c = 0; c < copies; c++) sink.bytes(one);
    perLabel.push([...missing]);
    for (const ch of missing) all.add(ch);
  }
  return { bytes: sink.toBytes(), missingGlyphs: [...all], perLabelMissing: perLabel };
}

function escposBackendFor(mode: EscposMode, paperWidthDots = 576): LabelBackend {
  return {
    format: 'escpos',
    mimeType: 'application/vnd.escpos',
    fileExtension: 'escpos',
    async render(labels: readonly LabelData[], options: RenderOptions): Promise<RenderedLabels> {
      const o = normalizeOptions(options);
      const prepared = labels.map((d) => ({ data: d, ...prepareLabel(d, o) }));
      const result = renderEscpos(
        prepared.map((p) => ({ data: p.data, layout: p.layout })),
        { dpi: o.dpi, copies: o.copies, mode, paperWidthDots, offsetMm: o.offsetMm },
      );
      return {
        bytes: result.bytes,
        mimeType: 'application/vnd.escpos',
        reports: prepared.map((p, i) => ({
          ...p.report,
          // Text mode: what the printer's font cannot show; raster: what our font cannot show.
          missingGlyphs: result.perLabelMissing[i] ?? [],
        })),
      };
    },
  };
}

/** ESC/POS text mode: GB18030 text, native Code128 and QR (the default for ESC/POS printers). */
export const escposBackend: LabelBackend = escposBackendFor('text');
/** ESC/POS raster mode: the template drawn exactly, as GS v 0 bands on 80 mm (576-dot) paper. */
export const escposRasterBackend: LabelBackend = escposBackendFor('raster');
/** For 58 mm printers or other widths. */
export function createEscposBackend(mode: EscposMode, paperWidthDots: number): LabelBackend {
  return escposBackendFor(mode, paperWidthDots);
}
