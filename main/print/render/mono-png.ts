/** Turns a 1-bit bitmap (1 = black, MSB first) back into a PNG: for previews, tests and decoders of printer bytes. */
import { createCanvas } from '@napi-rs/canvas';

export interface PackedBitmap {
  widthDots: number;
  heightDots: number;
  bytesPerRow: number;
  rows: Uint8Array;
}

/** `blackIsOne: false` reads printer-polarity data such as TSPL's BITMAP (0 = black). */
export function monoToPng(bitmap: PackedBitmap, blackIsOne = true): Buffer {
  const { widthDots: w, heightDots: h, bytesPerRow, rows } = bitmap;
  const canvas = createCanvas(w, h);
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  const px = img.data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const bit = (rows[y * bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1;
      const v = (bit === 1) === blackIsOne ? 0 : 255;
      const p = (y * w + x) * 4;
      px[p] = v;
      px[p + 1] = v;
      px[p + 2] = v;
      px[p + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
  return canvas.encodeSync('png');
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
