/**
 * Statement downloads (对账单下载): CSV and XLSX writers that consume rows as an async iterable and
 * write them to a stream as they come, so a 50,000-row statement never sits in memory. Totals are
 * accumulated on the way and written as the last lines. A row without a settlement price is flagged
 * in its own remark column and in the totals; its amount is left empty, never written as zero.
 */
import { chinaDateTime } from '../../shared/domain/china-time.ts';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { StatementRow } from '../../shared/api/statements.ts';
import { csvField, csvLine } from '../../shared/domain/csv.ts';

import { fenToYuan } from '../../shared/domain/money.ts';

export { csvField, fenToYuan };

export interface StatementExportMeta {
  statementId: number;
  /** Names shown in the title line; shop names only, never consumer data (M10). */
  merchantName: string;
  factoryName: string;
  from: string;
  to: string;
}

export interface StatementTotals {
  orderCount: number;
  rowCount: number;
  totalQuantity: number;
  totalFen: number;
  missingPriceRows: number;
}

export const STATEMENT_COLUMNS = [
  '订单号',
  '商品',
  '规格',
  'SKU ID',
  '数量',
  '结算单价(元)',
  '金额(元)',
  '快递公司',
  '运单号',
  '分配时间',
  '回传时间',
  '备注',
] as const;

export const MISSING_PRICE_NOTE = '缺少结算价格';

/** Adds rows up as they stream past. Rows arrive grouped by order (sorted by sn). */
export class TotalsAccumulator {
  readonly totals: StatementTotals = { orderCount: 0, rowCount: 0, totalQuantity: 0, totalFen: 0, missingPriceRows: 0 };
  private lastSn: string | null = null;

  add(r: StatementRow): void {
    const t = this.totals;
    if (r.orderSn !== this.lastSn) {
      t.orderCount++;
      this.lastSn = r.orderSn;
    }
    t.rowCount++;
    t.totalQuantity += r.quantity;
    if (r.amountFen === null) t.missingPriceRows++;
    else t.totalFen += r.amountFen;
  }
}

function titleLine(meta: StatementExportMeta): string {
  return `对账单 #${meta.statementId}  商家：${meta.merchantName}  厂家：${meta.factoryName}  回传时间：${chinaDateTime(meta.from)} 至 ${chinaDateTime(meta.to)}`;
}

function totalsLine(t: StatementTotals): string {
  const missing = t.missingPriceRows > 0 ? `；${t.missingPriceRows} 行${MISSING_PRICE_NOTE}，未计入金额` : '';
  return `合计：${t.orderCount} 单，${t.rowCount} 行，${t.totalQuantity} 件，金额 ${fenToYuan(t.totalFen)} 元${missing}`;
}

// ------------------------------------------------------------------------------------------ CSV

export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function writeChunk(out: Writable, chunk: string | Buffer): Promise<void> {
  if (out.destroyed) throw new Error('statement download: the stream was closed');
  if (!out.write(chunk)) await drained(out);
}

/**
 * Waits for 'drain', but gives up when the stream closes first (a client that went away):
 * otherwise the writer, its row iterator and its database cursor would wait forever.
 */
async function drained(out: Writable): Promise<void> {
  const ac = new AbortController();
  try {
    await Promise.race([
      once(out, 'drain', { signal: ac.signal }),
      once(out, 'close', { signal: ac.signal }).then(() => {
        throw new Error('statement download: the stream was closed');
      }),
    ]);
  } finally {
    ac.abort();
  }
}

