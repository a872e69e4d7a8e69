/**
 * The numbers this station has written to a printer, kept by main so that the guard refuses a second
 * label for the same number whatever the renderer asks (a stale queue, a wiped profile, a second tab):
 * a reprint needs the worker's explicit action. An entry is made durable *before* the label's bytes
 * are written, so a crash can only leave a number journaled that did not print (the renderer shows that
 * label as in doubt), never one printed and forgotten. It holds tracking and order numbers only, no
 * consumer data.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';

export interface JournalEntry {
  orderSn: string;
  at: string;
}

export interface PrintJournal {
  has(waybillNo: string): boolean;
  get(waybillNo: string): JournalEntry | undefined;
  /** Appends and fsyncs. */
  record(waybillNo: string, orderSn: string, at: string): Promise<void>;
  /** Takes a number back after its job failed before the printer had it. */
  void(waybillNo: string): Promise<void>;
  close(): Promise<void>;
}

/** Entries older than this are dropped when the journal is reopened: long after any return or reprint. */
const KEEP_DAYS = 60;
const VOID = '-void-';

export async function openPrintJournal(file: string, now: () => Date = () => new Date()): Promise<PrintJournal> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const entries = new Map<string, JournalEntry>();
  let text = '';
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const horizon = now().getTime() - KEEP_DAYS * 86_400_000;
  let dropped = 0;
  for (const line of text.split('\n')) {
    // A torn last line (crash mid-append) has fewer fields: it was never acknowledged, skip it.
    const [waybillNo, orderSn, at] = line.split('\t');
    if (waybillNo && orderSn === VOID) {
      entries.delete(waybillNo);
      continue;
    }
    if (!waybillNo || !orderSn || !at || Number.isNaN(Date.parse(at))) continue;
    if (Date.parse(at) < horizon) {
      dropped++;
      continue;
    }
    entries.set(waybillNo, { orderSn, at });
  }
  if (dropped > 0) {
    const kept = [...entries].map(([w, e]) => `${w}\t${e.orderSn}\t${e.at}\n`).join('');
    const tmp = `${file}.tmp`;
    await fsp.writeFile(tmp, kept);
    await fsp.rename(tmp, file);
  }
  const fh = await fsp.open(file, 'a');
  let queue = Promise.resolve();
  const append = (line: string, apply: () => void) => {
    const run = queue.then(async () => {
      await fh.write(line);
      await fh.datasync();
      apply();
    });
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    has: (w) => entries.has(w),
    get: (w) => entries.get(w),
    record: (waybillNo, orderSn, at) =>
      append(`${waybillNo}\t${orderSn}\t${at}\n`, () => entries.set(waybillNo, { orderSn, at })),
    void: (waybillNo) => append(`${waybillNo}\t${VOID}\t${now().toISOString()}\n`, () => entries.delete(waybillNo)),
    close: () => fh.close(),
  };
}
