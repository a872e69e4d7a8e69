/**
 * The QR symbol's exact bytes as zbarimg reads them (`-Sbinary --raw`), decoded as UTF-8. zbar otherwise
 * guesses Shift-JIS for non-ASCII byte-mode data without an ECI header (turning a correct UTF-8 symbol
 * into mojibake), and the line-based `TYPE:data` output cannot carry a payload with line breaks.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function qrBytes(png: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'daifa-qr-'));
  try {
    writeFileSync(join(dir, 'l.png'), png);
    const out = execFileSync('zbarimg', [
      '-q',
      '--nodbus',
      '--raw',
      '-Sdisable',
      '-Sqrcode.enable',
      '-Sbinary',
      join(dir, 'l.png'),
    ]);
    return new TextDecoder().decode(out).replace(/\n$/, '');
  } catch {
    return '';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
