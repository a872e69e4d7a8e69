/**
 * The preload and the window's lock-down, with a stand-in `electron` module: the page gets exactly the
 * contract's bridge (call, on) and nothing else; the window runs isolated and sandboxed without Node;
 * navigation away from our page, redirects and new windows are refused.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async () => ({ ok: true, result: { ok: true } }));
const renderer = new EventEmitter();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => void (exposed[key] = api) },
  ipcRenderer: {
    invoke,
    on: (ch: string, fn: (...a: unknown[]) => void) => renderer.on(ch, fn),
    removeListener: (ch: string, fn: (...a: unknown[]) => void) => renderer.removeListener(ch, fn),
  },
}));

describe('preload', () => {
  it('exposes only `daifa` with call and on, carried on the contract channels', async () => {
    await import('../../../main/electron/preload.ts');
    expect(Object.keys(exposed)).toEqual(['daifa']);
    const bridge = exposed.daifa as {
      call: (m: string, a: unknown) => Promise<unknown>;
      on: (e: string, l: (p: unknown) => void) => () => void;
    };
    expect(Object.keys(bridge).sort()).toEqual(['call', 'on']);
    await bridge.call('info', {});
    expect(invoke).toHaveBeenCalledWith('daifa:call', 'info', {});
    const seen: unknown[] = [];
    const off = bridge.on('hubStatus', (p) => seen.push(p));
    renderer.emit('daifa:event', {}, 'hubStatus', { online: true });
    renderer.emit('daifa:event', {}, 'label', { chunkId: 'x' });
    off();
    renderer.emit('daifa:event', {}, 'hubStatus', { online: false });
    expect(seen).toEqual([{ online: true }]);
  });
});

describe('station window', () => {
  it('is isolated, sandboxed and without Node', async () => {
    const { windowOptions } = await import('../../../main/electron/window.ts');
    const o = windowOptions('/app/dist/main/preload.cjs');
    expect(o.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      preload: '/app/dist/main/preload.cjs',
    });
  });

  it('refuses navigation away from our page, redirects and new windows', async () => {
    const { lockDownWindow, STATION_CSP } = await import('../../../main/electron/window.ts');
    const contents = Object.assign(new EventEmitter(), { setWindowOpenHandler: vi.fn() });
    lockDownWindow({ webContents: contents } as never, '/app/dist/renderer/index.html');
    const navigate = (url: string) => {
      const event = { preventDefault: vi.fn() };
      contents.emit('will-navigate', event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    expect(navigate('https://evil.example/')).toBe(true);
    expect(navigate('file:///etc/passwd')).toBe(true);
    expect(navigate('file:///app/dist/renderer/index.html')).toBe(false);
    const redirect = { preventDefault: vi.fn() };
    contents.emit('will-redirect', redirect);
    expect(redirect.preventDefault).toHaveBeenCalled();
    const openHandler = contents.setWindowOpenHandler.mock.calls[0]![0] as () => unknown;
    expect(openHandler()).toEqual({ action: 'deny' });
    expect(STATION_CSP).toContain("script-src 'self'");
    expect(STATION_CSP).not.toMatch(/unsafe-eval|https?:/);
  });

  it('denies every permission and every request that is not our own files', async () => {
    const { lockDownSession } = await import('../../../main/electron/window.ts');
    let before: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | undefined;
    let permission: ((wc: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    lockDownSession({
      webRequest: { onHeadersReceived: vi.fn(), onBeforeRequest: (fn: typeof before) => (before = fn) },
      setPermissionRequestHandler: (fn: typeof permission) => (permission = fn),
      setPermissionCheckHandler: vi.fn(),
    } as never);
    const cancelled = (url: string) => {
      let r = false;
      before!({ url }, (x) => (r = x.cancel));
      return r;
    };
    expect(cancelled('https://cdn.example/x.js')).toBe(true);
    expect(cancelled('http://127.0.0.1:8787/v1/station/feed')).toBe(true);
    expect(cancelled('file:///app/dist/renderer/assets/index.js')).toBe(false);
    let granted = true;
    permission!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
  });
});
