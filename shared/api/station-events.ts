/**
 * The hub's push channel to a station: `GET /v1/station/events` with the station token in the
 * Authorization header answers a Server-Sent Events stream (text/event-stream) that stays open:
 *
 *   retry: 3000                      how long an EventSource waits before it reconnects
 *   event: ready                     once, first: the stream is live (pull now: what changed while
 *   data: {"version":41,"heartbeatMs":15000}   the station was not listening is not replayed)
 *   event: feed                      the factory's feed changed (an allocation, an order turning
 *   data: {"version":42}             abnormal, a number issued or returned…): pull it
 *   : hb                             a comment every heartbeatMs, so proxies and the station can
 *                                    tell a quiet stream from a dead one
 *   event: revoked                   the station was revoked; the stream ends
 *
 * `version` is the factory's feed head after the change (null when the hub cannot tell, e.g. after
 * its own listener reconnected). Events only say *that* something changed; the feed stays the one
 * way to learn *what*, so a station that misses an event loses nothing but a second. The stream is
 * registered by hand (it never ends), with the endpoint table's authentication and `station` limit.
 */
import { z } from 'zod';

export const STATION_EVENTS_PATH = '/v1/station/events';

export const StationStreamEventSchemas = {
  ready: z.object({ version: z.number().int(), heartbeatMs: z.number().int().positive() }),
  feed: z.object({ version: z.number().int().nullable() }),
  revoked: z.object({}),
} as const;
export type StationStreamEventName = keyof typeof StationStreamEventSchemas;
export type StationStreamEvent = {
  [E in StationStreamEventName]: { event: E; data: z.infer<(typeof StationStreamEventSchemas)[E]> };
}[StationStreamEventName];

/** How long an EventSource should wait before reconnecting (the `retry:` field). */
export const STREAM_RETRY_MS = 3000;

/** One event as it goes on the wire. */
export function formatStreamEvent(e: StationStreamEvent): string {
  return `event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`;
}

export const STREAM_HEARTBEAT = ': hb\n\n';

/** A raw SSE message: its event name (`message` when none) and its data lines joined. */
export interface SseMessage {
  event: string;
  data: string;
}

/**
 * An incremental parser of text/event-stream (the WHATWG rules that matter here: LF, CR or CRLF line
 * ends; `field: value` with one optional space; comments; several data lines; a blank line
 * dispatches). Feed it decoded text as it arrives; it returns the messages completed by that text.
 * `id` and `retry` are read and ignored: a station reconnects on its own schedule and replays nothing.
 */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private sawCr = false;

  push(text: string): SseMessage[] {
    const out: SseMessage[] = [];
    let s = text;
    // A CRLF split across two chunks: the LF belongs to the CR already handled.
    if (this.sawCr && s.startsWith('\n')) s = s.slice(1);
    this.sawCr = false;
    this.buffer += s;
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      if (!m) break;
      if (m[0] === '\r' && m.index === this.buffer.length - 1) {
        this.sawCr = true;
      }
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      this.line(line, out);
    }
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.data.length > 0) out.push({ event: this.event || 'message', data: this.data.join('\n') });
      this.event = '';
      this.data = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
  }
}

/** A parsed message as one of the stream's events, or null for one this version does not know. */
export function toStreamEvent(m: SseMessage): StationStreamEvent | null {
  if (!Object.hasOwn(StationStreamEventSchemas, m.event)) return null;
  const schema = StationStreamEventSchemas[m.event as StationStreamEventName];
  let json: unknown;
  try {
    json = JSON.parse(m.data);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? ({ event: m.event, data: parsed.data } as StationStreamEvent) : null;
}
