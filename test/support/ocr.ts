/**
 * OCR proof helpers: tesseract (Debian's tesseract-ocr with tesseract-ocr-chi-sim) reads text back from a
 * rendered 1-bit label, and `charAccuracy` says how much of the expected text it got.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { encodeMonoPng } from '../../main/print/render/png-encode.ts';
import type { PackedBitmap } from '../../main/print/render/index.ts';
import { tempDir } from './decode.ts';

const run = promisify(execFile);

/** Whether tesseract with the chi_sim language is installed. */
export async function hasChineseOcr(): Promise<boolean> {
  try {
    const { stdout, stderr } = await run('tesseract', ['--list-langs']);
    return `${stdout}${stderr}`.split('\n').some((l) => l.trim() === 'chi_sim');
  } catch {
    return false;
  }
}

/**
 * Reads a PNG with tesseract (chi_sim, one uniform block of text: --psm 6). OMP_THREAD_LIMIT=1 keeps it
 * to one core, so parallel test files do not oversubscribe the machine.
 */
export async function ocrPng(png: Uint8Array, psm = 6): Promise<string> {
  const t = tempDir('daifa-ocr-');
  try {
    const file = join(t.dir, 'in.png');
    writeFileSync(file, png);
    const { stdout } = await run('tesseract', [file, '-', '-l', 'chi_sim', '--psm', String(psm)], {
      env: { ...process.env, OMP_THREAD_LIMIT: '1' },
      maxBuffer: 4 << 20,
    });
    return stdout;
  } finally {
    t.cleanup();
  }
}

/** A rectangle of a 1-bit bitmap (dots), with a white margin, as its own bitmap. */
export function cropBits(bits: PackedBitmap, x0: number, y0: number, w: number, h: number, margin = 6): PackedBitmap {
  const W = w + 2 * margin;
  const H = h + 2 * margin;
  const bytesPerRow = Math.ceil(W / 8);
  const rows = new Uint8Array(bytesPerRow * H);
  for (let y = 0; y < h; y++) {
    const sy = y0 + y;
    if (sy < 0 || sy >= bits.heightDots) continue;
    for (let x = 0; x < w; x++) {
      const sx = x0 + x;
      if (sx < 0 || sx >= bits.widthDots) continue;
      if ((bits.rows[sy * bits.bytesPerRow + (sx >> 3)]! >> (7 - (sx & 7))) & 1) {
        const X = x + margin;
        rows[(y + margin) * bytesPerRow + (X >> 3)]! |= 0x80 >> (X & 7);
      }
    }
  }
  return { widthDots: W, heightDots: H, bytesPerRow, rows };
}

/** OCRs a region of a 1-bit bitmap. */
export async function ocrRegion(
  bits: PackedBitmap,
  x: number,
  y: number,
  w: number,
  h: number,
  dpi: number,
): Promise<string> {
  return ocrPng(encodeMonoPng(cropBits(bits, x, y, w, h), dpi));
}

/**
 * What is compared: characters, not layout. Whitespace is ignored, full-width forms are folded to their
 * half-width twins (NFKC: （ → (, ： → :), Latin is case-folded, and × counts as x (OCR has no × class).
 */
export function normaliseForOcr(s: string): string[] {
  return Array.from(s.normalize('NFKC').replace(/\s+/g, '').replace(/×/g, 'x').toLowerCase());
}

function levenshtein(a: readonly string[], b: readonly string[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** 1 − edit distance / expected length: the share of the expected characters read back. */
export function charAccuracy(expected: string, read: string): number {
  const e = normaliseForOcr(expected);
  if (e.length === 0) return 1;
  return Math.max(0, 1 - levenshtein(e, normaliseForOcr(read)) / e.length);
}
