/**
 * Printer discovery for the station's "add printer" screen: CUPS queues (lpstat), USB printer-class
 * device files (/dev/usb/lpN) and raw USB devices with a printer-class interface (class 7, through the
 * `usb` package). Each entry carries a ready-to-use transport address. Nothing here throws: a missing
 * tool or bus becomes a warning, so one broken source never hides the others.
 */
import { constants, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { errnoOf } from './errors.ts';
import { execTool } from './transports/exec.ts';
import { hexId, loadUsbBus, printerInterface, type UsbBus } from './transports/usb-libusb.ts';

export type DiscoveredKind = 'system' | 'usb-device' | 'usb-libusb';

export interface DiscoveredPrinter {
  kind: DiscoveredKind;
  /** Transport address to store in the printer's settings. */
  url: string;
  /** Queue name, device path, or "Maker Model". */
  name: string;
  description?: string;
  /** CUPS: the device URI behind the queue (socket://…, usb://…). */
  deviceUri?: string;
  /** CUPS: whether the queue has a driver (PPD); raw queues take TSPL/ZPL/ESC-POS, driver queues take PDF. */
  hasDriver?: boolean;
  enabled?: boolean;
  isDefault?: boolean;
  /** Device files: false when this user may not write to it (the warning says how to fix it). */
  writable?: boolean;
}

export interface DiscoveryResult {
  printers: DiscoveredPrinter[];
  /** Bilingual notes about sources that could not be read. */
  warnings: string[];
}

export interface DiscoveryOptions {
  /** Test seams. */
  devRoot?: string;
  sysUsbmiscRoot?: string;
  cupsPpdDir?: string;
  usbBus?: UsbBus | null;
  platform?: NodeJS.Platform;
  timeoutMs?: number;
}

/** Parses `lpstat -v` ("device for Q: uri") into queue → device URI. */
export function parseLpstatDevices(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^device for (\S+?):\s+(\S+)/.exec(line.trim());
    if (m?.[1] && m[2]) map.set(m[1], m[2]);
  }
  return map;
}

/** Parses `lpstat -p` ("printer Q is idle.  enabled since …" / "printer Q disabled since …"). */
export function parseLpstatPrinters(text: string): Map<string, { enabled: boolean; description: string }> {
  const map = new Map<string, { enabled: boolean; description: string }>();
  for (const line of text.split('\n')) {
    const m = /^printer (\S+) (.*)$/.exec(line.trim());
    if (m?.[1]) map.set(m[1], { enabled: !/disabled/.test(m[2] ?? ''), description: (m[2] ?? '').trim() });
  }
  return map;
}

/** Parses an IEEE 1284 device id ("MFG:Gprinter;MDL:GP-1324D;CMD:TSPL;") into "Gprinter GP-1324D" and its languages. */
export function parseIeee1284(id: string): { name: string; commandSets: string[] } {
  const fields = new Map<string, string>();
  for (const part of id.split(';')) {
    const i = part.indexOf(':');
    if (i > 0) fields.set(part.slice(0, i).trim().toUpperCase(), part.slice(i + 1).trim());
  }
  const mfg = fields.get('MFG') ?? fields.get('MANUFACTURER') ?? '';
  const mdl = fields.get('MDL') ?? fields.get('MODEL') ?? '';
  const cmd = fields.get('CMD') ?? fields.get('COMMAND SET') ?? '';
  return {
    name: [mfg, mdl].filter(Boolean).join(' '),
    commandSets: cmd
      ? cmd
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  };
}

async function discoverCups(options: DiscoveryOptions, out: DiscoveryResult): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  let devices: Map<string, string>;
  try {
    const v = await execTool('lpstat', ['-v'], { timeoutMs });
    devices = parseLpstatDevices(v.stdout);
    // `lpstat -e` lists every destination, including ones whose device line lpstat -v omits.
    const e = await execTool('lpstat', ['-e'], { timeoutMs });
    for (const name of e.stdout.split('\n').map((s) => s.trim())) if (name && !devices.has(name)) devices.set(name, '');
    if (devices.size === 0 && v.code !== 0) {
      out.warnings.push(
        `无法读取系统打印队列（CUPS 未运行？）/ Cannot list CUPS queues (is CUPS running?): ${v.stderr.trim()}`,
      );
      return;
    }
  } catch (err) {
    if (errnoOf(err) === 'ENOENT') {
      out.warnings.push('未安装 CUPS 客户端（lpstat），无法列出系统打印队列 / CUPS client (lpstat) not installed');
    } else {
      out.warnings.push(`读取系统打印队列失败 / Listing CUPS queues failed: ${String(err)}`);
    }
    return;
  }
  const states = parseLpstatPrinters(
    (await execTool('lpstat', ['-p'], { timeoutMs }).catch(() => ({ stdout: '' }))).stdout,
  );
  const defaultLine = (await execTool('lpstat', ['-d'], { timeoutMs }).catch(() => ({ stdout: '' }))).stdout;
  const defaultQueue = /destination:\s*(\S+)/.exec(defaultLine)?.[1];
  const ppdDir = options.cupsPpdDir ?? '/etc/cups/ppd';
  for (const [queue, deviceUri] of devices) {
    const hasDriver = await fsp
      .access(join(ppdDir, `${queue}.ppd`))
      .then(() => true)
      .catch(() => false);
    const state = states.get(queue);
    out.printers.push({
      kind: 'system',
      url: `system://${encodeURIComponent(queue)}${hasDriver ? '?raw=0' : ''}`,
      name: queue,
      ...(deviceUri ? { deviceUri } : {}),
      hasDriver,
      ...(state ? { enabled: state.enabled, description: state.description } : {}),
      isDefault: queue === defaultQueue,
    });
  }
}

