/**
 * Where the station keeps what must not leak: the hub token, the payload key (opens print payloads),
 * the seal key (signs snapshots for the offline guard) and the reprint PIN's hash. Only main reads it;
 * nothing here is ever sent to the renderer.
 *
 * The Electron app keeps the file encrypted with the OS keychain (`safeStorage`, see main/electron/).
 * Browser mode (plain Node) has no keychain: the file is only protected by its mode 0600 in the
 * station's data folder, which is weaker (README, "Security").
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from './atomic-file.ts';

export const SecretsSchema = z.strictObject({
  hubToken: z.string().optional(),
  payloadKey: z.string().optional(),
  sealKey: z.string().optional(),
  reprintPinHash: z.string().optional(),
});
export type Secrets = z.infer<typeof SecretsSchema>;

export interface SecretStore {
  read(): Promise<Secrets>;
  write(secrets: Secrets): Promise<void>;
}

/** How the file's bytes are protected at rest: identity in Node, the OS keychain in Electron. */
export interface SecretCodec {
  encode(plain: string): Buffer;
  decode(stored: Buffer): string;
}

const identity: SecretCodec = { encode: (s) => Buffer.from(s, 'utf8'), decode: (b) => b.toString('utf8') };

export function fileSecretStore(path: string, codec: SecretCodec = identity): SecretStore {
  return {
    async read() {
      let raw: Buffer;
      try {
        raw = await fsp.readFile(path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
        throw e;
      }
      return SecretsSchema.parse(JSON.parse(codec.decode(raw)));
    },
    async write(secrets) {
      await writeFileAtomic(path, codec.encode(JSON.stringify(secrets)), 0o600);
    },
  };
}

/** The seal key, created on first use. */
export async function sealKeyOf(store: SecretStore): Promise<Buffer> {
  const s = await store.read();
  if (s.sealKey) return Buffer.from(s.sealKey, 'base64');
  const key = randomBytes(32);
  await store.write({ ...s, sealKey: key.toString('base64') });
  return key;
}
