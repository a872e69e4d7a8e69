/**
 * PNG backend: the preview, rendered from the same layout as every printer backend.
 *
 * Default style 'thermal': the exact 1-bit image a thermal printer burns at opts.dpi (codes included),
 * as a 1-bit PNG. Style 'smooth': anti-aliased grey-scale drawn by Skia, nicer on screen.
 * Several labels (and copies) are stacked top to bottom with a 2 mm gap, like a roll of labels.
 */
import type { LabelData } from '../../../shared/label/index.ts';
import { mmToDots } from '../../../shared/label/index.ts';
import type { LabelBackend, RenderedLabels, RenderOptions } from '../backend.ts';
import { normalizeOptions, prepareLabel } from '../backend.ts';
import { renderMonochrome, renderPreviewPng } from '../render/canvas.ts';
import type { MonoBitmap } from '../render/canvas.ts';
import { encodeMonoPng } from '../render/png-encode.ts';

export type PngStyle = 'thermal' | 'smooth';

const GAP_MM = 2;

function stack(bitmaps: MonoBitmap[], gapDots: number): MonoBitmap {
  const widthDots = Math.max(...bitmaps.map((b) => b.widthDots));
  const bytesPerRow = Math.ceil(widthDots / 8);
  const heightDots = bitmaps.reduce((h, b) => h + b.heightDots, 0) + gapDots * (bitmaps.length - 1);
  const rows = new Uint8Array(bytesPerRow * heightDots);
  let y = 0;
  for (const b of bitmaps) {
    for (let r = 0; r < b.heightDots; r++)
      rows.set(b.rows.subarray(r * b.bytesPerRow, (r + 1) * b.bytesPerRow), (y + r) * bytesPerRow);
    y += b.heightDots + gapDots;
  }
  return { widthDots, heightDots, bytesPerRow, rows, missingGlyphs: [], truncatedFields: [] };
}

export async function renderPng(
  labels: readonly LabelData[],
  options: Partial<RenderOptions>,
  style: PngStyle = 'thermal',
): Promise<RenderedLabels> {
  const opts = normalizeOptions(options);
  const prepared = labels.map((d) => prepareLabel(d, opts));
  const reports = prepared.map((p) => p.report);
  if (prepared.length === 0) throw new Error('没有要预览的面单');
  if (style === 'smooth') {
    if (prepared.length > 1 || opts.copies > 1) throw new Error('smooth 预览一次只画一张面单');
    return { bytes: renderPreviewPng(prepared[0]!.layout, { dpi: opts.dpi }).png, mimeType: 'image/png', reports };
  }
  const bitmaps: MonoBitmap[] = [];
  for (const { layout } of prepared) {
    const bmp = renderMonochrome(layout, { dpi: opts.dpi, omitCodes: false });
    for (let c = 0; c < opts.copies; c++) bitmaps.push(bmp);
  }
  const image = bitmaps.length === 1 ? bitmaps[0]! : stack(bitmaps, mmToDots(GAP_MM, opts.dpi));
  return { bytes: encodeMonoPng(image, opts.dpi), mimeType: 'image/png', reports };
}

export function createPngBackend(style: PngStyle = 'thermal'): LabelBackend {
  return {
    format: 'png',
    mimeType: 'image/png',
    fileExtension: 'png',
    render: (labels, opts) => renderPng(labels, opts, style),
  };
}

export const pngBackend: LabelBackend = createPngBackend('thermal');
