/**
 * A test client of the hub's station event stream (GET /v1/station/events): it keeps every event with
 * the moment it arrived, counts heartbeats, and waits for the next event that matches.
 */
import { performance } from 'node:perf_hooks';
import {
  SseParser,
  STATION_EVENTS_PATH,
  toStreamEvent,
  type StationStreamEvent,
} from '../../../shared/api/station-events.ts';

export interface ReceivedEvent {
  event: StationStreamEvent;
  /** performance.now() when its bytes arrived. */
  at: number;
}

export interface EventStream {
  status: number;
  headers: Headers;
  /** The error body when the hub refused the stream. */
  refusal: unknown;
  readonly events: ReceivedEvent[];
  readonly heartbeats: number;
  /** Resolves when the hub ends the stream (or it breaks). */
  ended: Promise<void>;
  /** The first event after index `from` (default: any not yet seen by a previous next()) that matches. */
  next(match?: (e: StationStreamEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  close(): void;
}

export async function openEventStream(baseUrl: string, token: string): Promise<EventStream> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}${STATION_EVENTS_PATH}`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    signal: abort.signal,
  });
  const events: ReceivedEvent[] = [];
  let heartbeats = 0;
  let seen = 0;
  const waiters = new Set<() => void>();
  const wake = () => waiters.forEach((w) => w());
  let ended: Promise<void> = Promise.resolve();
  let refusal: unknown = null;
  if (!res.ok || !res.body) {
    refusal = await res.json().catch(() => null);
  } else {
    const reader = res.body.getReader();
    ended = (async () => {
      const parser = new SseParser();
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const at = performance.now();
          const text = decoder.decode(value, { stream: true });
          heartbeats += text.split(': hb\n\n').length - 1;
          for (const m of parser.push(text)) {
            const e = toStreamEvent(m);
            if (e) events.push({ event: e, at });
          }
          wake();
        }
      } catch {
        // aborted or cut: the stream has ended either way
      }
      wake();
    })();
  }
  let finished = false;
  void ended.then(() => (finished = true));
  return {
    status: res.status,
    headers: res.headers,
    refusal,
    events,
    get heartbeats() {
      return heartbeats;
    },
    ended,
    async next(match = () => true, timeoutMs = 5000) {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        for (; seen < events.length; seen++) {
          if (match(events[seen]!.event)) return events[seen++]!;
        }
        if (finished) throw new Error('the event stream ended');
        const left = deadline - performance.now();
        if (left <= 0)
          throw new Error(
            `no matching event within ${timeoutMs} ms (got ${JSON.stringify(events.map((e) => e.event))})`,
          );
        await new Promise<void>((resolve) => {
          const t = setTimeout(done, left);
          function done() {
            clearTimeout(t);
            waiters.delete(done);
            resolve();
          }
          waiters.add(done);
        });
      }
    },
    close: () => abort.abort(),
  };
}
