/**
 * TSPL `BAR`s and ZPL `^GB`s (frames and separator rules) use the printers' own dots per mm (12 at
 * 300 dpi, not dpi/25.4 = 11.81), like everything else on the label: placed at 11.81 they would drift
 * up to ~2.8 mm from the text they separate. Every bar lies on the rules the shared renderer draws.
 */
import { describe, expect, it } from 'vitest';
import { SAMPLE_LABEL } from '../../../shared/label/index.ts';
import { DEFAULT_RENDER_OPTIONS, prepareLabel } from '../../../main/print/backend.ts';
import { tsplBackend } from '../../../main/print/backends/tspl.ts';
import { zplBackend } from '../../../main/print/backends/zpl.ts';
import { inkRatio, renderMonochrome } from '../../../main/print/render/index.ts';
import { decodeTspl } from '../../support/tspl-decode.ts';

describe('frames and rules sit where the renderer draws them', () => {
  for (const template of ['100x180', '76x130']) {
    for (const dpi of [203, 300]) {
      it(`${template} @ ${dpi} dpi: TSPL BAR and ZPL ^GB on the rendered rules`, async () => {
        const o = { ...DEFAULT_RENDER_OPTIONS, template, dpi };
        const { layout } = prepareLabel(SAMPLE_LABEL, o);
        const rulesOnly = { ...layout, ops: layout.ops.filter((op) => op.kind === 'line' || op.kind === 'rect') };
        const reference = renderMonochrome(rulesOnly, { dpi });

        const tspl = decodeTspl((await tsplBackend.render([SAMPLE_LABEL], o)).bytes).labels[0]!;
        expect(tspl.bars.length).toBeGreaterThan(3);
        for (const b of tspl.bars)
          expect(inkRatio(reference, b.x, b.y, b.w, b.h), JSON.stringify(b)).toBeGreaterThan(0.9);

        const zpl = new TextDecoder().decode((await zplBackend.render([SAMPLE_LABEL], o)).bytes);
        const boxes = [...zpl.matchAll(/\^FO(\d+),(\d+)\^GB(\d+),(\d+),(\d+)\^FS/g)].map((m) => m.slice(1).map(Number));
        expect(boxes.length).toBe(tspl.bars.length);
        for (const [x, y, w, h] of boxes) expect(inkRatio(reference, x!, y!, w!, h!)).toBeGreaterThan(0.9);
      });
    }
  }
});
