/**
 * main's end of the hub's push channel (GET /v1/station/events, shared/api/station-events.ts): once the
 * station is paired, main holds the stream open with the station token — which never leaves main —
 * and tells the windows `feedChanged` when the hub says the factory's feed moved, when the stream opens
 * (what changed while it was closed was not pushed: pull) and when it closes (back to polling at the
 * normal pace). Polling stays the fallback throughout; the stream only makes a change arrive sooner.
 *
 * The stream is reopened whenever it ends or breaks — a hub restart, a proxy cutting an idle
 * connection, a network change — after a jittered backoff that grows while the hub cannot be reached
 * (0.5 s doubling to 30 s), and at once when the hub link sees the hub answer again (`retryNow`). A
 * stream on which nothing arrives for three heartbeats is dead though still open (a proxy or NAT that
 * dropped it silently): it is cut and reopened. A successful stream proves the hub reachable.
 */
import { SseParser, STATION_EVENTS_PATH, toStreamEvent } from '../../shared/api/station-events.ts';

export interface HubEventsOptions {
  fetch?: typeof fetch;
  now?: () => Date;
  /** First pause before reopening a failed stream; it doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** The least silence (no byte, not even a heartbeat) after which an open stream counts as dead. */
  minSilenceMs?: number;
  /** The feed changed, or the stream opened or closed. */
  onFeedChanged(e: { at: string; live: boolean }): void;
  /** The stream is open: the hub answers. */
  onReachable?(): void;
  log?(line: string): void;
}

export interface HubEvents {
  /** Whether the stream is open now. */
  readonly live: boolean;
  /** Where and as whom to listen; null stops listening (not paired). */
  configure(baseUrl: string | null, token: string | null): void;
  /** The hub answered elsewhere: if the stream is waiting to reopen, reopen it now. */
  retryNow(): void;
  close(): void;
}

export function createHubEvents(opts: HubEventsOptions): HubEvents {
  const doFetch = opts.fetch ?? fetch;
  const now = opts.now ?? (() => new Date());
  const minBackoff = opts.minBackoffMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const minSilence = opts.minSilenceMs ?? 5_000;
  const log = opts.log ?? (() => undefined);
  let target: { baseUrl: string; token: string } | null = null;
  let live = false;
  let failures = 0;
  let closed = false;
  let abort: AbortController | null = null;
  let retry: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;

  const setLive = (next: boolean) => {
    if (next === live) return;
    live = next;
    opts.onFeedChanged({ at: now().toISOString(), live });
  };

  const schedule = () => {
    if (closed || !target || retry) return;
    const base = Math.min(maxBackoff, minBackoff * 2 ** Math.min(failures, 16));
    failures++;
    retry = setTimeout(
      () => {
        retry = null;
        start();
      },
      base / 2 + Math.random() * (base / 2),
    );
    retry.unref?.();
  };

  const start = () => {
    if (closed || !target || running) return;
    const t = target;
    const ctl = new AbortController();
    abort = ctl;
    running = listen(t, ctl).finally(() => {
      running = null;
      abort = null;
      setLive(false);
      if (target === t) schedule();
      else start();
    });
  };

  async function listen(t: { baseUrl: string; token: string }, ctl: AbortController): Promise<void> {
    let watchdog: NodeJS.Timeout | null = null;
    let silentLimitMs = 45_000;
    const alive = () => {
      if (watchdog) clearTimeout(watchdog);
      watchdog = setTimeout(() => ctl.abort(new Error('the stream went silent')), silentLimitMs);
      watchdog.unref?.();
    };
    try {
      alive();
      const res = await doFetch(`${t.baseUrl}${STATION_EVENTS_PATH}`, {
        headers: { authorization: `Bearer ${t.token}`, accept: 'text/event-stream' },
        signal: ctl.signal,
      });
      if (!res.ok || !res.body) {
        // Refused (a revoked token, a hub without the channel): polling carries on; try again later.
        log(`hub event stream refused: ${res.status}`);
        await res.body?.cancel().catch(() => undefined);
        return;
      }
      const reader = res.body.getReader();
      const parser = new SseParser();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        alive();
        for (const m of parser.push(decoder.decode(value, { stream: true }))) {
          const e = toStreamEvent(m);
          if (!e) continue;
          if (e.event === 'ready') {
            failures = 0;
            silentLimitMs = Math.max(3 * e.data.heartbeatMs, minSilence);
            alive();
            opts.onReachable?.();
            if (live) opts.onFeedChanged({ at: now().toISOString(), live: true });
            else setLive(true);
          } else if (e.event === 'feed') {
            opts.onFeedChanged({ at: now().toISOString(), live: true });
          } else if (e.event === 'revoked') {
            log('hub event stream: this station was revoked');
          }
        }
      }
    } catch (e) {
      if (!closed) log(`hub event stream: ${(e as Error).message}`);
    } finally {
      if (watchdog) clearTimeout(watchdog);
    }
  }

  return {
    get live() {
      return live;
    },
    configure(baseUrl, token) {
      const next = baseUrl && token ? { baseUrl: baseUrl.replace(/\/+$/, ''), token } : null;
      if (next && target && next.baseUrl === target.baseUrl && next.token === target.token) return;
      target = next;
      failures = 0;
      if (retry) clearTimeout(retry);
      retry = null;
      // A stream to the old target ends; its end starts one to the new target.
      if (abort) abort.abort();
      else start();
    },
    retryNow() {
      if (!retry) return;
      clearTimeout(retry);
      retry = null;
      start();
    },
    close() {
      closed = true;
      if (retry) clearTimeout(retry);
      abort?.abort();
    },
  };
}
