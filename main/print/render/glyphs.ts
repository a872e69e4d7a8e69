/**
 * 1-bit text for the thermal bitmap, drawn from a glyph cache.
 *
 * Reading pixels back from Skia costs ~6 ns per pixel plus the whole surface on a large canvas,
 * so rasterising each label's text through a canvas costs ~20 ms. Instead each (face, size, code point)
 * is rasterised ONCE on a small canvas, thresholded and kept as a 1-bit mask; a label is then
 * composed by copying masks at pen positions computed from the same font advances the layout
 * measured with, so text lands exactly where the layout fitted it.
 */
import { createCanvas } from '@napi-rs/canvas';
import type { Canvas, SKRSContext2D } from '@napi-rs/canvas';
import type { TextOp } from '../../../shared/label/index.ts';
import { dotsPerMm, PT_MM } from '../../../shared/label/index.ts';
import { ensureFaceRegistered } from './skia-fonts.ts';
import { waybillFonts } from './font.ts';
import type { LoadedFace } from './font.ts';

export interface GlyphMask {
  /** Offset of the mask's top-left from the pen position on the baseline, dots. */
  left: number;
  top: number;
  w: number;
  h: number;
  /** Horizontal ink runs as (y, x, length) triples relative to (left, top); empty for blank glyphs. */
  runs: Int16Array;
  /** Horizontal advance in dots (fractional). */
  advance: number;
}

/**
 * How an anti-aliased glyph becomes 1-bit dots. `threshold`: a dot is ink when its grey (0 = black,
 * 255 = white) is below it. `thinStrokes`: a dot that is not dark enough is ink all the same when it is
 * the darkest across a stroke (a minimum of its row or column neighbours, greyer than `thinStrokes`),
 * so a hairline that falls between two dot rows keeps one dot instead of vanishing — the horizontal
 * strokes of 套 at 7 pt, which a plain threshold drops (it then reads 仐).
 */
export interface GlyphStyle {
  threshold: number;
  thinStrokes: number | null;
  /** Draw each glyph at the nearest whole pixel size (stems then fall on the dot grid more often). */
  wholePixelSize?: boolean;
}

/** What reads best by OCR at 7–8 pt and 203 dpi (test/bench/glyphs.bench.ts, figures in ARCHITECTURE.md). */
export const GLYPH_STYLE: GlyphStyle = { threshold: 160, thinStrokes: null, wholePixelSize: true };
/** Bounded so a long-running station with many sizes cannot grow without limit (~60 MB worst case). */
const MAX_CACHED_GLYPHS = 60_000;

/** Per (style, weight, size) — one key string per text op, not per glyph — the masks by code point. */
const cache = new Map<string, Map<number, GlyphMask>>();
let cachedGlyphs = 0;
const canvases = new Map<number, { canvas: Canvas; ctx: SKRSContext2D }>();

function glyphCanvas(side: number): SKRSContext2D {
  // Buckets of 16 px, so a handful of small canvases serve every size.
  const bucket = Math.ceil(side / 16) * 16;
  let c = canvases.get(bucket);
  if (!c) {
    const canvas = createCanvas(bucket, bucket);
    c = { canvas, ctx: canvas.getContext('2d') };
    canvases.set(bucket, c);
  }
  return c.ctx;
}

/** U+25A1 □, the missing-glyph placeholder. */
const PLACEHOLDER_CP = 0x25a1;

/**
 * The placeholder drawn as a box with strokes of at least one whole dot: the font's hairline □
 * falls apart under a 1-bit threshold at small sizes, and a placeholder must never vanish.
 */
function placeholderMask(advance: number, sizePx: number): GlyphMask {
  const stroke = Math.max(1, Math.round(sizePx * 0.08));
  const side = Math.max(3 * stroke, Math.round(sizePx * 0.78));
  const left = Math.round((advance - side) / 2);
  const top = -Math.round(sizePx * 0.8);
  const runs: number[] = [];
  for (let y = 0; y < side; y++) {
    if (y < stroke || y >= side - stroke) runs.push(y, 0, side);
    else runs.push(y, 0, stroke, y, side - stroke, stroke);
  }
  return { left, top, w: side, h: side, runs: Int16Array.from(runs), advance };
}

function rasterise(face: LoadedFace, sizePx: number, cp: number, style: GlyphStyle): GlyphMask {
  const advance = (face.font.glyphForCodePoint(cp).advanceWidth * sizePx) / face.font.unitsPerEm;
  if (cp === PLACEHOLDER_CP) return placeholderMask(advance, sizePx);
  // Room for overhangs: glyphs may extend a little left of the pen and below the descender.
  const pad = Math.ceil(sizePx * 0.25) + 2;
  const side = Math.ceil(sizePx * 1.5) + 2 * pad;
  const ctx = glyphCanvas(side);
  const baseline = pad + Math.ceil(sizePx * 1.1);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, side, side);
  ctx.fillStyle = '#000';
  ensureFaceRegistered(face);
  ctx.font = `${(style.wholePixelSize ? Math.round(sizePx) : sizePx).toFixed(2)}px ${face.family}`;
  ctx.textBaseline = 'alphabetic';
  ctx.fillText(String.fromCodePoint(cp), pad, baseline);
  const ink = inkMask(ctx.getImageData(0, 0, side, side).data, side, style);
  let x0 = side;
  let y0 = side;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (ink[y * side + x]) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  if (x1 < 0) return { left: 0, top: 0, w: 0, h: 0, runs: new Int16Array(0), advance };
  const w = x1 - x0 + 1;
  const h = y1 - y0 + 1;
  const runs: number[] = [];
  for (let y = 0; y < h; y++) {
    let x = 0;
    while (x < w) {
      if (!ink[(y0 + y) * side + x0 + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < w && ink[(y0 + y) * side + x0 + x]) x++;
      runs.push(y, start, x - start);
    }
  }
  return { left: x0 - pad, top: y0 - baseline, w, h, runs: Int16Array.from(runs), advance };
}

