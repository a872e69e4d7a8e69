/**
 * Transports for real: a TCP listener, device files (regular file and FIFO), the virtual-printer folder,
 * and a fake libusb bus. Every failure must come back as a PrinterError with an actionable zh/en message.
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  createReadStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrinterError, toPrinterError } from '../../../main/print/errors.ts';
import {
  DeviceFileTransport,
  FileTransport,
  LibusbTransport,
  TcpTransport,
  deliver,
  openTransport,
  parsePrinterUrl,
  statusError,
} from '../../../main/print/transports/index.ts';
import { parseEscposPaperStatus, parseTsplStatus, parseZplHostStatus } from '../../../main/print/transports/status.ts';
import type { UsbBus, UsbDeviceLike } from '../../../main/print/transports/usb-libusb.ts';
import { closedPort, startRawListener } from '../../support/raw-listener.ts';
import { SAMPLE_LABEL, sampleLabels } from '../../../shared/label/index.ts';
import { DEFAULT_RENDER_OPTIONS, type LabelBackend } from '../../../main/print/backend.ts';
import { escposBackend, escposRasterBackend } from '../../../main/print/backends/escpos.ts';
import { tsplBackend } from '../../../main/print/backends/tspl.ts';
import { zplBackend } from '../../../main/print/backends/zpl.ts';

const PRINTER_BACKENDS: LabelBackend[] = [tsplBackend, zplBackend, escposBackend, escposRasterBackend];

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'daifa-transports-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<PrinterError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(PrinterError);
    return err as PrinterError;
  }
  throw new Error('expected a rejection');
}

function expectActionable(err: PrinterError) {
  // Chinese first, English alongside, no stack in what the UI shows.
  expect(err.message).toMatch(/[\u4e00-\u9fff]/);
  expect(err.messageEn).toMatch(/[a-z]/i);
  expect(String(err)).not.toMatch(/\n\s+at /);
  expect(JSON.stringify(err)).not.toMatch(/\bat .*\.ts:\d+/);
}

describe('printer URLs', () => {
  it('parses every kind of address', () => {
    expect(parsePrinterUrl('file:///var/labels?ext=png').target).toEqual({
      kind: 'file',
      dir: '/var/labels',
      ext: 'png',
    });
    expect(parsePrinterUrl('file:///var/labels').target).toEqual({ kind: 'file', dir: '/var/labels', ext: 'pdf' });
    expect(parsePrinterUrl('tcp://192.168.1.50').target).toEqual({ kind: 'tcp', host: '192.168.1.50', port: 9100 });
    expect(parsePrinterUrl('tcp://[::1]:9101').target).toEqual({ kind: 'tcp', host: '::1', port: 9101 });
    expect(parsePrinterUrl('usb:///dev/usb/lp0?lang=tspl')).toEqual({
      target: { kind: 'usb-device', path: '/dev/usb/lp0' },
      language: 'tspl',
    });
    expect(parsePrinterUrl('usb://1fc9:2016').target).toEqual({
      kind: 'usb-libusb',
      vendorId: 0x1fc9,
      productId: 0x2016,
      detach: false,
    });
    expect(parsePrinterUrl('usb://0FE6:811E?detach=1').target).toMatchObject({ vendorId: 0x0fe6, detach: true });
    expect(parsePrinterUrl('system://Gprinter_GP1324D').target).toEqual({
      kind: 'system',
      queue: 'Gprinter_GP1324D',
      raw: true,
    });
    expect(parsePrinterUrl('system://Office%20PDF?raw=0').target).toEqual({
      kind: 'system',
      queue: 'Office PDF',
      raw: false,
    });
  });

  it('rejects nonsense with a bad_url PrinterError', () => {
    for (const url of [
      '',
      'lpt1',
      'http://x',
      'usb://zz',
      'tcp://',
      'system://',
      'file:///x?ext=exe',
      'tcp://h?lang=pcl',
    ]) {
      let caught: unknown;
      try {
        openTransport(url);
      } catch (err) {
        caught = err;
      }
      expect(caught, url).toBeInstanceOf(PrinterError);
      expect((caught as PrinterError).code).toBe('bad_url');
      expectActionable(caught as PrinterError);
    }
  });
});

describe('file transport (virtual printer)', () => {
  it('writes one complete file per job, bytes unchanged, and creates the folder', async () => {
    const dir = join(work, 'virtual', 'nested');
    const t = openTransport(`file://${dir}?ext=tspl`);
    expect(t).toBeInstanceOf(FileTransport);
    const a = randomBytes(5000);
    const b = randomBytes(7);
    await t.send(a);
    await t.send(b);
    await t.close();
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.endsWith('.tspl') && !f.startsWith('.'))).toBe(true);
    const contents = files.map((f) => readFileSync(join(dir, f)));
    expect(contents.some((c) => c.equals(a))).toBe(true);
    expect(contents.some((c) => c.equals(b))).toBe(true);
    expect((t as FileTransport).written).toHaveLength(2);
  });

  it('reports a folder it cannot create as a PrinterError', async () => {
    const blocker = join(work, 'not-a-dir');
    writeFileSync(blocker, 'x');
    const err = await rejection(openTransport(`file://${blocker}/sub?ext=pdf`).send(Uint8Array.of(1)));
    expect(err.code).toBe('folder_unusable');
    expect(err.message).toContain('虚拟打印机文件夹');
    expectActionable(err);
  });
});

describe('tcp transport', () => {
  it('delivers bytes identical to what was sent, reusing one connection, and closes cleanly', async () => {
    const listener = await startRawListener();
    try {
      const t = openTransport(listener.url);
      const a = randomBytes(3 * 1024 * 1024 + 17); // several chunks and drains
      const b = randomBytes(1234);
      await t.send(a);
      await t.send(b);
      await listener.waitForBytes(a.length + b.length);
      await t.close();
      await listener.waitForEnded(1);
      expect(listener.connections).toHaveLength(1);
      expect(listener.bytes().equals(Buffer.concat([a, b]))).toBe(true);
    } finally {
      await listener.close();
    }
  });

  it('reconnects when the printer closed the connection between jobs', async () => {
    const listener = await startRawListener();
    try {
      const t = openTransport(listener.url) as TcpTransport;
      await t.send(Buffer.from('FIRST'));
      await listener.waitForBytes(5);
      for (const c of listener.connections) expect(c.ended).toBe(false);
      await listener.close(); // drops every connection, like a printer power-cycling
      const again = await startRawListener({ port: listener.port });
      try {
        await new Promise((r) => setTimeout(r, 50));
        await t.send(Buffer.from('SECOND'));
        await again.waitForBytes(6);
        expect(again.bytes().toString()).toBe('SECOND');
        await t.close();
      } finally {
        await again.close();
      }
    } catch (err) {
      await listener.close().catch(() => undefined);
      throw err;
    }
  });

  it('maps a closed port to "unreachable"', async () => {
    const port = await closedPort();
    const err = await rejection(openTransport(`tcp://127.0.0.1:${port}`).send(Uint8Array.of(1, 2, 3)));
    expect(err.code).toBe('unreachable');
    expect(err.message).toContain('无法连接打印机');
    expect(err.message).toContain(`127.0.0.1:${port}`);
    expect(err.messageEn).toContain('Cannot reach printer');
    expectActionable(err);
  });

  it('maps a connect that never completes to "unreachable" after the connect timeout', async () => {
    // A socket that never connects (a silently dropped SYN cannot be staged portably on loopback).
    const t = new TcpTransport({
      url: 'tcp://192.0.2.1:9100',
      host: '192.0.2.1',
      port: 9100,
      connectTimeoutMs: 300,
      createConnection: () => new net.Socket(),
    });
    const started = Date.now();
    const err = await rejection(t.send(Uint8Array.of(1)));
    expect(err.code).toBe('unreachable');
    expect(err.detail).toContain('connect timed out');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('times out when the printer stops reading, instead of hanging', async () => {
    const listener = await startRawListener({ neverRead: true });
    try {
      const t = openTransport(listener.url, { writeTimeoutMs: 400 });
      const started = Date.now();
      // More than the kernel's socket buffers on both ends can absorb.
      const err = await rejection(t.send(new Uint8Array(48 * 1024 * 1024)));
      expect(err.code).toBe('timeout');
      expect(err.message).toContain('超时');
      expect(err.messageEn).toContain('timed out');
      expect(Date.now() - started).toBeLessThan(20_000);
      expectActionable(err);
      await t.close();
    } finally {
      await listener.close();
    }
  });

  it('asks ESC/POS, TSPL and ZPL printers for status and reports paper-out', async () => {
    const cases = [
      { lang: 'escpos', query: [0x10, 0x04, 0x04], reply: [0x72] },
      { lang: 'tspl', query: [0x1b, 0x21, 0x3f], reply: [0x04] },
      {
        lang: 'zpl',
        query: [...Buffer.from('~HS')],
        reply: [
          ...Buffer.from(
            '\x02030,1,0,1245,000,0,0,0,000,0,0,0\x03\r\n\x02000,0,0,0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n',
          ),
        ],
      },
    ] as const;
    for (const c of cases) {
      const listener = await startRawListener({
        respond: { query: Uint8Array.from(c.query), reply: Uint8Array.from(c.reply) },
      });
      try {
        const t = openTransport(`${listener.url}?lang=${c.lang}`);
        const status = await t.status!();
        expect(status.paperOut, c.lang).toBe(true);
        expect(status.ready, c.lang).toBe(false);
        const err = statusError(status, listener.url);
        expect(err?.code).toBe('paper_out');
        expect(err?.message).toContain('缺纸');
        await t.close();
      } finally {
        await listener.close();
      }
    }
  });

  it('times out a status query the printer never answers', async () => {
    const listener = await startRawListener();
    try {
      const t = openTransport(`${listener.url}?lang=tspl`, { statusTimeoutMs: 200 });
      const err = await rejection(t.status!());
      expect(err.code).toBe('timeout');
      await t.close();
    } finally {
      await listener.close();
    }
  });
});

describe('deliver: status before sending', () => {
  const QUERY = Uint8Array.of(0x10, 0x04, 0x04);
  const job = Buffer.from('\x1b@LABEL\n');

  it('does not send a job to a printer that reports paper-out, and says why', async () => {
    const listener = await startRawListener({ respond: { query: QUERY, reply: Uint8Array.of(0x72) } });
    try {
      const t = openTransport(`${listener.url}?lang=escpos`);
      const err = await rejection(deliver(t, job));
      expect(err.code).toBe('paper_out');
      expect(err.message).toContain('缺纸');
      await t.close();
      await listener.waitForEnded(1);
      expect(listener.bytes().equals(Buffer.from(QUERY))).toBe(true); // the query, and no label
    } finally {
      await listener.close();
    }
  });

  it('sends to a ready printer', async () => {
    const listener = await startRawListener({ respond: { query: QUERY, reply: Uint8Array.of(0x12) } });
    try {
      const t = openTransport(`${listener.url}?lang=escpos`);
      const result = await deliver(t, job);
      expect(result.status?.ready).toBe(true);
      await t.close();
      await listener.waitForEnded(1);
      expect(listener.bytes().equals(Buffer.concat([QUERY, job]))).toBe(true);
    } finally {
      await listener.close();
    }
  });

  it('prints to a printer that never answers, and stops asking it', async () => {
    const listener = await startRawListener();
    try {
      const t = openTransport(`${listener.url}?lang=tspl`, { statusTimeoutMs: 150 });
      await deliver(t, job);
      const started = Date.now();
      await deliver(t, job);
      expect(Date.now() - started).toBeLessThan(120);
      await t.close();
      await listener.waitForEnded(1);
      expect(listener.bytes().toString('latin1')).toBe(`\x1b!?${job.toString('latin1')}${job.toString('latin1')}`);
    } finally {
      await listener.close();
    }
  });
});

describe('status replies', () => {
  it('ESC/POS DLE EOT 4: fixed bits, near-end and paper-end', () => {
    expect(parseEscposPaperStatus(Uint8Array.of(0x12))).toMatchObject({
      ready: true,
      paperOut: false,
      paperNearEnd: false,
    });
    expect(parseEscposPaperStatus(Uint8Array.of(0x1e))).toMatchObject({ ready: true, paperNearEnd: true });
    expect(parseEscposPaperStatus(Uint8Array.of(0x72))).toMatchObject({ ready: false, paperOut: true });
    // A byte whose fixed bits are wrong is not a status reply: never "ready".
    expect(parseEscposPaperStatus(Uint8Array.of(0x00))).toMatchObject({ ready: false, otherError: true });
    expect(parseEscposPaperStatus(new Uint8Array(0)).ready).toBe(false);
  });

  it('TSPL <ESC>!?: each bit', () => {
    expect(parseTsplStatus(Uint8Array.of(0x00)).ready).toBe(true);
    expect(parseTsplStatus(Uint8Array.of(0x20))).toMatchObject({ ready: true }); // printing
    expect(parseTsplStatus(Uint8Array.of(0x01))).toMatchObject({ ready: false, headOpen: true });
    expect(parseTsplStatus(Uint8Array.of(0x02))).toMatchObject({ paperJam: true });
    expect(parseTsplStatus(Uint8Array.of(0x05))).toMatchObject({ paperOut: true, headOpen: true });
    expect(parseTsplStatus(Uint8Array.of(0x08))).toMatchObject({ ribbonOut: true });
    expect(parseTsplStatus(Uint8Array.of(0x10))).toMatchObject({ paused: true, ready: false });
    expect(parseTsplStatus(Uint8Array.of(0x80))).toMatchObject({ otherError: true });
    expect(statusError(parseTsplStatus(Uint8Array.of(0x01)), 'p')?.code).toBe('head_open');
    expect(statusError(parseTsplStatus(Uint8Array.of(0x00)), 'p')).toBeUndefined();
  });

  it('ZPL ~HS: paper out, pause, head up', () => {
    const hs = (paper: string, pause: string, head: string) =>
      Buffer.from(
        `\x02030,${paper},${pause},1245,000,0,0,0,000,0,0,0\x03\r\n\x02000,0,${head},0,0,2,4,0,00000000,1,000\x03\r\n\x021234,0\x03\r\n`,
      );
    expect(parseZplHostStatus(hs('0', '0', '0')).ready).toBe(true);
    expect(parseZplHostStatus(hs('1', '0', '0'))).toMatchObject({ paperOut: true, ready: false });
    expect(parseZplHostStatus(hs('0', '1', '0'))).toMatchObject({ paused: true });
    expect(parseZplHostStatus(hs('0', '0', '1'))).toMatchObject({ headOpen: true });
    expect(parseZplHostStatus(Buffer.from('garbage')).ready).toBe(false);
  });
});

describe('usb device-file transport', () => {
  it('writes bytes identical to what was sent into a device file (a regular file standing in for /dev/usb/lp0)', async () => {
    const dev = join(work, 'lp0');
    writeFileSync(dev, '');
    const t = openTransport(`usb://${dev}`);
    expect(t).toBeInstanceOf(DeviceFileTransport);
    const a = randomBytes(200_000);
    const b = randomBytes(99);
    await t.send(a);
    await t.send(b);
    await t.close();
    expect(readFileSync(dev).equals(Buffer.concat([a, b]))).toBe(true);
  });

  it('writes through a named pipe with a reader on the other end', async () => {
    const fifo = join(work, 'lp-fifo');
    execFileSync('mkfifo', [fifo]);
    const received: Buffer[] = [];
    const reader = createReadStream(fifo);
    reader.on('data', (c) => received.push(c as Buffer));
    const done = new Promise<void>((r) => reader.on('end', () => r()));
    const payload = randomBytes(300_000);
    const t = openTransport(`usb://${fifo}`);
    await t.send(payload);
    await t.close();
    await done; // the writer closed its end after the job
    expect(Buffer.concat(received).equals(payload)).toBe(true);
  });

  it('never creates a missing device: "device_not_found"', async () => {
    const missing = join(work, 'usb', 'lp7');
    const err = await rejection(openTransport(`usb://${missing}`).send(Uint8Array.of(1)));
    expect(err.code).toBe('device_not_found');
    expect(existsSync(missing)).toBe(false);
    expect(err.message).toContain('找不到打印机设备');
    expectActionable(err);
  });

  it('maps EACCES (injected) to permission_denied with the lp-group fix', async () => {
    const t = new DeviceFileTransport({
      url: 'usb:///dev/usb/lp0',
      path: '/dev/usb/lp0',
      open: () =>
        Promise.reject(Object.assign(new Error("EACCES: permission denied, open '/dev/usb/lp0'"), { code: 'EACCES' })),
    });
    const err = await rejection(t.send(Uint8Array.of(1)));
    expect(err.code).toBe('permission_denied');
    expect(err.message).toContain('usermod -aG lp');
    expect(err.messageEn).toContain('lp group');
    expectActionable(err);
  });

  it('gets a real EACCES as an unprivileged user on a chmod 000 device file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daifa-perm-'));
    chmodSync(dir, 0o755);
    const dev = join(dir, 'lp0');
    writeFileSync(dev, '');
    chmodSync(dev, 0o000);
    const entry = resolve('main/print/transports/index.ts');
    const script = `
      const { openTransport } = await import(${JSON.stringify(entry)});
      try { await openTransport(${JSON.stringify(`usb://${dev}`)}).send(Uint8Array.of(1)); console.log('SENT'); }
      catch (e) { console.log(JSON.stringify({ code: e.code, message: e.message })); }`;
    const asNobody = process.getuid?.() === 0;
    const cmd = asNobody ? 'setpriv' : process.execPath;
    const args = asNobody
      ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '--input-type=module', '-e', script]
      : ['--input-type=module', '-e', script];
    const out = await new Promise<string>((res, rej) => {
      const child = spawn(cmd, args, { cwd: tmpdir() });
      let text = '';
      child.stdout.on('data', (c) => (text += String(c)));
      child.stderr.on('data', (c) => (text += String(c)));
      child.on('error', rej);
      child.on('close', () => res(text));
    });
    rmSync(dir, { recursive: true, force: true });
    const line = out.trim().split('\n').pop() ?? '';
    expect(line, out).not.toBe('SENT');
    const parsed = JSON.parse(line) as { code: string; message: string };
    expect(parsed.code).toBe('permission_denied');
    expect(parsed.message).toContain('lp');
  });

  it('maps usblp ENOSPC to paper_out and a stuck write to timeout', async () => {
    const enospc = new DeviceFileTransport({
      url: 'usb:///dev/usb/lp0',
      path: '/dev/usb/lp0',
      open: async () => ({
        write: () => Promise.reject(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' })),
        read: async () => ({ bytesRead: 0 }),
        close: async () => undefined,
      }),
    });
    expect((await rejection(enospc.send(Uint8Array.of(1)))).code).toBe('paper_out');

    let closed = false;
    const stuck = new DeviceFileTransport({
      url: 'usb:///dev/usb/lp0',
      path: '/dev/usb/lp0',
      writeTimeoutMs: 150,
      open: async () => ({
        write: () => new Promise(() => undefined),
        read: async () => ({ bytesRead: 0 }),
        close: async () => {
          closed = true;
        },
      }),
    });
    const err = await rejection(stuck.send(Uint8Array.of(1)));
    expect(err.code).toBe('timeout');
    expect(closed).toBe(false); // the stuck write still owns the handle
  });

  it('times out a status read the device never answers, without hanging on close', async () => {
    const t = openTransport('usb:///dev/usb/lp0?lang=escpos', {
      statusTimeoutMs: 100,
      deviceOpen: async () => ({
        write: async (_d, _o, l) => ({ bytesWritten: l }),
        read: () => new Promise(() => undefined), // a printer that never replies
        // Like FileHandle.close(): waits for the pending read, i.e. forever here.
        close: () => new Promise(() => undefined),
      }),
    });
    const err = await rejection(t.status!());
    expect(err.code).toBe('timeout');
  });

  it('reads a TSPL status reply from the device', async () => {
    const writes: Buffer[] = [];
    const t = openTransport('usb:///dev/usb/lp0?lang=tspl', {
      deviceOpen: async () => ({
        write: async (d, o, l) => {
          writes.push(Buffer.from(d.subarray(o, o + l)));
          return { bytesWritten: l };
        },
        read: async (buf) => {
          buf[0] = 0x04;
          return { bytesRead: 1 };
        },
        close: async () => undefined,
      }),
    });
    const status = await t.status!();
    expect(Buffer.concat(writes)).toEqual(Buffer.from([0x1b, 0x21, 0x3f]));
    expect(status.paperOut).toBe(true);
  });
});

describe('libusb transport (fake bus: no USB hardware here)', () => {
  function fakePrinter(options: { claimError?: Error; printerClass?: boolean } = {}) {
    const sent: Buffer[] = [];
    const calls: string[] = [];
    const device: UsbDeviceLike = {
      vendorId: 0x0fe6,
      productId: 0x811e,
      manufacturerName: 'Gprinter',
      productName: 'GP-1324D',
      configuration: {
        interfaces: [
          {
            interfaceNumber: 0,
            alternate: { interfaceClass: 3, endpoints: [{ endpointNumber: 1, direction: 'in', type: 'interrupt' }] },
          },
          {
            interfaceNumber: 1,
            alternate: {
              interfaceClass: options.printerClass === false ? 255 : 7,
              endpoints: [
                { endpointNumber: 2, direction: 'in', type: 'bulk' },
                { endpointNumber: 3, direction: 'out', type: 'bulk' },
              ],
            },
          },
        ],
      },
      open: async () => void calls.push('open'),
      close: async () => void calls.push('close'),
      claimInterface: async (n) => {
        calls.push(`claim ${n}`);
        if (options.claimError) throw options.claimError;
      },
      releaseInterface: async (n) => void calls.push(`release ${n}`),
      transferOut: async (ep, data) => {
        calls.push(`out ${ep}`);
        sent.push(Buffer.from(data));
        return { status: 'ok', bytesWritten: data.length };
      },
      transferIn: async () => ({ status: 'ok', data: new DataView(Uint8Array.of(0x00).buffer) }),
    };
    const bus: UsbBus = {
      getDevices: async () => [device],
      findDeviceByIds: async (v, p) => (v === device.vendorId && p === device.productId ? device : undefined),
    };
    return { bus, sent, calls };
  }

  it('claims the printer-class interface and writes everything to its bulk OUT endpoint', async () => {
    const { bus, sent, calls } = fakePrinter();
    const t = openTransport('usb://0fe6:811e?lang=tspl', { usbBus: bus });
    expect(t).toBeInstanceOf(LibusbTransport);
    const payload = randomBytes(40_000);
    await t.send(payload);
    expect(Buffer.concat(sent).equals(payload)).toBe(true);
    expect(calls).toContain('claim 1');
    expect(calls.filter((c) => c.startsWith('out')).every((c) => c === 'out 3')).toBe(true);
    expect((await t.status!()).ready).toBe(true);
    await t.close();
    expect(calls.slice(-2)).toEqual(['release 1', 'close']);
  });

  it('explains a missing device, a non-printer and a kernel-owned interface', async () => {
    const { bus } = fakePrinter();
    expect((await rejection(openTransport('usb://1234:5678', { usbBus: bus }).send(Uint8Array.of(1)))).code).toBe(
      'device_not_found',
    );
    const other = fakePrinter({ printerClass: false });
    expect((await rejection(openTransport('usb://0fe6:811e', { usbBus: other.bus }).send(Uint8Array.of(1)))).code).toBe(
      'device_not_found',
    );
    const busy = fakePrinter({ claimError: new Error('Device or resource busy') });
    const err = await rejection(openTransport('usb://0fe6:811e', { usbBus: busy.bus }).send(Uint8Array.of(1)));
    expect(err.code).toBe('kernel_driver_active');
    expect(err.message).toContain('/dev/usb/lp0');
  });
});

describe('delivery of real backend output', () => {
  it('tcp and usb-as-file deliver exactly the bytes each backend produced', async () => {
    const labels = [SAMPLE_LABEL, ...sampleLabels(2, 11)];
    for (const backend of PRINTER_BACKENDS) {
      const { bytes } = await backend.render(labels, DEFAULT_RENDER_OPTIONS);
      expect(bytes.length).toBeGreaterThan(0);

      const listener = await startRawListener();
      try {
        const t = openTransport(listener.url);
        await t.send(bytes);
        await t.close();
        await listener.waitForEnded(1);
        expect(listener.bytes().equals(Buffer.from(bytes)), backend.format).toBe(true);
      } finally {
        await listener.close();
      }

      const dev = join(work, `lp-${backend.format}-${bytes.length}`);
      writeFileSync(dev, '');
      const usb = openTransport(`usb://${dev}`);
      await usb.send(bytes);
      await usb.close();
      expect(readFileSync(dev).equals(Buffer.from(bytes)), backend.format).toBe(true);

      const dir = join(work, `virtual-${backend.format}-${bytes.length}`);
      const file = openTransport(`file://${dir}?ext=${backend.fileExtension}`);
      await file.send(bytes);
      expect(readFileSync((file as FileTransport).written[0]!).equals(Buffer.from(bytes))).toBe(true);
    }
  });
});

describe('toPrinterError', () => {
  it('wraps unknown errors without losing the detail and keeps PrinterErrors as they are', () => {
    const original = new PrinterError('paper_out', { target: 'x' });
    expect(toPrinterError(original, 'y')).toBe(original);
    const wrapped = toPrinterError(new Error('weird'), 'tcp://a');
    expect(wrapped.code).toBe('unknown');
    expect(wrapped.detail).toBe('weird');
    expect(wrapped.toJSON()).toMatchObject({ code: 'unknown', target: 'tcp://a' });
  });
});
