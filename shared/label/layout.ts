/**
 * The layout engine: template + data → positioned draw ops in mm. Every backend (pdf, png,
 * tspl, zpl, escpos) draws from these ops, so all of them print the same label.
 *
 * Text shrinks from maxPt towards minPt until it fits its box; if it still does not fit at minPt
 * it is cut at the last line with a visible ellipsis (…) and reported in `truncatedFields`.
 * Glyphs the font lacks become □ and are reported in `missingGlyphs`. Nothing is clipped silently.
 */
import type { LabelData } from './schema.ts';
import type { LabelTemplate, TextAlign, TextElement } from './template.ts';
import { fieldValue, resolveText } from './fields.ts';
import { ellipsize, prepareText, substituteMissingGlyphs, wrapPrepared } from './text.ts';
import type { TextMeasure } from './text.ts';
import { code128Modules } from './codes.ts';

/** 1 pt in mm. */
export const PT_MM = 25.4 / 72;
/** Line pitch as a multiple of the font size (CJK text needs more than Latin's 1.15). */
export const LINE_HEIGHT = 1.2;
/** Ascent of Noto Sans CJK (typo ascender 880/1000): baseline distance below the em box top. */
export const ASCENT = 0.88;
/** Font sizes are searched on this grid, in pt. */
const SIZE_STEP = 0.25;

export interface TextLine {
  text: string;
  /** Left edge of the line after alignment, mm. */
  x: number;
  /** Baseline, mm. */
  baseline: number;
  /** Measured width, mm. */
  width: number;
}

export interface TextOp {
  kind: 'text';
  id: string;
  /** The element's box, mm. */
  x: number;
  y: number;
  w: number;
  h: number;
  sizePt: number;
  bold: boolean;
  inverse: boolean;
  align: TextAlign;
  lines: TextLine[];
  truncated: boolean;
}

export interface RectOp {
  kind: 'rect';
  x: number;
  y: number;
  w: number;
  h: number;
  strokeMm: number;
  fill: boolean;
}

export interface LineOp {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  strokeMm: number;
}

/** Code128 (auto code set) of `value`, scaled to fit the box; backends centre it horizontally. */
export interface Code128Op {
  kind: 'code128';
  /** The template element's id ('mainBarcode', 'secondBarcode'), for reports and refusals. */
  id: string;
  value: string;
  /** The box the symbol (bars only) must fit, mm. */
  x: number;
  y: number;
  w: number;
  h: number;
  /**
   * Width available to the symbol plus its quiet zones, centred on the box, mm: quiet zones may reach
   * the label's edge (the template leaves the frame open across barcode rows).
   */
  fitW: number;
  /** Estimated symbol width in modules, quiet zones excluded (see codes.ts). */
  modules: number;
}

/** QR code (error correction M), square of side `size` mm including its quiet zone. */
export interface QrOp {
  kind: 'qr';
  value: string;
  x: number;
  y: number;
  size: number;
}

export type DrawOp = TextOp | RectOp | LineOp | Code128Op | QrOp;

export interface LabelLayout {
  templateId: string;
  widthMm: number;
  heightMm: number;
  ops: DrawOp[];
  /** Ids of text elements that do not show all of their content (ellipsis or 等N件). */
  truncatedFields: string[];
  /** Characters the font lacks, drawn as □. */
  missingGlyphs: string[];
}

export function layoutLabel(template: LabelTemplate, data: LabelData, measure: TextMeasure): LabelLayout {
  const ops: DrawOp[] = [];
  const truncatedFields: string[] = [];
  const missing = new Set<string>();
  for (const el of template.elements) {
    switch (el.kind) {
      case 'box':
        ops.push({ kind: 'rect', x: el.x, y: el.y, w: el.w, h: el.h, strokeMm: el.strokeMm, fill: el.fill ?? false });
        break;
      case 'line':
        ops.push({ kind: 'line', x1: el.x1, y1: el.y1, x2: el.x2, y2: el.y2, strokeMm: el.strokeMm });
        break;
      case 'code128': {
        const centre = el.x + el.w / 2;
        ops.push({
          kind: 'code128',
          id: el.id,
          value: data.waybillNo,
          x: el.x,
          y: el.y,
          w: el.w,
          h: el.h,
          fitW: 2 * Math.min(centre, template.widthMm - centre),
          modules: code128Modules(data.waybillNo),
        });
        break;
      }
      case 'qr':
        ops.push({ kind: 'qr', value: data.qrPayload, x: el.x, y: el.y, size: el.size });
        break;
      case 'text': {
        if (el.omitWhenEmpty && fieldValue(data, el.omitWhenEmpty) === '') break;
        const candidates = resolveText(el.text, data).map((t) => substituteMissingGlyphs(t, measure, missing));
        const op = fitText(el, candidates, measure);
        if (op.truncated) truncatedFields.push(el.id);
        if (op.lines.length > 0) ops.push(op);
        break;
      }
    }
  }
  return {
    templateId: template.id,
    widthMm: template.widthMm,
    heightMm: template.heightMm,
    ops,
    truncatedFields,
    missingGlyphs: [...missing],
  };
}

