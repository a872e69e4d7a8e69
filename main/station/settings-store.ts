/**
 * The station's settings file (main's only durable state beside its secrets and print journal):
 * the paired hub and identity, printers and their calibration, the offline policy, the language.
 * Every write is atomic; a file that fails its schema is set aside (never silently half-read) and the
 * station starts from defaults, saying so in the log.
 */
import { promises as fsp } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_OFFLINE_POLICY, StationSettingsSchema } from '../../shared/ipc/index.ts';
import { writeFileAtomic } from './atomic-file.ts';

export const StationIdentitySchema = z.strictObject({
  stationId: z.number().int(),
  factoryShopId: z.number().int(),
  factoryName: z.string(),
});
export type StationIdentity = z.infer<typeof StationIdentitySchema>;

const StoredSettingsSchema = z.strictObject({
  settings: StationSettingsSchema.omit({ reprintLocked: true }),
  identity: StationIdentitySchema.nullable(),
});
export type StoredSettings = z.infer<typeof StoredSettingsSchema>;

export function defaultSettings(stationName = '打印站'): StoredSettings {
  return {
    settings: {
      hubUrl: null,
      stationName,
      language: 'zh',
      offlinePolicy: DEFAULT_OFFLINE_POLICY,
      defaultCourier: 'ZTO',
      printers: [],
      defaultPrinterId: null,
      printerByTemplate: {},
    },
    identity: null,
  };
}

export interface SettingsStore {
  get(): StoredSettings;
  /** Applies a change and writes it durably before resolving; writes are serialised. */
  update(change: (s: StoredSettings) => StoredSettings): Promise<StoredSettings>;
}

export async function openSettingsStore(
  file: string,
  log: (msg: string) => void = () => undefined,
  initial: () => StoredSettings = () => defaultSettings(),
): Promise<SettingsStore> {
  let current: StoredSettings;
  try {
    const text = await fsp.readFile(file, 'utf8');
    current = StoredSettingsSchema.parse(JSON.parse(text));
  } catch (e) {
    current = initial();
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      const aside = `${file}.corrupt-${Date.now()}`;
      await fsp.rename(file, aside).catch(() => undefined);
      log(`settings file unreadable (${(e as Error).message}); kept as ${aside}, starting from defaults`);
    }
    await writeFileAtomic(file, JSON.stringify(current, null, 2));
  }
  let queue = Promise.resolve();
  return {
    get: () => current,
    update(change) {
      const run = queue.then(async () => {
        const next = StoredSettingsSchema.parse(change(structuredClone(current)));
        await writeFileAtomic(file, JSON.stringify(next, null, 2));
        current = next;
        return next;
      });
      queue = run.then(
        () => undefined,
        () => undefined,
      );
      return run;
    },
  };
}
