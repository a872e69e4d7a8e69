/**
 * The preload: exposes exactly the station contract to the page, as `window.daifa`, and nothing else
 * (no ipcRenderer, no Node). It may import only shared/ipc (types) and electron (lint enforces it).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { StationBridge } from '../../shared/ipc/contract.ts';

const CALL_CHANNEL = 'daifa:call';
const EVENT_CHANNEL = 'daifa:event';

const bridge = {
  call: (method, args) => ipcRenderer.invoke(CALL_CHANNEL, method, args),
  on(event, listener) {
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload as never);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
} satisfies StationBridge;

contextBridge.exposeInMainWorld('daifa', bridge);
