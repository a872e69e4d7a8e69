/**
 * The renderer's typed client of the contract, over whichever bridge the host gives (the Electron
 * preload or browser mode's WebSocket): one generic proxy, not a wrapper per method. Results are
 * parsed with the contract's schemas; failures arrive as StationError.
 */
import {
  STATION_METHODS,
  type EventName,
  type EventPayload,
  type MethodArgs,
  type MethodName,
  type MethodResult,
  type StationApi,
  type StationBridge,
} from './contract.ts';
import { StationError } from './errors.ts';

export interface StationClient {
  api: StationApi;
  call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

export function createStationClient(bridge: StationBridge): StationClient {
  async function call<M extends MethodName>(method: M, args: MethodArgs<M>): Promise<MethodResult<M>> {
    const reply = await bridge.call(method, args);
    if (!reply.ok) throw StationError.fromBody(reply.error);
    return STATION_METHODS[method].result.parse(reply.result) as MethodResult<M>;
  }
  const api = new Proxy({} as StationApi, {
    get: (_t, name) => {
      if (typeof name !== 'string' || !Object.hasOwn(STATION_METHODS, name)) return undefined;
      return (args: unknown) => call(name as MethodName, args as never);
    },
  });
  return { api, call, on: (event, listener) => bridge.on(event, listener) };
}
