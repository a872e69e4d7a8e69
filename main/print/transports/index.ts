/**
 * `openTransport(url)`: one printer address → one Transport.
 *
 *   file:///dir?ext=pdf        virtual printer, one file per job (fresh-install default)
 *   tcp://host:9100            raw socket
 *   usb:///dev/usb/lp0         printer-class device file (Linux usblp)
 *   usb://VID:PID[?detach=1]   libusb, when no kernel driver exposes a device file
 *   system://QUEUE[?raw=0]     CUPS lp (raw by default; raw=0 for PDF to a driver queue) / Windows spooler
 *
 * Any address also takes `lang=tspl|zpl|escpos` so `status()` knows which query to send.
 */
import { FileTransport } from './file.ts';
import { SystemTransport } from './system.ts';
import { TcpTransport } from './tcp.ts';
import type { Transport, TransportOptions } from './types.ts';
import { parsePrinterUrl } from './url.ts';
import { DeviceFileTransport, type DeviceOpener } from './usb-device.ts';
import { LibusbTransport, type UsbBus } from './usb-libusb.ts';

export { PrinterError } from '../errors.ts';
export type { PrinterErrorCode } from '../errors.ts';
export type { Transport, TransportOptions, TransportTarget, PrinterStatus, PrinterLanguage } from './types.ts';
export { parsePrinterUrl, fileUrlFor, DEFAULT_RAW_PORT, slowLinkOf, slowLinkWarning, serialSeconds } from './url.ts';
export type { SlowLink, SlowLinkWarning } from './url.ts';
export { statusQuery, parseStatus, statusError } from './status.ts';
export { deliver } from './deliver.ts';
export type { DeliverOptions, DeliverResult } from './deliver.ts';
export { FileTransport, TcpTransport, DeviceFileTransport, LibusbTransport, SystemTransport };

export interface OpenTransportOptions extends TransportOptions {
  /** Test seams. */
  deviceOpen?: DeviceOpener;
  usbBus?: UsbBus;
  platform?: NodeJS.Platform;
}

/** Parses the address and returns a transport. Nothing is opened until the first send. Throws PrinterError('bad_url'). */
export function openTransport(url: string, options: OpenTransportOptions = {}): Transport {
  const { target, language: urlLanguage } = parsePrinterUrl(url);
  const language = urlLanguage ?? options.language;
  switch (target.kind) {
    case 'file':
      return new FileTransport({ url, dir: target.dir, ext: target.ext });
    case 'tcp':
      return new TcpTransport({
        url,
        host: target.host,
        port: target.port,
        language,
        connectTimeoutMs: options.connectTimeoutMs,
        writeTimeoutMs: options.writeTimeoutMs,
        statusTimeoutMs: options.statusTimeoutMs,
      });
    case 'usb-device':
      return new DeviceFileTransport({
        url,
        path: target.path,
        language,
        writeTimeoutMs: options.writeTimeoutMs,
        statusTimeoutMs: options.statusTimeoutMs,
        ...(options.deviceOpen ? { open: options.deviceOpen } : {}),
      });
    case 'usb-libusb':
      return new LibusbTransport({
        url,
        vendorId: target.vendorId,
        productId: target.productId,
        detach: target.detach,
        language,
        writeTimeoutMs: options.writeTimeoutMs,
        statusTimeoutMs: options.statusTimeoutMs,
        ...(options.usbBus ? { bus: options.usbBus } : {}),
      });
    case 'system':
      return new SystemTransport({
        url,
        queue: target.queue,
        raw: target.raw,
        timeoutMs: options.writeTimeoutMs,
        ...(options.platform ? { platform: options.platform } : {}),
      });
  }
}
