/**
 * The system spooler path for real: a raw CUPS queue whose device is `socket://127.0.0.1:PORT` (our
 * listener standing in for the printer). `lp -o raw` must deliver the job byte for byte.
 * CUPS must be running; in CI (CI=true) its absence fails the suite, elsewhere it is a loud skip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrinterError } from '../../../main/print/errors.ts';
import { openTransport, SystemTransport } from '../../../main/print/transports/index.ts';
import { SAMPLE_LABEL } from '../../../shared/label/index.ts';
import { DEFAULT_RENDER_OPTIONS } from '../../../main/print/backend.ts';
import { escposBackend } from '../../../main/print/backends/escpos.ts';
import { tsplBackend } from '../../../main/print/backends/tspl.ts';
import { zplBackend } from '../../../main/print/backends/zpl.ts';
import { createCupsQueue, ensureCupsRunning, startRawListener, type RawListener } from '../../support/raw-listener.ts';

/**
 * What the printer backends produce for the sample label (binary TSPL bitmaps, Z64 ZPL, GB18030
 * ESC/POS), plus every byte value: a raw queue must not filter or convert any of it.
 */
async function labelPayloads(): Promise<Record<string, Uint8Array>> {
  const o = DEFAULT_RENDER_OPTIONS;
  return {
    tspl: (await tsplBackend.render([SAMPLE_LABEL], o)).bytes,
    zpl: (await zplBackend.render([SAMPLE_LABEL], o)).bytes,
    escpos: (await escposBackend.render([SAMPLE_LABEL], o)).bytes,
    allBytes: Uint8Array.from({ length: 256 * 4 }, (_, i) => i % 256),
  };
}

const cups = await ensureCupsRunning();
if (!cups.ok) {
  if (process.env.CI === 'true') throw new Error(`CUPS is required in CI but unavailable: ${cups.reason}`);
  console.warn(`\n!!!!!!!! CUPS delivery tests SKIPPED: ${cups.reason}. Install cups and start cupsd. !!!!!!!!\n`);
}

describe.skipIf(!cups.ok)('system transport through CUPS (raw queue → socket backend → listener)', () => {
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

  it('delivers each backend’s bytes unchanged through lp -o raw', async () => {
    const payloads = await labelPayloads();
    for (const [format, bytes] of Object.entries(payloads)) {
      const before = listener.connections.length;
      const t = openTransport(`system://${queue.name}?raw=1`);
      expect(t).toBeInstanceOf(SystemTransport);
      await t.send(bytes);
      expect((t as SystemTransport).lastJobId).toMatch(new RegExp(`^${queue.name}-\\d+$`));
      // The socket backend opens one connection per job and closes it when done.
      await listener.waitForEnded(before + 1, 30_000);
      const got = listener.connections[before]?.bytes();
      expect(got?.length, format).toBe(bytes.length);
      expect(got?.equals(Buffer.from(bytes)), format).toBe(true);
      await t.close();
    }
  });

  it('names a queue that does not exist', async () => {
    const t = openTransport('system://DAIFA_NO_SUCH_QUEUE_zz');
    let err: unknown;
    try {
      await t.send(Uint8Array.of(1, 2, 3));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PrinterError);
    expect((err as PrinterError).code).toBe('no_such_queue');
    expect((err as PrinterError).message).toContain('DAIFA_NO_SUCH_QUEUE_zz');
    expect((err as PrinterError).message).toContain('打印队列');
  });
});
