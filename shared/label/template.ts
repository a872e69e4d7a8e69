/**
 * A label template is DATA: every element is positioned in millimetres from the label's top-left
 * corner. Text content is a string with {placeholders} resolved from the LabelData (see fields.ts).
 * The two standard templates are modelled on Chinese e-waybills (电子面单) 100×180 and 76×130.
 */

export type TextAlign = 'left' | 'center' | 'right';
export type TextVAlign = 'top' | 'middle';

/** Keys a text element may reference as {key}. */
export type FieldKey =
  | 'courierName'
  | 'courierCode'
  | 'routingCode'
  | 'bigPen'
  | 'waybillNo'
  | 'receiver.name'
  | 'receiver.phone'
  | 'receiver.address'
  | 'sender.name'
  | 'sender.phone'
  | 'sender.address'
  | 'orderSn'
  | 'printedAt'
  | 'remark'
  | 'goods';

export interface BoxElement {
  kind: 'box';
  x: number;
  y: number;
  w: number;
  h: number;
  strokeMm: number;
  /** Solid black fill (e.g. a heading tab). */
  fill?: boolean;
}

export interface LineElement {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  strokeMm: number;
}

export interface TextElement {
  kind: 'text';
  /** Stable name used in reports (truncatedFields). */
  id: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Literal text with {FieldKey} placeholders. The {goods} placeholder summarises the items to fit. */
  text: string;
  /** Largest and smallest font size in points; the engine picks the largest that fits. */
  maxPt: number;
  minPt: number;
  align: TextAlign;
  valign?: TextVAlign;
  bold?: boolean;
  /** White text (for text on a filled box). */
  inverse?: boolean;
  /** Cap on the number of lines (e.g. 1 for a heading). */
  maxLines?: number;
  /** Skip the element when this field is empty (e.g. "备注：{remark}" without a remark). */
  omitWhenEmpty?: FieldKey;
}

export interface Code128Element {
  kind: 'code128';
  x: number;
  y: number;
  w: number;
  h: number;
  field: 'waybillNo';
}

export interface QrElement {
  kind: 'qr';
  x: number;
  y: number;
  /** Side of the square in mm, quiet zone included. */
  size: number;
  field: 'qrPayload';
}

export type TemplateElement = BoxElement | LineElement | TextElement | Code128Element | QrElement;

export interface LabelTemplate {
  id: string;
  name: string;
  widthMm: number;
  heightMm: number;
  elements: TemplateElement[];
}

const T = 0.3; // ordinary rule thickness, mm (≈ 2.4 dots at 203 dpi)
const hline = (y: number, x1: number, x2: number, strokeMm = T): LineElement => ({
  kind: 'line',
  x1,
  y1: y,
  x2,
  y2: y,
  strokeMm,
});
const vline = (x: number, y1: number, y2: number, strokeMm = T): LineElement => ({
  kind: 'line',
  x1: x,
  y1,
  x2: x,
  y2,
  strokeMm,
});

