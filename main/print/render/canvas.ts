/**
 * Raster renderers of a LabelLayout with @napi-rs/canvas (Skia, prebuilt binaries from npm):
 *  - renderPreviewPng: the label as the printer will print it, barcodes included (grey-scale PNG preview);
 *  - renderMonochrome: a 1-bit packed bitmap for thermal printers, normally WITHOUT the codes,
 *    which the TSPL/ZPL/ESC-POS backends draw with native printer commands at the layout's positions.
 *
 * Bitmap convention (document polarity): bit = 1 means BLACK (a dot to burn). Rows are top to bottom,
 * bytesPerRow = ceil(widthDots / 8), the leftmost dot of each byte is its most significant bit, and
 * padding bits at the end of a row are 0. Each printer backend converts to its own polarity
 * (TSPL BITMAP wants 0 = black, ZPL ^GF and ESC/POS raster want 1 = black).
 */
import { createCanvas } from '@napi-rs/canvas';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { Code128Op, LabelLayout, QrOp, TextOp } from '../../../shared/label/index.ts';
import { dotsPerMm, mmToDots, placeCode128, placeQr, PT_MM, strokeDots } from '../../../shared/label/index.ts';
import { code128Pattern, qrMatrix, qrRuns } from './barcodes.ts';
import { faceRuns, waybillFonts } from './font.ts';
import { blitText, setRun } from './glyphs.ts';
import { ensureCanvasFonts, ensureFaceRegistered } from './skia-fonts.ts';

export { FAMILY_BOLD, FAMILY_REGULAR } from './font.ts';
export { ensureCanvasFonts } from './skia-fonts.ts';

export interface RasterOptions {
  dpi: number;
  /** Leave Code128 and QR out (the printer draws them natively). */
  omitCodes?: boolean;
}

export interface MonoBitmap {
  widthDots: number;
  heightDots: number;
  bytesPerRow: number;
  /** heightDots × bytesPerRow bytes, 1 = black, MSB = leftmost dot. */
  rows: Uint8Array;
  missingGlyphs: string[];
  truncatedFields: string[];
}

export function labelSizeDots(layout: LabelLayout, dpi: number): { widthDots: number; heightDots: number } {
  return { widthDots: mmToDots(layout.widthMm, dpi), heightDots: mmToDots(layout.heightMm, dpi) };
}

