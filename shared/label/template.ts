/**
 * A label template is DATA: every element is positioned in millimetres from the label's top-left
 * corner. Text content is a string with {placeholders} resolved from the LabelData (see fields.ts).
 *
 * The two standard templates follow the one-part e-waybills (一联单) that platforms and couriers print at
 * 100×180 and 76×130 (sources in ARCHITECTURE.md), top to bottom: the courier (logo) zone; the big
 * 三段码 with the 大头笔; the 集包地; the main barcode with its number; 收 (receiver), 寄 (sender), goods and
 * remark; the small second barcode; and 已验视, 件数 and the one 打印时间 beside the QR code. The frame
 * runs 2 mm from the edges and stays open across the barcode rows, so a long number's quiet zones may
 * reach the label's edge without a frame line turning into a bar.
 */

export type TextAlign = 'left' | 'center' | 'right';
export type TextVAlign = 'top' | 'middle';

/** Keys a text element may reference as {key}. */
export type FieldKey =
  | 'courierName'
  | 'courierCode'
  | 'routingCode'
  | 'bigPen'
  | 'packageCenter.name'
  | 'packageCenter.code'
  | 'pieces'
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
  /** 'mainBarcode' (top, tall) or 'secondBarcode' (the small one in the lower part); both carry the number. */
  id: string;
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
/** The frame's distance from the label edges, mm. */
export const FRAME_INSET_MM = 2;

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

type TextOptions = Partial<Pick<TextElement, 'align' | 'valign' | 'bold' | 'inverse' | 'maxLines' | 'omitWhenEmpty'>>;

/** A text element; single-line, left-aligned and vertically centred unless told otherwise. */
function text(
  id: string,
  [x, y, w, h]: [number, number, number, number],
  content: string,
  [maxPt, minPt]: [number, number],
  o: TextOptions = {},
): TextElement {
  return {
    kind: 'text',
    id,
    x,
    y,
    w,
    h,
    text: content,
    maxPt,
    minPt,
    align: o.align ?? 'left',
    valign: o.valign ?? 'middle',
    ...(o.bold ? { bold: true } : {}),
    ...(o.inverse ? { inverse: true } : {}),
    ...(o.omitWhenEmpty ? { omitWhenEmpty: o.omitWhenEmpty } : {}),
    // Multi-line blocks say so with maxLines: 0 (no cap); everything else is one line.
    ...(o.maxLines === 0 ? {} : { maxLines: o.maxLines ?? 1 }),
  };
}

/**
 * The frame, 2 mm from the edges, with its two sides open across `openRows` (the barcode rows: a
 * vertical line inside a quiet zone reads as a bar).
 */
function frame(widthMm: number, heightMm: number, openRows: Array<[number, number]>, strokeMm: number): LineElement[] {
  const a = FRAME_INSET_MM;
  const right = widthMm - a;
  const bottom = heightMm - a;
  const out = [hline(a, a, right, strokeMm), hline(bottom, a, right, strokeMm)];
  let y = a;
  for (const [top, end] of [...openRows].sort((p, q) => p[0] - q[0])) {
    out.push(vline(a, y, top, strokeMm), vline(right, y, top, strokeMm));
    y = end;
  }
  out.push(vline(a, y, bottom, strokeMm), vline(right, y, bottom, strokeMm));
  return out;
}

function code128(id: string, x: number, y: number, w: number, h: number): Code128Element {
  return { kind: 'code128', id, x, y, w, h, field: 'waybillNo' };
}

/** The receiver's address and goods never shrink below these (CJK at 203 dpi falls apart under 7 pt). */
export const MIN_CJK_PT = 7;

