/**
 * Barcode geometry shared by every backend, so a native printer BARCODE/QRCODE command and our
 * own rasters put the codes at the same place with the same integer module width in dots.
 * Scanners need whole-dot modules: a 0.3-dot rounding error on every bar is what makes thermal
 * barcodes unreadable.
 */
import type { Code128Op, LabelLayout, QrOp } from './layout.ts';
import { LabelError } from './errors.ts';

/**
 * Dots per mm. Label printers sold as "203 dpi" and "300 dpi" are 8 and 12 dots/mm (TSPL, ZPL and
 * ESC/POS manuals all count so), so a 100 mm label is 800 dots wide, not 799.
 */
export function dotsPerMm(dpi: number): number {
  return dpi === 203 ? 8 : dpi === 300 ? 12 : dpi / 25.4;
}

/** mm → printer dots, rounded to the nearest dot. */
export function mmToDots(mm: number, dpi: number): number {
  return Math.round(mm * dotsPerMm(dpi));
}

/** A stroke's thickness in whole dots, at least one, so a thin rule never vanishes. */
export function strokeDots(mm: number, dpi: number): number {
  return Math.max(1, mmToDots(mm, dpi));
}

export function dotsToMm(dots: number, dpi: number): number {
  return dots / dotsPerMm(dpi);
}

/** Code128 quiet zone on each side, in modules (the standard asks for 10). */
export const CODE128_QUIET_MODULES = 10;
/** QR quiet zone on each side, in modules (the standard asks for 4). */
export const QR_QUIET_MODULES = 4;

/**
 * Code128 symbol width in modules for the shortest encoding with code sets B and C
 * (runs of ≥ 4 digits in C): 11 per symbol character (start, data, checksum) plus 13 for stop.
 * Printers encode by themselves, so for them this is an estimate used to pick the module width.
 */
export function code128Modules(value: string): number {
  let symbols = 1; // start character
  let set: 'B' | 'C' | null = null;
  const switchTo = (next: 'B' | 'C') => {
    if (set !== next && set !== null) symbols++; // CODE B / CODE C
    set = next;
  };
  let i = 0;
  while (i < value.length) {
    let run = 0;
    while (i + run < value.length && value.charCodeAt(i + run) >= 48 && value.charCodeAt(i + run) <= 57) run++;
    if (run >= 4 || (i === 0 && run === value.length && run >= 2)) {
      if (run % 2 === 1) {
        switchTo('B');
        symbols++;
        i++;
        run--;
      }
      switchTo('C');
      symbols += run / 2;
      i += run;
    } else {
      switchTo('B');
      symbols++;
      i++;
    }
  }
  return (symbols + 1) * 11 + 13; // + checksum character, + stop pattern (13 modules)
}

export interface CodePlacement {
  /** Width of one module in dots (≥ 1). */
  moduleDots: number;
  /** Top-left of the symbol itself (quiet zone excluded), dots. */
  xDots: number;
  yDots: number;
  widthDots: number;
  heightDots: number;
}

/**
 * The narrowest bar or space a waybill barcode may have: 0.25 mm, and never under 2 dots. Scanners at
 * sorting centres read 0.25 mm modules from a distance; a 1-dot module (0.125 mm at 203 dpi) is within
 * a thermal head's dot gain and reads as noise. So 2 dots at 203 dpi and 3 at 300 dpi.
 */
export const MIN_MODULE_MM = 0.25;

export function minModuleDots(dpi: number): number {
  return Math.max(2, Math.ceil(MIN_MODULE_MM * dotsPerMm(dpi) - 1e-9));
}

/**
 * Bar heights at or above the couriers' own templates: 9 mm for the main barcode and 7 mm for the
 * second, small one (ZTO's 76×130 one-part waybill; see ARCHITECTURE.md). Our templates are taller.
 */
export const MIN_BAR_HEIGHT_MM = { mainBarcode: 9, secondBarcode: 7 } as const;

/**
 * The widest module we print, 0.5 mm: wider bars scan no better, and the white left around a symbol is
 * the room a printer's calibration offset may use.
 */
export const MAX_MODULE_MM = 0.5;

