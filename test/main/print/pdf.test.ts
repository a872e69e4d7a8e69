import { describe, expect, it } from 'vitest';
import { LONG_ADDRESS, SAMPLE_LABEL, UGLY_LABELS, sampleLabels } from '../../../shared/label/index.ts';
import type { LabelData } from '../../../shared/label/index.ts';
import { pdfBackend, renderPdf } from '../../../main/print/backends/pdf.ts';
import { fontLoadCount } from '../../../main/print/render/font.ts';
import { decodePdfBarcodes, pdfFonts, pdfPageCount, pdfPageSizeMm, pdfText } from '../../support/decode.ts';

/** pdftotext may break a long address over lines and drop spaces: compare without whitespace. */
const squash = (s: string) => s.replace(/\s+/g, '');

describe('pdf backend', () => {
  it.each(['100x180', '76x130'] as const)(
    '%s: Code128 = waybill number and QR = payload after pdftoppm + zbarimg',
    async (template) => {
      const { bytes, mimeType } = await pdfBackend.render([SAMPLE_LABEL], {
        template,
        dpi: 203,
        offsetMm: { x: 0, y: 0 },
        darkness: 8,
        speed: 4,
        copies: 1,
      });
      expect(mimeType).toBe('application/pdf');
      expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
      const pages = await decodePdfBarcodes(bytes, 300);
      expect(pages).toHaveLength(1);
      expect(pages[0]).toEqual(
        expect.arrayContaining([
          { type: 'CODE-128', data: SAMPLE_LABEL.waybillNo },
          { type: 'QR-Code', data: SAMPLE_LABEL.qrPayload },
        ]),
      );
      const size = await pdfPageSizeMm(bytes);
      const [w, h] = template.split('x').map(Number);
      expect(size.w).toBeCloseTo(w!, 1);
      expect(size.h).toBeCloseTo(h!, 1);
    },
  );

  it('embeds a CJK font subset and keeps the text extractable', async () => {
    const { bytes } = await renderPdf([SAMPLE_LABEL], { template: '100x180' });
    const fonts = await pdfFonts(bytes);
    expect(fonts.length).toBeGreaterThanOrEqual(1);
    for (const f of fonts) {
      expect(f.name).toMatch(/^[A-Z]{6}\+NotoSansCJKsc-(Regular|Bold)$/);
      expect(f).toMatchObject({ emb: true, sub: true, uni: true });
    }
    // pdftotext interleaves the 收 tab with the address lines it stands beside.
    const text = squash(await pdfText(bytes)).replaceAll('收', '');
    expect(text).toContain(squash(SAMPLE_LABEL.receiver.address));
    expect(text).toContain('中通快递');
    expect(text).toContain(SAMPLE_LABEL.waybillNo);
  });

  it('draws the codes as vectors, not images', async () => {
    const { bytes } = await renderPdf([SAMPLE_LABEL], { template: '100x180' });
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).not.toMatch(/\/Subtype\s*\/Image/);
  });

  it('puts a batch on pages of one PDF, copies included, each page scanning to its own number', async () => {
    const labels = sampleLabels(3, 7);
    const { bytes, reports } = await renderPdf(labels, { template: '76x130', copies: 2 });
    expect(await pdfPageCount(bytes)).toBe(6);
    expect(reports.map((r) => r.waybillNo)).toEqual(labels.map((l) => l.waybillNo));
    const pages = await decodePdfBarcodes(bytes, 200);
    expect(pages.map((p) => p.find((s) => s.type === 'CODE-128')?.data)).toEqual(
      labels.flatMap((l) => [l.waybillNo, l.waybillNo]),
    );
  });

  it('reuses the font parsed once for every document', async () => {
    await renderPdf(sampleLabels(2), { template: '100x180' });
    await renderPdf(sampleLabels(2), { template: '76x130' });
    expect(fontLoadCount).toBe(1);
  });

  it('renders every ugly input on both templates without throwing, truncating visibly where needed', async () => {
    for (const template of ['100x180', '76x130'] as const) {
      const entries = Object.entries(UGLY_LABELS);
      const { bytes, reports } = await renderPdf(
        entries.map(([, d]) => d),
        { template },
      );
      expect(await pdfPageCount(bytes)).toBe(entries.length);
      const byName = Object.fromEntries(entries.map(([name], i) => [name, reports[i]!]));
      // 𠀾 (Ext-B) and 㐂 (Ext-A) print from the bundled fallback faces; emoji stay □.
      expect(byName['rareChars']!.missingGlyphs).toEqual([]);
      expect(byName['emoji']!.missingGlyphs.length).toBeGreaterThan(0);
      expect(byName['items30']!.truncatedFields).toContain('goods');
      expect(byName['emptySpec']!.truncatedFields).toEqual([]);
      const text = await pdfText(bytes);
      expect(text).toContain('□'); // placeholders are printed, not dropped
      expect(squash(text)).toContain('等45件'); // 30 items: 15 × 1 + 15 × 2 pieces
      // Every page still scans.
      const pages = await decodePdfBarcodes(bytes, 200);
      pages.forEach((symbols, i) =>
        expect(symbols).toContainEqual({ type: 'CODE-128', data: entries[i]![1].waybillNo }),
      );
    }
  });

  it('a 76x130 label with a long address fits it or ends it with … — and reports which', async () => {
    const data: LabelData = {
      ...SAMPLE_LABEL,
      receiver: { ...SAMPLE_LABEL.receiver, address: LONG_ADDRESS.repeat(3) },
    };
    const { bytes, reports } = await renderPdf([data], { template: '76x130' });
    const text = squash(await pdfText(bytes));
    expect(reports[0]!.truncatedFields).toContain('receiverAddress');
    expect(text).toContain('…');
    expect(text).toContain(squash(LONG_ADDRESS).slice(0, 40));
    const fits = await renderPdf([UGLY_LABELS['longAddress']!], { template: '76x130' });
    expect(fits.reports[0]!.truncatedFields).not.toContain('receiverAddress');
    // pdftotext may interleave the 收 tab with the address lines: check its start and end.
    const fitsText = squash(await pdfText(fits.bytes));
    expect(fitsText).toContain(squash(LONG_ADDRESS).slice(0, 20));
    expect(fitsText).toContain(squash(LONG_ADDRESS).slice(-30));
  });

  it('moves the whole label by the calibration offset', async () => {
    const a = await renderPdf([SAMPLE_LABEL], { template: '100x180' });
    const b = await renderPdf([SAMPLE_LABEL], { template: '100x180', offsetMm: { x: 3, y: -2 } });
    expect(Buffer.compare(Buffer.from(a.bytes), Buffer.from(b.bytes))).not.toBe(0);
    const pages = await decodePdfBarcodes(b.bytes, 300);
    expect(pages[0]).toContainEqual({ type: 'CODE-128', data: SAMPLE_LABEL.waybillNo });
  });

  it('rejects impossible options with a Chinese message', async () => {
    await expect(renderPdf([SAMPLE_LABEL], { dpi: 600 })).rejects.toThrow(/分辨率/);
    await expect(renderPdf([SAMPLE_LABEL], { copies: 0 })).rejects.toThrow(/份数/);
  });
});
