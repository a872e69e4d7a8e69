/** 1-bit bitmaps for proofs: decoded from PNGs (rasterised PDFs, Zebrash output), cropped, measured. */
import { inflateSync } from 'node:zlib';
import type { PackedBitmap } from '../../main/print/render/index.ts';

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * A non-interlaced PNG (grey or RGB(A), 1 or 8 bits per sample; what pdftoppm, Zebrash and our encoder
 * write) as a 1-bit bitmap: a dot is black when its grey (or red) sample is below half. Decoded here
 * rather than through a canvas, which takes seconds for a 300 dpi label.
 */
export function pngToBits(png: Uint8Array): PackedBitmap {
  const buf = Buffer.from(png);
  let pos = 8;
  let width = 0;
  let height = 0;
  let depth = 8;
  let colour = 0;
  const idat: Buffer[] = [];
  while (pos < buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const data = buf.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      depth = data[8]!;
      colour = data[9]!;
      if (data[12] !== 0) throw new Error('interlaced PNG not handled');
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  const channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[colour];
  if (!channels || (depth !== 8 && !(depth === 1 && colour === 0)))
    throw new Error(`PNG colour ${colour}/${depth} not handled`);
  const raw = inflateSync(Buffer.concat(idat));
  const bpp = Math.max(1, (channels * depth) >> 3);
  const stride = Math.ceil((width * channels * depth) / 8);
  const bytesPerRow = Math.ceil(width / 8);
  const rows = new Uint8Array(bytesPerRow * height);
  let prev = new Uint8Array(stride);
  let cur = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const off = y * (stride + 1);
    const filter = raw[off]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[off + 1 + i]!;
      const a = i >= bpp ? cur[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      cur[i] =
        (filter === 0
          ? x
          : filter === 1
            ? x + a
            : filter === 2
              ? x + b
              : filter === 3
                ? x + ((a + b) >> 1)
                : x + paeth(a, b, c)) & 0xff;
    }
    const out = y * bytesPerRow;
    if (depth === 1) {
      // 1-bit grey: 0 is black; ours is 1 = black.
      for (let i = 0; i < bytesPerRow; i++) rows[out + i] = ~cur[i]! & 0xff;
      const pad = bytesPerRow * 8 - width;
      if (pad > 0) rows[out + bytesPerRow - 1]! &= (0xff << pad) & 0xff;
    } else {
      for (let x = 0; x < width; x++) if (cur[x * channels]! < 128) rows[out + (x >> 3)]! |= 0x80 >> (x & 7);
    }
    [prev, cur] = [cur, prev];
  }
  return { widthDots: width, heightDots: height, bytesPerRow, rows };
}

export function bit(b: PackedBitmap, x: number, y: number): number {
  return (b.rows[y * b.bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1;
}

/** Rows y0 ≤ y < y1 of a bitmap, full width. */
export function rowsOf(b: PackedBitmap, y0: number, y1: number): PackedBitmap {
  const top = Math.max(0, y0);
  const bottom = Math.min(b.heightDots, y1);
  return {
    widthDots: b.widthDots,
    heightDots: bottom - top,
    bytesPerRow: b.bytesPerRow,
    rows: b.rows.slice(top * b.bytesPerRow, bottom * b.bytesPerRow),
  };
}

/**
 * The narrowest bar or space of the barcode on row `y`, in dots: run lengths between its first and
 * last black dot (the quiet zones outside are not runs of the symbol).
 */
export function narrowestRun(b: PackedBitmap, y: number): number {
  let first = -1;
  let last = -1;
  for (let x = 0; x < b.widthDots; x++) {
    if (bit(b, x, y)) {
      if (first < 0) first = x;
      last = x;
    }
  }
  if (first < 0) return 0;
  let min = Infinity;
  let run = 1;
  for (let x = first + 1; x <= last; x++) {
    if (bit(b, x, y) === bit(b, x - 1, y)) run++;
    else {
      min = Math.min(min, run);
      run = 1;
    }
  }
  return Math.min(min, run);
}
