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

/** 件数: this parcel's place among the order's parcels, printed as "1/1". */
export const PiecesSchema = z
  .strictObject({ index: z.number().int().min(1), total: z.number().int().min(1).max(999) })
  .refine((p) => p.index <= p.total, { message: 'pieces.index must not exceed pieces.total' });

/** 集包地: the courier's consolidation hub for this parcel (name printed large, code beside it). */
export const PackageCenterSchema = z.object({
  name: z.string().max(40),
  code: z.string().max(20),
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
  /** 大头笔 as the courier returns it, e.g. "沪上海 浦东" (ZTO's style). */
  bigPen: z.string().max(60),
  packageCenter: PackageCenterSchema,
  pieces: PiecesSchema,
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
export type LabelPieces = z.infer<typeof PiecesSchema>;
export type PackageCenter = z.infer<typeof PackageCenterSchema>;