async function discoverDeviceFiles(options: DiscoveryOptions, out: DiscoveryResult): Promise<void> {
  const devRoot = options.devRoot ?? '/dev/usb';
  const sysRoot = options.sysUsbmiscRoot ?? '/sys/class/usbmisc';
  let names: string[];
  try {
    names = (await fsp.readdir(devRoot)).filter((n) => /^lp\d+$/.test(n)).sort();
  } catch {
    return; // no /dev/usb: no kernel-attached USB printers, which is normal
  }
  for (const n of names) {
    const path = join(devRoot, n);
    const writable = await fsp
      .access(path, constants.W_OK)
      .then(() => true)
      .catch(() => false);
    const id = await fsp.readFile(join(sysRoot, n, 'device', 'ieee1284_id'), 'utf8').catch(() => '');
    const { name, commandSets } = parseIeee1284(id);
    out.printers.push({
      kind: 'usb-device',
      url: `usb://${path}`,
      name: name || path,
      ...(commandSets.length ? { description: commandSets.join(',') } : {}),
      writable,
    });
    if (!writable) {
      out.warnings.push(
        `没有权限写入 ${path}：请执行 sudo usermod -aG lp $USER 后重新登录 / No write permission on ${path}: run sudo usermod -aG lp $USER and log in again`,
      );
    }
  }
}

async function discoverLibusb(options: DiscoveryOptions, out: DiscoveryResult): Promise<void> {
  let bus: UsbBus | null | undefined = options.usbBus;
  if (bus === null) return;
  try {
    bus ??= loadUsbBus();
    const devices = await bus.getDevices();
    for (const device of devices) {
      if (!printerInterface(device)) continue;
      const id = `${hexId(device.vendorId)}:${hexId(device.productId)}`;
      const name = [device.manufacturerName, device.productName].filter(Boolean).join(' ') || `USB ${id}`;
      out.printers.push({ kind: 'usb-libusb', url: `usb://${id}`, name });
    }
  } catch (err) {
    out.warnings.push(
      `无法枚举 USB 设备 / Cannot enumerate USB devices: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

/** Windows (untested here): the spooler's printers, which include USB ones. */
async function discoverWindows(options: DiscoveryOptions, out: DiscoveryResult): Promise<void> {
  try {
    const r = await execTool(
      'powershell.exe',
      [
        '-NoProfile',
        '-NonInteractive',
        '-Command',
        'Get-Printer | Select-Object Name,PortName,DriverName | ConvertTo-Json',
      ],
      { timeoutMs: options.timeoutMs ?? 10_000 },
    );
    const parsed: unknown = JSON.parse(r.stdout || '[]');
    const list = (Array.isArray(parsed) ? parsed : [parsed]) as {
      Name?: string;
      PortName?: string;
      DriverName?: string;
    }[];
    for (const p of list) {
      if (!p.Name) continue;
      out.printers.push({
        kind: 'system',
        url: `system://${encodeURIComponent(p.Name)}`,
        name: p.Name,
        description: [p.DriverName, p.PortName].filter(Boolean).join(' @ '),
      });
    }
  } catch (err) {
    out.warnings.push(`无法读取 Windows 打印机列表 / Cannot list Windows printers: ${String(err)}`);
  }
}

export async function discoverPrinters(options: DiscoveryOptions = {}): Promise<DiscoveryResult> {
  const out: DiscoveryResult = { printers: [], warnings: [] };
  if ((options.platform ?? process.platform) === 'win32') {
    await discoverWindows(options, out);
    await discoverLibusb(options, out);
    return out;
  }
  // Sources run in parallel, each into its own list, so the result order is stable: queues, device files, libusb.
  const parts = [0, 1, 2].map((): DiscoveryResult => ({ printers: [], warnings: [] }));
  const [a, b, c] = parts as [DiscoveryResult, DiscoveryResult, DiscoveryResult];
  await Promise.all([discoverCups(options, a), discoverDeviceFiles(options, b), discoverLibusb(options, c)]);
  for (const part of parts) {
    out.printers.push(...part.printers);
    out.warnings.push(...part.warnings);
  }
  return out;
}
