/** The couriers (快递公司) the electronic-waybill service issues numbers for, and their printed names. */
import type { Courier } from './types.ts';

export const COURIERS = ['ZTO', 'YTO', 'YUNDA', 'STO', 'JTSD'] as const satisfies readonly Courier[];

export const COURIER_NAMES: Record<Courier, string> = {
  ZTO: '中通快递',
  YTO: '圆通速递',
  YUNDA: '韵达快递',
  STO: '申通快递',
  JTSD: '极兔速递',
};
