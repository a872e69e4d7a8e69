import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openPrintPayload } from '../../../shared/api/print-payload.ts';
import { openPrintPayloadSync, sealPrintPayload } from '../../../server/waybills/payload-crypto.ts';
import { SAMPLE_PRINT_PAYLOAD } from '../../support/print-payload.ts';

const payload = SAMPLE_PRINT_PAYLOAD;

describe('print payload sealing (AES-256-GCM)', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);

  it('round-trips under the station’s own key, with the hub and the station’s WebCrypto opener', async () => {
    const env = sealPrintPayload(keyA, payload);
    expect(openPrintPayloadSync(keyA, env)).toEqual(payload);
    expect(await openPrintPayload(keyA.toString('base64'), env)).toEqual(payload);
  });

  it('hides the street address and uses a fresh IV each time', () => {
    const a = sealPrintPayload(keyA, payload);
    const b = sealPrintPayload(keyA, payload);
    expect(a).not.toBe(b);
    const raw = Buffer.from(a, 'base64');
    expect(raw[0]).toBe(1);
    expect(raw.toString('utf8')).not.toContain('文三路');
    expect(raw.includes(Buffer.from('文三路'))).toBe(false);
  });

  it('another station’s key cannot open it (authentication fails)', async () => {
    const env = sealPrintPayload(keyA, payload);
    expect(() => openPrintPayloadSync(keyB, env)).toThrow(/auth|unable/i);
    await expect(openPrintPayload(keyB.toString('base64'), env)).rejects.toThrow();
  });

  it('any tampering (IV, body, tag, version) is detected', async () => {
    const env = sealPrintPayload(keyA, payload);
    const raw = Buffer.from(env, 'base64');
    for (const pos of [0, 1, 13, 20, raw.length - 1]) {
      const t = Buffer.from(raw);
      t[pos] = t[pos]! ^ 0x01;
      const bad = t.toString('base64');
      expect(() => openPrintPayloadSync(keyA, bad)).toThrow();
      await expect(openPrintPayload(keyA.toString('base64'), bad)).rejects.toThrow();
    }
    expect(() => openPrintPayloadSync(keyA, raw.subarray(0, 20).toString('base64'))).toThrow(/bad envelope/);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => sealPrintPayload(randomBytes(16), payload)).toThrow(/32 bytes/);
  });
});
