/**
 * The Electron host's glue: the IPC contract carried by `ipcMain` (DESIGN.md §1). One channel for calls,
 * one for events, both generic over the contract table; every call's sender frame is checked (only our
 * own page, loaded from our files, may call), and every message is validated by the shared dispatcher.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { StationError, type CallReply, type EventName, type EventPayload } from '../../shared/ipc/index.ts';
import { dispatch } from '../host/dispatch.ts';
import type { StationServices } from '../station/services.ts';

export const CALL_CHANNEL = 'daifa:call';
export const EVENT_CHANNEL = 'daifa:event';

export interface IpcGlueOptions {
  /** Only frames showing our own page may call (file://…/dist/renderer/index.html in the app). */
  isTrustedFrame: (frame: WebFrameMain | null) => boolean;
}

export function registerStationIpc(ipcMain: IpcMain, services: StationServices, opts: IpcGlueOptions): () => void {
  const windows = new Map<number, { contents: WebContents; abort: AbortController }>();

  const track = (contents: WebContents) => {
    let w = windows.get(contents.id);
    if (!w) {
      w = { contents, abort: new AbortController() };
      windows.set(contents.id, w);
      contents.once('destroyed', () => {
        w!.abort.abort();
        windows.delete(contents.id);
        services.disconnect(String(contents.id));
      });
    }
    return w;
  };

  const send = <E extends EventName>(contents: WebContents, name: E, payload: EventPayload<E>) => {
    if (!contents.isDestroyed()) contents.send(EVENT_CHANNEL, name, payload);
  };

  ipcMain.handle(
    CALL_CHANNEL,
    async (event: IpcMainInvokeEvent, method: unknown, args: unknown): Promise<CallReply<unknown>> => {
      if (!opts.isTrustedFrame(event.senderFrame)) {
        return { ok: false, error: new StationError('forbidden_origin').toBody() };
      }
      const w = track(event.sender);
      return dispatch(services.handlers, method, args, {
        connectionId: String(event.sender.id),
        signal: w.abort.signal,
        emit: (name, payload) => send(event.sender, name, payload),
      });
    },
  );

  const unsubscribe = services.onBroadcast((name, payload) => {
    for (const w of windows.values()) send(w.contents, name, payload);
  });

  return () => {
    unsubscribe();
    ipcMain.removeHandler(CALL_CHANNEL);
  };
}