/** 100×180 mm, the common one-part e-waybill (一联单) size. */
export const TEMPLATE_100x180: LabelTemplate = {
  id: '100x180',
  name: '100×180 电子面单',
  widthMm: 100,
  heightMm: 180,
  elements: [
    { kind: 'box', x: 1, y: 1, w: 98, h: 178, strokeMm: 0.4 },
    // Header: courier and print time.
    {
      kind: 'text',
      id: 'courier',
      x: 3,
      y: 2,
      w: 55,
      h: 10,
      text: '{courierName}',
      maxPt: 22,
      minPt: 10,
      align: 'left',
      valign: 'middle',
      bold: true,
      maxLines: 1,
    },
    {
      kind: 'text',
      id: 'printedAtHeader',
      x: 58,
      y: 2,
      w: 39,
      h: 10,
      text: '{printedAt}',
      maxPt: 8,
      minPt: 6,
      align: 'right',
      valign: 'middle',
      maxLines: 1,
    },
    hline(12, 1, 99),
    // Routing: 三段码 large, 大头笔 below.
    {
      kind: 'text',
      id: 'routingCode',
      x: 3,
      y: 12.5,
      w: 94,
      h: 17,
      text: '{routingCode}',
      maxPt: 40,
      minPt: 14,
      align: 'center',
      valign: 'middle',
      bold: true,
      maxLines: 1,
    },
    hline(30, 1, 99),
    {
      kind: 'text',
      id: 'bigPen',
      x: 3,
      y: 30.5,
      w: 94,
      h: 9,
      text: '{bigPen}',
      maxPt: 20,
      minPt: 10,
      align: 'center',
      valign: 'middle',
      bold: true,
      maxLines: 1,
    },
    hline(40, 1, 99),
    // Tracking number: barcode and its human-readable text.
    { kind: 'code128', x: 8, y: 42, w: 84, h: 15, field: 'waybillNo' },
    {
      kind: 'text',
      id: 'waybillNo',
      x: 3,
      y: 57.5,
      w: 94,
      h: 6,
      text: '{waybillNo}',
      maxPt: 12,
      minPt: 8,
      align: 'center',
      valign: 'middle',
      bold: true,
      maxLines: 1,
    },
    hline(64, 1, 99),
    // Receiver (收).
    { kind: 'box', x: 1, y: 64, w: 9, h: 32, strokeMm: T, fill: true },
    {
      kind: 'text',
      id: 'receiverTag',
      x: 1,
      y: 64,
      w: 9,
      h: 32,
      text: '收',
      maxPt: 18,
      minPt: 12,
      align: 'center',
      valign: 'middle',
      bold: true,
      inverse: true,
      maxLines: 1,
    },
    {
      kind: 'text',
      id: 'receiverNamePhone',
      x: 12,
      y: 65,
      w: 85,
      h: 7,
      text: '{receiver.name}  {receiver.phone}',
      maxPt: 13,
      minPt: 8,
      align: 'left',
      valign: 'middle',
      bold: true,
      maxLines: 1,
    },
    {
      kind: 'text',
      id: 'receiverAddress',
      x: 12,
      y: 72,
      w: 85,
      h: 23.5,
      text: '{receiver.address}',
      maxPt: 12,
      minPt: 6,
      align: 'left',
      valign: 'top',
      bold: true,
    },
    hline(96, 1, 99),
    // Sender (寄).
    {
      kind: 'text',
      id: 'senderTag',
      x: 1,
      y: 96,
      w: 9,
      h: 20,
      text: '寄',
      maxPt: 14,
      minPt: 10,
      align: 'center',
      valign: 'middle',
      bold: true,
      maxLines: 1,
    },
    vline(10, 96, 116),
    {
      kind: 'text',
      id: 'senderNamePhone',
      x: 12,
      y: 97,
      w: 85,
      h: 5,
      text: '{sender.name}  {sender.phone}',
      maxPt: 9,
      minPt: 6,
      align: 'left',
      valign: 'middle',
      maxLines: 1,
    },
    {
      kind: 'text',
      id: 'senderAddress',
      x: 12,
      y: 102,
      w: 85,
      h: 13.5,
      text: '{sender.address}',
      maxPt: 9,
      minPt: 5.5,
      align: 'left',
      valign: 'top',
    },
    hline(116, 1, 99),
    // Goods summary: its minimum size is above the address's, so a long order is summarised
    // ("… 等N件") rather than shrunk into print nobody can read.
    {
      kind: 'text',
      id: 'goods',
      x: 3,
      y: 117,
      w: 94,
      h: 22.5,
      text: '物品：{goods}',
      maxPt: 10,
      minPt: 7,
      align: 'left',
      valign: 'top',
    },
    hline(140, 1, 99),
    // Footer: order, remark, print time, signature; QR on the right.
    vline(70, 140, 179),
    {
      kind: 'text',
      id: 'orderSn',
      x: 3,
      y: 141.5,
      w: 66,
      h: 6,
      text: '订单号：{orderSn}',
      maxPt: 9,
      minPt: 6,
      align: 'left',
      valign: 'middle',
      maxLines: 1,
    },
    {
      kind: 'text',
      id: 'remark',
      x: 3,
      y: 148,
      w: 66,
      h: 12,
      text: '备注：{remark}',
      maxPt: 9,
      minPt: 6,
      align: 'left',
      valign: 'top',
      omitWhenEmpty: 'remark',
    },
    {
      kind: 'text',
      id: 'printedAt',
      x: 3,
      y: 161,
      w: 66,
      h: 5,
      text: '打印时间：{printedAt}',
      maxPt: 8,
      minPt: 6,
      align: 'left',
      valign: 'middle',
      maxLines: 1,
    },
    {
      kind: 'text',
      id: 'signature',
      x: 3,
      y: 168,
      w: 66,
      h: 9,
      text: '签收人：　　　　　时间：',
      maxPt: 9,
      minPt: 6,
      align: 'left',
      valign: 'middle',
      maxLines: 1,
    },
    { kind: 'qr', x: 73, y: 143, size: 24, field: 'qrPayload' },
    {
      kind: 'text',
      id: 'qrCaption',
      x: 71,
      y: 168,
      w: 27,
      h: 9,
      text: '{courierName}',
      maxPt: 7,
      minPt: 5,
      align: 'center',
      valign: 'middle',
      maxLines: 1,
    },
  ],
};