/** 1 = ink, per dot of a side×side RGBA image, by `style`. */
function inkMask(rgba: Uint8ClampedArray, side: number, style: GlyphStyle): Uint8Array {
  const n = side * side;
  const grey = new Uint8Array(n);
  for (let i = 0; i < n; i++) grey[i] = rgba[i * 4]!;
  const ink = new Uint8Array(n);
  const t = style.threshold;
  const thin = style.thinStrokes;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = y * side + x;
      const v = grey[i]!;
      if (v < t) ink[i] = 1;
      else if (thin !== null && v < thin && x > 0 && y > 0 && x < side - 1 && y < side - 1) {
        // The darkest dot across a horizontal stroke (vs. above and below) or a vertical one (left, right).
        const acrossH = v <= grey[i - side]! && v <= grey[i + side]! && (v < grey[i - side]! || v < grey[i + side]!);
        const acrossV = v <= grey[i - 1]! && v <= grey[i + 1]! && (v < grey[i - 1]! || v < grey[i + 1]!);
        if (acrossH || acrossV) ink[i] = 1;
      }
    }
  }
  return ink;
}

function styleKey(style: GlyphStyle): string {
  return style === GLYPH_STYLE
    ? ''
    : `${style.threshold}/${style.thinStrokes ?? '-'}/${style.wholePixelSize ? 'w' : ''}|`;
}

function glyphsOf(bold: boolean, sizePx: number, style: GlyphStyle): Map<number, GlyphMask> {
  const key = `${styleKey(style)}${bold ? 'b' : 'r'}${sizePx.toFixed(2)}`;
  let m = cache.get(key);
  if (!m) {
    m = new Map();
    cache.set(key, m);
  }
  return m;
}

function maskIn(
  glyphs: Map<number, GlyphMask>,
  bold: boolean,
  sizePx: number,
  cp: number,
  style: GlyphStyle,
): GlyphMask {
  let g = glyphs.get(cp);
  if (!g) {
    if (cachedGlyphs >= MAX_CACHED_GLYPHS) {
      cache.clear();
      cachedGlyphs = 0;
      glyphs.clear();
    }
    const fonts = waybillFonts();
    g = rasterise(fonts.faceFor(cp, bold) ?? (bold ? fonts.bold : fonts.regular), sizePx, cp, style);
    glyphs.set(cp, g);
    cachedGlyphs++;
  }
  return g;
}

export function glyphMask(bold: boolean, sizePx: number, cp: number, style: GlyphStyle = GLYPH_STYLE): GlyphMask {
  return maskIn(glyphsOf(bold, sizePx, style), bold, sizePx, cp, style);
}

/** Sets (black) or clears dots [x0, x1) of one bitmap row with byte masks (x0 < x1). */
export function setRun(rows: Uint8Array, rowStart: number, x0: number, x1: number, black: boolean): void {
  const b0 = rowStart + (x0 >> 3);
  const b1 = rowStart + ((x1 - 1) >> 3);
  const first = 0xff >> (x0 & 7); // dots from x0 to the end of its byte
  const last = (0xff00 >> (((x1 - 1) & 7) + 1)) & 0xff; // dots from the start of the byte to x1 - 1
  if (b0 === b1) {
    const m = first & last;
    if (black) rows[b0]! |= m;
    else rows[b0]! &= ~m;
    return;
  }
  if (black) {
    rows[b0]! |= first;
    rows[b1]! |= last;
    for (let b = b0 + 1; b < b1; b++) rows[b] = 0xff;
  } else {
    rows[b0]! &= ~first;
    rows[b1]! &= ~last;
    for (let b = b0 + 1; b < b1; b++) rows[b] = 0;
  }
}

/**
 * ORs (or, for inverse text, clears) the op's glyphs into a packed 1-bit bitmap (1 = black, MSB first).
 * Pen positions accumulate fractional advances and are rounded per glyph.
 */
export function blitText(
  rows: Uint8Array,
  bytesPerRow: number,
  widthDots: number,
  heightDots: number,
  op: TextOp,
  dpi: number,
  style: GlyphStyle = GLYPH_STYLE,
): void {
  const s = dotsPerMm(dpi);
  const sizePx = op.sizePt * PT_MM * dotsPerMm(dpi);
  const black = !op.inverse;
  const glyphs = glyphsOf(op.bold, sizePx, style);
  for (const line of op.lines) {
    let pen = line.x * s;
    const baseline = Math.round(line.baseline * s);
    const text = line.text;
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      const g = maskIn(glyphs, op.bold, sizePx, cp, style);
      const gx = Math.round(pen) + g.left;
      const gy = baseline + g.top;
      pen += g.advance;
      const runs = g.runs;
      for (let r = 0; r < runs.length; r += 3) {
        const Y = gy + runs[r]!;
        if (Y < 0 || Y >= heightDots) continue;
        const xa = Math.max(0, gx + runs[r + 1]!);
        const xb = Math.min(widthDots, gx + runs[r + 1]! + runs[r + 2]!);
        if (xb > xa) setRun(rows, Y * bytesPerRow, xa, xb, black);
      }
    }
  }
}
