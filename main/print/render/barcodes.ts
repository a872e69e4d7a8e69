/**
 * Barcode symbols as module patterns, drawn by each renderer as exact module rectangles: vectors in
 * the PDF, whole-dot bars in rasters. Code128 comes from bwip-js (`raw`, no image); QR from our
 * encoder, which is verified bit for bit against bwip-js (qr-encode.ts explains why).
 */
// The default export: in the ESM build the named export `raw` is the "raw" symbology, not the encoder.
import bwipjs from 'bwip-js';
import { encodeQr } from './qr-encode.ts';

export interface Code128Pattern {
  /** Total width in modules (quiet zones excluded). */
  modules: number;
  /** Bars as [start module, width in modules]. */
  bars: Array<[number, number]>;
}

export interface QrMatrix {
  /** Modules per side (quiet zone excluded). */
  size: number;
  /** Row-major, 1 = dark. */
  dark: Uint8Array;
}

/** The last few symbols: a label draws its number twice (main and second barcode), copies more often. */
const recentPatterns = new Map<string, Code128Pattern>();

export function code128Pattern(value: string): Code128Pattern {
  let p = recentPatterns.get(value);
  if (!p) {
    p = encodeCode128(value);
    if (recentPatterns.size >= 16) recentPatterns.delete(recentPatterns.keys().next().value!);
    recentPatterns.set(value, p);
  }
  return p;
}

function encodeCode128(value: string): Code128Pattern {
  const raw = bwipjs.raw({ bcid: 'code128', text: value }) as Array<{ sbs?: number[] }>;
  const sbs = raw[0]?.sbs;
  if (!sbs) throw new Error(`Code128 encoding of "${value}" failed`);
  const bars: Array<[number, number]> = [];
  let x = 0;
  for (let i = 0; i < sbs.length; i++) {
    const w = sbs[i]!;
    if (i % 2 === 0) bars.push([x, w]); // even entries are bars, odd are spaces
    x += w;
  }
  return { modules: x, bars };
}

/** QR (level M, byte mode) from our encoder: ~0.1–0.4 ms instead of bwip-js's ~3 ms (see qr-encode.ts). */
export function qrMatrix(value: string): QrMatrix {
  const q = encodeQr(value);
  return { size: q.size, dark: q.dark };
}

/** Dark modules of each QR row merged into horizontal runs [x, y, length], so a renderer draws few rectangles. */
export function qrRuns(m: QrMatrix): Array<[number, number, number]> {
  const runs: Array<[number, number, number]> = [];
  for (let y = 0; y < m.size; y++) {
    let x = 0;
    while (x < m.size) {
      if (!m.dark[y * m.size + x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < m.size && m.dark[y * m.size + x]) x++;
      runs.push([start, y, x - start]);
    }
  }
  return runs;
}
