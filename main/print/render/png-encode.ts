/**
 * A minimal PNG encoder for 1-bit bitmaps (colour type 0, bit depth 1). A thermal label is
 * black and white, so this is exact, ~10× smaller and ~10× faster than encoding an RGBA canvas.
 */
import { crc32, deflateSync } from 'node:zlib';
import type { PackedBitmap } from './mono-png.ts';

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes a packed bitmap where 1 = black (our document polarity). PNG grey 1-bit has 0 = black. */
export function encodeMonoPng(bitmap: PackedBitmap, dpi?: number): Buffer {
  const { widthDots: w, heightDots: h, bytesPerRow, rows } = bitmap;
  const raw = Buffer.alloc((bytesPerRow + 1) * h);
  for (let y = 0; y < h; y++) {
    const o = y * (bytesPerRow + 1);
    raw[o] = 0; // filter: none
    for (let b = 0; b < bytesPerRow; b++) raw[o + 1 + b] = ~rows[y * bytesPerRow + b]! & 0xff;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  const parts = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr)];
  if (dpi) {
    // pHYs in dots per metre, so image viewers show the label at its real size.
    const phys = Buffer.alloc(9);
    const ppm = Math.round((dpi / 25.4) * 1000);
    phys.writeUInt32BE(ppm, 0);
    phys.writeUInt32BE(ppm, 4);
    phys[8] = 1;
    parts.push(chunk('pHYs', phys));
  }
  parts.push(chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}
