/**
 * Printer status queries and their replies, per printer language. The transports send the query bytes
 * and hand the reply here; nothing in this file does I/O, so it is tested byte by byte.
 */
import { PrinterError, type PrinterErrorCode } from '../errors.ts';

export type PrinterLanguage = 'tspl' | 'zpl' | 'escpos';

export interface PrinterStatus {
  ready: boolean;
  paperOut: boolean;
  /** Only printers that have a near-end sensor report this (ESC/POS). */
  paperNearEnd: boolean;
  headOpen: boolean;
  paperJam: boolean;
  ribbonOut: boolean;
  paused: boolean;
  /** Any other error flag the printer raised. */
  otherError: boolean;
  /** The raw reply, for the log. */
  raw: string;
}

const ESC = 0x1b;
const DLE = 0x10;
const EOT = 0x04;

/**
 * The bytes that ask for status:
 * - ESC/POS `DLE EOT 4` — real-time roll-paper sensor status (one byte back). It works even while the
 *   printer is offline or in an error state, which is exactly when we need it.
 * - TSPL `<ESC>!?` — immediate status, one byte back.
 * - ZPL `~HS` — host status, three framed strings back.
 */
export function statusQuery(language: PrinterLanguage): Uint8Array {
  switch (language) {
    case 'escpos':
      return Uint8Array.of(DLE, EOT, 4);
    case 'tspl':
      return Uint8Array.of(ESC, 0x21, 0x3f); // ESC ! ?
    case 'zpl':
      return new TextEncoder().encode('~HS\r\n');
  }
}

/** How many reply bytes make a complete answer (ZPL's is variable: we look for the third ETX). */
export function statusReplyComplete(language: PrinterLanguage, reply: Uint8Array): boolean {
  if (language !== 'zpl') return reply.length >= 1;
  let etx = 0;
  for (const b of reply) if (b === 0x03) etx++;
  return etx >= 3;
}

function blank(raw: string): PrinterStatus {
  return {
    ready: true,
    paperOut: false,
    paperNearEnd: false,
    headOpen: false,
    paperJam: false,
    ribbonOut: false,
    paused: false,
    otherError: false,
    raw,
  };
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * ESC/POS `DLE EOT 4` reply (Epson spec, roll paper sensor status): bits 1 and 4 are fixed to 1 and
 * bit 7 to 0; bits 2-3 set = paper near end; bits 5-6 set = paper end (out). Common Chinese ESC/POS
 * firmware (Xprinter, Gprinter, HPRT) follows this.
 */
export function parseEscposPaperStatus(reply: Uint8Array): PrinterStatus {
  const b = reply[0];
  if (b === undefined || (b & 0x93) !== 0x12) {
    // Not a DLE EOT 4 reply (wrong fixed bits): say so rather than guess "ready".
    return { ...blank(hex(reply)), ready: false, otherError: true };
  }
  const status = blank(hex(reply));
  status.paperNearEnd = (b & 0x0c) !== 0;
  status.paperOut = (b & 0x60) !== 0;
  status.ready = !status.paperOut;
  return status;
}

/**
 * TSPL `<ESC>!?` reply byte (TSC TSPL/TSPL2 manual, "<ESC>!?"): 0x00 normal; bit0 head opened;
 * bit1 paper jam; bit2 out of paper; bit3 out of ribbon; bit4 pause; bit5 printing; bit6 cover opened
 * (some models); bit7 other error. "Printing" is not a fault.
 */
export function parseTsplStatus(reply: Uint8Array): PrinterStatus {
  const b = reply[0];
  const status = blank(hex(reply));
  if (b === undefined) return { ...status, ready: false, otherError: true };
  status.headOpen = (b & 0x01) !== 0 || (b & 0x40) !== 0;
  status.paperJam = (b & 0x02) !== 0;
  status.paperOut = (b & 0x04) !== 0;
  status.ribbonOut = (b & 0x08) !== 0;
  status.paused = (b & 0x10) !== 0;
  status.otherError = (b & 0x80) !== 0;
  status.ready = (b & ~0x20 & 0xff) === 0;
  return status;
}

/**
 * ZPL `~HS` reply: three STX…ETX strings. String 1 is `aaa,b,c,…`: b = paper out flag, c = pause flag.
 * String 2 is `mmm,n,o,p,…`: o = head up flag, p = ribbon out flag (Zebra ZPL II manual, ~HS).
 */
export function parseZplHostStatus(reply: Uint8Array): PrinterStatus {
  const text = new TextDecoder('latin1').decode(reply);
  const STX = String.fromCharCode(0x02);
  const ETX = String.fromCharCode(0x03);
  const strings = text
    .split(STX)
    .slice(1)
    .map((part) => (part.split(ETX)[0] ?? '').split(','));
  const status = blank(text.split(STX).join(' ').split(ETX).join(' ').replace(/\s+/g, ' ').trim());
  const s1 = strings[0];
  const s2 = strings[1];
  if (!s1 || !s2) return { ...status, ready: false, otherError: true };
  status.paperOut = s1[1] === '1';
  status.paused = s1[2] === '1';
  status.headOpen = s2[2] === '1';
  status.ribbonOut = s2[3] === '1';
  status.ready = !(status.paperOut || status.paused || status.headOpen || status.ribbonOut);
  return status;
}

export function parseStatus(language: PrinterLanguage, reply: Uint8Array): PrinterStatus {
  switch (language) {
    case 'escpos':
      return parseEscposPaperStatus(reply);
    case 'tspl':
      return parseTsplStatus(reply);
    case 'zpl':
      return parseZplHostStatus(reply);
  }
}

/** The most important fault in a status as a PrinterError, or undefined when the printer can print. */
export function statusError(status: PrinterStatus, target: string): PrinterError | undefined {
  const order: [boolean, PrinterErrorCode][] = [
    [status.paperOut, 'paper_out'],
    [status.headOpen, 'head_open'],
    [status.paperJam, 'paper_jam'],
    [status.ribbonOut, 'ribbon_out'],
    [status.paused, 'printer_paused'],
    [status.otherError, 'printer_error'],
  ];
  for (const [flag, code] of order) if (flag) return new PrinterError(code, { target, detail: status.raw });
  return undefined;
}
