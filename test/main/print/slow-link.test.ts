import { describe, expect, it } from 'vitest';
import { serialSeconds, slowLinkOf, slowLinkWarning } from '../../../main/print/transports/index.ts';
import { runCli } from '../../../main/print/cli.ts';

describe('printers on slow links', () => {
  it('knows Bluetooth and serial ports from their device names, and nothing else', () => {
    expect(slowLinkOf('usb:///dev/rfcomm0')).toEqual({ kind: 'bluetooth', baud: 115_200 });
    expect(slowLinkOf('usb:///dev/ttyUSB1?baud=9600')).toEqual({ kind: 'serial', baud: 9600 });
    expect(slowLinkOf('usb:///dev/ttyS0')).toEqual({ kind: 'serial', baud: 115_200 });
    expect(slowLinkOf('usb:///dev/usb/lp0')).toBeNull();
    expect(slowLinkOf('tcp://192.168.1.50:9100')).toBeNull();
    expect(slowLinkOf('not a printer')).toBeNull();
  });

  it('warns with the seconds one label takes: 10 bits per byte at the line speed', () => {
    expect(serialSeconds(11_520, 115_200)).toBeCloseTo(1, 6);
    const w = slowLinkWarning('usb:///dev/rfcomm0', 40 * 1024)!;
    expect(w.code).toBe('slow_link');
    expect(w.secondsPerLabel).toBeCloseTo((40 * 1024 * 10) / 115_200, 6);
    expect(w.zh).toMatch(/经蓝牙连接（115200 波特）：每张面单 40\.0 KiB，传输约需 3\.6 秒/);
    expect(w.en).toMatch(/bluetooth link/);
    expect(slowLinkWarning('tcp://10.0.0.1:9100', 40 * 1024)).toBeNull();
  });

  it('the label CLI says so before it sends to such a printer', async () => {
    const err: string[] = [];
    let sentTo = '';
    const code = await runCli(['--sample', '--format', 'tspl', '--printer', 'usb:///dev/rfcomm0'], {
      stdout: () => {},
      stderr: (l) => err.push(l),
      writeFile: () => {},
      send: async (url) => {
        sentTo = url;
      },
    });
    expect(code).toBe(0);
    expect(sentTo).toBe('usb:///dev/rfcomm0');
    expect(err.join('\n')).toMatch(/提示：打印机 usb:\/\/\/dev\/rfcomm0 经蓝牙连接/);
  });
});
