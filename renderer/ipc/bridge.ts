/**
 * The renderer does not know which host it has (DESIGN.md §1): the Electron preload exposes the
 * contract as `window.daifa`, and in browser mode the same contract runs over the station's WebSocket.
 */
import type { StationBridge } from '../../shared/ipc/index.ts';
import { createWsBridge, secretFromHash, wsUrlForPage, type WsBridge } from './ws-bridge.ts';

declare global {
  interface Window {
    /** Set by the Electron preload. */
    daifa?: StationBridge;
  }
}

export type HostBridge = StationBridge & { ready(): Promise<void>; onConnection?: WsBridge['onConnection'] };

export function hostBridge(): HostBridge {
  if (window.daifa) return { ...window.daifa, ready: () => Promise.resolve() };
  const secret = secretFromHash(window.location.hash) ?? sessionStorage.getItem('daifa.k');
  if (!secret)
    throw new Error(
      '打印站连接密钥缺失：请使用打印站启动时给出的完整地址打开 / open the full address the station printed',
    );
  // Keep the secret for reloads of this tab, and out of the address bar (and so out of screenshots and history).
  sessionStorage.setItem('daifa.k', secret);
  if (window.location.hash) history.replaceState(null, '', window.location.pathname);
  return createWsBridge({ url: wsUrlForPage(window.location), secret });
}
