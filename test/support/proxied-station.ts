/**
 * A whole station stack (hub process, station process, Chromium) whose station reaches the hub through a
 * proxy the test can cut, with a factory's orders synced and a TSPL printer on a TCP listener.
 */
import { startRawListener, type RawListener } from './raw-listener.ts';
import { startHubProcess, startStack, tempDir, type HubProcess, type StationStack } from './station.ts';
import { factoryWithOrders } from './station-scenario.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import * as H from './harness-driver.ts';

export interface ProxiedStation {
  hub: HubProcess;
  proxy: TcpProxy;
  printer: RawListener;
  stack: StationStack;
  printerId: string;
  close(): Promise<void>;
}

export async function startProxiedStation(opts: {
  orders: number;
  name: string;
  tmpPrefix: string;
}): Promise<ProxiedStation> {
  const tmp = tempDir(opts.tmpPrefix);
  const hub = await startHubProcess();
  const proxy = await startTcpProxy(hub.port);
  const scenario = await factoryWithOrders(hub.asTestHub(), { orders: opts.orders });
  const printer = await startRawListener();
  const stack = await startStack({
    hub,
    hubUrl: proxy.url,
    code: await scenario.pairingCode(),
    name: opts.name,
    dir: tmp.dir,
  });
  await H.waitForOrders(stack.page, opts.orders);
  const printerId = await H.addPrinter(stack.page, { name: '标签机', url: `${printer.url}?lang=tspl`, format: 'tspl' });
  return {
    hub,
    proxy,
    printer,
    stack,
    printerId,
    async close() {
      await stack.close();
      await printer.close();
      await proxy.close();
      await hub.close();
      tmp.cleanup();
    },
  };
}
