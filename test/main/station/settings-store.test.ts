/**
 * The station's settings and secrets on disk: written atomically (a crash mid-write leaves the old file
 * whole), an unreadable file set aside instead of half-read, and the secrets file only for its owner.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSettingsStore } from '../../../main/station/settings-store.ts';
import { fileSecretStore } from '../../../main/station/secret-store.ts';
import { tempDir } from '../../support/station.ts';

describe('station settings on disk', () => {
  it('survives a torn temp file and keeps every change', async () => {
    const tmp = tempDir('daifa-settings-');
    const file = path.join(tmp.dir, 'settings.json');
    const store = await openSettingsStore(file);
    await store.update((s) => ({ ...s, settings: { ...s.settings, stationName: '二号站' } }));
    // A crash while writing the next version leaves only a temp file behind: the settings are untouched.
    writeFileSync(path.join(tmp.dir, '.settings.json.deadbeef.tmp'), '{"settings": {"stat');
    const again = await openSettingsStore(file);
    expect(again.get().settings.stationName).toBe('二号站');
    tmp.cleanup();
  });

  it('sets an unreadable file aside and starts from defaults, saying so', async () => {
    const tmp = tempDir('daifa-settings-');
    const file = path.join(tmp.dir, 'settings.json');
    writeFileSync(file, '{"settings": {"hubUrl": 42}}');
    const logs: string[] = [];
    const store = await openSettingsStore(file, (l) => logs.push(l));
    expect(store.get().identity).toBeNull();
    expect(logs.join()).toMatch(/unreadable/);
    expect(readdirSync(tmp.dir).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true);
    tmp.cleanup();
  });

  it('refuses a change that breaks the schema, and keeps the file as it was', async () => {
    const tmp = tempDir('daifa-settings-');
    const file = path.join(tmp.dir, 'settings.json');
    const store = await openSettingsStore(file);
    const before = readFileSync(file, 'utf8');
    await expect(
      store.update((s) => ({ ...s, settings: { ...s.settings, language: 'fr' as 'zh' } })),
    ).rejects.toThrow();
    expect(readFileSync(file, 'utf8')).toBe(before);
    tmp.cleanup();
  });

  it('keeps the secrets file readable by its owner only', async () => {
    const tmp = tempDir('daifa-secrets-');
    const file = path.join(tmp.dir, 'secrets.json');
    const secrets = fileSecretStore(file);
    await secrets.write({ hubToken: 'dft_x', payloadKey: 'k' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await secrets.read()).toEqual({ hubToken: 'dft_x', payloadKey: 'k' });
    tmp.cleanup();
  });
});
