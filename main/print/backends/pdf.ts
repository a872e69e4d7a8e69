/**
 * PDF backend: pdfkit, one page per label (× copies), text in the shipped CJK font and both codes
 * as VECTOR rectangles (bwip-js encodes, we draw each bar and each run of QR modules as a filled rect).
 *
 * The font is never re-read: pdfkit accepts the fontkit object parsed once per process
 * (render/font.ts) and embeds only the glyphs each document uses (a CID subset, pdffonts: emb yes, sub yes).
 * Module widths are whole printer dots at opts.dpi, so a driver printing the PDF at that resolution
 * does not round bars unevenly.
 */
import PDFDocument from 'pdfkit';
import type { Code128Op, LabelData, LabelLayout, QrOp } from '../../../shared/label/index.ts';
import { dotsToMm, placeCode128, placeQr, PT_MM } from '../../../shared/label/index.ts';
import type { LabelBackend, RenderedLabels, RenderOptions } from '../backend.ts';
import { normalizeOptions, prepareLabel } from '../backend.ts';
import { code128Pattern, qrMatrix, qrRuns } from '../render/barcodes.ts';
import { faceRuns, unshapedFont, waybillFonts } from '../render/font.ts';
import type { LoadedFace } from '../render/font.ts';

const pt = (mm: number) => mm / PT_MM;

type Doc = PDFKit.PDFDocument;
type FontSource = Parameters<Doc['registerFont']>[1];

/** `createdAt` is the labels' print time, so the same job always gives the same bytes. */
function newDocument(widthMm: number, heightMm: number, createdAt: Date): Doc {
  const fonts = waybillFonts();
  const regular = unshapedFont(fonts.regular) as unknown as FontSource;
  const doc = new PDFDocument({
    // Our font as the default: otherwise pdfkit parses Helvetica's AFM for every document.
    font: regular as unknown as string,
    size: [pt(widthMm), pt(heightMm)],
    margin: 0,
    autoFirstPage: false,
    compress: true,
    info: { Title: 'Daifa waybill labels', Producer: 'Daifa', Creator: 'Daifa', CreationDate: createdAt },
  });
  // pdfkit takes an already parsed fontkit font (it checks for .layout): no file read, no re-parse.
  registerFace(doc, fonts.regular);
  registerFace(doc, fonts.bold);
  return doc;
}

/** The faces each document has registered (fallback faces join when a label first uses them). */
const docFaces = new WeakMap<Doc, Set<string>>();

/** Registers a face with the document under its family name, once; returns the name. */
function registerFace(doc: Doc, face: LoadedFace): string {
  let names = docFaces.get(doc);
  if (!names) {
    names = new Set();
    docFaces.set(doc, names);
  }
  if (!names.has(face.family)) {
    doc.registerFont(face.family, unshapedFont(face) as unknown as FontSource);
    names.add(face.family);
  }
  return face.family;
}

function drawCode128(doc: Doc, op: Code128Op, dpi: number): void {
  const pattern = code128Pattern(op.value);
  const p = placeCode128(op, dpi, pattern.modules);
  const m = pt(dotsToMm(p.moduleDots, dpi));
  const x0 = pt(dotsToMm(p.xDots, dpi));
  const y0 = pt(dotsToMm(p.yDots, dpi));
  const h = pt(dotsToMm(p.heightDots, dpi));
  for (const [start, width] of pattern.bars) doc.rect(x0 + start * m, y0, width * m, h);
  doc.fill('#000');
}

function drawQr(doc: Doc, op: QrOp, dpi: number): void {
  const matrix = qrMatrix(op.value);
  const p = placeQr(op, dpi, matrix.size);
  const m = pt(dotsToMm(p.moduleDots, dpi));
  const x0 = pt(dotsToMm(p.xDots, dpi));
  const y0 = pt(dotsToMm(p.yDots, dpi));
  for (const [x, y, len] of qrRuns(matrix)) doc.rect(x0 + x * m, y0 + y * m, len * m, m);
  doc.fill('#000');
}

export function drawLayoutPdf(doc: Doc, layout: LabelLayout, dpi: number): void {
  for (const op of layout.ops) {
    switch (op.kind) {
      case 'rect':
        if (op.fill) doc.rect(pt(op.x), pt(op.y), pt(op.w), pt(op.h)).fill('#000');
        else {
          const inset = op.strokeMm / 2; // keep the stroke inside the box, as the rasters do
          doc
            .lineWidth(pt(op.strokeMm))
            .rect(pt(op.x + inset), pt(op.y + inset), pt(op.w - op.strokeMm), pt(op.h - op.strokeMm))
            .stroke('#000');
        }
        break;
      case 'line':
        doc.lineWidth(pt(op.strokeMm)).moveTo(pt(op.x1), pt(op.y1)).lineTo(pt(op.x2), pt(op.y2)).stroke('#000');
        break;
      case 'text': {
        doc.fontSize(op.sizePt).fillColor(op.inverse ? '#fff' : '#000');
        const { measure } = waybillFonts();
        for (const line of op.lines) {
          // One run per face: a rare character comes from a fallback face, placed at the advance the
          // layout measured, so the line is as wide as the layout fitted it.
          let x = pt(line.x);
          for (const run of faceRuns(line.text, op.bold)) {
            doc.font(registerFace(doc, run.face));
            doc.text(run.text, x, pt(line.baseline), { baseline: 'alphabetic', lineBreak: false });
            x += measure.width(run.text, op.sizePt, op.bold);
          }
        }
        break;
      }
      case 'code128':
        drawCode128(doc, op, dpi);
        break;
      case 'qr':
        drawQr(doc, op, dpi);
        break;
    }
  }
}

function collect(doc: Doc): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

export async function renderPdf(
  labels: readonly LabelData[],
  options: Partial<RenderOptions>,
): Promise<RenderedLabels> {
  const opts = normalizeOptions(options);
  const prepared = labels.map((d) => prepareLabel(d, opts));
  const first = prepared[0]?.layout;
  const createdAt = labels[0] ? new Date(labels[0].printedAt) : new Date(0);
  const doc = newDocument(first?.widthMm ?? 100, first?.heightMm ?? 180, createdAt);
  const done = collect(doc);
  for (const { layout } of prepared) {
    for (let c = 0; c < opts.copies; c++) {
      doc.addPage({ size: [pt(layout.widthMm), pt(layout.heightMm)], margin: 0 });
      drawLayoutPdf(doc, layout, opts.dpi);
    }
  }
  if (prepared.length === 0) doc.addPage(); // a valid, empty document rather than a broken one
  doc.end();
  return { bytes: await done, mimeType: 'application/pdf', reports: prepared.map((p) => p.report) };
}

export const pdfBackend: LabelBackend = {
  format: 'pdf',
  mimeType: 'application/pdf',
  fileExtension: 'pdf',
  render: renderPdf,
};