/**
 * Integer module width, centred horizontally: the widest (up to MAX_MODULE_MM) that fits the symbol and
 * its quiet zones in the box; when that would be under minModuleDots(), the widest that fits the symbol
 * in its box and its quiet zones in `fitW` (up to the label's edges). `modules` defaults to our
 * estimate; a renderer that encoded the symbol passes the exact count. The result may still be under
 * minModuleDots(): assertBarcodesFit() refuses such labels.
 */
export function placeCode128(op: Code128Op, dpi: number, modules = op.modules): CodePlacement {
  const boxW = mmToDots(op.w, dpi);
  const fitW = mmToDots(op.fitW, dpi);
  const quiet = 2 * CODE128_QUIET_MODULES;
  const inBox = Math.floor(boxW / (modules + quiet));
  const toEdge = Math.min(Math.floor(boxW / modules), Math.floor(fitW / (modules + quiet)));
  const widest = Math.max(minModuleDots(dpi), Math.floor(MAX_MODULE_MM * dotsPerMm(dpi)));
  const moduleDots = Math.max(1, Math.min(widest, inBox >= minModuleDots(dpi) ? inBox : toEdge));
  const widthDots = moduleDots * modules;
  return {
    moduleDots,
    xDots: mmToDots(op.x, dpi) + Math.floor((boxW - widthDots) / 2),
    yDots: mmToDots(op.y, dpi),
    widthDots,
    heightDots: mmToDots(op.h, dpi),
  };
}

/** Byte-mode capacity of QR versions 1–40 at error correction level M. */
const QR_M_BYTE_CAPACITY = [
  14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412, 450, 504, 560, 624, 666, 711, 779, 857, 911,
  997, 1059, 1125, 1190, 1264, 1370, 1452, 1538, 1628, 1722, 1809, 1911, 1989, 2099, 2213, 2331,
];

/** Smallest QR version (EC level M, byte mode, UTF-8) that holds `value`: an upper bound on what an encoder picks. */
export function qrVersion(value: string): number {
  const bytes = new TextEncoder().encode(value).length;
  const v = QR_M_BYTE_CAPACITY.findIndex((cap) => cap >= bytes);
  return v === -1 ? 40 : v + 1;
}

export function qrModules(value: string): number {
  return 17 + 4 * qrVersion(value);
}

/** Integer module size that fits the symbol plus its quiet zone in the square, centred. */
export function placeQr(op: QrOp, dpi: number, modules = qrModules(op.value)): CodePlacement {
  const box = mmToDots(op.size, dpi);
  const moduleDots = Math.max(1, Math.floor(box / (modules + 2 * QR_QUIET_MODULES)));
  const side = moduleDots * modules;
  const offset = Math.floor((box - side) / 2);
  return {
    moduleDots,
    xDots: mmToDots(op.x, dpi) + offset,
    yDots: mmToDots(op.y, dpi) + offset,
    widthDots: side,
    heightDots: side,
  };
}

/**
 * Refuses a label whose barcodes cannot keep modules of at least minModuleDots(): such a barcode does not
 * scan, and an unscannable barcode is an unsortable parcel. The station runs this on the courier's longest
 * number before it asks the hub for numbers, so none is spent on a label that would be refused.
 */
export function assertBarcodesFit(layout: LabelLayout, dpi: number): void {
  const min = minModuleDots(dpi);
  for (const op of layout.ops) {
    if (op.kind !== 'code128') continue;
    const p = placeCode128(op, dpi);
    if (p.moduleDots >= min) continue;
    const mm = (min / dotsPerMm(dpi)).toFixed(2);
    throw new LabelError(
      'BARCODE_TOO_LONG',
      `运单号 ${op.value}（${op.value.length} 位）在 ${layout.templateId} 面单上放不下能扫描的条码：` +
        `${dpi} dpi 下最窄条需至少 ${min} 点（${mm} mm），这里只能做到 ${p.moduleDots} 点。请改用更宽的面单模板。`,
      `Tracking number ${op.value} (${op.value.length} characters) does not fit a scannable barcode on the ` +
        `${layout.templateId} label: at ${dpi} dpi its narrowest bar needs ${min} dots (${mm} mm) and would get ` +
        `${p.moduleDots}. Use a wider label template.`,
    );
  }
}
