/**
 * TSPL / TSPL2 (TSC, Gprinter, Xprinter, iDPRT…): the printers most Chinese factories use for waybills.
 *
 * Per job: SIZE, GAP, DIRECTION, REFERENCE/SHIFT (pinned to 0: calibration is applied to the layout),
 * DENSITY, SPEED once; per label: CLS, the text layer as BITMAP bands, the tracking number as a native
 * `BARCODE "128"` (auto subset) and the QR as a native `QRCODE`, frames and rules as `BAR`s, then
 * `PRINT 1,copies`. Native codes are sharper than any raster and the printer encodes them itself, so a
 * bitmap threshold can never damage a bar. (A QR payload with line breaks, which a TSPL string cannot
 * hold, is drawn as an exact bitmap instead.)
 *
 * BITMAP polarity — written down because getting it wrong prints a solid black label:
 *   In mode 0 (OVERWRITE) a **0 bit prints a black dot and a 1 bit leaves the label white** — the
 *   inverse of ESC/POS raster and ZPL ^GF. This is what TSC's driver output and TSC/Gprinter firmware
 *   expect (see e.g. the TSPL driver notes in farminos/open-escpos-print-service#13: "a 0 bit burns and
 *   a 1 bit leaves the label blank", and BarTender's BITMAP output, which is mostly 0xFF on white).
 *   Our renderer's bitmaps are 1 = black, so every byte is inverted here (`TSPL_BITMAP_BLACK_BIT = 0`);
 *   the row padding bits therefore become 1 = white. tspl.test.ts checks this bit by bit.
 *
 * Strings in TSPL are double-quoted; a `"` inside is written `\["]` (TSPL2 escape).
 */
import type { LabelLayout } from '../../../shared/label/index.ts';
import { placeCode128, placeQr } from '../../../shared/label/index.ts';
import { layoutBackend, type LabelBackend } from '../backend.ts';
import { renderMonochrome } from '../render/index.ts';
import { ByteSink, bandBytes, inkBoxes, ruleRects, textLayer } from './bitmap-bands.ts';

/** In BITMAP mode 0 this bit value prints black. */
export const TSPL_BITMAP_BLACK_BIT = 0;

/** What the TSPL/ZPL/ESC-POS encoders need from RenderOptions (calibration is already in the layout). */
export interface NativeJobOptions {
  dpi: number;
  /** 0 (lightest) … 15 (darkest): TSPL DENSITY scale; ZPL maps it to ~SD 0–30. */
  darkness?: number;
  /** Print speed in inches per second. */
  speed?: number;
  copies?: number;
  /** Gap between labels, mm (TSPL GAP; 0 = continuous media). A per-printer setting, 2 mm by default. */
  gapMm?: number;
  /** 1 = the label's top leaves the printer first, 0 = turned 180° (TSPL DIRECTION, ZPL ^PO). Default 1. */
  direction?: 0 | 1;
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1).replace(/\.0$/, '');
}

/** A TSPL string literal. */
export function tsplString(s: string): string {
  return `"${s.replaceAll('"', '\\["]')}"`;
}

function hasControl(s: string): boolean {
  return [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
}

function clampInt(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(v)));
}

/**
 * Job header: media, direction, origin, darkness, speed. The per-printer calibration offset is already
 * applied to the layout (backend.ts prepareLabel, the same for every format), so REFERENCE pins the
 * origin to 0,0 and SHIFT to 0, overriding whatever a previous job or the printer's utility stored.
 */
export function tsplHeader(layout: LabelLayout, opts: NativeJobOptions): string {
  const lines = [
    `SIZE ${fmt(layout.widthMm)} mm,${fmt(layout.heightMm)} mm`,
    `GAP ${fmt(opts.gapMm ?? 2)} mm,0 mm`,
    `DIRECTION ${opts.direction ?? 1},0`,
    'REFERENCE 0,0',
    'SHIFT 0',
  ];
  if (opts.darkness !== undefined) lines.push(`DENSITY ${clampInt(opts.darkness, 0, 15)}`);
  if (opts.speed !== undefined) lines.push(`SPEED ${fmt(Math.max(1, opts.speed))}`);
  lines.push('SET TEAR ON', '');
  return lines.join('\r\n');
}

