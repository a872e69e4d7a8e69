/**
 * Barcodes that always scan: for every backend, both templates, 203 and 300 dpi and tracking numbers of
 * 12 to 20 characters, the main and the second barcode each decode with zbarimg (a crop of each, since
 * zbar reports two symbols of one content once), and the narrowest bar or space measured on the printed
 * bitmap is at least 2 dots. What is measured is what the printer would burn: the PDF rasterised by
 * poppler at the printer's resolution, the PNG itself, the TSPL commands painted by our TSPL reader,
 * the ZPL rendered by Zebrash, the ESC/POS raster as the printer receives it.
 */
import { describe, expect, it } from 'vitest';
import { ready } from 'zpl-renderer-js';
import type { LabelData } from '../../../shared/label/index.ts';
import { getTemplate, mmToDots, placeCode128, SAMPLE_LABEL } from '../../../shared/label/index.ts';
import {
  DEFAULT_RENDER_OPTIONS,
  normalizeOptions,
  prepareLabel,
  type RenderOptions,
} from '../../../main/print/backend.ts';

const o = (over: Partial<RenderOptions>): RenderOptions => ({ ...DEFAULT_RENDER_OPTIONS, ...over });
import { pdfBackend } from '../../../main/print/backends/pdf.ts';
import { pngBackend } from '../../../main/print/backends/png.ts';
import { tsplBackend } from '../../../main/print/backends/tspl.ts';
import { zplBackend } from '../../../main/print/backends/zpl.ts';
import { escposBackend, escposRasterBackend, rasterDpi } from '../../../main/print/backends/escpos.ts';
import { code128Pattern, monoToPng, type PackedBitmap } from '../../../main/print/render/index.ts';
import { pdfToPngs, tempDir, zbarDecodeMany } from '../../support/decode.ts';
import { narrowestRun, pngToBits, rowsOf } from '../../support/bitmaps.ts';
import { composeTsplBitmap, decodeTspl, paintNativeCodes } from '../../support/tspl-decode.ts';
import { parseEscpos, stackRasters } from '../../support/escpos-parse.ts';
import { readFileSync } from 'node:fs';

/** 12 to 20 characters; the last has no run of 4 digits, so it is the widest Code128 of its length. */
const NUMBERS = ['731234567890', 'YT1234567890123', 'DPK123456789012345', 'AB1C2D3E4F5G6H7J8K9L'];
const labels: LabelData[] = NUMBERS.map((waybillNo) => ({ ...SAMPLE_LABEL, waybillNo, qrPayload: waybillNo }));

/** Each label as the 1-bit image the printer would print, at `dpi` dots per inch. */
type Printed = (template: string, dpi: number) => Promise<{ pages: PackedBitmap[]; dpi: number }>;

const BACKENDS: Record<string, Printed> = {
  async pdf(template, dpi) {
    const { bytes } = await pdfBackend.render(labels, o({ template, dpi }));
    const t = tempDir();
    try {
      const files = await pdfToPngs(bytes, t.dir, dpi);
      return { pages: files.map((f) => pngToBits(readFileSync(f))), dpi };
    } finally {
      t.cleanup();
    }
  },
  async png(template, dpi) {
    // One label per preview: the PNG is the exact 1-bit image.
    const pages = [];
    for (const l of labels) pages.push(pngToBits((await pngBackend.render([l], o({ template, dpi }))).bytes));
    return { pages, dpi };
  },
  async tspl(template, dpi) {
    const job = decodeTspl((await tsplBackend.render(labels, o({ template, dpi }))).bytes);
    const t = getTemplate(template);
    const pages = job.labels.map((label) => {
      const page = composeTsplBitmap(label, mmToDots(t.widthMm, dpi), mmToDots(t.heightMm, dpi), true);
      paintNativeCodes(page, label);
      return page;
    });
    return { pages, dpi };
  },
  async zpl(template, dpi) {
    const { api } = await ready;
    const t = getTemplate(template);
    const pages = [];
    for (const l of labels) {
      const zpl = new TextDecoder().decode((await zplBackend.render([l], o({ template, dpi }))).bytes);
      const png = Buffer.from(await api.zplToBase64Async(zpl, t.widthMm, t.heightMm, dpi === 300 ? 12 : 8), 'base64');
      pages.push(pngToBits(png));
    }
    return { pages, dpi };
  },
  // ESC/POS raster prints the template scaled to the paper (576 dots): its own resolution, whatever `dpi`.
  async 'escpos raster'(template) {
    const pages = [];
    for (const l of labels)
      pages.push(stackRasters(parseEscpos((await escposRasterBackend.render([l], o({ template }))).bytes)));
    return { pages, dpi: rasterDpi(getTemplate(template).widthMm, 576) };
  },
};

