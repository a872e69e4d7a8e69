/**
 * The operating system's spooler. On Linux and macOS that is CUPS: `lp -d QUEUE -o raw` for printers
 * that speak TSPL/ZPL/ESC-POS (the bytes pass through unchanged), or plain `lp -d QUEUE` with PDF bytes
 * for queues that have a real driver (`?raw=0`). On Windows the job goes to the spooler in RAW mode
 * through `system-windows.ts`, a separate code path.
 *
 * "Sent" means the spooler accepted the job (lp printed a request id). The spooler then owns delivery;
 * a printer fault shows up in the queue state (lpstat), not here.
 */
import { PrinterError, toPrinterError } from '../errors.ts';
import { execTool, type ExecResult } from './exec.ts';
import { sendToWindowsSpooler } from './system-windows.ts';
import type { Transport } from './types.ts';

export interface SystemTransportOptions {
  queue: string;
  raw: boolean;
  url: string;
  /** Job title shown in the queue. */
  title?: string;
  timeoutMs?: number | undefined;
  /** For tests: the platform to behave as. */
  platform?: NodeJS.Platform;
}

/** lp/lpstat stderr → our error, for the messages CUPS prints in the C locale. */
export function cupsFailure(result: ExecResult, queue: string): PrinterError {
  const text = `${result.stderr}\n${result.stdout}`.trim();
  if (/does not exist|unknown destination|not found|no such/i.test(text)) {
    return new PrinterError('no_such_queue', { target: queue, detail: text });
  }
  if (/not accepting|disabled|stopped/i.test(text)) {
    return new PrinterError('spooler_failed', { target: queue, detail: text });
  }
  if (/forbidden|not authorized|permission/i.test(text)) {
    return new PrinterError('permission_denied', { target: queue, detail: text });
  }
  return new PrinterError('spooler_failed', { target: queue, detail: text || `lp exited with ${result.code}` });
}

export class SystemTransport implements Transport {
  readonly url: string;
  readonly queue: string;
  readonly raw: boolean;
  /** The spooler's id of the last job (e.g. "DAIFA-12"), for the log and for cancelling. */
  lastJobId: string | undefined;
  private readonly title: string;
  private readonly timeoutMs: number;
  private readonly platform: NodeJS.Platform;

  constructor(options: SystemTransportOptions) {
    this.url = options.url;
    this.queue = options.queue;
    this.raw = options.raw;
    this.title = options.title ?? 'daifa-label';
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.platform = options.platform ?? process.platform;
  }

  async send(bytes: Uint8Array): Promise<void> {
    if (this.platform === 'win32') {
      this.lastJobId = await sendToWindowsSpooler(this.queue, bytes, { title: this.title, timeoutMs: this.timeoutMs });
      return;
    }
    const args = ['-d', this.queue, '-t', this.title];
    if (this.raw) args.push('-o', 'raw');
    let result: ExecResult;
    try {
      result = await execTool('lp', args, { input: bytes, timeoutMs: this.timeoutMs });
    } catch (err) {
      // ENOENT: no lp at all (CUPS client tools not installed).
      throw toPrinterError(err, this.queue, { ENOENT: 'unsupported', ETIMEDOUT: 'timeout' });
    }
    if (result.code !== 0) throw cupsFailure(result, this.queue);
    this.lastJobId = /request id is (\S+)/.exec(result.stdout)?.[1];
  }

  async close(): Promise<void> {}
}
