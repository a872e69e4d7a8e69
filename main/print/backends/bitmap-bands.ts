/**
 * Splits a 1-bit label bitmap into the horizontal bands that contain ink, each cropped to its inked
 * byte columns. TSPL and ZPL send one bitmap command per band instead of the whole page: a waybill is
 * mostly white, so this cuts the bytes on the wire (and the printer's parse time) several-fold.
 */
import type { LabelLayout } from '../../../shared/label/index.ts';
import { dotsPerMm, strokeDots } from '../../../shared/label/index.ts';

export interface PackedBits {
  widthDots: number;
  heightDots: number;
  bytesPerRow: number;
  /** 1 = black, MSB = leftmost dot. */
  rows: Uint8Array;
}

export interface Band {
  /** Left edge in bytes (x in dots = xByte * 8). */
  xByte: number;
  y: number;
  widthBytes: number;
  height: number;
}

/**
 * The part of a layout that travels as a bitmap: text, plus filled boxes (white text may sit on them).
 * Outlined boxes and rules are sent as native bars (see `ruleRects`), codes as native barcode commands.
 */
export function textLayer(layout: LabelLayout): LabelLayout {
  return { ...layout, ops: layout.ops.filter((op) => op.kind === 'text' || (op.kind === 'rect' && op.fill)) };
}

export interface DotRect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Outlined boxes and rules as filled rectangles in dots, snapped like the raster renderer snaps them. */
export function ruleRects(layout: LabelLayout, dpi: number): DotRect[] {
  // The printers' own grid (8 / 12 dots per mm), as the renderer and the code placement use: dpi/25.4
  // would drift 1.6 % at 300 dpi, putting the bottom frame ~3 mm above where the text expects it.
  const s = dotsPerMm(dpi);
  const out: DotRect[] = [];
  for (const op of layout.ops) {
    if (op.kind === 'rect' && !op.fill) {
      const x = Math.round(op.x * s);
      const y = Math.round(op.y * s);
      const w = Math.round(op.w * s);
      const h = Math.round(op.h * s);
      const t = strokeDots(op.strokeMm, dpi);
      out.push({ x, y, w, h: t }, { x, y: y + h - t, w, h: t }, { x, y, w: t, h }, { x: x + w - t, y, w: t, h });
    } else if (op.kind === 'line') {
      const t = strokeDots(op.strokeMm, dpi);
      const x1 = Math.round(Math.min(op.x1, op.x2) * s);
      const y1 = Math.round(Math.min(op.y1, op.y2) * s);
      const x2 = Math.round(Math.max(op.x1, op.x2) * s);
      const y2 = Math.round(Math.max(op.y1, op.y2) * s);
      if (y1 === y2) out.push({ x: x1, y: Math.max(0, y1 - (t >> 1)), w: Math.max(1, x2 - x1), h: t });
      else out.push({ x: Math.max(0, x1 - (t >> 1)), y: y1, w: Math.max(t, x2 - x1), h: Math.max(1, y2 - y1) });
    }
  }
  return out;
}

/** Blank rows shorter than this do not split a band: fewer commands beat a few saved bytes. */
const MERGE_GAP_ROWS = 24;

export function inkBands(bits: PackedBits, mergeGapRows = MERGE_GAP_ROWS): Band[] {
  const { heightDots, bytesPerRow, rows } = bits;
  const bands: Band[] = [];
  let start = -1;
  let lastInk = -1;
  let minB = bytesPerRow;
  let maxB = -1;
  const flush = () => {
    if (start >= 0) bands.push({ xByte: minB, y: start, widthBytes: maxB - minB + 1, height: lastInk - start + 1 });
    start = -1;
    minB = bytesPerRow;
    maxB = -1;
  };
  for (let y = 0; y < heightDots; y++) {
    const off = y * bytesPerRow;
    // Scan in from both ends: inked rows stop early, only blank rows are read in full.
    let first = 0;
    while (first < bytesPerRow && rows[off + first] === 0) first++;
    if (first === bytesPerRow) continue;
    let last = bytesPerRow - 1;
    while (rows[off + last] === 0) last--;
    if (start >= 0 && y - lastInk > mergeGapRows) flush();
    if (start < 0) start = y;
    lastInk = y;
    if (first < minB) minB = first;
    if (last > maxB) maxB = last;
  }
  flush();
  return bands;
}

/**
 * What one more bitmap command costs on the wire, bytes: `BITMAP 123,456,78,90,0,` + CRLF in TSPL, a
 * `^FO…^GFA…^FS` header in ZPL. A blank stretch is cut out of a bitmap only when it saves more than this.
 */
const COMMAND_BYTES = 40;

