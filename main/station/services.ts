/**
 * main's station services as plain Node (DESIGN.md §1 "two hosts"): one handler per method of the IPC
 * contract. The Electron app and browser mode both host exactly this object; neither adds logic of
 * its own. Main keeps no order data: the renderer owns the order cache, batches and outbox, and main
 * owns the hub link (token), the guard, labels, printers, settings and keys.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { z } from 'zod';
import { ENDPOINTS } from '../../shared/api/endpoints.ts';
import { HubApiError } from '../../shared/api/client.ts';
import {
  StationError,
  type EventName,
  type EventPayload,
  type LabelAnnounced,
  type MethodName,
  type MethodResult,
  type StationInfo,
  type StationMethods,
  type StationSettings,
} from '../../shared/ipc/index.ts';
import { discoverPrinters } from '../print/discovery.ts';
import { fileUrlFor } from '../print/transports/index.ts';
import { renderPickingList } from '../print/picking-list.ts';
import { createHubLink, toStationError, type HubLink } from './hub-link.ts';
import { createHubEvents, type HubEvents } from './hub-events.ts';
import { printChunk } from './print-chunk.ts';
import { openPrintJournal, type PrintJournal } from './print-journal.ts';
import { createPrinterPool, type PrinterPool } from './printers.ts';
import { sealFieldsOf, sealFreshness, sealSnapshot } from './seals.ts';
import { sealKeyOf, type SecretStore } from './secret-store.ts';
import { openSettingsStore, type SettingsStore, type StoredSettings } from './settings-store.ts';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

/** What a host gives each call: events for the calling window only, and whether it is still there. */
export interface CallContext {
  connectionId: string;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Aborted when the caller's window or connection goes away. */
  signal: AbortSignal;
}

type HandlerArgs<M extends MethodName> = z.output<StationMethods[M]['args']>;
export type StationHandlers = {
  [M in MethodName]: (args: HandlerArgs<M>, ctx: CallContext) => Promise<MethodResult<M>>;
};

export interface StationServicesOptions {
  dataDir: string;
  host: StationInfo['host'];
  secrets: SecretStore;
  fetch?: typeof fetch;
  now?: () => Date;
  log?: (line: string) => void;
  /** The address of the printer a fresh install starts with (default: a virtual printer in dataDir/prints). */
  defaultPrinterUrl?: string;
  stationName?: string;
  /** The hub an unpaired station offers to pair with (the pairing screen starts with it). */
  hubUrl?: string;
  /** How long main waits for the renderer to commit `sending` before giving a label up. */
  ackTimeoutMs?: number;
  hubTimeoutMs?: number;
  hubProbeMs?: number;
}

export interface StationServices {
  handlers: StationHandlers;
  hub: HubLink;
  /** Events for every window (hub and printer status). */
  onBroadcast(listener: <E extends EventName>(name: E, payload: EventPayload<E>) => void): () => void;
  /** A window or connection went away: stop its chunks. */
  disconnect(connectionId: string): void;
  close(): Promise<void>;
}

interface RunningChunk {
  connectionId: string;
  aborted: boolean;
  acks: Map<number, { resolve: () => void; reject: (e: Error) => void }>;
}

