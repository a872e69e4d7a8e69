/**
 * The settlement price file (结算价格 CSV) a factory exports and imports. One format for both
 * directions: export writes it, import reads it back unchanged. A bad line is reported with its
 * line number (1 = the header line) and the whole file is refused, so nothing is half-imported.
 */
import { csvLine, splitCsvLine } from './csv.ts';
import { fenToYuan, yuanToFen } from './money.ts';

export const PRICE_CSV_COLUMNS = ['商家店铺ID', 'SKU ID', '结算价格(元)', '商品', '规格'] as const;
const REQUIRED = PRICE_CSV_COLUMNS.slice(0, 3);

export interface PriceCsvRow {
  merchantShopId: number;
  skuId: string;
  priceFen: number;
  /** The line it came from, for messages about it. */
  line: number;
}

export interface PriceCsvExportRow {
  merchantShopId: number;
  skuId: string;
  priceFen: number;
  goodsName?: string;
  spec?: string;
}

export type PriceCsvResult = { ok: true; rows: PriceCsvRow[] } | { ok: false; line: number; message: string };

export function formatPriceCsv(rows: readonly PriceCsvExportRow[]): string {
  let out = '\uFEFF' + csvLine([...PRICE_CSV_COLUMNS]);
  for (const r of rows) {
    out += csvLine([String(r.merchantShopId), r.skuId, fenToYuan(r.priceFen), r.goodsName ?? '', r.spec ?? '']);
  }
  return out;
}

export function parsePriceCsv(text: string, maxRows = Infinity): PriceCsvResult {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const fail = (line: number, message: string): PriceCsvResult => ({
    ok: false,
    line,
    message: `第 ${line} 行：${message}`,
  });
  const header = splitCsvLine(lines[0] ?? '');
  if (!header) return fail(1, '表头的引号不成对');
  const col = REQUIRED.map((name) => header.findIndex((h) => h.trim() === name));
  const missing = REQUIRED.filter((_, i) => col[i] === -1);
  if (missing.length > 0) return fail(1, `表头缺少列：${missing.join('、')}（应为 ${PRICE_CSV_COLUMNS.join(',')}）`);
  const [mCol, skuCol, priceCol] = col as [number, number, number];
  const rows: PriceCsvRow[] = [];
  const seen = new Map<string, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const raw = lines[i]!;
    if (raw.trim() === '') continue;
    const fields = splitCsvLine(raw);
    if (!fields) return fail(line, '引号不成对');
    const merchantText = (fields[mCol] ?? '').trim();
    const skuId = (fields[skuCol] ?? '').trim();
    const priceText = (fields[priceCol] ?? '').trim();
    const merchantShopId = /^\d{1,10}$/.test(merchantText) ? Number(merchantText) : NaN;
    if (!(merchantShopId >= 1 && merchantShopId <= 2_147_483_647)) {
      return fail(line, `商家店铺ID「${merchantText}」不是有效的店铺ID`);
    }
    if (skuId === '' || skuId.length > 64) return fail(line, 'SKU ID 不能为空，且不超过 64 个字符');
    const priceFen = yuanToFen(priceText);
    if (priceFen === null || priceFen > 100_000_000) {
      return fail(line, `结算价格「${priceText}」无效：应为不小于 0 的金额（元），最多两位小数`);
    }
    const key = `${merchantShopId}\u0000${skuId}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) return fail(line, `与第 ${earlier} 行重复（同一商家同一 SKU）`);
    seen.set(key, line);
    rows.push({ merchantShopId, skuId, priceFen, line });
    if (rows.length > maxRows) return fail(line, `一次最多导入 ${maxRows} 行`);
  }
  if (rows.length === 0) return fail(lines.length > 1 ? 2 : 1, '文件中没有价格行');
  return { ok: true, rows };
}
