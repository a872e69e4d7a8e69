/**
 * Point lookups and counters that every request makes (its caller, its rate-limit count), coalesced:
 * while a statement is in flight, the calls that arrive wait and then go together in the next one.
 * Each caller still gets its own answer, read or counted in the database before it goes on; only the
 * number of round trips changes — one per batch instead of one per request — which is what a busy
 * PostgreSQL hub spends its time on (ARCHITECTURE.md, "The hub at scale"). With nothing in flight
 * a call goes at once, so a quiet hub pays no delay.
 */
export interface BatchOptions {
  /** Statements of this kind in flight at once. */
  maxInFlight: number;
  /** Calls per statement at most. */
  maxBatch: number;
}

interface Waiting<K, V> {
  key: K;
  resolve: (v: V) => void;
  reject: (e: unknown) => void;
}

/** `run` answers a batch of keys in order (the same key may come twice); the result is one call per key. */
export function batched<K, V>(run: (keys: K[]) => Promise<V[]>, opts: BatchOptions): (key: K) => Promise<V> {
  const queue: Waiting<K, V>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    while (inFlight < opts.maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, opts.maxBatch);
      inFlight++;
      run(batch.map((w) => w.key))
        .then(
          (values) => batch.forEach((w, i) => w.resolve(values[i]!)),
          (e) => batch.forEach((w) => w.reject(e)),
        )
        .finally(() => {
          inFlight--;
          flush();
        });
    }
  };

  return (key) =>
    new Promise<V>((resolve, reject) => {
      queue.push({ key, resolve, reject });
      // Calls made in the same turn of the event loop go together even when nothing is in flight.
      if (!scheduled) {
        scheduled = true;
        queueMicrotask(flush);
      }
    });
}
