import type { PrinterLanguage, PrinterStatus } from './status.ts';

export type { PrinterLanguage, PrinterStatus };

/**
 * Where label bytes go. One transport per printer; `send` is one job (one or more labels already
 * rendered by a backend). `send` resolves once every byte has been handed to the OS / spooler, and
 * rejects with a PrinterError — never a bare Node error.
 */
export interface Transport {
  /** The address this transport was opened with, for messages and logs. */
  readonly url: string;
  send(bytes: Uint8Array): Promise<void>;
  /** Asks the printer for its state, where the connection is two-way and the language is known. */
  status?(): Promise<PrinterStatus>;
  close(): Promise<void>;
}

export type TransportKind = 'file' | 'tcp' | 'usb-device' | 'usb-libusb' | 'system';

/** A parsed printer address. */
export type TransportTarget =
  | { kind: 'file'; dir: string; ext: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'usb-device'; path: string }
  | { kind: 'usb-libusb'; vendorId: number; productId: number; detach: boolean }
  | { kind: 'system'; queue: string; raw: boolean };

export interface TransportOptions {
  /** Printer language, for status queries (`?lang=tspl|zpl|escpos` in the URL also sets it). */
  language?: PrinterLanguage;
  /** TCP connect timeout. */
  connectTimeoutMs?: number;
  /** How long a write may make no progress before we give up (TCP, device file, USB). */
  writeTimeoutMs?: number;
  /** How long to wait for a status reply. */
  statusTimeoutMs?: number;
}
