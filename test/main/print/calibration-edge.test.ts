/**
 * A calibration offset that pushes the tracking barcode or the QR past the label edge must be
 * refused with a clear message (a cut code does not scan), and text pushed past the edge must be
 * reported as truncated — never silently cut.
 */
import { describe, expect, it } from 'vitest';
import { SAMPLE_LABEL, mmToDots } from '../../../shared/label/index.ts';
import { DEFAULT_RENDER_OPTIONS, prepareLabel, type RenderOptions } from '../../../main/print/backend.ts';
import { tsplBackend } from '../../../main/print/backends/tspl.ts';
import { zplBackend } from '../../../main/print/backends/zpl.ts';
import { pdfBackend } from '../../../main/print/backends/pdf.ts';
import { decodeTspl } from '../../support/tspl-decode.ts';

const o = (over: Partial<RenderOptions>): RenderOptions => ({ ...DEFAULT_RENDER_OPTIONS, ...over });

describe('calibration offset near and past the label edge', () => {
  it('refuses an offset that pushes the QR off a 76×130 label (TSPL, ZPL, PDF)', async () => {
    for (const backend of [tsplBackend, zplBackend, pdfBackend]) {
      await expect(
        backend.render([SAMPLE_LABEL], o({ template: '76x130', offsetMm: { x: 20, y: 0 } })),
      ).rejects.toThrow(/校准偏移.*标签边缘/);
    }
  });

  it('refuses an offset that pushes the QR past the bottom or the barcode past the left edge of 100×180', () => {
    expect(() => prepareLabel(SAMPLE_LABEL, o({ offsetMm: { x: 0, y: 20 } }))).toThrow(/二维码/);
    expect(() => prepareLabel(SAMPLE_LABEL, o({ offsetMm: { x: -20, y: 0 } }))).toThrow(/条码/);
  });

  it('accepts a small offset: every code stays whole inside the label', async () => {
    for (const dpi of [203, 300]) {
      for (const template of ['100x180', '76x130']) {
        const r = await tsplBackend.render([SAMPLE_LABEL], o({ template, dpi, offsetMm: { x: 1.5, y: -1.5 } }));
        const label = decodeTspl(r.bytes).labels[0]!;
        expect(label.barcodes[0]!.x).toBeGreaterThan(0);
        const q = label.qrcodes[0]!;
        expect(q.x).toBeLessThan(mmToDots(label.widthMm, dpi));
      }
    }
  });

  it('refuses an offset that leaves the barcode without its left quiet zone', () => {
    // 100×180 @ 203 dpi: the sample's barcode (112 modules of 4 dots) starts 176 dots (22 mm) in, and its
    // quiet zone is 10 × 4 dots: an offset of more than 17 mm to the left cuts the quiet zone.
    expect(() => prepareLabel(SAMPLE_LABEL, o({ offsetMm: { x: -18, y: 0 } }))).toThrow(/条码/);
    expect(() => prepareLabel(SAMPLE_LABEL, o({ offsetMm: { x: -16, y: 0 } }))).not.toThrow();
  });

  it('reports text pushed past the edge as truncated', () => {
    const { report } = prepareLabel(SAMPLE_LABEL, o({ offsetMm: { x: -7, y: 0 } }));
    expect(report.truncatedFields.length).toBeGreaterThan(0);
    expect(prepareLabel(SAMPLE_LABEL, o({})).report.truncatedFields).toEqual([]);
  });
});
