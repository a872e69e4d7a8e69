/**
 * The print payload (M4, M5): what a label needs and the factory must not see, and its sealed
 * envelope. It travels only encrypted under the paired station's key; the station's main process
 * opens it with `openPrintPayload()` (WebCrypto), the hub seals it with node:crypto in the same format.
 */
import { z } from 'zod';
import { PiecesSchema } from '../label/schema.ts';
import { CourierSchema, OrderSnSchema } from './common.ts';

/**
 * What the courier returns for sorting, as platforms hand it over (the Doudian SDK's `sort_code`,
 * `short_address_code` and `package_center_name`; Taobao's `package_center_code`).
 */
export const RoutingCodeSchema = z.strictObject({
  /** 三段码, e.g. `330-W05 117`. */
  sortCode: z.string(),
  /** 大头笔 in the courier's own style, e.g. `浙杭州 西湖` (ZTO) or `杭州西湖` (YTO). */
  bigPen: z.string(),
  /** 集包地: the consolidation hub the parcel is bagged for, e.g. `{name: '杭州转运中心', code: '330517'}`. */
  packageCenter: z.strictObject({ name: z.string(), code: z.string() }),
});
export type RoutingCode = z.infer<typeof RoutingCodeSchema>;

export const PrintPayloadSchema = z.strictObject({
  v: z.literal(1),
  orderSn: OrderSnSchema,
  courier: CourierSchema,
  waybillNo: z.string(),
  /** The order's address version the number was issued for: the guard compares it before printing (M7). */
  addressVersion: z.number().int().min(0),
  routing: RoutingCodeSchema,
  receiver: z.strictObject({
    /** Privacy-waybill form (隐私面单): 张*丰, 138****5678. */
    name: z.string(),
    phone: z.string(),
    province: z.string(),
    city: z.string(),
    district: z.string(),
    /** The full street detail: the courier needs it, so it is only ever inside the encrypted payload. */
    detail: z.string(),
  }),
  /** The merchant's shipper (寄件人) as set in its profile. */
  shipper: z.strictObject({ name: z.string(), phone: z.string(), address: z.string() }),
  items: z.array(z.strictObject({ goodsName: z.string(), spec: z.string(), quantity: z.number().int() })),
  /** 件数: this parcel's place among the order's parcels (1/1 for a single parcel). */
  pieces: PiecesSchema,
  issuedAt: z.string(),
});
export type PrintPayload = z.infer<typeof PrintPayloadSchema>;

/**
 * The encrypted envelope is one base64 string: version byte 0x01, a random 12-byte IV, then the
 * AES-256-GCM ciphertext of the payload's JSON followed by its 16-byte tag (WebCrypto's layout), with
 * the additional data below. The key is the station's 32-byte `payloadKey`, handed over once at pairing.
 */
export const PRINT_PAYLOAD_ENVELOPE = {
  version: 1,
  ivBytes: 12,
  tagBytes: 16,
  additionalData: 'daifa.printPayload.v1',
} as const;

/**
 * Opens an envelope with WebCrypto, so the station's main process decrypts with the same format
 * definition the hub encrypts with. Throws on a wrong key, tampering or a malformed envelope.
 */
export async function openPrintPayload(payloadKeyBase64: string, envelope: string): Promise<PrintPayload> {
  const { version, ivBytes, tagBytes, additionalData } = PRINT_PAYLOAD_ENVELOPE;
  const raw = base64ToBytes(envelope);
  if (raw.length < 1 + ivBytes + tagBytes || raw[0] !== version) throw new Error('print payload: bad envelope');
  const keyBytes = base64ToBytes(payloadKeyBase64);
  if (keyBytes.length !== 32) throw new Error('print payload: key must be 32 bytes');
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', keyBytes, 'AES-GCM', false, ['decrypt']);
  const plain = await subtle.decrypt(
    {
      name: 'AES-GCM',
      iv: raw.slice(1, 1 + ivBytes),
      additionalData: new TextEncoder().encode(additionalData),
      tagLength: tagBytes * 8,
    },
    key,
    raw.slice(1 + ivBytes),
  );
  return PrintPayloadSchema.parse(JSON.parse(new TextDecoder().decode(plain)));
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
