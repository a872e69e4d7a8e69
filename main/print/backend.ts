/**
 * The common interface of every print backend (pdf, png: A1; tspl, zpl, escpos: A2).
 * A backend turns labels into the bytes a transport sends to a printer (or a file).
 *
 * Every backend goes through prepareLabel(): the shared layout engine with the process-wide font
 * measure, then the printer's calibration offset. So all formats put every element at the same place.
 */
import { z } from 'zod';
import type { LabelData, LabelLayout, LabelTemplate } from '../../shared/label/index.ts';
import {
  ASCENT,
  assertBarcodesFit,
  CODE128_QUIET_MODULES,
  getTemplate,
  LabelDataSchema,
  LabelError,
  layoutLabel,
  mmToDots,
  offsetLayout,
  placeCode128,
  placeQr,
  PT_MM,
  SAMPLE_LABEL,
  TEMPLATE_IDS,
} from '../../shared/label/index.ts';
import { waybillFonts } from './render/font.ts';

export type LabelFormat = 'pdf' | 'png' | 'tspl' | 'zpl' | 'escpos';
export const LABEL_FORMATS: readonly LabelFormat[] = ['pdf', 'png', 'tspl', 'zpl', 'escpos'];

/**
 * A printer's settings as the station stores them: zod-validated, with the message a worker reads.
 * `template` is not among them (it is chosen per job), nor `copies`.
 */
export const PrinterRenderSettingsSchema = z.object({
  /** Printer resolution: 203 (8 dots/mm) or 300 (12 dots/mm). */
  dpi: z.number().refine((d): boolean => d === 203 || d === 300, '打印分辨率只支持 203 或 300 dpi'),
  /** Per-printer calibration: moves everything right/down by this many mm (may be negative). */
  offsetMm: z.object({
    x: z.number().min(-20, '校准偏移必须在 ±20 mm 之内').max(20, '校准偏移必须在 ±20 mm 之内'),
    y: z.number().min(-20, '校准偏移必须在 ±20 mm 之内').max(20, '校准偏移必须在 ±20 mm 之内'),
  }),
  /** Print darkness 0–15 (TSPL DENSITY scale; other backends map it to their own range). */
  darkness: z.number().min(0, '浓度必须在 0–15 之间').max(15, '浓度必须在 0–15 之间'),
  /** Print speed in inches per second. */
  speed: z.number().min(1, '速度必须在 1–14 英寸/秒之间').max(14, '速度必须在 1–14 英寸/秒之间'),
  /**
   * The gap (or black mark) between two labels on the roll, mm: TSPL `GAP`. 0 means continuous media.
   * Common rolls have 2–3 mm; the printer needs it to find the next label's top.
   */
  gapMm: z.number().min(0, '标签间隙必须在 0–20 mm 之间').max(20, '标签间隙必须在 0–20 mm 之间').optional(),
  /**
   * Which way the label leaves the printer: 1 = top edge first (the default of most desktop TSPL
   * printers), 0 = bottom edge first (turned 180°). TSPL `DIRECTION`, ZPL `^PO`.
   */
  direction: z.union([z.literal(0), z.literal(1)], { error: '打印方向只能是 0 或 1' }).optional(),
});
export type PrinterRenderSettings = z.infer<typeof PrinterRenderSettingsSchema>;

export interface RenderOptions extends PrinterRenderSettings {
  /** A template id ('100x180', '76x130') or a template object. */
  template: string | LabelTemplate;
  /** Copies of each label (≥ 1). */
  copies: number;
}

/** Render options with every default filled in, as normalizeOptions() returns them. */
export type ResolvedRenderOptions = RenderOptions & Required<Pick<RenderOptions, 'gapMm' | 'direction'>>;

export const DEFAULT_RENDER_OPTIONS: ResolvedRenderOptions = {
  template: '100x180',
  dpi: 203,
  offsetMm: { x: 0, y: 0 },
  darkness: 8,
  speed: 4,
  copies: 1,
  gapMm: 2,
  direction: 1,
};

/** What happened to one label's content: nothing silently lost. */
export interface LabelReport {
  waybillNo: string;
  /** Text elements that did not show everything (cut with …, or goods summarised as 等N件). */
  truncatedFields: string[];
  /** Characters the font lacks, printed as □. */
  missingGlyphs: string[];
}

export interface RenderedLabels {
  bytes: Uint8Array;
  mimeType: string;
  reports: LabelReport[];
}

export interface LabelBackend {
  readonly format: LabelFormat;
  readonly mimeType: string;
  /** File name extension for the virtual (file) printer, without the dot. */
  readonly fileExtension: string;
  render(labels: readonly LabelData[], opts: RenderOptions): Promise<RenderedLabels>;
}

export function resolveTemplate(t: string | LabelTemplate): LabelTemplate {
  return typeof t === 'string' ? getTemplate(t) : t;
}

/** Fills unset options with the defaults and rejects values no printer accepts. */
export function normalizeOptions(opts: Partial<RenderOptions>): ResolvedRenderOptions {
  const o: ResolvedRenderOptions = {
    ...DEFAULT_RENDER_OPTIONS,
    ...opts,
    offsetMm: { ...DEFAULT_RENDER_OPTIONS.offsetMm, ...opts.offsetMm },
  };
  const settings = PrinterRenderSettingsSchema.safeParse(o);
  if (!settings.success) {
    const first = settings.error.issues[0]!;
    let got: unknown = o;
    for (const key of first.path) got = (got as Record<PropertyKey, unknown>)[key];
    throw new Error(`${first.message}，收到 ${JSON.stringify(got)}`);
  }
  if (!Number.isInteger(o.copies) || o.copies < 1 || o.copies > 999)
    throw new Error(`份数必须是 1–999 的整数，收到 ${o.copies}`);
  return o;
}

