/**
 * The Electron host's thin glue, with a stand-in `electron` module (the binary cannot run here):
 * the contract is registered by looping over the table, every call's sender frame is checked, every
 * message is validated, events reach only the window they belong to, and a closed window stops its
 * chunks. The services behind it are the real ones.
 */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMain } from 'electron';
import { CALL_CHANNEL, EVENT_CHANNEL, registerStationIpc } from '../../../main/electron/ipc.ts';
import { fileSecretStore } from '../../../main/station/secret-store.ts';
import { createStationServices, type StationServices } from '../../../main/station/services.ts';
import { tempDir } from '../../support/station.ts';

class FakeContents extends EventEmitter {
  static next = 1;
  id = FakeContents.next++;
  sent: Array<[string, ...unknown[]]> = [];
  destroyed = false;
  send(channel: string, ...args: unknown[]) {
    this.sent.push([channel, ...args]);
  }
  isDestroyed() {
    return this.destroyed;
  }
  destroy() {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

function fakeIpcMain() {
  const handlers = new Map<string, (event: unknown, ...args: unknown[]) => Promise<unknown>>();
  return {
    handlers,
    handle: (channel: string, fn: (event: unknown, ...args: unknown[]) => Promise<unknown>) =>
      void handlers.set(channel, fn),
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
}

const OWN = 'file:///app/dist/renderer/index.html';

describe('Electron IPC glue', () => {
  let services: StationServices;
  const tmp = tempDir('daifa-electron-');
  let ipc: ReturnType<typeof fakeIpcMain>;

  beforeEach(async () => {
    services = await createStationServices({
      dataDir: tmp.dir,
      host: 'electron',
      secrets: fileSecretStore(`${tmp.dir}/secrets`),
    });
    ipc = fakeIpcMain();
    registerStationIpc(ipc as unknown as IpcMain, services, { isTrustedFrame: (f) => f?.url === OWN });
  });
  afterEach(async () => {
    await services.close();
  });

  const invoke = (contents: FakeContents, frameUrl: string, method: unknown, args: unknown) =>
    ipc.handlers.get(CALL_CHANNEL)!({ sender: contents, senderFrame: { url: frameUrl } }, method, args);

  it('answers a call from our own page with the contract’s result', async () => {
    const reply = (await invoke(new FakeContents(), OWN, 'info', {})) as {
      ok: boolean;
      result: { host: string; paired: boolean };
    };
    expect(reply.ok).toBe(true);
    expect(reply.result).toMatchObject({ host: 'electron', paired: false });
  });

  it('refuses a call from any other frame (a remote page, a navigated frame)', async () => {
    const reply = (await invoke(new FakeContents(), 'https://evil.example/', 'info', {})) as {
      ok: boolean;
      error: { code: string };
    };
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden_origin' } });
  });

  it('refuses unknown methods and wrongly typed arguments with clear errors', async () => {
    const c = new FakeContents();
    expect(await invoke(c, OWN, 'readFile', { path: '/etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    expect(await invoke(c, OWN, '__proto__', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const bad = (await invoke(c, OWN, 'printChunk', { chunkId: 'x', items: 'all' })) as {
      ok: false;
      error: { code: string; message: string };
    };
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_args' } });
    expect(bad.error.message).toMatch(/参数不正确/);
  });

  it('sends broadcast events (a printer’s status) to every window, on the event channel', async () => {
    const a = new FakeContents();
    const b = new FakeContents();
    await invoke(a, OWN, 'info', {});
    await invoke(b, OWN, 'info', {});
    const { result } = (await invoke(a, OWN, 'listPrinters', {})) as { result: { printers: Array<{ id: string }> } };
    const reply = await invoke(a, OWN, 'printerStatus', { id: result.printers[0]!.id });
    expect(reply).toMatchObject({ ok: true, result: { state: 'unknown' } });
    for (const w of [a, b]) {
      expect(w.sent).toContainEqual([
        EVENT_CHANNEL,
        'printerStatus',
        expect.objectContaining({ printerId: result.printers[0]!.id }),
      ]);
    }
  });

  it('stops a window’s chunks when the window is destroyed', async () => {
    const c = new FakeContents();
    const disconnect = vi.spyOn(services, 'disconnect');
    await invoke(c, OWN, 'info', {});
    c.destroy();
    expect(disconnect).toHaveBeenCalledWith(String(c.id));
  });
});
