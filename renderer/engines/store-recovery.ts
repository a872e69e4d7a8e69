/**
 * A station's store can be lost while main is not: the browser wipes a profile it finds damaged after a
 * crash, the worker opens the station in another browser, site data is cleared. Its batches, unsent
 * returns and print log go with it, while main's print journal still has every number written to a
 * printer (and whether the printer took it). A store created now reads that journal once:
 * - a number the hub has issued to this station and not yet returned: its label is `sent` and its
 *   return queued, or `in_doubt` when main never heard back from the printer;
 * - a number the hub has returned: its print log row only;
 * - anything else (cancelled, taken over, not ours): left out — the hub no longer wants it.
 * A store that stays offline reads it when the hub is back.
 */
import { MAX_BATCH } from '../../shared/api/index.ts';
import { PRINTED_LABELS_PAGE, type StationClient } from '../../shared/ipc/index.ts';
import { META, type StationDb } from '../data/db.ts';
import type { BatchRunner, RestoredLabel } from './batch-runner.ts';

export interface StoreRecovery {
  /** Reads the journal if this store still has to; safe to call again (on reconnect). */
  run(): Promise<{ batchIds: number[] } | null>;
}

export function storeRecovery(
  db: StationDb,
  client: StationClient,
  runner: BatchRunner,
  stationId: () => number | null,
): StoreRecovery {
  let running: Promise<{ batchIds: number[] } | null> | null = null;

  async function restore(): Promise<{ batchIds: number[] } | null> {
    if (!(await db.meta.get(META.journalPending))) return null;
    const me = stationId();
    if (me === null) return null;
    const journal = [];
    for (let offset = 0; ; offset += PRINTED_LABELS_PAGE) {
      const page = await client.api.printedLabels({ offset, limit: PRINTED_LABELS_PAGE });
      journal.push(...page.labels);
      if (journal.length >= page.total || page.labels.length === 0) break;
    }
    // The latest number per order: an older one was voided or replaced by the hub.
    const latest = new Map<string, (typeof journal)[number]>();
    for (const l of journal) {
      const seen = latest.get(l.orderSn);
      if (!seen || seen.at <= l.at) latest.set(l.orderSn, l);
    }
    const sns = [...latest.keys()];
    const labels: RestoredLabel[] = [];
    for (let i = 0; i < sns.length; i += MAX_BATCH) {
      const { results } = await client.api.check({ orderSns: sns.slice(i, i + MAX_BATCH) });
      for (const r of results) {
        const returned = r.reason === 'waybill_returned';
        if (!returned && r.claim?.stationId !== me) continue;
        const l = latest.get(r.orderSn)!;
        // A returned number was printed, whatever main last heard from the printer.
        labels.push({ ...l, sent: l.sent || returned, returned });
      }
    }
    labels.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    const settings = await client.api.getSettings({});
    const batchIds = await runner.restoreFromJournal(labels, settings.defaultCourier);
    return { batchIds };
  }

  return {
    run() {
      running ??= restore().finally(() => {
        running = null;
      });
      return running;
    },
  };
}
