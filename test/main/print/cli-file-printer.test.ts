/**
 * `npm run label -- --format png|tspl --printer file:///folder`: each file carries its own format's
 * extension, not the file transport's default (.pdf), so what lands in the folder opens as what it is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { printerUrlFor, runCli, type CliIo } from '../../../main/print/cli.ts';
import { tempDir } from '../../support/decode.ts';

const tmp = tempDir('daifa-cli-file-');
afterAll(() => tmp.cleanup());

const quiet = (): CliIo => ({ stdout: () => undefined, stderr: () => undefined, writeFile: () => undefined });

describe('label CLI to the virtual (file) printer', () => {
  for (const [format, ext, magic] of [
    ['png', 'png', '\x89PNG'],
    ['pdf', 'pdf', '%PDF'],
    ['tspl', 'tspl', 'SIZE'],
  ] as const) {
    it(`--format ${format} writes a .${ext} file`, async () => {
      const dir = join(tmp.dir, format);
      const url = pathToFileURL(dir).href;
      expect(await runCli(['--sample', '--template', '76x130', '--format', format, '--printer', url], quiet())).toBe(0);
      const files = readdirSync(dir);
      expect(files).toHaveLength(1);
      expect(files[0]!.endsWith(`.${ext}`)).toBe(true);
      expect(readFileSync(join(dir, files[0]!)).subarray(0, magic.length).toString('latin1')).toBe(magic);
    });
  }

  it('keeps an explicit ext= and leaves other transports alone', () => {
    expect(printerUrlFor('file:///tmp/x?ext=prn', 'tspl')).toBe('file:///tmp/x?ext=prn');
    expect(printerUrlFor('file:///tmp/x?lang=tspl', 'tspl')).toBe('file:///tmp/x?lang=tspl&ext=tspl');
    expect(printerUrlFor('tcp://10.0.0.5:9100', 'tspl')).toBe('tcp://10.0.0.5:9100');
  });
});
