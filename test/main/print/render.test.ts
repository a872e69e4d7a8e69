import { describe, expect, it } from 'vitest';
import {
  getTemplate,
  layoutLabel,
  mmToDots,
  placeCode128,
  SAMPLE_LABEL,
  code128Modules,
} from '../../../shared/label/index.ts';
import type { LabelData, TextOp } from '../../../shared/label/index.ts';
import {
  code128Pattern,
  inkRatio,
  monoToPng,
  renderMonochrome,
  renderPreviewPng,
  waybillFonts,
} from '../../../main/print/render/index.ts';
import * as fontModule from '../../../main/print/render/font.ts';
import { prepareLabel } from '../../../main/print/backend.ts';
import { zbarDecodeBuffer } from '../../support/decode.ts';

const measure = () => waybillFonts().measure;

describe('waybill font', () => {
  it('is parsed once per process and measures CJK at one em', () => {
    const a = waybillFonts();
    const b = waybillFonts();
    expect(a).toBe(b);
    expect(fontModule.fontLoadCount).toBe(1);
    expect(a.measure.width('中', 10, false)).toBeCloseTo(10, 5);
    expect(a.measure.width('中文', 10, true)).toBeCloseTo(20, 5);
    expect(a.measure.width('1', 10, false)).toBeLessThan(7);
    expect(a.measure.hasGlyph('鑫'.codePointAt(0)!)).toBe(true);
    expect(a.measure.hasGlyph('□'.codePointAt(0)!)).toBe(true);
    expect(a.measure.hasGlyph('😀'.codePointAt(0)!)).toBe(false);
  });

  it('reads a fallback face only when a character needs it: Ext-A and Ext-B print', () => {
    const fonts = waybillFonts();
    expect(fontModule.fallbackLoads).toEqual([]); // start-up reads the primary faces only
    expect(fonts.measure.hasGlyph('㐂'.codePointAt(0)!)).toBe(true); // CJK Ext-A: Noto's rare subset
    expect(fonts.measure.hasGlyph('𠀾'.codePointAt(0)!)).toBe(true); // Ext-B, also in Noto
    expect(fontModule.fallbackLoads.map((l) => l.file)).toEqual(['NotoSansCJKsc-Regular-rare.otf']);
    expect(fonts.measure.hasGlyph('𪚥'.codePointAt(0)!)).toBe(true); // Ext-B only HanaMinB has
    expect(fontModule.fallbackLoads.map((l) => l.file)).toEqual([
      'NotoSansCJKsc-Regular-rare.otf',
      'HanaMinB-extB-2A000-2A6DF.ttf',
    ]);
    expect(fonts.faceFor('𠀾'.codePointAt(0)!, true)!.bold).toBe(true); // Noto's rare subset has a bold cut
    expect(fonts.faceFor('𪚥'.codePointAt(0)!, true)!.family).toBe('DaifaWaybillExtB2A000');
    expect(fonts.measure.width('𠀾㐂', 10, false)).toBeCloseTo(20, 5);
    expect(fontModule.fontLoadCount).toBe(1);
  });
});

