/** The couriers (快递公司) the electronic-waybill service issues numbers for, their printed names and number formats. */
import type { Courier } from './types.ts';

export const COURIERS = ['ZTO', 'YTO', 'YUNDA', 'STO', 'JTSD'] as const satisfies readonly Courier[];

export const COURIER_NAMES: Record<Courier, string> = {
  ZTO: '中通快递',
  YTO: '圆通速递',
  YUNDA: '韵达快递',
  STO: '申通快递',
  JTSD: '极兔速递',
};

export interface WaybillNoFormat {
  /** What the simulated service puts before the serial's digits. */
  prefix: string;
  /** Digits after the prefix. */
  width: number;
  /** Every number the courier issues matches this. */
  pattern: RegExp;
}

/**
 * Number formats as couriers issue them today (and as tracking-number validators check them):
 * - ZTO 中通: 14 digits beginning 73–76 or 78 (e.g. 75…, 78…).
 * - YTO 圆通: `YT` + 13 digits.
 * - YUNDA 韵达: 15 digits beginning 3 or 4 (43…, 46…, 31…).
 * - STO 申通: 15 digits beginning 77 (773…, 777…).
 * - JTSD 极兔: `JT` + 13 digits.
 * The hub issues numbers in these formats; the station uses them to check, before it asks for a number,
 * that the longest number of the courier still prints as a barcode that scans on the chosen label.
 */
export const WAYBILL_NO_FORMATS: Record<Courier, WaybillNoFormat> = {
  ZTO: { prefix: '75', width: 12, pattern: /^7[3-68]\d{12}$/ },
  YTO: { prefix: 'YT', width: 13, pattern: /^YT\d{13}$/ },
  YUNDA: { prefix: '43', width: 13, pattern: /^[34]\d{14}$/ },
  STO: { prefix: '773', width: 12, pattern: /^77\d{13}$/ },
  JTSD: { prefix: 'JT', width: 13, pattern: /^JT\d{13}$/ },
};

export function isWaybillNoFormat(courier: Courier, waybillNo: string): boolean {
  return WAYBILL_NO_FORMATS[courier].pattern.test(waybillNo);
}

/**
 * A number of the courier's format that is as wide as any as a Code128 symbol: every number of a format
 * has the same length and the same letter/digit positions, so they all encode to the same width.
 */
export function widestWaybillNo(courier: Courier): string {
  const f = WAYBILL_NO_FORMATS[courier];
  return f.prefix + '0'.repeat(f.width);
}
