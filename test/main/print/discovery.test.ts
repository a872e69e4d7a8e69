/**
 * Discovery: a real CUPS queue created for the test, a fake /dev/usb + /sys tree for printer-class
 * device files, and a fake libusb bus (this machine has no USB bus). It never throws.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  discoverPrinters,
  parseIeee1284,
  parseLpstatDevices,
  parseLpstatPrinters,
} from '../../../main/print/discovery.ts';
import { parsePrinterUrl } from '../../../main/print/transports/index.ts';
import type { UsbBus, UsbDeviceLike } from '../../../main/print/transports/usb-libusb.ts';
import { createCupsQueue, ensureCupsRunning, startRawListener, type RawListener } from '../../support/raw-listener.ts';

const cups = await ensureCupsRunning();
if (!cups.ok) {
  if (process.env.CI === 'true') throw new Error(`CUPS is required in CI but unavailable: ${cups.reason}`);
  console.warn(`\n!!!!!!!! CUPS discovery tests SKIPPED: ${cups.reason}. Install cups and start cupsd. !!!!!!!!\n`);
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'daifa-discovery-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function fakeDevice(vendorId: number, productId: number, interfaceClass: number, name: string): UsbDeviceLike {
  const none = async () => undefined;
  return {
    vendorId,
    productId,
    manufacturerName: name.split(' ')[0] ?? null,
    productName: name.split(' ').slice(1).join(' ') || null,
    configuration: {
      interfaces: [
        {
          interfaceNumber: 0,
          alternate: { interfaceClass, endpoints: [{ endpointNumber: 1, direction: 'out', type: 'bulk' }] },
        },
      ],
    },
    open: none,
    close: none,
    claimInterface: none,
    releaseInterface: none,
    transferOut: async () => ({ status: 'ok', bytesWritten: 0 }),
    transferIn: async () => ({ status: 'ok' }),
  };
}

describe('parsers', () => {
  it('reads lpstat output and IEEE 1284 ids', () => {
    const devices = parseLpstatDevices(
      'device for GP1324: usb://Gprinter/GP-1324D?serial=123\ndevice for ZD420: socket://10.0.0.9:9100\n',
    );
    expect([...devices]).toEqual([
      ['GP1324', 'usb://Gprinter/GP-1324D?serial=123'],
      ['ZD420', 'socket://10.0.0.9:9100'],
    ]);
    const printers = parseLpstatPrinters(
      'printer GP1324 is idle.  enabled since Fri 27 Nov 2026\nprinter ZD420 disabled since Fri 27 Nov 2026 -\n',
    );
    expect(printers.get('GP1324')?.enabled).toBe(true);
    expect(printers.get('ZD420')?.enabled).toBe(false);
    expect(parseIeee1284('MFG:Gprinter;MDL:GP-1324D;CMD:TSPL,ESC/POS;CLS:PRINTER;')).toEqual({
      name: 'Gprinter GP-1324D',
      commandSets: ['TSPL', 'ESC/POS'],
    });
    expect(parseIeee1284('')).toEqual({ name: '', commandSets: [] });
  });
});

describe('device files and libusb', () => {
  it('lists /dev/usb/lpN with their 1284 names, and class-7 USB devices only', async () => {
    const dev = join(work, 'dev-usb');
    const sys = join(work, 'sys-usbmisc');
    mkdirSync(dev, { recursive: true });
    for (const n of ['lp0', 'lp1', 'hiddev0']) writeFileSync(join(dev, n), '');
    mkdirSync(join(sys, 'lp0', 'device'), { recursive: true });
    writeFileSync(join(sys, 'lp0', 'device', 'ieee1284_id'), 'MFG:Xprinter;MDL:XP-420B;CMD:TSPL;');
    const bus: UsbBus = {
      getDevices: async () => [
        fakeDevice(0x0fe6, 0x811e, 7, 'Gprinter GP-1324D'),
        fakeDevice(0x046d, 0xc52b, 3, 'Logitech Receiver'),
      ],
      findDeviceByIds: async () => undefined,
    };
    const result = await discoverPrinters({ devRoot: dev, sysUsbmiscRoot: sys, usbBus: bus });
    const usb = result.printers.filter((p) => p.kind !== 'system');
    expect(usb).toEqual([
      expect.objectContaining({
        kind: 'usb-device',
        url: `usb://${join(dev, 'lp0')}`,
        name: 'Xprinter XP-420B',
        description: 'TSPL',
      }),
      expect.objectContaining({ kind: 'usb-device', url: `usb://${join(dev, 'lp1')}`, name: join(dev, 'lp1') }),
      expect.objectContaining({ kind: 'usb-libusb', url: 'usb://0fe6:811e', name: 'Gprinter GP-1324D' }),
    ]);
    // Every discovered address opens as a transport address.
    for (const p of usb) expect(() => parsePrinterUrl(p.url)).not.toThrow();
  });

  it('turns a broken USB stack into a warning, not an exception', async () => {
    const bus: UsbBus = {
      getDevices: () => Promise.reject(new Error('/sys/bus/usb/devices/ not found')),
      findDeviceByIds: async () => undefined,
    };
    const result = await discoverPrinters({ devRoot: join(work, 'none'), usbBus: bus });
    expect(result.warnings.some((w) => w.includes('USB'))).toBe(true);
  });

  it('says so when lpstat is not installed', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(work, 'empty-bin');
    try {
      const result = await discoverPrinters({ devRoot: join(work, 'none'), usbBus: null });
      expect(result.printers.filter((p) => p.kind === 'system')).toEqual([]);
      expect(result.warnings.join('\n')).toContain('lpstat');
    } finally {
      process.env.PATH = path;
    }
  });
});

describe.skipIf(!cups.ok)('CUPS queues', () => {
  let listener: RawListener;
  let queue: { name: string; remove: () => Promise<void> };
  beforeAll(async () => {
    listener = await startRawListener();
    queue = await createCupsQueue(listener.port);
  });
  afterAll(async () => {
    await queue?.remove();
    await listener?.close();
  });

  it('lists the test queue with its device URI, as a raw system:// address', async () => {
    const result = await discoverPrinters({ devRoot: join(work, 'none'), usbBus: null });
    const mine = result.printers.find((p) => p.name === queue.name);
    expect(mine).toMatchObject({
      kind: 'system',
      url: `system://${queue.name}`,
      deviceUri: `socket://127.0.0.1:${listener.port}`,
      hasDriver: false,
      enabled: true,
    });
    expect(parsePrinterUrl(mine!.url).target).toEqual({ kind: 'system', queue: queue.name, raw: true });
  });
});
