/**
 * Review: a calibration offset that pushes the codes off the template made every label of a print
 * chunk fail at render time — after the hub had issued tracking numbers for all of them. printChunk
 * must refuse such settings before it asks the hub for anything.
 */
import { describe, expect, it, vi } from 'vitest';
import type { HubClient } from '../../../shared/api/client.ts';
import { printChunk } from '../../../main/station/print-run.ts';
import { pdfBackend } from '../../../main/print/backends/pdf.ts';
import type { Transport } from '../../../main/print/transports/index.ts';

describe('printChunk and an impossible calibration offset', () => {
  it('refuses before any hub call, and accepts a normal offset', async () => {
    const call = vi.fn(async () => ({ results: [] }));
    const hub = { call } as unknown as HubClient;
    const transport: Transport = { url: 'test://', send: vi.fn(async () => undefined), close: async () => undefined };
    const deps = { hub, payloadKey: 'x', backend: pdfBackend, transport };
    await expect(
      printChunk({ ...deps, renderOptions: { template: '76x130', offsetMm: { x: 15, y: 0 } } }, ['S1'], 'ZTO'),
    ).rejects.toThrow(/校准偏移/);
    expect(call).not.toHaveBeenCalled();
    await printChunk({ ...deps, renderOptions: { template: '76x130', offsetMm: { x: 1.5, y: -1 } } }, ['S1'], 'ZTO');
    expect(call).toHaveBeenCalledTimes(1); // the guard check; it allowed nothing, so no waybills
  });
});