/** How many lines of `sizePt` text fit `hMm` (always at least one: a field is never dropped). */
function linesThatFit(el: TextElement, sizePt: number): number {
  const hPt = el.h / PT_MM;
  const n = Math.floor((hPt - sizePt) / (sizePt * LINE_HEIGHT)) + 1;
  return Math.max(1, Math.min(n, el.maxLines ?? Number.POSITIVE_INFINITY));
}

function fitText(el: TextElement, candidates: string[], measure: TextMeasure): TextOp {
  const bold = el.bold ?? false;
  const widthPt = el.w / PT_MM;
  const minPt = Math.min(el.minPt, el.maxPt);
  for (let c = 0; c < candidates.length; c++) {
    const prepared = prepareText(candidates[c]!, bold, measure);
    const at = (size: number): string[] | null => {
      const lines = wrapPrepared(prepared, size, widthPt, measure);
      return lines.length <= linesThatFit(el, size) ? lines : null;
    };
    const atMin = at(minPt);
    if (!atMin) continue;
    // Largest size on the grid that still fits (fit is monotone in size for greedy wrapping).
    let best = { size: minPt, lines: atMin };
    const atMax = at(el.maxPt);
    if (atMax) best = { size: el.maxPt, lines: atMax };
    else {
      let lo = 0;
      let hi = Math.floor((el.maxPt - minPt) / SIZE_STEP);
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        const size = minPt + mid * SIZE_STEP;
        const lines = at(size);
        if (lines) {
          lo = mid;
          best = { size, lines };
        } else hi = mid;
      }
    }
    return place(el, best.size, best.lines, c > 0, measure);
  }
  // Nothing fits even at the minimum size: keep what fits and end with a visible ellipsis.
  const text = candidates[candidates.length - 1] ?? '';
  const lines = wrapPrepared(prepareText(text, bold, measure), minPt, widthPt, measure);
  const keep = linesThatFit(el, minPt);
  const kept = lines.slice(0, keep);
  kept[keep - 1] = ellipsize(kept[keep - 1] ?? '', minPt, bold, widthPt, measure);
  return place(el, minPt, kept, true, measure);
}

function place(el: TextElement, sizePt: number, lines: string[], truncated: boolean, measure: TextMeasure): TextOp {
  const bold = el.bold ?? false;
  const sizeMm = sizePt * PT_MM;
  const blockH = sizeMm * (1 + (lines.length - 1) * LINE_HEIGHT);
  const top = (el.valign ?? 'top') === 'middle' ? el.y + (el.h - blockH) / 2 : el.y;
  return {
    kind: 'text',
    id: el.id,
    x: el.x,
    y: el.y,
    w: el.w,
    h: el.h,
    sizePt,
    bold,
    inverse: el.inverse ?? false,
    align: el.align,
    truncated,
    lines: lines.map((text, i) => {
      const width = Math.min(measure.width(text, sizePt, bold) * PT_MM, el.w);
      const x = el.align === 'left' ? el.x : el.align === 'right' ? el.x + el.w - width : el.x + (el.w - width) / 2;
      return { text, x, baseline: top + sizeMm * (ASCENT + i * LINE_HEIGHT), width };
    }),
  };
}

/** Moves every op by (dx, dy) mm: the per-printer calibration offset, applied once for all backends. */
export function offsetLayout(layout: LabelLayout, dx: number, dy: number): LabelLayout {
  if (dx === 0 && dy === 0) return layout;
  const ops = layout.ops.map((op): DrawOp => {
    switch (op.kind) {
      case 'line':
        return { ...op, x1: op.x1 + dx, y1: op.y1 + dy, x2: op.x2 + dx, y2: op.y2 + dy };
      case 'text':
        return {
          ...op,
          x: op.x + dx,
          y: op.y + dy,
          lines: op.lines.map((l) => ({ ...l, x: l.x + dx, baseline: l.baseline + dy })),
        };
      default:
        return { ...op, x: op.x + dx, y: op.y + dy };
    }
  });
  return { ...layout, ops };
}
