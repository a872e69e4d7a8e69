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
import { CourierSchema } from '../../shared/api/common.ts';
import type { Courier } from '../../shared/domain/types.ts';

export interface JournalEntry {
  orderSn: string;
  at: string;
  /** The printer the bytes went to (null in entries written before printers were recorded). */
  printerId: string | null;
  /**
   * The printer took the bytes. Written without an fsync: a process crash keeps it (the kernel has it),
   * a power cut may not, and then the label only counts as in doubt.
   */
  sent: boolean;
  /** Printed offline under the grace policy, with the guard's answer from before the hub went away. */
  unverified: boolean;
  /** The number's courier (null in entries written before couriers were recorded). */
  courier: Courier | null;
}

/** What is recorded of a label before its bytes go to the printer. */
export interface JournalRecord {
  waybillNo: string;
  orderSn: string;
  at: string;
  printerId: string;
  courier: Courier;
  unverified: boolean;
}

export interface PrintJournal {
  has(waybillNo: string): boolean;
  get(waybillNo: string): JournalEntry | undefined;
  /** Every number written to a printer and not taken back, oldest first. */
  entries(): Array<JournalEntry & { waybillNo: string }>;
  /** Appends and fsyncs. */
  record(r: JournalRecord): Promise<void>;
  /** The printer took the number's bytes. */
  markSent(waybillNo: string): Promise<void>;
  /** Takes a number back after its job failed before the printer had it. */
  void(waybillNo: string): Promise<void>;
  close(): Promise<void>;
}

/** Entries older than this are dropped when the journal is reopened: long after any return or reprint. */
const KEEP_DAYS = 60;
const VOID = '-void-';
const SENT = '-sent-';
const UNVERIFIED = 'u';

/**
 * An entry's line: number, order, time, printer, flags (`u`: printed unverified, offline) and courier.
 * Lines written before the last two fields existed have four.
 */
function recordLine(w: string, e: Omit<JournalEntry, 'sent'>): string {
  return `${w}\t${e.orderSn}\t${e.at}\t${e.printerId ?? ''}\t${e.unverified ? UNVERIFIED : ''}\t${e.courier ?? ''}\n`;
}

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
    // A torn last line (crash mid-append) has fewer fields: it was never acknowledged, skip it. (Torn
    // in its last fields, it reads with fewer facts: a label whose bytes were never written anyway.)
    const [waybillNo, orderSn, at, printerId, flags, courier] = line.split('\t');
    if (waybillNo && orderSn === VOID) {
      entries.delete(waybillNo);
      continue;
    }
    if (waybillNo && orderSn === SENT) {
      const e = entries.get(waybillNo);
      if (e) e.sent = true;
      continue;
    }
    if (!waybillNo || !orderSn || !at || Number.isNaN(Date.parse(at))) continue;
    if (Date.parse(at) < horizon) {
      dropped++;
      continue;
    }
    entries.set(waybillNo, {
      orderSn,
      at,
      printerId: printerId || null,
      sent: false,
      unverified: flags === UNVERIFIED,
      courier: CourierSchema.safeParse(courier).data ?? null,
    });
  }
  if (dropped > 0) {
    const kept = [...entries]
      .map(([w, e]) => `${recordLine(w, e)}${e.sent ? `${w}\t${SENT}\t${e.at}\n` : ''}`)
      .join('');
    const tmp = `${file}.tmp`;
    await fsp.writeFile(tmp, kept);
    await fsp.rename(tmp, file);
  }
  const fh = await fsp.open(file, 'a');
  let queue = Promise.resolve();
  const append = (line: string, apply: () => void, sync = true) => {
    const run = queue.then(async () => {
      await fh.write(line);
      if (sync) await fh.datasync();
      apply();
    });
    queue = run.catch(() => undefined);
    return run;
  };
  return {
    has: (w) => entries.has(w),
    get: (w) => entries.get(w),
    entries: () => [...entries].map(([waybillNo, e]) => ({ waybillNo, ...e })),
    record: ({ waybillNo, ...r }) => {
      const entry: JournalEntry = { ...r, sent: false };
      return append(recordLine(waybillNo, entry), () => entries.set(waybillNo, entry));
    },
    markSent: (waybillNo) =>
      append(
        `${waybillNo}\t${SENT}\t${now().toISOString()}\n`,
        () => {
          const e = entries.get(waybillNo);
          if (e) e.sent = true;
        },
        false,
      ),
    void: (waybillNo) => append(`${waybillNo}\t${VOID}\t${now().toISOString()}\n`, () => entries.delete(waybillNo)),
    close: () => fh.close(),
  };
}
