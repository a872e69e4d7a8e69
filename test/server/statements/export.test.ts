import { PassThrough, Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { StatementRow } from '../../../shared/api/statements.ts';
import { chinaDateTime } from '../../../shared/domain/china-time.ts';
import {
  csvField,
  fenToYuan,
  writeStatementCsv,
  writeStatementXlsx,
} from '../../../server/statements/statement-export.ts';

const meta = {
  statementId: 7,
  merchantName: '小李服饰',
  factoryName: '义乌一号厂',
  from: '2026-11-01T00:00:00+08:00',
  to: '2026-12-01T00:00:00+08:00',
};

function row(i: number, over: Partial<StatementRow> = {}): StatementRow {
  return {
    orderSn: `SN${String(Math.floor(i / 2)).padStart(8, '0')}`,
    goodsName: '纯棉T恤',
    spec: '白色 XL',
    skuId: `SKU${i % 5}`,
    quantity: 2,
    unitPriceFen: 1250,
    amountFen: 2500,
    courier: 'ZTO',
    waybillNo: `7310000${String(i).padStart(5, '0')}`,
    allocatedAt: '2026-11-26T16:30:00.000Z',
    returnedAt: '2026-11-27T01:02:03.000Z',
    ...over,
  };
}

async function* gen(rows: StatementRow[]): AsyncGenerator<StatementRow> {
  for (const r of rows) yield r;
}

function collect(): { out: PassThrough; done: Promise<Buffer> } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((res) => out.on('end', () => res(Buffer.concat(chunks))));
  return { out, done };
}

const rows = [
  row(0),
  row(1, { goodsName: '=HYPERLINK("x")', spec: '红色, "大码"\n加厚' }),
  row(2, { unitPriceFen: null, amountFen: null, skuId: 'NOPRICE' }),
  row(3, { quantity: 3, unitPriceFen: 999, amountFen: 2997 }),
];

describe('statement CSV', () => {
  it('is UTF-8 with BOM, quotes properly, flags a missing price and ends with totals', async () => {
    const { out, done } = collect();
    const totals = await writeStatementCsv(gen(rows), out, meta);
    out.end();
    const buf = await done;
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = buf.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toContain('小李服饰');
    expect(lines[1]).toBe('订单号,商品,规格,SKU ID,数量,结算单价(元),金额(元),快递公司,运单号,分配时间,回传时间,备注');
    expect(lines[2]).toBe(
      'SN00000000,纯棉T恤,白色 XL,SKU0,2,12.50,25.00,ZTO,731000000000,2026-11-27 00:30:00,2026-11-27 09:02:03,',
    );
    // Formula neutralised, comma/quote/newline quoted.
    expect(text).toContain(`"'=HYPERLINK(""x"")","红色, ""大码""\n加厚"`);
    expect(text).toContain(
      'SN00000001,纯棉T恤,白色 XL,NOPRICE,2,,,ZTO,731000000002,2026-11-27 00:30:00,2026-11-27 09:02:03,缺少结算价格',
    );
    expect(totals).toEqual({
      orderCount: 2,
      rowCount: 4,
      totalQuantity: 9,
      totalFen: 2500 + 2500 + 2997,
      missingPriceRows: 1,
    });
    expect(text).toContain('合计,,,,9,,79.97,,,,,1 行缺少结算价格');
    expect(text).toContain('合计：2 单，4 行，9 件，金额 79.97 元；1 行缺少结算价格，未计入金额');
  });

  it('helpers: exact fen→yuan, China time, field quoting', () => {
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(123456789)).toBe('1234567.89');
    expect(chinaDateTime('2026-11-27T16:00:00Z')).toBe('2026-11-28 00:00:00');
    expect(csvField('-1+1')).toBe("'-1+1");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
  });
});

describe('statement XLSX', () => {
  it('opens in a spreadsheet reader with the rows, the flag and the totals', async () => {
    const { out, done } = collect();
    const totals = await writeStatementXlsx(gen(rows), out, meta);
    out.end();
    const buf = await done;
    expect(buf.subarray(0, 2).toString()).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('对账单')!;
    expect(ws.getRow(2).getCell(1).value).toBe('订单号');
    expect(ws.getRow(3).getCell(6).value).toBe(12.5);
    expect(ws.getRow(3).getCell(7).value).toBe(25);
    expect(ws.getRow(4).getCell(2).value).toBe('=HYPERLINK("x")'); // a string cell, not a formula
    expect(ws.getRow(5).getCell(6).value).toBeNull();
    expect(ws.getRow(5).getCell(12).value).toBe('缺少结算价格');
    expect(ws.getRow(7).getCell(1).value).toBe('合计');
    expect(ws.getRow(7).getCell(7).value).toBeCloseTo(79.97, 5);
    expect(String(ws.getRow(8).getCell(1).value)).toContain('1 行缺少结算价格');
    expect(totals.rowCount).toBe(4);
  });
});

describe('streaming', () => {
  it('writes 50,000 rows without holding them: heap stays flat', async () => {
    const N = 50_000;
    async function* many(): AsyncGenerator<StatementRow> {
      for (let i = 0; i < N; i++) yield row(i);
    }
    for (const [write, minBytes] of [
      [writeStatementCsv, N * 50],
      [writeStatementXlsx, N * 5], // zipped
    ] as const) {
      let bytes = 0;
      let peak = 0;
      const sink = new Writable({
        highWaterMark: 64 * 1024,
        write(chunk: Buffer, _enc, cb) {
          bytes += chunk.length;
          setImmediate(cb); // a slow consumer, so back-pressure matters
        },
      });
      global.gc?.();
      const base = process.memoryUsage().heapUsed;
      const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed - base)), 5);
      const t = await write(many(), sink, meta);
      clearInterval(timer);
      await new Promise<void>((res) => sink.end(res));
      expect(t.rowCount).toBe(N);
      expect(bytes).toBeGreaterThan(minBytes);
      // 50,000 rows as objects would be tens of MiB; streaming stays well below that.
      expect(peak).toBeLessThan(48 * 1024 * 1024);
    }
  }, 60_000);
});

describe('a consumer that goes away', () => {
  it('makes the writers stop with an error instead of waiting for a drain that never comes', async () => {
    for (const write of [writeStatementCsv, writeStatementXlsx]) {
      let produced = 0;
      async function* endless(): AsyncGenerator<StatementRow> {
        for (;;) {
          produced++;
          yield row(produced);
        }
      }
      // A sink that never finishes a write, then is destroyed (the HTTP client disconnected).
      const sink = new Writable({ highWaterMark: 1024, write() {} });
      setTimeout(() => sink.destroy(), 50);
      await expect(write(endless(), sink, meta)).rejects.toThrow(/closed|destroyed/);
      expect(produced).toBeLessThan(1_000_000);
    }
  }, 20_000);
});
