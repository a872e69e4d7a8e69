/**
 * Called once when the station starts (before the first job): parses the fonts, registers them with
 * Skia and renders the demo label once, so the first real label does not pay for font parsing,
 * glyph rasterisation of common characters or JIT warm-up. "The first label must leave at once."
 */
import { layoutLabel, SAMPLE_LABEL, TEMPLATE_100x180, TEMPLATE_76x130 } from '../../../shared/label/index.ts';
import { renderMonochrome } from './canvas.ts';
import { waybillFonts } from './font.ts';

export function warmUp(dpis: readonly number[] = [203]): number {
  const started = performance.now();
  const { measure } = waybillFonts();
  for (const template of [TEMPLATE_100x180, TEMPLATE_76x130]) {
    const layout = layoutLabel(template, SAMPLE_LABEL, measure);
    for (const dpi of dpis) renderMonochrome(layout, { dpi, omitCodes: false });
  }
  return performance.now() - started;
}
