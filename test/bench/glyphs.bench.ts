/**
 * Which 1-bit glyph rendering reads best at small sizes: `node test/bench/glyphs.bench.ts`.
 *
 * Address and goods lines are drawn at 7 and 8 pt, 203 dpi, regular and bold, with each candidate
 * GlyphStyle (main/print/render/glyphs.ts), and read back with tesseract (chi_sim). The table gives the
 * share of characters read back (test/support/ocr.ts) and the ink per glyph; the winner is what
 * GLYPH_STYLE uses. Hinting is not a candidate: Skia (@napi-rs/canvas) draws Noto's hinted and unhinted
 * outlines to the same pixels (checked by hashing both), so the font's hints cannot help here.
 */
import { dotsPerMm, PT_MM } from '../../shared/label/index.ts';
import type { TextOp } from '../../shared/label/index.ts';
import { blitText, type GlyphStyle } from '../../main/print/render/glyphs.ts';
import { waybillFonts } from '../../main/print/render/font.ts';
import { encodeMonoPng } from '../../main/print/render/png-encode.ts';
import { charAccuracy, hasChineseOcr, ocrPng } from '../support/ocr.ts';
import { markdownTable } from './stats.ts';

const DPI = 203;
const LINES = [
  '上海市浦东新区张江镇祖冲之路2288弄3号楼',
  '浙江省金华市义乌市北苑街道春晗路58号A区',
  '广东省深圳市南山区科技园南区高新南一道9号',
  '四川省成都市武侯区天府大道北段1700号环球中心',
  '新疆维吾尔自治区乌鲁木齐市天山区解放北路',
  '湖南省长沙市岳麓区麓谷街道桐梓坡西路229号',
  '物品：纯棉T恤 白色/XL ×2；运动短裤 黑色 ×1',
  '加厚珊瑚绒四件套 1.8m床 灰色 ×1 等3件',
  '儿童保温杯 316不锈钢 粉色 500ml ×3',
  '餐具套装 被套 枕套 手套 键盘膜 攀岩鞋',
];

const STYLES: Array<{ name: string; style: GlyphStyle }> = [
  { name: 'threshold 96', style: { threshold: 96, thinStrokes: null } },
  { name: 'threshold 128', style: { threshold: 128, thinStrokes: null } },
  { name: 'threshold 160', style: { threshold: 160, thinStrokes: null } },
  { name: 'threshold 192', style: { threshold: 192, thinStrokes: null } },
  { name: 'threshold 128 + thin strokes', style: { threshold: 128, thinStrokes: 232 } },
  { name: 'threshold 160 + thin strokes', style: { threshold: 160, thinStrokes: 232 } },
  { name: 'threshold 128, whole-pixel sizes', style: { threshold: 128, thinStrokes: null, wholePixelSize: true } },
  { name: 'threshold 160, whole-pixel sizes', style: { threshold: 160, thinStrokes: null, wholePixelSize: true } },
];

function render(sizePt: number, bold: boolean, style: GlyphStyle): { png: Buffer; inkPerGlyph: number } {
  const s = dotsPerMm(DPI);
  const { measure } = waybillFonts();
  const pitchMm = sizePt * PT_MM * 1.6;
  const widthDots = Math.ceil(100 * s);
  const heightDots = Math.ceil((LINES.length + 1) * pitchMm * s);
  const bytesPerRow = Math.ceil(widthDots / 8);
  const rows = new Uint8Array(bytesPerRow * heightDots);
  const op: TextOp = {
    kind: 'text',
    id: 'bench',
    x: 2,
    y: 0,
    w: 96,
    h: heightDots / s,
    sizePt,
    bold,
    inverse: false,
    align: 'left',
    truncated: false,
    lines: LINES.map((text, i) => ({
      text,
      x: 2,
      baseline: (i + 1) * pitchMm,
      width: measure.width(text, sizePt, bold) * PT_MM,
    })),
  };
  blitText(rows, bytesPerRow, widthDots, heightDots, op, DPI, style);
  let ink = 0;
  for (const b of rows) for (let v = b; v; v &= v - 1) ink++;
  const glyphs = LINES.join('').replace(/\s/g, '').length;
  return { png: encodeMonoPng({ widthDots, heightDots, bytesPerRow, rows }, DPI), inkPerGlyph: ink / glyphs };
}

async function main(): Promise<void> {
  if (!(await hasChineseOcr()))
    throw new Error('tesseract with chi_sim is needed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)');
  const started = performance.now();
  const truth = LINES.join('\n');
  const rowsOut: string[][] = [];
  const scores = new Map<string, number[]>();
  for (const { name, style } of STYLES) {
    const cells = [name];
    for (const bold of [false, true]) {
      for (const sizePt of [7, 8]) {
        const { png, inkPerGlyph } = render(sizePt, bold, style);
        const acc = charAccuracy(truth, await ocrPng(png));
        scores.set(name, [...(scores.get(name) ?? []), acc]);
        cells.push(`${(acc * 100).toFixed(1)} % (${inkPerGlyph.toFixed(0)} dots)`);
      }
    }
    const all = scores.get(name)!;
    cells.push(`${((all.reduce((a, b) => a + b, 0) / all.length) * 100).toFixed(1)} %`);
    rowsOut.push(cells);
  }
  console.log(`\n#### 1-bit glyphs at ${DPI} dpi read back by tesseract (chi_sim): characters read (ink per glyph)\n`);
  console.log(
    markdownTable(['glyph style', 'regular 7 pt', 'regular 8 pt', 'bold 7 pt', 'bold 8 pt', 'mean'], rowsOut),
  );
  console.log(
    `\n${LINES.length} lines, ${LINES.join('').replace(/\s/g, '').length} characters per image; ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

await main();
