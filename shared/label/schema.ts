/**
 * The data printed on one waybill label: the decrypted print payload plus the order's items.
 * The receiver's name and phone arrive already privacy-masked (M4); the address is printed in full
 * because the courier needs it.
 */
import { z } from 'zod';

/** Code128 can carry printable ASCII only; real tracking numbers are letters and digits. */
const WAYBILL_NO = /^[\x21-\x7e]{1,40}$/;

export const LabelPartySchema = z.object({
  name: z.string().max(200),
  phone: z.string().max(64),
  address: z.string().max(1000),
});

export const LabelGoodsItemSchema = z.object({
  goodsName: z.string().max(500),
  /** SKU spec such as "白色/XL"; may be empty. */
  spec: z.string().max(500),
  quantity: z.number().int().min(1).max(100_000),
});

export const LabelDataSchema = z.object({
  waybillNo: z.string().regex(WAYBILL_NO, 'waybillNo must be 1–40 printable ASCII characters (Code128)'),
  courier: z.object({
    /** Courier code, e.g. ZTO, YTO, YUNDA, STO, JTSD. */
    code: z.string().min(1).max(16),
    /** Display name printed at the top, e.g. 中通快递. */
    name: z.string().max(40),
  }),
  /** 三段码: the sorting code printed large, e.g. "310-W01 05". */
  routingCode: z.string().max(60),
  /** 大头笔: the destination mark, e.g. "上海 浦东". */
  bigPen: z.string().max(60),
  /** Privacy-masked name and phone, full address. */
  receiver: LabelPartySchema,
  sender: LabelPartySchema,
  items: z.array(LabelGoodsItemSchema).max(1000),
  orderSn: z.string().max(80),
  /** ISO 8601 with offset; printed in China time (UTC+8). */
  printedAt: z.iso.datetime({ offset: true }),
  /** Content of the QR code (usually a tracking URL or the waybill number). Byte mode, ≤ 500 characters. */
  qrPayload: z.string().min(1).max(500),
  remark: z.string().max(500).optional(),
});

export type LabelParty = z.infer<typeof LabelPartySchema>;
export type LabelGoodsItem = z.infer<typeof LabelGoodsItemSchema>;
export type LabelData = z.infer<typeof LabelDataSchema>;