/** 100×180 mm, the common one-part e-waybill (一联单) size. */
export const TEMPLATE_100x180: LabelTemplate = {
  id: '100x180',
  name: '100×180 电子面单',
  widthMm: 100,
  heightMm: 180,
  elements: [
    ...frame(100, 180, [[48.5, 62.5], [142.5, 152.5]], 0.4), // prettier-ignore
    // Courier (logo) zone: the courier's name as its wordmark, and the product.
    text('courier', [4, 3, 58, 10.5], '{courierName}', [22, 12], { bold: true }),
    text('service', [62, 3, 34.5, 10.5], '标准快递', [12, 8], { align: 'right', bold: true }),
    hline(14, 2, 98),
    // 三段码 (sorting code) as large as it fits, the 大头笔 below it.
    text('routingCode', [4, 14.5, 92, 13], '{routingCode}', [36, 16], { align: 'center', bold: true }),
    text('bigPen', [4, 27.5, 92, 10], '{bigPen}', [24, 10], { align: 'center', bold: true }),
    hline(38, 2, 98),
    // 集包地: a black "集" tab, the hub's name large and its code.
    { kind: 'box', x: 2, y: 38, w: 10, h: 9, strokeMm: T, fill: true },
    text('packageCenterTag', [2, 38, 10, 9], '集', [18, 10], { align: 'center', bold: true, inverse: true }),
    text('packageCenter', [13.5, 38.5, 62, 8], '{packageCenter.name}', [20, 10], { bold: true }),
    text('packageCenterCode', [75.5, 38.5, 21, 8], '{packageCenter.code}', [12, 8], { align: 'right' }),
    hline(47, 2, 98),
    // Main barcode and its number.
    code128('mainBarcode', 2.5, 48.5, 95, 14),
    text('waybillNo', [4, 63, 92, 6.5], '{waybillNo}', [14, 9], { align: 'center', bold: true }),
    hline(70, 2, 98),
    // 收: receiver.
    { kind: 'box', x: 2, y: 70, w: 9, h: 30, strokeMm: T, fill: true },
    text('receiverTag', [2, 70, 9, 30], '收', [18, 12], { align: 'center', bold: true, inverse: true }),
    text('receiverNamePhone', [12.5, 70.5, 84, 7], '{receiver.name}  {receiver.phone}', [14, 9], { bold: true }),
    text('receiverAddress', [12.5, 77.5, 84, 22], '{receiver.address}', [13, 8], {
      valign: 'top',
      bold: true,
      maxLines: 0,
    }),
    hline(100, 2, 98),
    // 寄: sender.
    text('senderTag', [2, 100, 9, 16], '寄', [16, 10], { align: 'center', bold: true }),
    vline(11, 100, 116),
    text('senderNamePhone', [12.5, 100.5, 84, 5], '{sender.name}  {sender.phone}', [10, 7]),
    text('senderAddress', [12.5, 105.5, 84, 10.3], '{sender.address}', [10, 8], { valign: 'top', maxLines: 0 }),
    hline(116, 2, 98),
    // Goods, then the remark. The goods' minimum is 7 pt: a long order is summarised ("… 等N件")
    // rather than shrunk into print nobody can read.
    text('goods', [4, 117, 92, 16.5], '物品：{goods}', [11, 7], { valign: 'top', maxLines: 0 }),
    text('remark', [4, 134, 92, 6.5], '备注：{remark}', [10, 7], {
      valign: 'top',
      omitWhenEmpty: 'remark',
      maxLines: 2,
    }),
    hline(141, 2, 98),
    // The small second barcode (the same number), scanned at delivery.
    code128('secondBarcode', 2.5, 142.5, 95, 10),
    text('waybillNoSecond', [4, 152.6, 92, 4.2], '{waybillNo}', [10, 8], { align: 'center' }),
    hline(157, 2, 98),
    // 已验视, 件数, the one 打印时间, the order number and the signature; QR on the right.
    text('inspected', [4, 157.8, 30, 5.5], '已验视', [12, 9], { bold: true }),
    text('pieces', [34, 157.8, 38, 5.5], '件数：{pieces}', [12, 9], { bold: true }),
    text('printedAt', [4, 163.6, 68, 4.4], '打印时间：{printedAt}', [9, 7]),
    text('orderSn', [4, 168.2, 68, 4.4], '订单号：{orderSn}', [9, 7]),
    text('signature', [4, 172.8, 68, 4.6], '签收人：　　　　　时间：', [9, 7]),
    vline(73, 157, 178),
    { kind: 'qr', x: 74.5, y: 157.5, size: 20.5, field: 'qrPayload' },
  ],
};