/** One label's commands (CLS … PRINT), after the header. */
export function tsplLabel(layout: LabelLayout, opts: NativeJobOptions, sink: ByteSink): void {
  const dpi = opts.dpi;
  // A negative calibration can push an element past the edge: clamp to the printable area.
  const x = (v: number) => Math.max(0, v);
  const y = (v: number) => Math.max(0, v);
  sink.text('CLS\r\n');

  // Text (and filled boxes, which may carry white text) as bitmap bands. They go first: in OVERWRITE
  // mode a band's white dots erase whatever is already under it, so codes and rules come after.
  const text = renderMonochrome(textLayer(layout), { dpi, omitCodes: true });
  for (const band of inkBoxes(text)) {
    sink.text(`BITMAP ${x(band.xByte * 8)},${band.y},${band.widthBytes},${band.height},0,`);
    sink.bytes(bandBytes(text, band, TSPL_BITMAP_BLACK_BIT === 0));
    sink.text('\r\n');
  }

  for (const op of layout.ops) {
    if (op.kind === 'code128') {
      const p = placeCode128(op, dpi);
      // readable=0: the template prints the number itself, in the label font, right below.
      sink.text(
        `BARCODE ${x(p.xDots)},${y(p.yDots)},"128",${p.heightDots},0,0,${p.moduleDots},${p.moduleDots},${tsplString(op.value)}\r\n`,
      );
    } else if (op.kind === 'qr' && hasControl(op.value)) {
      // A TSPL string cannot carry CR/LF (they end the command): such a payload is drawn as an exact
      // bitmap instead of a native QRCODE, so its content is never altered.
      const bits = renderMonochrome({ ...layout, ops: [op] }, { dpi });
      for (const band of inkBoxes(bits)) {
        sink.text(`BITMAP ${x(band.xByte * 8)},${band.y},${band.widthBytes},${band.height},0,`);
        sink.bytes(bandBytes(bits, band, TSPL_BITMAP_BLACK_BIT === 0));
        sink.text('\r\n');
      }
    } else if (op.kind === 'qr') {
      const p = placeQr(op, dpi);
      // ECC M: the same level the layout sized the symbol for; A = automatic encoding; rotation 0.
      sink.text(`QRCODE ${x(p.xDots)},${y(p.yDots)},M,${p.moduleDots},A,0,${tsplString(op.value)}\r\n`);
    }
  }
  // Frames and rules as native filled bars (a few bytes each instead of a page-tall bitmap), last so
  // that no bitmap band drawn in OVERWRITE mode can erase them.
  for (const r of ruleRects(layout, dpi)) sink.text(`BAR ${x(r.x)},${y(r.y)},${r.w},${r.h}\r\n`);
  sink.text(`PRINT 1,${clampInt(opts.copies ?? 1, 1, 999)}\r\n`);
}

/** A whole job: the header once, then every label. */
export function renderTspl(layouts: LabelLayout[], opts: NativeJobOptions): Uint8Array {
  const sink = new ByteSink();
  const first = layouts[0];
  if (!first) return sink.toBytes();
  sink.text(tsplHeader(first, opts));
  let size = `${first.widthMm}x${first.heightMm}`;
  for (const layout of layouts) {
    // A different size mid-job (mixed templates) needs its own SIZE.
    const next = `${layout.widthMm}x${layout.heightMm}`;
    if (next !== size) {
      sink.text(`SIZE ${fmt(layout.widthMm)} mm,${fmt(layout.heightMm)} mm\r\n`);
      size = next;
    }
    tsplLabel(layout, opts, sink);
  }
  return sink.toBytes();
}

export const tsplBackend: LabelBackend = layoutBackend('tspl', 'application/vnd.tspl', 'tspl', renderTspl);