export async function createStationServices(opts: StationServicesOptions): Promise<StationServices> {
  const now = opts.now ?? (() => new Date());
  const log = opts.log ?? (() => undefined);
  await fsp.mkdir(opts.dataDir, { recursive: true });
  const settings: SettingsStore = await openSettingsStore(path.join(opts.dataDir, 'settings.json'), log);
  if (!settings.get().identity && (opts.stationName || opts.hubUrl)) {
    await settings.update((s) => ({
      ...s,
      settings: {
        ...s.settings,
        ...(opts.stationName ? { stationName: opts.stationName } : {}),
        ...(opts.hubUrl ? { hubUrl: opts.hubUrl.replace(/\/+$/, '') } : {}),
      },
    }));
  }
  const printers: PrinterPool = createPrinterPool(settings, now);
  if (settings.get().settings.printers.length === 0) {
    // A fresh install prints to files until a real printer is set up, so it works with no hardware.
    await printers.add({
      name: '虚拟打印机 (PDF 文件)',
      url: opts.defaultPrinterUrl ?? fileUrlFor(path.join(opts.dataDir, 'prints'), 'pdf'),
      format: 'pdf',
    });
  }
  const journal: PrintJournal = await openPrintJournal(path.join(opts.dataDir, 'print-journal.log'), now);
  const sealKey = await sealKeyOf(opts.secrets);
  const listeners = new Set<<E extends EventName>(name: E, payload: EventPayload<E>) => void>();
  const broadcast = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    for (const l of listeners) l(name, payload);
  };
  const hub = createHubLink({
    fetch: opts.fetch,
    now,
    timeoutMs: opts.hubTimeoutMs,
    probeMs: opts.hubProbeMs,
    onStatus: (s) => {
      log(`hub ${s.online ? 'online' : 'offline'}${s.error ? `: ${s.error.detail ?? s.error.message}` : ''}`);
      broadcast('hubStatus', s);
      // The hub is back: reopen the event stream now rather than at the end of its backoff.
      if (s.online) hubEvents.retryNow();
    },
  });
  const hubEvents: HubEvents = createHubEvents({
    fetch: opts.fetch,
    now,
    log,
    onFeedChanged: (e) => broadcast('feedChanged', e),
    onReachable: () => hub.noteReachable(),
  });
  /** Where main talks to the hub, as whom: the calls and the event stream. */
  const connectHub = (hubUrl: string | null, token: string | null) => {
    hub.configure(hubUrl, token);
    hubEvents.configure(hubUrl, token);
  };
  {
    const sec = await opts.secrets.read();
    connectHub(settings.get().settings.hubUrl, sec.hubToken ?? null);
  }
  const chunks = new Map<string, RunningChunk>();
  const ackTimeoutMs = opts.ackTimeoutMs ?? 30_000;

  function info(): StationInfo {
    const { settings: s, identity } = settings.get();
    return {
      paired: identity !== null,
      hubUrl: s.hubUrl,
      stationId: identity?.stationId ?? null,
      stationName: s.stationName,
      factoryShopId: identity?.factoryShopId ?? null,
      factoryName: identity?.factoryName ?? null,
      host: opts.host,
      dataDir: opts.dataDir,
    };
  }

  async function publicSettings(stored: StoredSettings = settings.get()): Promise<StationSettings> {
    const sec = await opts.secrets.read();
    return { ...stored.settings, reprintLocked: Boolean(sec.reprintPinHash) };
  }

  async function hashPin(pin: string): Promise<string> {
    const salt = randomBytes(16);
    return `${salt.toString('base64')}:${(await scrypt(pin, salt, 32)).toString('base64')}`;
  }

  async function verifyPin(pin: string): Promise<boolean> {
    const stored = (await opts.secrets.read()).reprintPinHash;
    if (!stored) return true;
    const [salt, hash] = stored.split(':');
    const got = await scrypt(pin, Buffer.from(salt ?? '', 'base64'), 32);
    const want = Buffer.from(hash ?? '', 'base64');
    return got.length === want.length && timingSafeEqual(got, want);
  }

  function requirePaired() {
    const identity = settings.get().identity;
    if (!identity) throw new StationError('not_paired');
    return identity;
  }

  const handlers: StationHandlers = {
    info: async () => info(),

    async pair(args) {
      const anon = hub.anonymous(args.hubUrl);
      let paired;
      let me;
      try {
        paired = await anon.call(ENDPOINTS.pairStation, { body: { code: args.code, name: args.name } });
        me = await anon.withToken(paired.token).call(ENDPOINTS.stationMe, {});
      } catch (e) {
        const err = toStationError(e);
        if (e instanceof HubApiError && e.code === 'PAIRING_CODE_INVALID') {
          throw new StationError('hub_error', {
            message: '配对码无效或已过期，请在厂家后台“打印站”中重新生成',
            messageEn: 'The pairing code is wrong or expired: create a new one in the console (Stations)',
            cause: e.code,
          });
        }
        throw err;
      }
      const sec = await opts.secrets.read();
      await opts.secrets.write({ ...sec, hubToken: paired.token, payloadKey: paired.payloadKey });
      await settings.update((s) => ({
        settings: { ...s.settings, hubUrl: args.hubUrl.replace(/\/+$/, ''), stationName: me.name },
        identity: { stationId: paired.stationId, factoryShopId: paired.factoryShopId, factoryName: me.factoryName },
      }));
      connectHub(settings.get().settings.hubUrl, paired.token);
      log(`paired as station ${paired.stationId} (${me.name}) of factory ${paired.factoryShopId}`);
      return info();
    },

    hubStatus: async () => hub.status,

    async pullFeed(args) {
      requirePaired();
      const page = await hub.call(
        ENDPOINTS.feed,
        { query: { ...(args.cursor ? { cursor: args.cursor } : {}), limit: args.limit ?? 500 } },
        { idempotent: true },
      );
      return {
        ...page,
        changes: page.changes.map((c) => ({ ...c, seal: sealSnapshot(sealKey, sealFieldsOf(c)) })),
        freshness: sealFreshness(sealKey, page.cursor, now().toISOString()),
      };
    },

    async pushMutations(args) {
      requirePaired();
      try {
        return await hub.call(ENDPOINTS.pushMutations, { body: args }, { idempotent: true });
      } catch (e) {
        throw toStationError(e);
      }
    },

    async check(args) {
      requirePaired();
      return hub.call(ENDPOINTS.check, { body: args }, { idempotent: true });
    },

    async prepareWaybills(args) {
      requirePaired();
      const res = await hub.call(ENDPOINTS.issueWaybills, { body: args }, { idempotent: true });
      return {
        results: res.results.map((r) =>
          r.status === 'issued'
            ? {
                orderSn: r.orderSn,
                status: 'issued' as const,
                waybillNo: r.waybillNo,
                courier: r.courier,
                addressVersion: r.addressVersion,
                envelope: r.printPayload,
                takenOver: r.takenOver ?? false,
              }
            : {
                orderSn: r.orderSn,
                status: 'refused' as const,
                reason: r.reason,
                message: r.message,
                ...(r.claimedBy ? { claimedBy: r.claimedBy } : {}),
              },
        ),
      };
    },

    async printChunk(args, ctx) {
      const identity = requirePaired();
      const sec = await opts.secrets.read();
      if (!sec.payloadKey) throw new StationError('not_paired');
      if (chunks.has(args.chunkId)) {
        throw new StationError('invalid_args', {
          message: '该批次编号已在打印',
          messageEn: 'This chunk id is already running',
        });
      }
      const running: RunningChunk = { connectionId: ctx.connectionId, aborted: false, acks: new Map() };
      chunks.set(args.chunkId, running);
      const stop = () => {
        running.aborted = true;
        for (const a of running.acks.values()) a.reject(new StationError('aborted'));
      };
      ctx.signal.addEventListener('abort', stop, { once: true });
      /** Sends an announcement (by `send`) and waits for the renderer to ack it, or gives the label up. */
      const awaitAck = (itemId: number, send: () => void) =>
        new Promise<void>((resolve, reject) => {
          if (running.aborted) return reject(new StationError('aborted'));
          const timer = setTimeout(() => {
            running.acks.delete(itemId);
            reject(new StationError('aborted', { detail: 'no ack from the renderer' }));
          }, ackTimeoutMs);
          running.acks.set(itemId, {
            resolve: () => {
              clearTimeout(timer);
              running.acks.delete(itemId);
              resolve();
            },
            reject: (e) => {
              clearTimeout(timer);
              running.acks.delete(itemId);
              reject(e);
            },
          });
          send();
        });
      try {
        return await printers.exclusive(args.printerId, () =>
          printChunk(
            {
              hub,
              printers,
              journal,
              stationId: identity.stationId,
              payloadKey: sec.payloadKey!,
              sealKey,
              offlinePolicy: settings.get().settings.offlinePolicy,
              reprintLocked: Boolean(sec.reprintPinHash),
              verifyPin,
              now,
            },
            args,
            {
              announce: (a: LabelAnnounced) => awaitAck(a.itemId, () => ctx.emit('labelAnnounced', a)),
              emit: (outcome) => ctx.emit('label', { chunkId: args.chunkId, outcome }),
              emitWithNext: (outcome, next) => {
                if (running.aborted || ctx.signal.aborted) {
                  // Stopped: this label's outcome still goes out; the next one is not announced.
                  ctx.emit('label', { chunkId: args.chunkId, outcome });
                  return Promise.reject(new StationError('aborted'));
                }
                return awaitAck(next.itemId, () => ctx.emit('label', { chunkId: args.chunkId, outcome, next }));
              },
              aborted: () => running.aborted || ctx.signal.aborted,
            },
          ),
        );
      } finally {
        ctx.signal.removeEventListener('abort', stop);
        chunks.delete(args.chunkId);
      }
    },

    async ackLabel(args, ctx) {
      const running = chunks.get(args.chunkId);
      const ack = running?.connectionId === ctx.connectionId ? running.acks.get(args.itemId) : undefined;
      if (!ack) {
        throw new StationError('invalid_args', {
          message: '没有等待确认的面单',
          messageEn: 'No label is waiting for this acknowledgement',
        });
      }
      ack.resolve();
      return { ok: true as const };
    },

    async abortChunk(args, ctx) {
      const running = chunks.get(args.chunkId);
      if (running && running.connectionId === ctx.connectionId) {
        running.aborted = true;
        for (const a of running.acks.values()) a.reject(new StationError('aborted'));
      }
      return { ok: true as const };
    },

    listPrinters: async () => ({
      printers: printers.list(),
      defaultPrinterId: settings.get().settings.defaultPrinterId,
    }),
    discoverPrinters: async () => {
      const found = await discoverPrinters();
      return {
        printers: found.printers.map((p) => ({
          kind: p.kind,
          url: p.url,
          name: p.name,
          ...(p.description ? { description: p.description } : {}),
          ...(p.hasDriver !== undefined ? { hasDriver: p.hasDriver } : {}),
          ...(p.writable !== undefined ? { writable: p.writable } : {}),
        })),
        warnings: found.warnings,
      };
    },
    addPrinter: async (args) => printers.add(args),
    updatePrinter: async (args) => printers.update(args.id, args.patch),
    removePrinter: async (args) => {
      await printers.remove(args.id);
      return { ok: true as const };
    },
    testPrinter: async (args) => printers.exclusive(args.id, () => printers.testPage(args.id)),
    printerStatus: async (args) => {
      const s = await printers.status(args.id);
      broadcast('printerStatus', s);
      return s;
    },
    async previewLabel(args) {
      const base = args.printerId
        ? printers.config(args.printerId)
        : { template: '100x180' as const, dpi: 203 as const, offsetMm: { x: 0, y: 0 }, darkness: 8, speed: 4 };
      const p = await printers.preview({ ...base, ...args.settings });
      return {
        pngBase64: Buffer.from(p.png).toString('base64'),
        widthPx: p.widthPx,
        heightPx: p.heightPx,
        report: p.report,
      };
    },
    async pickingList(args) {
      const pdf = await renderPickingList(args.title, args.rows, now());
      if (args.output === 'preview') return { pdfBase64: Buffer.from(pdf).toString('base64') };
      if (args.output === 'file') {
        const dir = path.join(opts.dataDir, 'picking-lists');
        await fsp.mkdir(dir, { recursive: true });
        const safe = args.title.replace(/[^\p{L}\p{N}_-]+/gu, '_').slice(0, 60) || 'batch';
        const file = path.join(dir, `备货单-${safe}-${now().toISOString().replace(/[:.]/g, '-')}.pdf`);
        await fsp.writeFile(file, pdf);
        return { path: file };
      }
      const id = args.printerId ?? settings.get().settings.defaultPrinterId;
      if (!id) throw new StationError('printer_not_found');
      const p = await printers.open(id);
      if (p.config.format !== 'pdf') {
        throw new StationError('printer_error', {
          message: `打印机 ${p.config.name} 是标签打印机，不能打印 A4 备货单；请选择系统打印机或保存为文件`,
          messageEn: `Printer ${p.config.name} is a label printer and cannot print an A4 picking list: choose a system printer or save a file`,
          cause: 'unsupported',
        });
      }
      await printers.exclusive(id, () => printers.send(p, pdf, false));
      return {};
    },
    getSettings: async () => publicSettings(),
    async setSettings(patch) {
      const { reprintPin, ...rest } = patch;
      if (reprintPin) {
        const sec = await opts.secrets.read();
        if (sec.reprintPinHash && !(await verifyPin(reprintPin.currentPin ?? ''))) throw new StationError('pin_wrong');
        const next = { ...sec };
        if (reprintPin.pin === null) delete next.reprintPinHash;
        else next.reprintPinHash = await hashPin(reprintPin.pin);
        await opts.secrets.write(next);
      }
      for (const id of [rest.defaultPrinterId, ...Object.values(rest.printerByTemplate ?? {})]) {
        if (id) printers.config(id);
      }
      const stored = await settings.update((s) => ({ ...s, settings: { ...s.settings, ...rest } }));
      return publicSettings(stored);
    },
    verifyPin: async (args) => ({ ok: await verifyPin(args.pin) }),
    async settleInDoubt(args) {
      if (!journal.has(args.waybillNo)) return { ok: true };
      // Not printed: the number goes back, as after a job the printer refused.
      await (args.printed ? journal.markSent(args.waybillNo) : journal.void(args.waybillNo));
      return { ok: true };
    },
    printedLabels: async (args) => {
      const all = journal.entries();
      return { total: all.length, labels: all.slice(args.offset, args.offset + args.limit) };
    },
  };

  return {
    handlers,
    hub,
    onBroadcast(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    disconnect(connectionId) {
      for (const c of chunks.values()) {
        if (c.connectionId !== connectionId) continue;
        c.aborted = true;
        for (const a of c.acks.values()) a.reject(new StationError('aborted', { detail: 'the window went away' }));
      }
    },
    async close() {
      hubEvents.close();
      hub.close();
      await printers.close();
      await journal.close();
    },
  };
}
