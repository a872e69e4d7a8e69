/**
 * AES-256-GCM sealing of print payloads under a station's key (M4/M5). The envelope's layout is
 * defined once in shared/api/print-payload.ts (PRINT_PAYLOAD_ENVELOPE), where the station's WebCrypto opener
 * lives too; this is the hub's node:crypto side of the same format.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { PRINT_PAYLOAD_ENVELOPE, PrintPayloadSchema } from '../../shared/api/print-payload.ts';
import type { PrintPayload } from '../../shared/api/print-payload.ts';

const { version, ivBytes, tagBytes, additionalData } = PRINT_PAYLOAD_ENVELOPE;
const AAD = Buffer.from(additionalData, 'utf8');

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('print payload key must be 32 bytes (AES-256)');
}

/** A fresh random IV per payload: GCM must never reuse an IV under one key. */
export function sealPrintPayload(key: Buffer, payload: PrintPayload): string {
  checkKey(key);
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
  cipher.setAAD(AAD);
  const body = Buffer.concat([cipher.update(JSON.stringify(payload), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.of(version), iv, body, cipher.getAuthTag()]).toString('base64');
}

/** Throws when the key is wrong, the envelope was altered, or its version is unknown. */
export function openPrintPayloadSync(key: Buffer, envelope: string): PrintPayload {
  checkKey(key);
  const raw = Buffer.from(envelope, 'base64');
  if (raw.length < 1 + ivBytes + tagBytes || raw[0] !== version) throw new Error('print payload: bad envelope');
  const iv = raw.subarray(1, 1 + ivBytes);
  const tag = raw.subarray(raw.length - tagBytes);
  const body = raw.subarray(1 + ivBytes, raw.length - tagBytes);
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
  decipher.setAAD(AAD);
  decipher.setAuthTag(tag);
  const plain = Buffer.concat([decipher.update(body), decipher.final()]);
  return PrintPayloadSchema.parse(JSON.parse(plain.toString('utf8')));
}
