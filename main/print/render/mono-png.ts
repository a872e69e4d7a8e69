/** Turns a 1-bit bitmap (1 = black, MSB first) back into a PNG: for previews, tests and decoders of printer bytes. */
import { encodeMonoPng } from './png-encode.ts';

export interface PackedBitmap {
  widthDots: number;
  heightDots: number;
  bytesPerRow: number;
  rows: Uint8Array;
}

/** `blackIsOne: false` reads printer-polarity data such as TSPL's BITMAP (0 = black). */
export function monoToPng(bitmap: PackedBitmap, blackIsOne = true): Buffer {
  if (blackIsOne) return encodeMonoPng(bitmap);
  return encodeMonoPng({ ...bitmap, rows: bitmap.rows.map((b) => ~b & 0xff) });
}

/** Fraction of black dots inside a rectangle (dots): tests use it to prove a region is not blank. */
export function inkRatio(
  bitmap: PackedBitmap,
  x0: number,
  y0: number,
  w: number,
  h: number,
  blackIsOne = true,
): number {
  let ink = 0;
  let total = 0;
  for (let y = Math.max(0, y0); y < Math.min(bitmap.heightDots, y0 + h); y++) {
    for (let x = Math.max(0, x0); x < Math.min(bitmap.widthDots, x0 + w); x++) {
      const bit = (bitmap.rows[y * bitmap.bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1;
      if ((bit === 1) === blackIsOne) ink++;
      total++;
    }
  }
  return total === 0 ? 0 : ink / total;
}
