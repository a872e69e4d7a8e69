/**
 * Who is told when a factory's feed moves: the stations holding the push channel open
 * (stations/events-routes.ts). Every write transaction that takes feed versions notes the factory
 * and its new head (stations/feed-versions.ts); once it has committed, this hub tells the factory's
 * stations.
 *
 * - SQLite: one hub, so the note is delivered in this process.
 * - PostgreSQL: every hub on the database must hear it, whichever took the write. Each hub keeps one
 *   connection LISTENing on a channel and sends its notes there with NOTIFY (batched: the notes that
 *   pile up while one NOTIFY is in flight go together), from a one-connection pool of its own with
 *   asynchronous commit, so no request's transaction takes PostgreSQL's notification lock at commit.
 *   A hub hears its own notes through its listener too: one path for all. If the listener connection
 *   drops, it reconnects with backoff and then tells every station to pull (what was said meanwhile
 *   is lost); a note lost between a commit and its NOTIFY (the hub died) costs a station one poll.
 *
 * Events only say that something changed; the feed stays the one way to learn what (DESIGN §4).
 */
import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';
import type { StationStreamEvent } from '../../shared/api/station-events.ts';
import { batched } from '../db/batch.ts';
import { openSidePool, postgresUrlOf, type HubDb } from '../db/open.ts';
import { onCommit, type CommitNote } from '../db/tx.ts';
import { sql } from 'kysely';

export const FEED_EVENTS_CHANNEL = 'daifa_feed_events';

export type StreamSend = (e: StationStreamEvent) => void;

export interface FeedEvents {
  /** Tells `send` of every change to this factory's feed, and of this station's revocation. */
  subscribe(factoryShopId: number, stationId: number, send: StreamSend): () => void;
  /** Streams open on this hub. */
  readonly subscribers: number;
  close(): Promise<void>;
}

interface Subscriber {
  factoryShopId: number;
  stationId: number;
  send: StreamSend;
}

/** `f:<factory>:<version>` or `r:<station>`: a NOTIFY payload is text. */
export function encodeNote(n: CommitNote): string {
  return n.kind === 'feed' ? `f:${n.factoryShopId}:${n.version}` : `r:${n.stationId}`;
}

export function decodeNote(payload: string): CommitNote | null {
  const f = /^f:(\d+):(\d+)$/.exec(payload);
  if (f) return { kind: 'feed', factoryShopId: Number(f[1]), version: Number(f[2]) };
  const r = /^r:(\d+)$/.exec(payload);
  return r ? { kind: 'revoked', stationId: Number(r[1]) } : null;
}

export function startFeedEvents(db: HubDb, log: FastifyBaseLogger): FeedEvents {
  const byFactory = new Map<number, Set<Subscriber>>();
  const byStation = new Map<number, Set<Subscriber>>();
  let count = 0;

  const deliver = (n: CommitNote) => {
    if (n.kind === 'feed') {
      for (const s of byFactory.get(n.factoryShopId) ?? []) s.send({ event: 'feed', data: { version: n.version } });
    } else {
      for (const s of byStation.get(n.stationId) ?? []) s.send({ event: 'revoked', data: {} });
    }
  };
  /** Everyone pulls: the hub cannot tell what it missed. */
  const resyncAll = () => {
    for (const set of byFactory.values()) for (const s of set) s.send({ event: 'feed', data: { version: null } });
  };

  const url = postgresUrlOf(db);
  let stop: () => Promise<void>;
  if (url === null) {
    const unsubscribeCommits = onCommit(db, (notes) => notes.forEach(deliver));
    stop = async () => unsubscribeCommits();
  } else {
    const notifier = openSidePool(db, { max: 1, asyncCommit: true })!;
    const notify = batched<string, void>(
      async (payloads) => {
        await sql`select pg_notify(${FEED_EVENTS_CHANNEL}, p) from unnest(${[...new Set(payloads)]}::text[]) as p`.execute(
          notifier,
        );
        return payloads.map(() => undefined);
      },
      { maxInFlight: 1, maxBatch: 1000 },
    );
    const unsubscribeCommits = onCommit(db, (notes) => {
      for (const n of latestPerFactory(notes)) {
        notify(encodeNote(n)).catch((e: Error) => log.warn({ err: e }, 'feed event not sent (stations will poll)'));
      }
    });
    const listener = keepListening(
      url,
      log,
      (payload) => {
        const n = decodeNote(payload);
        if (n) deliver(n);
      },
      resyncAll,
    );
    stop = async () => {
      unsubscribeCommits();
      await listener.close();
      await notifier.destroy();
    };
  }

  return {
    subscribe(factoryShopId, stationId, send) {
      const sub: Subscriber = { factoryShopId, stationId, send };
      add(byFactory, factoryShopId, sub);
      add(byStation, stationId, sub);
      count++;
      return () => {
        if (remove(byFactory, factoryShopId, sub)) count--;
        remove(byStation, stationId, sub);
      };
    },
    get subscribers() {
      return count;
    },
    close: () => stop(),
  };
}

/** A transaction that moved a factory's feed twice needs telling once, with the newer head. */
function latestPerFactory(notes: readonly CommitNote[]): CommitNote[] {
  const feeds = new Map<number, CommitNote>();
  const others: CommitNote[] = [];
  for (const n of notes) {
    if (n.kind === 'feed') {
      const seen = feeds.get(n.factoryShopId);
      if (!seen || (seen.kind === 'feed' && seen.version < n.version)) feeds.set(n.factoryShopId, n);
    } else others.push(n);
  }
  return [...feeds.values(), ...others];
}

function add<K>(m: Map<K, Set<Subscriber>>, k: K, s: Subscriber) {
  let set = m.get(k);
  if (!set) m.set(k, (set = new Set()));
  set.add(s);
}

function remove<K>(m: Map<K, Set<Subscriber>>, k: K, s: Subscriber): boolean {
  const set = m.get(k);
  if (!set?.delete(s)) return false;
  if (set.size === 0) m.delete(k);
  return true;
}

/**
 * One connection LISTENing, kept up: when it fails it reconnects after a growing, jittered pause
 * (0.25 s doubling to 10 s), and each time it listens (again) `reconnected` runs.
 */
function keepListening(
  url: string,
  log: FastifyBaseLogger,
  onPayload: (payload: string) => void,
  reconnected: () => void,
): { close(): Promise<void> } {
  let client: pg.Client | null = null;
  let closed = false;
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;

  const connect = async () => {
    timer = null;
    if (closed) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    let dropped = false;
    const drop = (why: unknown) => {
      if (dropped) return;
      dropped = true;
      c.removeAllListeners('notification');
      void c.end().catch(() => undefined);
      if (closed) return;
      log.warn({ err: why }, 'feed event listener lost its connection; reconnecting');
      const base = Math.min(10_000, 250 * 2 ** Math.min(failures++, 6));
      timer = setTimeout(() => void connect(), base / 2 + Math.random() * (base / 2));
      timer.unref();
    };
    c.on('error', drop);
    c.on('end', () => drop(new Error('connection ended')));
    c.on('notification', (m) => {
      if (m.channel === FEED_EVENTS_CHANNEL && m.payload) onPayload(m.payload);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${FEED_EVENTS_CHANNEL}`);
      failures = 0;
      reconnected();
    } catch (e) {
      drop(e);
    }
  };
  void connect();

  return {
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await client?.end().catch(() => undefined);
    },
  };
}