describe('barcodes that always scan', () => {
  for (const [name, print] of Object.entries(BACKENDS)) {
    for (const template of ['100x180', '76x130']) {
      for (const dpi of name === 'escpos raster' ? [203] : [203, 300]) {
        it(`${name}, ${template}${name === 'escpos raster' ? '' : ` at ${dpi} dpi`}: both barcodes of 12–20 characters decode, bars ≥ 2 dots`, async () => {
          const printed = await print(template, dpi);
          expect(printed.pages).toHaveLength(labels.length);
          const crops: Uint8Array[] = [];
          const expected: string[] = [];
          printed.pages.forEach((page, i) => {
            const opts: Partial<RenderOptions> = {
              template,
              dpi: printed.dpi === 203 || printed.dpi === 300 ? printed.dpi : 203,
            };
            const { layout } = prepareLabel(labels[i]!, normalizeOptions(opts));
            for (const op of layout.ops) {
              if (op.kind !== 'code128') continue;
              const p = placeCode128(op, printed.dpi, code128Pattern(op.value).modules);
              const strip = rowsOf(page, p.yDots - 2, p.yDots + p.heightDots + 2);
              const narrowest = narrowestRun(strip, Math.floor(strip.heightDots / 2));
              expect(narrowest, `${labels[i]!.waybillNo} ${op.id}`).toBeGreaterThanOrEqual(2);
              crops.push(monoToPng(strip));
              expected.push(`${op.id} ${labels[i]!.waybillNo}`);
            }
          });
          const decoded = await zbarDecodeMany(crops);
          const got = decoded.map((symbols, i) => {
            const code = symbols.find((s) => s.type === 'CODE-128');
            return `${expected[i]!.split(' ')[0]} ${code?.data ?? '(none)'}`;
          });
          expect(got).toEqual(expected);
          expect(expected.filter((e) => e.startsWith('secondBarcode'))).toHaveLength(labels.length);
        });
      }
    }
  }

  it('escpos text mode: two native Code128 per label, modules ≥ 2 dots, and they decode', async () => {
    const events = parseEscpos((await escposBackend.render(labels, o({}))).bytes);
    const codes = events.flatMap((e) => (e.kind === 'barcode' ? [e] : []));
    expect(codes.map((c) => c.data)).toEqual(NUMBERS.flatMap((n) => [n, n]));
    // The printer draws each as its own symbol: paint one per image at the module the command asks for.
    const crops = codes.map((c) => {
      const pattern = code128Pattern(c.data);
      expect(c.moduleDots).toBeGreaterThanOrEqual(2);
      const quiet = 10 * c.moduleDots;
      const widthDots = pattern.modules * c.moduleDots + 2 * quiet;
      const bytesPerRow = Math.ceil(widthDots / 8);
      const rows = new Uint8Array(bytesPerRow * c.heightDots);
      for (let y = 0; y < c.heightDots; y++)
        for (const [start, width] of pattern.bars)
          for (let x = quiet + start * c.moduleDots; x < quiet + (start + width) * c.moduleDots; x++)
            rows[y * bytesPerRow + (x >> 3)]! |= 0x80 >> (x & 7);
      return monoToPng({ widthDots, heightDots: c.heightDots, bytesPerRow, rows });
    });
    const decoded = await zbarDecodeMany(crops);
    expect(decoded.map((s) => s.find((x) => x.type === 'CODE-128')?.data)).toEqual(codes.map((c) => c.data));
  });
});