/** Draws the text lines of `op`, each run in the face that has its characters (fallbacks included). */
function drawText(ctx: SKRSContext2D, op: TextOp, dpi: number, color: string): void {
  const s = dotsPerMm(dpi);
  const px = op.sizePt * PT_MM * s;
  const { measure } = waybillFonts();
  ctx.fillStyle = color;
  ctx.textBaseline = 'alphabetic';
  for (const line of op.lines) {
    let x = line.x * s;
    const right = (op.x + op.w) * s;
    for (const run of faceRuns(line.text, op.bold)) {
      ensureFaceRegistered(run.face);
      ctx.font = `${px.toFixed(2)}px ${run.face.family}`;
      // maxWidth guards against a sub-pixel difference between our measure and Skia's shaping:
      // text may be squeezed by a hair, never drawn past its box.
      ctx.fillText(run.text, x, line.baseline * s, Math.max(1, right - x));
      x += measure.width(run.text, op.sizePt, op.bold) * PT_MM * s;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 1-bit bitmap

class Bits {
  readonly width: number;
  readonly height: number;
  readonly bytesPerRow: number;
  readonly rows: Uint8Array;
  constructor(width: number, height: number) {
    this.width = width;
    this.height = height;
    this.bytesPerRow = Math.ceil(width / 8);
    this.rows = new Uint8Array(this.bytesPerRow * height);
  }
  /** Sets (black) or clears a rectangle of dots, clipped to the bitmap. */
  fill(x0: number, y0: number, w: number, h: number, black = true): void {
    const x1 = Math.min(this.width, x0 + w);
    const y1 = Math.min(this.height, y0 + h);
    x0 = Math.max(0, x0);
    y0 = Math.max(0, y0);
    if (x1 <= x0 || y1 <= y0) return;
    for (let y = y0; y < y1; y++) setRun(this.rows, y * this.bytesPerRow, x0, x1, black);
  }
}

/** One scratch canvas per size, reused: creating a Skia surface per label costs more than drawing it. */
const scratch = new Map<string, { canvas: Canvas; ctx: SKRSContext2D }>();
function scratchCanvas(w: number, h: number): { canvas: Canvas; ctx: SKRSContext2D } {
  const key = `${w}x${h}`;
  let s = scratch.get(key);
  if (!s) {
    const canvas = createCanvas(w, h);
    s = { canvas, ctx: canvas.getContext('2d') };
    scratch.set(key, s);
  }
  return s;
}

export function renderMonochrome(layout: LabelLayout, opts: RasterOptions): MonoBitmap {
  ensureCanvasFonts();
  const { dpi } = opts;
  const { widthDots, heightDots } = labelSizeDots(layout, dpi);
  const bits = new Bits(widthDots, heightDots);
  const s = dotsPerMm(dpi);

  // Rules and boxes go straight into the bitmap, snapped to whole dots.
  for (const op of layout.ops) {
    if (op.kind === 'rect') {
      const x = Math.round(op.x * s);
      const y = Math.round(op.y * s);
      const w = Math.round(op.w * s);
      const h = Math.round(op.h * s);
      if (op.fill) bits.fill(x, y, w, h);
      else {
        const t = strokeDots(op.strokeMm, dpi);
        bits.fill(x, y, w, t);
        bits.fill(x, y + h - t, w, t);
        bits.fill(x, y, t, h);
        bits.fill(x + w - t, y, t, h);
      }
    } else if (op.kind === 'line') {
      const t = strokeDots(op.strokeMm, dpi);
      const x1 = Math.round(Math.min(op.x1, op.x2) * s);
      const y1 = Math.round(Math.min(op.y1, op.y2) * s);
      const x2 = Math.round(Math.max(op.x1, op.x2) * s);
      const y2 = Math.round(Math.max(op.y1, op.y2) * s);
      // Templates use horizontal and vertical rules only; a slanted one is drawn as its bounding strip.
      if (y1 === y2) bits.fill(x1, y1 - (t >> 1), x2 - x1, t);
      else bits.fill(x1 - (t >> 1), y1, Math.max(t, x2 - x1), y2 - y1);
    } else if (op.kind === 'code128' && !opts.omitCodes) {
      drawCode128Bits(bits, op, dpi);
    } else if (op.kind === 'qr' && !opts.omitCodes) {
      drawQrBits(bits, op, dpi);
    }
  }

  // Text from the glyph cache (see glyphs.ts): the same advances the layout measured with.
  for (const op of layout.ops) {
    if (op.kind !== 'text') continue;
    blitText(bits.rows, bits.bytesPerRow, widthDots, heightDots, op, dpi);
  }

  return {
    widthDots,
    heightDots,
    bytesPerRow: bits.bytesPerRow,
    rows: bits.rows,
    missingGlyphs: layout.missingGlyphs,
    truncatedFields: layout.truncatedFields,
  };
}

function drawCode128Bits(bits: Bits, op: Code128Op, dpi: number): void {
  const pattern = code128Pattern(op.value);
  const p = placeCode128(op, dpi, pattern.modules);
  for (const [start, width] of pattern.bars) {
    bits.fill(p.xDots + start * p.moduleDots, p.yDots, width * p.moduleDots, p.heightDots);
  }
}

function drawQrBits(bits: Bits, op: QrOp, dpi: number): void {
  const m = qrMatrix(op.value);
  const p = placeQr(op, dpi, m.size);
  for (const [x, y, len] of qrRuns(m)) {
    bits.fill(p.xDots + x * p.moduleDots, p.yDots + y * p.moduleDots, len * p.moduleDots, p.moduleDots);
  }
}

// ---------------------------------------------------------------------------------------------
// PNG preview

export interface PreviewPng {
  png: Buffer;
  widthPx: number;
  heightPx: number;
  missingGlyphs: string[];
  truncatedFields: string[];
}

/** Draws the whole label, codes included, on a fresh white canvas (codes as whole-dot module rectangles). */
export function drawLabel(ctx: SKRSContext2D, layout: LabelLayout, opts: RasterOptions): void {
  const { dpi } = opts;
  const s = dotsPerMm(dpi);
  const { widthDots, heightDots } = labelSizeDots(layout, dpi);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, widthDots, heightDots);
  ctx.fillStyle = '#000';
  for (const op of layout.ops) {
    switch (op.kind) {
      case 'rect': {
        const x = Math.round(op.x * s);
        const y = Math.round(op.y * s);
        const w = Math.round(op.w * s);
        const h = Math.round(op.h * s);
        ctx.fillStyle = '#000';
        if (op.fill) ctx.fillRect(x, y, w, h);
        else {
          const t = strokeDots(op.strokeMm, dpi);
          ctx.fillRect(x, y, w, t);
          ctx.fillRect(x, y + h - t, w, t);
          ctx.fillRect(x, y, t, h);
          ctx.fillRect(x + w - t, y, t, h);
        }
        break;
      }
      case 'line': {
        const t = strokeDots(op.strokeMm, dpi);
        ctx.fillStyle = '#000';
        const x1 = Math.round(Math.min(op.x1, op.x2) * s);
        const y1 = Math.round(Math.min(op.y1, op.y2) * s);
        const x2 = Math.round(Math.max(op.x1, op.x2) * s);
        const y2 = Math.round(Math.max(op.y1, op.y2) * s);
        if (y1 === y2) ctx.fillRect(x1, y1 - (t >> 1), x2 - x1, t);
        else ctx.fillRect(x1 - (t >> 1), y1, Math.max(t, x2 - x1), y2 - y1);
        break;
      }
      case 'text':
        drawText(ctx, op, dpi, op.inverse ? '#fff' : '#000');
        break;
      case 'code128': {
        if (opts.omitCodes) break;
        const pattern = code128Pattern(op.value);
        const p = placeCode128(op, dpi, pattern.modules);
        ctx.fillStyle = '#000';
        for (const [start, width] of pattern.bars) {
          ctx.fillRect(p.xDots + start * p.moduleDots, p.yDots, width * p.moduleDots, p.heightDots);
        }
        break;
      }
      case 'qr': {
        if (opts.omitCodes) break;
        const m = qrMatrix(op.value);
        const p = placeQr(op, dpi, m.size);
        ctx.fillStyle = '#000';
        for (const [x, y, len] of qrRuns(m)) {
          ctx.fillRect(p.xDots + x * p.moduleDots, p.yDots + y * p.moduleDots, len * p.moduleDots, p.moduleDots);
        }
        break;
      }
    }
  }
}

export function renderPreviewPng(layout: LabelLayout, opts: RasterOptions): PreviewPng {
  ensureCanvasFonts();
  const { widthDots, heightDots } = labelSizeDots(layout, opts.dpi);
  const { canvas, ctx } = scratchCanvas(widthDots, heightDots);
  drawLabel(ctx, layout, opts);
  // The scratch canvas is larger only if reused for the same size: encode exactly the label.
  const png = canvas.encodeSync('png');
  return {
    png,
    widthPx: widthDots,
    heightPx: heightDots,
    missingGlyphs: layout.missingGlyphs,
    truncatedFields: layout.truncatedFields,
  };
}
