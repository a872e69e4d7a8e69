import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPrintJournal, type JournalRecord } from '../../../main/station/print-journal.ts';

const rec = (
  waybillNo: string,
  orderSn: string,
  at: string,
  printerId: string,
  more: Partial<JournalRecord> = {},
): JournalRecord => ({ waybillNo, orderSn, at, printerId, courier: 'ZTO', unverified: false, ...more });

describe('print journal', () => {
  const dirs: string[] = [];
  const file = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'daifa-journal-'));
    dirs.push(dir);
    return path.join(dir, 'print-journal.log');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('keeps which numbers the printer took, on which printer, across a reopen', async () => {
    const f = file();
    const j = await openPrintJournal(f);
    await j.record(rec('YT0000000001', 'SN1', '2026-11-30T01:00:00.000Z', 'p1'));
    await j.markSent('YT0000000001');
    await j.record(rec('YT0000000002', 'SN2', '2026-11-30T01:00:01.000Z', 'p1'));
    await j.record(rec('YT0000000003', 'SN3', '2026-11-30T01:00:02.000Z', 'p2'));
    await j.void('YT0000000003');
    await j.close();

    const again = await openPrintJournal(f);
    const entry = { printerId: 'p1', unverified: false, courier: 'ZTO' };
    expect(again.entries()).toEqual([
      { ...entry, waybillNo: 'YT0000000001', orderSn: 'SN1', at: '2026-11-30T01:00:00.000Z', sent: true },
      { ...entry, waybillNo: 'YT0000000002', orderSn: 'SN2', at: '2026-11-30T01:00:01.000Z', sent: false },
    ]);
    expect(again.has('YT0000000003')).toBe(false);
    await again.close();
  });

  it('skips a line torn by a crash mid-append', async () => {
    const f = file();
    const j = await openPrintJournal(f);
    await j.record(rec('YT0000000001', 'SN1', '2026-11-30T01:00:00.000Z', 'p1'));
    await j.close();
    appendFileSync(f, 'YT0000000002\tSN');
    const again = await openPrintJournal(f);
    expect(again.entries().map((e) => e.waybillNo)).toEqual(['YT0000000001']);
    await again.close();
  });

  it('drops entries older than 60 days on reopen and keeps the rest with their sent marks', async () => {
    const f = file();
    const j = await openPrintJournal(f, () => new Date('2026-09-01T00:00:00Z'));
    await j.record(rec('YT0000000001', 'SN1', '2026-09-01T00:00:00.000Z', 'p1'));
    await j.record(rec('YT0000000002', 'SN2', '2026-11-29T00:00:00.000Z', 'p1', { unverified: true }));
    await j.markSent('YT0000000002');
    await j.close();

    const again = await openPrintJournal(f, () => new Date('2026-11-30T00:00:00Z'));
    expect(again.entries()).toEqual([
      {
        waybillNo: 'YT0000000002',
        orderSn: 'SN2',
        at: '2026-11-29T00:00:00.000Z',
        printerId: 'p1',
        sent: true,
        unverified: true,
        courier: 'ZTO',
      },
    ]);
    await again.close();
    expect(readFileSync(f, 'utf8')).not.toContain('YT0000000001');
  });

  it('keeps each label’s courier and whether it printed unverified (offline); older lines read without them', async () => {
    const f = file();
    const j = await openPrintJournal(f);
    await j.record(rec('YT0000000001', 'SN1', '2026-11-30T01:00:00.000Z', 'p1', { unverified: true }));
    await j.record(rec('YT0000000002', 'SN2', '2026-11-30T01:00:01.000Z', 'p1', { courier: 'YUNDA' }));
    await j.close();
    appendFileSync(f, 'YT0000000003\tSN3\t2026-11-30T01:00:02.000Z\tp1\n');
    const again = await openPrintJournal(f);
    expect(again.entries().map((e) => [e.waybillNo, e.unverified, e.courier])).toEqual([
      ['YT0000000001', true, 'ZTO'],
      ['YT0000000002', false, 'YUNDA'],
      ['YT0000000003', false, null],
    ]);
    await again.close();
  });
});
