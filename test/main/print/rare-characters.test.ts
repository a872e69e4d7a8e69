/**
 * Rare characters print: 㐂 (CJK Ext-A) and 𠀾 (Ext-B), common in names and village addresses, come from
 * the bundled fallback faces on every backend that draws our font, and nothing is reported as □.
 */
import { describe, expect, it } from 'vitest';
import type { LabelData, TextOp } from '../../../shared/label/index.ts';
import { SAMPLE_LABEL } from '../../../shared/label/index.ts';
import type { LabelBackend } from '../../../main/print/backend.ts';
import { DEFAULT_RENDER_OPTIONS, type RenderOptions, prepareLabel } from '../../../main/print/backend.ts';

const o = (over: Partial<RenderOptions>): RenderOptions => ({ ...DEFAULT_RENDER_OPTIONS, ...over });
import { pdfBackend } from '../../../main/print/backends/pdf.ts';
import { pngBackend } from '../../../main/print/backends/png.ts';
import { tsplBackend } from '../../../main/print/backends/tspl.ts';
import { zplBackend } from '../../../main/print/backends/zpl.ts';
import { escposRasterBackend } from '../../../main/print/backends/escpos.ts';
import { glyphMask } from '../../../main/print/render/glyphs.ts';
import { pdfFonts, pdfText } from '../../support/decode.ts';

const RARE: LabelData = {
  ...SAMPLE_LABEL,
  receiver: { name: '𠀾*㐂', phone: '139****0000', address: '福建省泉州市丰泽区㐂街𠀾巷8号𪚥楼' },
};

const BACKENDS: Record<string, LabelBackend> = {
  pdf: pdfBackend,
  png: pngBackend,
  tspl: tsplBackend,
  zpl: zplBackend,
  'escpos raster': escposRasterBackend,
};

describe('rare characters (CJK Ext-A and Ext-B)', () => {
  it.each(Object.keys(BACKENDS))('%s: 㐂 and 𠀾 print, no □ reported', async (name) => {
    for (const template of ['100x180', '76x130']) {
      const out = await BACKENDS[name]!.render([RARE], o({ template }));
      expect(out.reports[0]!.missingGlyphs, template).toEqual([]);
    }
  });

  it('the layout keeps them (no □ substituted) and they are drawn as themselves, not as boxes', () => {
    const { layout } = prepareLabel(RARE, { template: '76x130', offsetMm: { x: 0, y: 0 } });
    const texts = layout.ops.flatMap((o) => (o.kind === 'text' ? o.lines.map((l) => l.text) : [])).join('\n');
    expect(texts).not.toContain('□');
    const name = layout.ops.find((o): o is TextOp => o.kind === 'text' && o.id === 'receiverNamePhone')!;
    expect(name.lines[0]!.text.startsWith('𠀾*㐂')).toBe(true);
    const box = glyphMask(true, 28, '□'.codePointAt(0)!);
    for (const ch of ['𠀾', '㐂', '𪚥']) {
      const g = glyphMask(true, 28, ch.codePointAt(0)!);
      expect(g.runs.length, ch).toBeGreaterThan(0);
      expect(Array.from(g.runs), ch).not.toEqual(Array.from(box.runs));
    }
  });

  it('the PDF embeds the fallback faces and keeps the characters extractable', async () => {
    const { bytes } = await pdfBackend.render([RARE], o({ template: '100x180' }));
    const fonts = (await pdfFonts(bytes)).map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(fonts).toEqual(expect.arrayContaining(['NotoSansCJKsc-Bold', 'HanaMinB']));
    const text = await pdfText(bytes);
    for (const ch of ['𠀾', '㐂', '𪚥']) expect(text).toContain(ch);
  });
});