/** 76×130 mm, the compact one-part e-waybill: the same zones, smaller. */
export const TEMPLATE_76x130: LabelTemplate = {
  id: '76x130',
  name: '76×130 电子面单',
  widthMm: 76,
  heightMm: 130,
  elements: [
    ...frame(76, 130, [[35, 45.5], [100.7, 107.7]], 0.3), // prettier-ignore
    text('courier', [3.5, 2.5, 42, 7.2], '{courierName}', [16, 9], { bold: true }),
    text('service', [45.5, 2.5, 27, 7.2], '标准快递', [10, 7], { align: 'right', bold: true }),
    hline(10, 2, 74),
    text('routingCode', [3, 10.3, 70, 10.2], '{routingCode}', [28, 14], { align: 'center', bold: true }),
    text('bigPen', [3, 20.5, 70, 6.3], '{bigPen}', [16, 9], { align: 'center', bold: true }),
    hline(27, 2, 74),
    { kind: 'box', x: 2, y: 27, w: 6.5, h: 7, strokeMm: T, fill: true },
    text('packageCenterTag', [2, 27, 6.5, 7], '集', [13, 8], { align: 'center', bold: true, inverse: true }),
    text('packageCenter', [9.8, 27.4, 47, 6.2], '{packageCenter.name}', [14, 8], { bold: true }),
    text('packageCenterCode', [56.8, 27.4, 16, 6.2], '{packageCenter.code}', [9, 7], { align: 'right' }),
    hline(34, 2, 74),
    code128('mainBarcode', 2.5, 35, 71, 10.5),
    text('waybillNo', [3, 45.7, 70, 4], '{waybillNo}', [11, 8], { align: 'center', bold: true }),
    hline(50, 2, 74),
    // 收: five lines of address at 8 pt, about 115 characters, before it is cut.
    { kind: 'box', x: 2, y: 50, w: 6.5, h: 22, strokeMm: T, fill: true },
    text('receiverTag', [2, 50, 6.5, 22], '收', [13, 9], { align: 'center', bold: true, inverse: true }),
    text('receiverNamePhone', [9.8, 50.4, 63, 4.6], '{receiver.name}  {receiver.phone}', [11, 8], { bold: true }),
    text('receiverAddress', [9.8, 55, 63, 16.8], '{receiver.address}', [10, 8], {
      valign: 'top',
      bold: true,
      maxLines: 0,
    }),
    hline(72, 2, 74),
    text('senderTag', [2, 72, 6.5, 10.5], '寄', [11, 8], { align: 'center', bold: true }),
    vline(8.5, 72, 82.5),
    text('senderNamePhone', [9.8, 72.3, 63, 3.5], '{sender.name}  {sender.phone}', [8, 7]),
    text('senderAddress', [9.8, 75.8, 63, 6.6], '{sender.address}', [8, 8], { valign: 'top', maxLines: 0 }),
    hline(82.5, 2, 74),
    text('goods', [3, 83, 70, 12], '物品：{goods}', [9, 7], { valign: 'top', maxLines: 0 }),
    text('remark', [3, 95.2, 70, 4.6], '备注：{remark}', [8, 7], { valign: 'top', omitWhenEmpty: 'remark' }),
    hline(100, 2, 74),
    code128('secondBarcode', 2.5, 100.7, 71, 7),
    text('waybillNoSecond', [3, 107.8, 70, 3.5], '{waybillNo}', [8, 7], { align: 'center' }),
    hline(111.5, 2, 74),
    text('inspected', [3, 111.9, 22, 4.4], '已验视', [10, 8], { bold: true }),
    text('pieces', [25, 111.9, 29, 4.4], '件数：{pieces}', [10, 8], { bold: true }),
    text('printedAt', [3, 116.4, 51, 3.8], '打印时间：{printedAt}', [7, 7]),
    text('orderSn', [3, 120.3, 51, 3.8], '订单号：{orderSn}', [7, 7]),
    text('signature', [3, 124.2, 51, 3.6], '签收人：　　　　时间：', [7, 7]),
    vline(54.5, 111.5, 128),
    { kind: 'qr', x: 56, y: 112, size: 15.8, field: 'qrPayload' },
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
