export { waybillFonts, fontDir, FONT_FILES } from './font.ts';
export type { WaybillFonts, LoadedFace } from './font.ts';
export { renderMonochrome, renderPreviewPng, drawLabel, labelSizeDots, ensureCanvasFonts } from './canvas.ts';
export type { MonoBitmap, PreviewPng, RasterOptions } from './canvas.ts';
export { code128Pattern, qrMatrix, qrRuns } from './barcodes.ts';
export type { Code128Pattern, QrMatrix } from './barcodes.ts';
export { monoToPng, inkRatio } from './mono-png.ts';
export type { PackedBitmap } from './mono-png.ts';
export { warmUp } from './warm-up.ts';
