/**
 * 备货单 (picking list): a batch's goods as SKU × quantity, an A4 PDF in the waybill font, for a system
 * printer or a file. Rows arrive already totalled by the renderer (it owns the batch); here they are
 * only laid out, with page breaks and the header repeated on every page.
 */
import PDFDocument from 'pdfkit';
import { chinaMinute } from '../../shared/domain/index.ts';
import type { PickingRow } from '../../shared/ipc/index.ts';
import { unshapedFont, waybillFonts } from './render/font.ts';

type Doc = PDFKit.PDFDocument;
type FontSource = Parameters<Doc['registerFont']>[1];

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 40;
const ROW_H = 20;
const COLS = [
  { key: 'index', title: '序号', width: 36 },
  { key: 'goodsName', title: '商品名称', width: 200 },
  { key: 'spec', title: '规格', width: 120 },
  { key: 'skuId', title: 'SKU', width: 90 },
  { key: 'orderCount', title: '订单数', width: 34 },
  { key: 'quantity', title: '数量', width: 35 },
] as const;

export async function renderPickingList(title: string, rows: PickingRow[], createdAt: Date): Promise<Uint8Array> {
  const fonts = waybillFonts();
  const regular = unshapedFont(fonts.regular) as unknown as FontSource;
  const doc = new PDFDocument({
    font: regular as unknown as string,
    size: A4,
    margin: MARGIN,
    autoFirstPage: false,
    info: { Title: title, Producer: 'Daifa', Creator: 'Daifa', CreationDate: createdAt },
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', unshapedFont(fonts.bold) as unknown as FontSource);
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const totalQty = rows.reduce((s, r) => s + r.quantity, 0);
  const stamp = chinaMinute(createdAt);
  let y = 0;
  let page = 0;
  const newPage = () => {
    doc.addPage();
    page++;
    doc.font('bold').fontSize(16).text(`备货单  ${title}`, MARGIN, MARGIN, { lineBreak: false });
    doc
      .font('regular')
      .fontSize(9)
      .text(
        `生成时间 ${stamp}（北京时间）  共 ${rows.length} 个 SKU，${totalQty} 件  第 ${page} 页`,
        MARGIN,
        MARGIN + 24,
        {
          lineBreak: false,
        },
      );
    y = MARGIN + 46;
    let x = MARGIN;
    doc.font('bold').fontSize(10);
    for (const c of COLS) {
      doc.text(c.title, x + 2, y + 5, { width: c.width - 4, lineBreak: false });
      x += c.width;
    }
    doc
      .moveTo(MARGIN, y + ROW_H)
      .lineTo(A4[0] - MARGIN, y + ROW_H)
      .stroke();
    y += ROW_H;
    doc.font('regular');
  };
  newPage();
  rows.forEach((r, i) => {
    if (y + ROW_H > A4[1] - MARGIN) newPage();
    let x = MARGIN;
    const cells: Record<(typeof COLS)[number]['key'], string> = {
      index: String(i + 1),
      goodsName: r.goodsName,
      spec: r.spec,
      skuId: r.skuId,
      orderCount: String(r.orderCount),
      quantity: String(r.quantity),
    };
    doc.fontSize(10);
    for (const c of COLS) {
      doc.text(cells[c.key], x + 2, y + 5, { width: c.width - 4, height: ROW_H - 4, ellipsis: true, lineBreak: false });
      x += c.width;
    }
    doc
      .moveTo(MARGIN, y + ROW_H)
      .lineTo(A4[0] - MARGIN, y + ROW_H)
      .lineWidth(0.3)
      .stroke();
    y += ROW_H;
  });
  if (rows.length === 0) doc.fontSize(10).text('（本批次没有商品）', MARGIN, y + 5);
  doc.end();
  return new Uint8Array(await done);
}
