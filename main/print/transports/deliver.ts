/**
 * Sends one job with the printer's own state taken into account, for the print worker:
 * - before sending, if the transport can ask (two-way link and a known language), a quick status query:
 *   a printer that says "paper out" or "head open" gets no bytes, and the worker gets that reason
 *   instead of a label lost in a paused printer's buffer;
 * - a printer that does not answer the query (one-way link, old firmware) is printed to anyway, and
 *   not asked again through that transport;
 * - when a send times out, one more status query turns the vague "timeout" into the real cause where
 *   the printer tells it.
 */
import { PrinterError, toPrinterError } from '../errors.ts';
import { statusError } from './status.ts';
import type { PrinterStatus, Transport } from './types.ts';

export interface DeliverOptions {
  /** Skip the pre-flight status query (e.g. right after a successful job). */
  preflight?: boolean;
}

export interface DeliverResult {
  /** The status seen before sending, when the printer answered. */
  status?: PrinterStatus;
}

/** Transports whose printer never answered a status query: not asked again, so no job waits for it. */
const silent = new WeakSet<Transport>();

async function tryStatus(transport: Transport): Promise<PrinterStatus | undefined> {
  if (!transport.status || silent.has(transport)) return undefined;
  try {
    return await transport.status();
  } catch (err) {
    // No answer is not a fault: many links are one-way. Remember it; other errors (a refused
    // connection) will surface from the send itself.
    if (err instanceof PrinterError && (err.code === 'timeout' || err.code === 'unsupported')) silent.add(transport);
    return undefined;
  }
}

export async function deliver(
  transport: Transport,
  bytes: Uint8Array,
  options: DeliverOptions = {},
): Promise<DeliverResult> {
  let status: PrinterStatus | undefined;
  if (options.preflight ?? true) {
    status = await tryStatus(transport);
    const fault = status && statusError(status, transport.url);
    if (fault) throw fault;
  }
  try {
    await transport.send(bytes);
  } catch (err) {
    const failure = toPrinterError(err, transport.url);
    if (failure.code === 'timeout') {
      const after = await tryStatus(transport);
      const fault = after && statusError(after, transport.url);
      if (fault)
        throw new PrinterError(fault.code, {
          target: fault.target,
          detail: `${failure.detail ?? ''}; ${fault.detail ?? ''}`,
          cause: failure,
        });
    }
    throw failure;
  }
  return status ? { status } : {};
}
