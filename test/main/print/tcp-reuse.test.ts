/**
 * A network printer switched off and on between jobs (the usual cure for a paper jam) forgets the
 * open connection without sending anything. A job written into that stale connection would be
 * accepted by our kernel, reported as sent, and never printed. The printer below "restarts" by silently
 * discarding whatever arrives on the connections it had before.
 */
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { TcpTransport } from '../../../main/print/transports/index.ts';

async function forgetfulPrinter() {
  const conns: { socket: net.Socket; forgotten: boolean }[] = [];
  const printed: Buffer[] = [];
  const server = net.createServer((socket) => {
    const c = { socket, forgotten: false };
    conns.push(c);
    socket.on('error', () => undefined);
    socket.on('data', (d: Buffer) => {
      if (!c.forgotten) printed.push(d);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    printed: () => Buffer.concat(printed).toString(),
    connections: () => conns.length,
    restart: () => conns.forEach((c) => (c.forgotten = true)),
    close: async () => {
      for (const c of conns) c.socket.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('tcp transport and a printer that restarted between jobs', () => {
  it('does not write a later job into a connection that sat idle', async () => {
    const printer = await forgetfulPrinter();
    const t = new TcpTransport({ host: '127.0.0.1', port: printer.port, url: 'tcp://test', idleReuseMs: 100 });
    try {
      await t.send(Buffer.from('FIRST;'));
      await t.send(Buffer.from('SECOND;')); // back to back: one connection
      await until(() => printer.printed() === 'FIRST;SECOND;');
      expect(printer.connections()).toBe(1);

      printer.restart();
      await new Promise((r) => setTimeout(r, 200));
      await t.send(Buffer.from('THIRD;'));
      await until(() => printer.printed().endsWith('THIRD;'));
      expect(printer.printed()).toBe('FIRST;SECOND;THIRD;');
      expect(printer.connections()).toBe(2);
    } finally {
      await t.close();
      await printer.close();
    }
  });
});