/**
 * The inked parts of the bitmap as boxes cropped to their ink. Each band (inkBands) is cut at its blank
 * byte columns — the white between a name on the left and a code on the right — and each piece is cut
 * again at its blank rows and trimmed to its own ink. A cut is made only where the blank bytes it drops
 * outweigh the extra command (COMMAND_BYTES). Every inked dot stays in exactly one box.
 */
export function inkBoxes(bits: PackedBits): Band[] {
  const out: Band[] = [];
  const cut = (box: Band, depth: number): void => {
    const pieces = depth % 2 === 0 ? splitColumns(bits, box) : splitRows(bits, box);
    // Stop when the cut along this axis changed nothing after a cut along the other one did not either.
    if (pieces.length === 1 && depth > 0 && sameBox(pieces[0]!, box)) {
      out.push(box);
      return;
    }
    for (const p of pieces) cut(p, depth + 1);
  };
  for (const band of inkBands(bits, BOX_MERGE_GAP_ROWS)) cut(band, 0);
  return out;
}

const BOX_MERGE_GAP_ROWS = 2;

function sameBox(a: Band, b: Band): boolean {
  return a.xByte === b.xByte && a.y === b.y && a.widthBytes === b.widthBytes && a.height === b.height;
}

function columnInk(bits: PackedBits, box: Band): Uint8Array {
  const ink = new Uint8Array(box.widthBytes);
  for (let r = 0; r < box.height; r++) {
    const off = (box.y + r) * bits.bytesPerRow + box.xByte;
    for (let c = 0; c < box.widthBytes; c++) ink[c]! |= bits.rows[off + c]!;
  }
  return ink;
}

function splitColumns(bits: PackedBits, band: Band): Band[] {
  const ink = columnInk(bits, band);
  const out: Band[] = [];
  let start = -1;
  let lastInk = -1;
  for (let c = 0; c <= band.widthBytes; c++) {
    const inked = c < band.widthBytes && ink[c] !== 0;
    if (!inked) continue;
    if (start >= 0 && (c - lastInk - 1) * band.height > COMMAND_BYTES) {
      out.push({ xByte: band.xByte + start, y: band.y, widthBytes: lastInk - start + 1, height: band.height });
      start = -1;
    }
    if (start < 0) start = c;
    lastInk = c;
  }
  if (start >= 0)
    out.push({ xByte: band.xByte + start, y: band.y, widthBytes: lastInk - start + 1, height: band.height });
  return out;
}

function rowInked(bits: PackedBits, box: Band, r: number): boolean {
  const off = (box.y + r) * bits.bytesPerRow + box.xByte;
  for (let c = 0; c < box.widthBytes; c++) if (bits.rows[off + c] !== 0) return true;
  return false;
}

function splitRows(bits: PackedBits, box: Band): Band[] {
  const out: Band[] = [];
  let start = -1;
  let lastInk = -1;
  for (let r = 0; r < box.height; r++) {
    if (!rowInked(bits, box, r)) continue;
    if (start >= 0 && (r - lastInk - 1) * box.widthBytes > COMMAND_BYTES) {
      out.push({ ...box, y: box.y + start, height: lastInk - start + 1 });
      start = -1;
    }
    if (start < 0) start = r;
    lastInk = r;
  }
  if (start >= 0) out.push({ ...box, y: box.y + start, height: lastInk - start + 1 });
  return out;
}

/** The band's bytes, row by row; `invert` flips every bit (TSPL wants 0 = black). */
export function bandBytes(bits: PackedBits, band: Band, invert: boolean): Uint8Array {
  const out = new Uint8Array(band.widthBytes * band.height);
  for (let r = 0; r < band.height; r++) {
    const src = (band.y + r) * bits.bytesPerRow + band.xByte;
    out.set(bits.rows.subarray(src, src + band.widthBytes), r * band.widthBytes);
  }
  if (invert) {
    // Four bytes at a time where the buffer allows it, then the tail.
    const words = out.length >> 2;
    const w32 = new Uint32Array(out.buffer, out.byteOffset, words);
    for (let i = 0; i < words; i++) w32[i] = ~w32[i]!;
    for (let i = words << 2; i < out.length; i++) out[i] = ~out[i]! & 0xff;
  }
  return out;
}

/** Concatenates byte chunks without intermediate copies per push. */
export class ByteSink {
  private parts: Uint8Array[] = [];
  private size = 0;
  private static enc = new TextEncoder();

  text(s: string): this {
    return this.bytes(ByteSink.enc.encode(s));
  }

  bytes(b: Uint8Array): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }

  get length(): number {
    return this.size;
  }

  toBytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}
