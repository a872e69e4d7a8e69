/**
 * main's link to the hub: the one typed hub client with the station token (read from the SecretStore,
 * never handed to the renderer), a timeout on every call, jittered-backoff retries for idempotent calls
 * only, and online/offline tracking. When a call cannot reach the hub the link goes offline and probes
 * the hub until it answers again; both changes are announced (the renderer's sync engine listens).
 */
import { createHubClient, HubApiError, HubUnreachableError, type HubClient } from '../../shared/api/client.ts';
import type { EndpointDef } from '../../shared/api/endpoints.ts';
import type { EndpointInput, EndpointOutput } from '../../shared/api/client.ts';
import { ENDPOINTS } from '../../shared/api/endpoints.ts';
import { StationError, type HubStatus } from '../../shared/ipc/index.ts';

export interface HubLinkOptions {
  fetch?: typeof fetch;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Retries after the first try, for idempotent calls. */
  retries?: number;
  /** Base of the jittered backoff between retries. */
  backoffMs?: number;
  /** How often to probe the hub while offline. */
  probeMs?: number;
  now?: () => Date;
  onStatus?: (s: HubStatus) => void;
}

export interface HubLink {
  readonly status: HubStatus;
  /** Calls the hub with the station token. `idempotent` calls are retried on transient failures. */
  call<D extends EndpointDef>(
    def: D,
    input: EndpointInput<D>,
    opts?: { idempotent?: boolean },
  ): Promise<EndpointOutput<D>>;
  /** A client without the station token, for pairing. */
  anonymous(baseUrl: string): HubClient;
  configure(baseUrl: string | null, token: string | null): void;
  /** The hub answered on another channel (the event stream): it is online. */
  noteReachable(): void;
  close(): void;
}

export function toStationError(e: unknown): StationError {
  if (e instanceof StationError) return e;
  if (e instanceof HubUnreachableError) {
    return new StationError('hub_unreachable', { detail: e.message });
  }
  if (e instanceof HubApiError) {
    const revoked = e.status === 401;
    return new StationError('hub_error', {
      message: revoked ? '平台拒绝了本打印站的凭证（可能已被撤销），请重新配对' : e.message,
      messageEn: revoked ? 'The hub refused this station’s token (it may have been revoked): pair again' : e.message,
      cause: e.code,
    });
  }
  return new StationError('internal', { detail: e instanceof Error ? e.message : String(e) });
}

export function createHubLink(opts: HubLinkOptions = {}): HubLink {
  const now = opts.now ?? (() => new Date());
  const retries = opts.retries ?? 2;
  const backoffMs = opts.backoffMs ?? 250;
  const probeMs = opts.probeMs ?? 3_000;
  let client: HubClient | null = null;
  let status: HubStatus = { online: false, lastOkAt: null, error: null };
  let probe: NodeJS.Timeout | null = null;
  let closed = false;

  const make = (baseUrl: string, token?: string) =>
    createHubClient({ baseUrl, token, fetch: opts.fetch, timeoutMs: opts.timeoutMs ?? 10_000 });

  function setStatus(next: HubStatus) {
    const changed = next.online !== status.online;
    status = next;
    if (changed) opts.onStatus?.(status);
    if (!next.online) scheduleProbe();
  }

  function markOnline() {
    if (probe) {
      clearTimeout(probe);
      probe = null;
    }
    setStatus({ online: true, lastOkAt: now().toISOString(), error: null });
  }

  function markOffline(e: StationError) {
    setStatus({ online: false, lastOkAt: status.lastOkAt, error: e.toBody() });
  }

  function scheduleProbe(delayMs = probeMs) {
    if (probe || closed || !client) return;
    probe = setTimeout(async () => {
      probe = null;
      if (!client || closed) return;
      try {
        await client.call(ENDPOINTS.stationMe, {});
        markOnline();
      } catch (e) {
        const err = toStationError(e);
        // The hub answered (even with a refusal): it is reachable.
        if (err.code === 'hub_unreachable') markOffline(err);
        else setStatus({ online: true, lastOkAt: now().toISOString(), error: err.toBody() });
      }
      if (!status.online) scheduleProbe();
    }, delayMs);
    probe.unref?.();
  }

  async function call<D extends EndpointDef>(
    def: D,
    input: EndpointInput<D>,
    callOpts: { idempotent?: boolean } = {},
  ): Promise<EndpointOutput<D>> {
    if (!client) throw new StationError('not_paired');
    const tries = callOpts.idempotent ? retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await client.call(def, input);
        markOnline();
        return out;
      } catch (e) {
        if (!(e instanceof HubUnreachableError)) {
          // An answer, even a refusal, proves the hub is there.
          if (e instanceof HubApiError) markOnline();
          throw toStationError(e);
        }
        if (attempt >= tries) {
          const err = toStationError(e);
          markOffline(err);
          throw err;
        }
        const wait = backoffMs * 2 ** (attempt - 1);
        await new Promise((r) => setTimeout(r, wait / 2 + Math.random() * wait));
      }
    }
  }

  return {
    get status() {
      return status;
    },
    call,
    anonymous: (baseUrl) => make(baseUrl),
    configure(baseUrl, token) {
      client = baseUrl && token ? make(baseUrl, token) : null;
      if (client) scheduleProbe(0);
    },
    noteReachable() {
      if (client) markOnline();
    },
    close() {
      closed = true;
      if (probe) clearTimeout(probe);
    },
  };
}