describe('renderMonochrome', () => {
  it.each([
    ['100x180', 203, 800, 1440],
    ['100x180', 300, 1200, 2160],
    ['76x130', 203, 608, 1040],
    ['76x130', 300, 912, 1560],
  ] as const)('%s at %i dpi is %i×%i dots, packed MSB-first', (template, dpi, w, h) => {
    const { layout } = prepareLabel(SAMPLE_LABEL, { template, offsetMm: { x: 0, y: 0 } });
    const bmp = renderMonochrome(layout, { dpi, omitCodes: true });
    expect(bmp.widthDots).toBe(w);
    expect(bmp.heightDots).toBe(h);
    expect(bmp.bytesPerRow).toBe(Math.ceil(w / 8));
    expect(bmp.rows.length).toBe(bmp.bytesPerRow * h);
  });

  it('draws the codes when asked, and they scan; leaves them out otherwise', async () => {
    for (const dpi of [203, 300]) {
      const { layout } = prepareLabel(SAMPLE_LABEL, { template: '76x130', offsetMm: { x: 0, y: 0 } });
      const withCodes = await zbarDecodeBuffer(monoToPng(renderMonochrome(layout, { dpi, omitCodes: false })));
      expect(withCodes).toEqual(
        expect.arrayContaining([
          { type: 'CODE-128', data: SAMPLE_LABEL.waybillNo },
          { type: 'QR-Code', data: SAMPLE_LABEL.qrPayload },
        ]),
      );
      const without = await zbarDecodeBuffer(monoToPng(renderMonochrome(layout, { dpi, omitCodes: true })));
      expect(without).toEqual([]);
    }
  });

  it('puts ink where the text is and none in the code boxes when codes are omitted', () => {
    const { layout } = prepareLabel(SAMPLE_LABEL, { template: '100x180', offsetMm: { x: 0, y: 0 } });
    const bmp = renderMonochrome(layout, { dpi: 203, omitCodes: true });
    const address = layout.ops.find((o): o is TextOp => o.kind === 'text' && o.id === 'receiverAddress')!;
    const d = (mm: number) => mmToDots(mm, 203);
    expect(inkRatio(bmp, d(address.x), d(address.y), d(address.w), d(8))).toBeGreaterThan(0.05);
    const code = layout.ops.find((o) => o.kind === 'code128')!;
    if (code.kind !== 'code128') throw new Error('no code');
    expect(inkRatio(bmp, d(code.x), d(code.y), d(code.w), d(code.h))).toBe(0);
    // The inverse 收 tab is mostly black with white text cut out of it.
    const tab = inkRatio(bmp, d(2.5), d(70.5), d(8), d(29));
    expect(tab).toBeGreaterThan(0.6);
    expect(tab).toBeLessThan(0.99);
  });

  it('applies the calibration offset to text and codes alike', () => {
    const a = prepareLabel(SAMPLE_LABEL, { template: '100x180', offsetMm: { x: 0, y: 0 } }).layout;
    const b = prepareLabel(SAMPLE_LABEL, { template: '100x180', offsetMm: { x: 2, y: 3 } }).layout;
    const ca = a.ops.find((o) => o.kind === 'code128')!;
    const cb = b.ops.find((o) => o.kind === 'code128')!;
    if (ca.kind !== 'code128' || cb.kind !== 'code128') throw new Error('no code');
    expect(placeCode128(cb, 203).xDots - placeCode128(ca, 203).xDots).toBe(16);
    expect(placeCode128(cb, 203).yDots - placeCode128(ca, 203).yDots).toBe(24);
    const ba = renderMonochrome(a, { dpi: 203, omitCodes: true });
    const bb = renderMonochrome(b, { dpi: 203, omitCodes: true });
    // The 收 tab's left edge (x = 2 mm, 16 dots) moves 16 dots right.
    expect(inkRatio(ba, 16, 580, 8, 40)).toBeGreaterThan(0.9);
    expect(inkRatio(bb, 16, 580, 8, 40)).toBeLessThan(0.1);
    expect(inkRatio(bb, 32, 604, 8, 40)).toBeGreaterThan(0.9);
  });

  it('reports a character no bundled face has and draws the placeholder', () => {
    const data: LabelData = { ...SAMPLE_LABEL, receiver: { ...SAMPLE_LABEL.receiver, name: '😀*' } };
    const { layout, report } = prepareLabel(data, { template: '100x180', offsetMm: { x: 0, y: 0 } });
    expect(report.missingGlyphs).toEqual(['😀']);
    const bmp = renderMonochrome(layout, { dpi: 203, omitCodes: true });
    expect(bmp.missingGlyphs).toEqual(['😀']);
    const op = layout.ops.find((o): o is TextOp => o.kind === 'text' && o.id === 'receiverNamePhone')!;
    expect(op.lines[0]!.text.startsWith('□*')).toBe(true);
  });

  it('prints every GBK character: names and places outside GB2312 are not placeholders', () => {
    // 镕 (朱镕基), 埇 (埇桥区), 浉 (浉河区), 玥, 堃: real names and district names a GB2312-only font would lose.
    const address = '安徽省宿州市埇桥区镕城路 8 号；河南省信阳市浉河区玥堃小区';
    const data: LabelData = { ...SAMPLE_LABEL, receiver: { ...SAMPLE_LABEL.receiver, address } };
    const { report } = prepareLabel(data, { template: '100x180', offsetMm: { x: 0, y: 0 } });
    expect(report.missingGlyphs).toEqual([]);
  });

  it.each([203, 300])(
    'draws the □ placeholder as a closed box with whole-dot sides at %i dpi, even in small print',
    (dpi) => {
      const data: LabelData = { ...SAMPLE_LABEL, remark: '😀' };
      const { layout } = prepareLabel(data, { template: '76x130', offsetMm: { x: 0, y: 0 } });
      const op = layout.ops.find((o): o is TextOp => o.kind === 'text' && o.id === 'remark')!;
      expect(op.lines[0]!.text).toBe('备注：□');
      expect(op.sizePt).toBeLessThanOrEqual(8);
      const bmp = renderMonochrome(layout, { dpi, omitCodes: true });
      // Find the box: the last character of the line, one em wide, ending at the line's right edge.
      const s = dpi === 203 ? 8 : 12;
      const em = op.sizePt * (25.4 / 72) * s;
      const right = Math.round((op.lines[0]!.x + op.lines[0]!.width) * s);
      const base = Math.round(op.lines[0]!.baseline * s);
      const x0 = Math.round(right - em);
      const y0 = Math.round(base - em * 0.85);
      const side = Math.round(em);
      const rowInk = (y: number) => inkRatio(bmp, x0, y, side, 1);
      const colInk = (x: number) => inkRatio(bmp, x, y0, 1, side);
      let top = -1;
      let bottom = -1;
      for (let y = y0; y < y0 + side; y++) {
        if (rowInk(y) <= 0.5) continue;
        if (top < 0) top = y;
        else bottom = y;
      }
      let left = -1;
      let rightCol = -1;
      for (let x = x0; x < x0 + side; x++) {
        if (colInk(x) <= 0.5) continue;
        if (left < 0) left = x;
        else rightCol = x;
      }
      expect(top).toBeGreaterThan(0);
      expect(bottom - top).toBeGreaterThan(em * 0.5);
      expect(rightCol - left).toBeGreaterThan(em * 0.5);
      // Hollow inside its sides (as thick as the solid rows at its top).
      let side1 = 0;
      while (rowInk(top + side1) > 0.5) side1++;
      expect(side1).toBeGreaterThanOrEqual(1);
      expect(
        inkRatio(bmp, left + side1, top + side1, rightCol - left + 1 - 2 * side1, bottom - top + 1 - 2 * side1),
      ).toBe(0);
    },
  );
});

describe('codes', () => {
  it('our Code128 module estimate matches bwip-js for typical tracking numbers', () => {
    for (const v of [
      '78912345678901',
      'YT1234567890123',
      'JT0001234567890',
      '462123456789',
      'SF1234567890123',
      '773100200300',
    ]) {
      expect(code128Modules(v)).toBe(code128Pattern(v).modules);
    }
  });

  it('renders a preview PNG in which both codes scan', async () => {
    const l = layoutLabel(getTemplate('100x180'), SAMPLE_LABEL, measure());
    const p = renderPreviewPng(l, { dpi: 203 });
    expect([p.widthPx, p.heightPx]).toEqual([800, 1440]);
    const found = await zbarDecodeBuffer(p.png);
    expect(found).toEqual(
      expect.arrayContaining([
        { type: 'CODE-128', data: SAMPLE_LABEL.waybillNo },
        { type: 'QR-Code', data: SAMPLE_LABEL.qrPayload },
      ]),
    );
  });
});