/**
 * A calibration offset must not push a code past the label edge: the printer cuts it and it no longer
 * scans, so such an offset is refused. Text pushed past the edge is reported as truncated (the label
 * still carries its codes). Checked on the symbols (and a barcode's quiet zones), at the printer's dot grid.
 */
function checkInsideLabel(layout: LabelLayout, dpi: number, offsetMm: { x: number; y: number }): string[] {
  const w = mmToDots(layout.widthMm, dpi);
  const h = mmToDots(layout.heightMm, dpi);
  const cut: string[] = [];
  for (const op of layout.ops) {
    if (op.kind === 'code128' || op.kind === 'qr') {
      const p = op.kind === 'code128' ? placeCode128(op, dpi) : placeQr(op, dpi);
      // A barcode's side quiet zones count (a linear scanner needs them); a QR's finder patterns cope
      // with a narrow margin, and the templates leave it only ~2 mm, so only the symbol itself must fit.
      const qx = op.kind === 'code128' ? p.moduleDots * CODE128_QUIET_MODULES : 0;
      if (p.xDots - qx < 0 || p.yDots < 0 || p.xDots + p.widthDots + qx > w || p.yDots + p.heightDots > h) {
        const what = op.kind === 'code128' ? '运单条码' : '二维码';
        const whatEn = op.kind === 'code128' ? 'barcode' : 'QR code';
        throw offsetMm.x === 0 && offsetMm.y === 0
          ? new LabelError(
              op.kind === 'code128' ? 'BARCODE_TOO_LONG' : 'CODE_OFF_LABEL',
              `${what}超出了标签边缘，打印出来扫不出（内容过长）`,
              `The ${whatEn} runs past the label's edge and would not scan (too much content)`,
            )
          : new LabelError(
              'CODE_OFF_LABEL',
              `校准偏移 (${offsetMm.x}, ${offsetMm.y}) mm 把${what}推出了标签边缘，打印出来扫不出；请减小该打印机的校准偏移`,
              `The calibration offset (${offsetMm.x}, ${offsetMm.y}) mm pushes the ${whatEn} off the label; reduce this printer's offset`,
            );
      }
    } else if (op.kind === 'text') {
      const sizeMm = op.sizePt * PT_MM;
      const outside = op.lines.some(
        (l) =>
          l.text !== '' &&
          (l.x < -0.01 ||
            l.x + l.width > layout.widthMm + 0.01 ||
            l.baseline - sizeMm * ASCENT < -0.01 ||
            l.baseline + sizeMm * (1 - ASCENT) > layout.heightMm + 0.01),
      );
      if (outside) cut.push(op.id);
    }
  }
  return cut;
}

/** The laid-out label (offset applied) and its report: the one entry point every backend uses. */
export function prepareLabel(
  data: LabelData,
  opts: Pick<RenderOptions, 'template' | 'offsetMm'> & { dpi?: number },
): { layout: LabelLayout; report: LabelReport } {
  // The station builds labels from decrypted payloads, not from validated JSON: an empty or non-ASCII
  // tracking number would otherwise print a label without a scannable barcode and report success.
  const parsed = LabelDataSchema.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(根)'}: ${i.message}`).join('；');
    throw new LabelError(
      'INVALID_LABEL_DATA',
      `面单数据不合格，未打印（运单 ${String(data.waybillNo)}）：${issues}`,
      `Invalid label data, not printed (waybill ${String(data.waybillNo)}): ${issues}`,
    );
  }
  const layout = offsetLayout(
    layoutLabel(resolveTemplate(opts.template), data, waybillFonts().measure),
    opts.offsetMm.x,
    opts.offsetMm.y,
  );
  const dpi = opts.dpi ?? 203;
  assertBarcodesFit(layout, dpi);
  const cut = checkInsideLabel(layout, dpi, opts.offsetMm);
  const truncatedFields = [...layout.truncatedFields, ...cut.filter((id) => !layout.truncatedFields.includes(id))];
  return {
    layout,
    report: { waybillNo: data.waybillNo, truncatedFields, missingGlyphs: layout.missingGlyphs },
  };
}

/**
 * Station start-up: parse the fonts and render the demo label once through this backend, so the
 * first real label pays no font parsing, module initialisation or JIT warm-up. Returns the time spent.
 */
export async function warmUpBackend(backend: LabelBackend, opts: Partial<RenderOptions> = {}): Promise<number> {
  const started = performance.now();
  const o = normalizeOptions(opts);
  for (const template of TEMPLATE_IDS) await backend.render([SAMPLE_LABEL], { ...o, template });
  return performance.now() - started;
}

/** What a raw printer-language encoder takes: laid-out labels (calibration included) and the job settings. */
export type LayoutEncoder = (
  layouts: LabelLayout[],
  job: { dpi: number; darkness: number; speed: number; copies: number; gapMm: number; direction: 0 | 1 },
) => Uint8Array;

/** A backend for a printer language whose encoder works on laid-out labels (TSPL, ZPL). */
export function layoutBackend(
  format: LabelFormat,
  mimeType: string,
  fileExtension: string,
  encode: LayoutEncoder,
): LabelBackend {
  return {
    format,
    mimeType,
    fileExtension,
    async render(labels, options) {
      const o = normalizeOptions(options);
      const prepared = labels.map((d) => prepareLabel(d, o));
      const bytes = encode(
        prepared.map((p) => p.layout),
        {
          dpi: o.dpi,
          darkness: o.darkness,
          speed: o.speed,
          copies: o.copies,
          gapMm: o.gapMm,
          direction: o.direction,
        },
      );
      return { bytes, mimeType, reports: prepared.map((p) => p.report) };
    },
  };
}