/** 76×130 mm, the compact e-waybill: same content, smaller. */
export const TEMPLATE_76x130: LabelTemplate = {
  id: '76x130',
  name: '76×130 电子面单',
  widthMm: 76,
  heightMm: 130,
  elements: [
    { kind: 'box', x: 1, y: 1, w: 74, h: 128, strokeMm: 0.3 },
    {
      kind: 'text',
      id: 'courier',
      x: 2.5,
      y: 1.5,
      w: 42,
      h: 7.5,
      text: '{courierName}',
      maxPt: 16,
      minPt: 8,
      align: 'left',
      valign: 'middle',
      bold: true,
      maxLines: 1,
    },
    {
      kind: 'text',
      id: 'printedAtHeader',
      x: 44,
      y: 1.5,
      w: 30,
      h: 7.5,
      text: '{printedAt}',
      maxPt: 6.5,
      minPt: 5,
      align: 'right',
      valign: 'middle',
      maxLines: 1,
    },
    hline(9, 1, 75),
    {
      kind: 'text',
      id: 'routingCode',
      x: 2,
      y: 9.5,
      w: 72,
      h: 13,
      text: '{routingCode}',
      maxPt: 30,
      minPt: 12,
      align: 'center',
      valign: 'middle',
      bold: true,
      maxLines: 1,
    },
    hline(23, 1, 75),
    {
      kind: 'text',
      id: 'bigPen',
      x: 2,
      y: 23.3,
      w: 72,
      h: 6.5,
      text: '{bigPen}',
      maxPt: 14,
      minPt: 8,
      align: 'center',
      valign: 'middle',
      bold: true,
      maxLines: 1,
    },
    hline(30, 1, 75),
    { kind: 'code128', x: 4, y: 31.5, w: 68, h: 11.5, field: 'waybillNo' },
    {
      kind: 'text',
      id: 'waybillNo',
      x: 2,
      y: 43.2,
      w: 72,
      h: 4.5,
      text: '{waybillNo}',
      maxPt: 10,
      minPt: 6.5,
      align: 'center',
      valign: 'middle',
      bold: true,
      maxLines: 1,
    },
    hline(48, 1, 75),
    { kind: 'box', x: 1, y: 48, w: 7, h: 24, strokeMm: T, fill: true },
    {
      kind: 'text',
      id: 'receiverTag',
      x: 1,
      y: 48,
      w: 7,
      h: 24,
      text: '收',
      maxPt: 13,
      minPt: 9,
      align: 'center',
      valign: 'middle',
      bold: true,
      inverse: true,
      maxLines: 1,
    },
    {
      kind: 'text',
      id: 'receiverNamePhone',
      x: 9.5,
      y: 48.7,
      w: 65,
      h: 5.3,
      text: '{receiver.name}  {receiver.phone}',
      maxPt: 10,
      minPt: 6.5,
      align: 'left',
      valign: 'middle',
      bold: true,
      maxLines: 1,
    },
    {
      kind: 'text',
      id: 'receiverAddress',
      x: 9.5,
      y: 54.2,
      w: 65,
      h: 17.5,
      text: '{receiver.address}',
      maxPt: 10,
      minPt: 5.5,
      align: 'left',
      valign: 'top',
      bold: true,
    },
    hline(72, 1, 75),
    {
      kind: 'text',
      id: 'senderTag',
      x: 1,
      y: 72,
      w: 7,
      h: 14,
      text: '寄',
      maxPt: 11,
      minPt: 8,
      align: 'center',
      valign: 'middle',
      bold: true,
      maxLines: 1,
    },
    vline(8, 72, 86),
    {
      kind: 'text',
      id: 'senderNamePhone',
      x: 9.5,
      y: 72.5,
      w: 65,
      h: 4,
      text: '{sender.name}  {sender.phone}',
      maxPt: 7.5,
      minPt: 5,
      align: 'left',
      valign: 'middle',
      maxLines: 1,
    },
    {
      kind: 'text',
      id: 'senderAddress',
      x: 9.5,
      y: 76.7,
      w: 65,
      h: 9,
      text: '{sender.address}',
      maxPt: 7.5,
      minPt: 5,
      align: 'left',
      valign: 'top',
    },
    hline(86, 1, 75),
    {
      kind: 'text',
      id: 'goods',
      x: 2.5,
      y: 86.7,
      w: 71,
      h: 16.8,
      text: '物品：{goods}',
      maxPt: 8,
      minPt: 6,
      align: 'left',
      valign: 'top',
    },
    hline(104, 1, 75),
    vline(53, 104, 129),
    {
      kind: 'text',
      id: 'orderSn',
      x: 2.5,
      y: 105,
      w: 50,
      h: 4.5,
      text: '订单号：{orderSn}',
      maxPt: 7,
      minPt: 5,
      align: 'left',
      valign: 'middle',
      maxLines: 1,
    },
    {
      kind: 'text',
      id: 'remark',
      x: 2.5,
      y: 110,
      w: 50,
      h: 8.5,
      text: '备注：{remark}',
      maxPt: 7,
      minPt: 5,
      align: 'left',
      valign: 'top',
      omitWhenEmpty: 'remark',
    },
    {
      kind: 'text',
      id: 'printedAt',
      x: 2.5,
      y: 119,
      w: 50,
      h: 4,
      text: '打印时间：{printedAt}',
      maxPt: 6.5,
      minPt: 5,
      align: 'left',
      valign: 'middle',
      maxLines: 1,
    },
    {
      kind: 'text',
      id: 'signature',
      x: 2.5,
      y: 123.5,
      w: 50,
      h: 5,
      text: '签收人：　　　　时间：',
      maxPt: 7,
      minPt: 5,
      align: 'left',
      valign: 'middle',
      maxLines: 1,
    },
    { kind: 'qr', x: 55, y: 105.5, size: 19, field: 'qrPayload' },
    {
      kind: 'text',
      id: 'qrCaption',
      x: 53.5,
      y: 124.5,
      w: 21,
      h: 4.3,
      text: '{courierName}',
      maxPt: 6,
      minPt: 4.5,
      align: 'center',
      valign: 'middle',
      maxLines: 1,
    },
  ],
};

export const TEMPLATES: Readonly<Record<string, LabelTemplate>> = {
  [TEMPLATE_100x180.id]: TEMPLATE_100x180,
  [TEMPLATE_76x130.id]: TEMPLATE_76x130,
};

export type TemplateId = '100x180' | '76x130';
export const TEMPLATE_IDS: readonly TemplateId[] = ['100x180', '76x130'];

export function getTemplate(id: string): LabelTemplate {
  const t = TEMPLATES[id];
  if (!t) throw new Error(`未知的面单模板 "${id}"（可用：${TEMPLATE_IDS.join('、')}）`);
  return t;
}