/** UTF-8 with a BOM, so Excel opens the Chinese correctly; CRLF line ends. Honours back-pressure. */
export async function writeStatementCsv(
  rows: AsyncIterable<StatementRow>,
  out: Writable,
  meta: StatementExportMeta,
): Promise<StatementTotals> {
  const acc = new TotalsAccumulator();
  let buf = '\uFEFF' + csvLine([titleLine(meta)]) + csvLine([...STATEMENT_COLUMNS]);
  for await (const r of rows) {
    acc.add(r);
    buf += csvLine([
      r.orderSn,
      r.goodsName,
      r.spec,
      r.skuId,
      r.quantity,
      r.unitPriceFen === null ? null : fenToYuan(r.unitPriceFen),
      r.amountFen === null ? null : fenToYuan(r.amountFen),
      r.courier,
      r.waybillNo,
      chinaDateTime(r.allocatedAt),
      chinaDateTime(r.returnedAt),
      r.unitPriceFen === null ? MISSING_PRICE_NOTE : '',
    ]);
    // Small writes are batched: one write per ~64 KiB keeps the stream overhead low.
    if (buf.length > 32_768) {
      await writeChunk(out, buf);
      buf = '';
      await yieldToEventLoop();
    }
  }
  const t = acc.totals;
  buf += csvLine([
    '合计',
    '',
    '',
    '',
    t.totalQuantity,
    '',
    fenToYuan(t.totalFen),
    '',
    '',
    '',
    '',
    t.missingPriceRows ? `${t.missingPriceRows} 行${MISSING_PRICE_NOTE}` : '',
  ]);
  buf += csvLine([totalsLine(t)]);
  await writeChunk(out, buf);
  return t;
}

// ----------------------------------------------------------------------------------------- XLSX

/**
 * exceljs's streaming WorkbookWriter: each row is committed (serialised into the zip stream) as soon
 * as it is added, and inline strings (no shared-strings table) keep memory flat for any row count.
 */
export async function writeStatementXlsx(
  rows: AsyncIterable<StatementRow>,
  out: Writable,
  meta: StatementExportMeta,
): Promise<StatementTotals> {
  // exceljs takes seconds to load: only a hub that serves an XLSX download pays for it.
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const ws = wb.addWorksheet('对账单', { views: [{ state: 'frozen', ySplit: 2 }] });
  ws.columns = [
    { key: 'sn', width: 22 },
    { key: 'goods', width: 28 },
    { key: 'spec', width: 16 },
    { key: 'sku', width: 14 },
    { key: 'qty', width: 8 },
    { key: 'price', width: 12, style: { numFmt: '0.00' } },
    { key: 'amount', width: 12, style: { numFmt: '0.00' } },
    { key: 'courier', width: 10 },
    { key: 'waybill', width: 18 },
    { key: 'allocated', width: 20 },
    { key: 'returned', width: 20 },
    { key: 'note', width: 14 },
  ];
  ws.addRow([titleLine(meta)]).commit();
  const header = ws.addRow([...STATEMENT_COLUMNS]);
  header.font = { bold: true };
  header.commit();
  const acc = new TotalsAccumulator();
  let n = 0;
  for await (const r of rows) {
    acc.add(r);
    const row = ws.addRow([
      r.orderSn,
      r.goodsName,
      r.spec,
      r.skuId,
      r.quantity,
      r.unitPriceFen === null ? null : r.unitPriceFen / 100,
      r.amountFen === null ? null : r.amountFen / 100,
      r.courier,
      r.waybillNo,
      chinaDateTime(r.allocatedAt),
      chinaDateTime(r.returnedAt),
      r.unitPriceFen === null ? MISSING_PRICE_NOTE : null,
    ]);
    if (r.unitPriceFen === null) row.getCell(12).font = { color: { argb: 'FFC00000' }, bold: true };
    row.commit();
    // Let the zip stream drain into `out` now and then instead of queueing the whole sheet.
    if (++n % 500 === 0) {
      // Rows can arrive through microtasks only (SQLite is synchronous under Kysely's promises), and
      // exceljs hands its zip output to `out` from the event loop: yield to it, or the whole file
      // would pile up in memory while other requests wait.
      await yieldToEventLoop();
      if (out.destroyed) throw new Error('statement download: the stream was closed');
      if (out.writableNeedDrain) await drained(out);
    }
  }
  const t = acc.totals;
  const totalRow = ws.addRow([
    '合计',
    null,
    null,
    null,
    t.totalQuantity,
    null,
    t.totalFen / 100,
    null,
    null,
    null,
    null,
    t.missingPriceRows ? `${t.missingPriceRows} 行${MISSING_PRICE_NOTE}` : null,
  ]);
  totalRow.font = { bold: true };
  totalRow.commit();
  ws.addRow([totalsLine(t)]).commit();
  ws.commit();
  await wb.commit();
  return t;
}
