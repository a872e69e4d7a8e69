/**
 * Browser mode's side of the contract: a StationBridge over the station's local WebSocket. The page
 * proves it holds this launch's secret (from the URL fragment) in its first frame. A dropped connection
 * fails the calls in flight as `hub_unreachable`-like transport errors and reconnects with backoff; the
 * engines treat that like any other failure and retry.
 */
import {
  ServerFrameSchema,
  StationError,
  WS_CLOSE,
  WS_PATH,
  type CallReply,
  type EventName,
  type EventPayload,
  type MethodArgs,
  type MethodName,
  type MethodResult,
  type StationBridge,
} from '../../shared/ipc/index.ts';

export interface WsBridge extends StationBridge {
  /** Resolves once connected and accepted. */
  ready(): Promise<void>;
  close(): void;
  onConnection(listener: (connected: boolean) => void): () => void;
}

export interface WsBridgeOptions {
  /** ws://127.0.0.1:PORT/ipc */
  url: string;
  secret: string;
  WebSocketImpl?: typeof WebSocket;
}

export function wsUrlForPage(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
}

/** The secret the station put in the page's fragment (`#k=…`). */
export function secretFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get('k');
}

export function createWsBridge(opts: WsBridgeOptions): WsBridge {
  const WS = opts.WebSocketImpl ?? WebSocket;
  let ws: WebSocket | null = null;
  let accepted = false;
  let closed = false;
  let nextId = 1;
  let retryMs = 250;
  const pending = new Map<number, (reply: CallReply<unknown>) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const connListeners = new Set<(c: boolean) => void>();
  let waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  let fatal: StationError | null = null;

  const failAll = (error: StationError) => {
    for (const [id, done] of pending) {
      pending.delete(id);
      done({ ok: false, error: error.toBody() });
    }
  };

  function connect() {
    if (closed) return;
    const sock = new WS(opts.url);
    ws = sock;
    sock.onopen = () => sock.send(JSON.stringify({ t: 'hello', secret: opts.secret }));
    sock.onmessage = (ev) => {
      let frame;
      try {
        frame = ServerFrameSchema.parse(JSON.parse(String(ev.data)));
      } catch (e) {
        console.error('station: unreadable frame from the station service', e);
        return;
      }
      if (frame.t === 'welcome') {
        accepted = true;
        retryMs = 250;
        for (const w of waiters) w.resolve();
        waiters = [];
        for (const l of connListeners) l(true);
      } else if (frame.t === 'result') {
        const done = pending.get(frame.id);
        pending.delete(frame.id);
        done?.(frame.ok ? { ok: true, result: frame.result } : { ok: false, error: frame.error });
      } else if (frame.t === 'event') {
        for (const l of listeners.get(frame.name) ?? []) l(frame.payload);
      }
    };
    sock.onclose = (ev) => {
      const wasAccepted = accepted;
      accepted = false;
      ws = null;
      failAll(
        new StationError('aborted', {
          message: '与打印站服务的连接已断开',
          messageEn: 'Lost the connection to the station service',
        }),
      );
      if (wasAccepted) for (const l of connListeners) l(false);
      if (ev.code === WS_CLOSE.unauthorized || ev.code === WS_CLOSE.forbiddenOrigin) {
        fatal = new StationError(ev.code === WS_CLOSE.unauthorized ? 'unauthorized' : 'forbidden_origin');
        for (const w of waiters) w.reject(fatal);
        waiters = [];
        return;
      }
      if (closed) return;
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    };
  }
  connect();

  return {
    ready() {
      if (accepted) return Promise.resolve();
      if (fatal) return Promise.reject(fatal);
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    async call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<CallReply<MethodResult<M>>> {
      if (fatal) return { ok: false, error: fatal.toBody() };
      if (!accepted || !ws) {
        return {
          ok: false,
          error: new StationError('aborted', {
            message: '与打印站服务的连接未就绪',
            messageEn: 'Not connected to the station service',
          }).toBody(),
        };
      }
      const id = nextId++;
      const sock = ws;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: CallReply<unknown>) => void);
        sock.send(JSON.stringify({ t: 'call', id, method, args }));
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    onConnection(listener) {
      connListeners.add(listener);
      return () => connListeners.delete(listener);
    },
    close() {
      closed = true;
      ws?.close();
    },
  };
}
