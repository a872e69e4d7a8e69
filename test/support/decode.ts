/**
 * Proof helpers for print tests: rasterise a PDF with poppler's pdftoppm and decode barcodes with
 * zbarimg, read fonts with pdffonts and text with pdftotext. Shared by the pdf/png tests (A1) and
 * the tspl/zpl/escpos tests (A2). They need Debian's poppler-utils and zbar-tools.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DecodedSymbol {
  /** zbar's symbology name, e.g. CODE-128, QR-Code. */
  type: string;
  data: string;
}

/** A temporary folder removed by the returned cleanup function. */
export function tempDir(prefix = 'daifa-print-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Every barcode zbarimg finds in an image (PNG/PBM/…), as {type, data}.
 * An image without any symbol gives [] (zbarimg exits 4 then), not an error.
 */
export async function zbarDecode(imagePath: string): Promise<DecodedSymbol[]> {
  let stdout: string;
  try {
    // One "TYPE:data" line per symbol; --nodbus keeps zbar quiet on machines without a system bus.
    ({ stdout } = await run('zbarimg', ['-q', '--nodbus', imagePath], { maxBuffer: 16 << 20 }));
  } catch (e) {
    const err = e as { code?: number };
    if (err.code === 4) return []; // zbarimg: no symbol found
    throw e;
  }
  return stdout
    .split('\n')
    .filter((l) => l.includes(':'))
    .map((l) => {
      const i = l.indexOf(':');
      return { type: l.slice(0, i), data: l.slice(i + 1) };
    });
}

/** Decodes an in-memory image (PNG bytes). */
export async function zbarDecodeBuffer(image: Uint8Array, ext = 'png'): Promise<DecodedSymbol[]> {
  const t = tempDir();
  try {
    const p = join(t.dir, `image.${ext}`);
    writeFileSync(p, image);
    return await zbarDecode(p);
  } finally {
    t.cleanup();
  }
}

/** Rasterises each PDF page to PNG (pdftoppm -r DPI -png); returns the page image paths in order. */
export async function pdfToPngs(pdf: Uint8Array, dir: string, dpi = 300): Promise<string[]> {
  const input = join(dir, 'in.pdf');
  writeFileSync(input, pdf);
  await run('pdftoppm', ['-r', String(dpi), '-png', input, join(dir, 'page')], { maxBuffer: 16 << 20 });
  return readdirSync(dir)
    .filter((f) => f.startsWith('page') && f.endsWith('.png'))
    .sort((a, b) => pageNo(a) - pageNo(b))
    .map((f) => join(dir, f));
}

function pageNo(file: string): number {
  return Number(/-(\d+)\.png$/.exec(file)?.[1] ?? 0);
}

/** Rasterises a PDF and decodes the barcodes on each page: result[i] is page i+1's symbols. */
export async function decodePdfBarcodes(pdf: Uint8Array, dpi = 300): Promise<DecodedSymbol[][]> {
  const t = tempDir();
  try {
    const pages = await pdfToPngs(pdf, t.dir, dpi);
    const out: DecodedSymbol[][] = [];
    for (const p of pages) out.push(await zbarDecode(p));
    return out;
  } finally {
    t.cleanup();
  }
}

export interface PdfFontRow {
  name: string;
  type: string;
  encoding: string;
  emb: boolean;
  sub: boolean;
  uni: boolean;
}

/** Parses `pdffonts` output. */
export async function pdfFonts(pdf: Uint8Array): Promise<PdfFontRow[]> {
  const t = tempDir();
  try {
    const input = join(t.dir, 'in.pdf');
    writeFileSync(input, pdf);
    const { stdout } = await run('pdffonts', [input]);
    const lines = stdout
      .split('\n')
      .slice(2)
      .filter((l) => l.trim() !== '');
    return lines.map((l) => {
      // name type… encoding emb sub uni object ID: the last five columns are fixed words.
      const cols = l.trim().split(/\s+/);
      const n = cols.length;
      return {
        name: cols[0]!,
        type: cols.slice(1, n - 6).join(' '),
        encoding: cols[n - 6]!,
        emb: cols[n - 5] === 'yes',
        sub: cols[n - 4] === 'yes',
        uni: cols[n - 3] === 'yes',
      };
    });
  } finally {
    t.cleanup();
  }
}

/** `pdftotext -layout` of the whole document (UTF-8). */
export async function pdfText(pdf: Uint8Array): Promise<string> {
  const t = tempDir();
  try {
    const input = join(t.dir, 'in.pdf');
    writeFileSync(input, pdf);
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', input, '-'], { maxBuffer: 16 << 20 });
    return stdout;
  } finally {
    t.cleanup();
  }
}

/** Number of pages (pdfinfo). */
export async function pdfPageCount(pdf: Uint8Array): Promise<number> {
  const t = tempDir();
  try {
    const input = join(t.dir, 'in.pdf');
    writeFileSync(input, pdf);
    const { stdout } = await run('pdfinfo', [input]);
    return Number(/^Pages:\s+(\d+)/m.exec(stdout)?.[1] ?? NaN);
  } finally {
    t.cleanup();
  }
}

/** Page size in mm of page 1 (pdfinfo reports points). */
export async function pdfPageSizeMm(pdf: Uint8Array): Promise<{ w: number; h: number }> {
  const t = tempDir();
  try {
    const input = join(t.dir, 'in.pdf');
    writeFileSync(input, pdf);
    const { stdout } = await run('pdfinfo', [input]);
    const m = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(stdout);
    if (!m) throw new Error(`no page size in pdfinfo output:\n${stdout}`);
    return { w: (Number(m[1]) * 25.4) / 72, h: (Number(m[2]) * 25.4) / 72 };
  } finally {
    t.cleanup();
  }
}

/**
 * Decodes several images in one zbarimg run (--xml names each source): result[i] is image i's symbols.
 * zbar reports two symbols with the same content in one image once, so a test that must see both of a
 * label's barcodes decodes a crop of each.
 */
export async function zbarDecodeMany(images: readonly Uint8Array[]): Promise<DecodedSymbol[][]> {
  const t = tempDir();
  try {
    const files = images.map((img, i) => {
      const p = join(t.dir, `image-${i}.png`);
      writeFileSync(p, img);
      return p;
    });
    let stdout = '';
    try {
      ({ stdout } = await run('zbarimg', ['-q', '--nodbus', '--xml', ...files], { maxBuffer: 16 << 20 }));
    } catch (e) {
      // Exit code 4: at least one image without a symbol; the XML still lists what was found.
      const err = e as { code?: number; stdout?: string };
      if (err.code !== 4) throw e;
      stdout = err.stdout ?? '';
    }
    const out: DecodedSymbol[][] = files.map(() => []);
    for (const source of stdout.split('<source ').slice(1)) {
      const href = /^href='([^']*)'/.exec(source)?.[1] ?? '';
      const i = files.indexOf(href);
      if (i < 0) continue;
      for (const m of source.matchAll(/<symbol type='([^']+)'[^>]*><data><!\[CDATA\[([\s\S]*?)\]\]><\/data>/g))
        out[i]!.push({ type: m[1]!, data: m[2]! });
    }
    return out;
  } finally {
    t.cleanup();
  }
}
