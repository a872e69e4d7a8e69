/**
 * The virtual printer: each job becomes one file in a folder. It is the default printer of a fresh
 * install, so the station works with no hardware. Files are written under a temporary name and renamed,
 * so a folder watcher (or the worker opening the folder) never sees half a label.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toPrinterError } from '../errors.ts';
import type { Transport } from './types.ts';

export interface FileTransportOptions {
  dir: string;
  ext: string;
  url: string;
  /** For tests: a fixed clock. */
  now?: () => Date;
}

function stamp(d: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}-${p(d.getMilliseconds(), 3)}`;
}

export class FileTransport implements Transport {
  readonly url: string;
  readonly dir: string;
  readonly ext: string;
  /** Paths written so far, newest last (the UI offers "open the folder" / "open the last label"). */
  readonly written: string[] = [];
  private seq = 0;
  private readonly now: () => Date;

  constructor(options: FileTransportOptions) {
    this.url = options.url;
    this.dir = options.dir;
    this.ext = options.ext;
    this.now = options.now ?? (() => new Date());
  }

  async send(bytes: Uint8Array): Promise<void> {
    // In a folder, ENOSPC is a full disk (not paper-out) and the rest mean "this folder is not usable".
    const overrides = {
      ENOSPC: 'disk_full',
      EDQUOT: 'disk_full',
      ENOENT: 'folder_unusable',
      ENOTDIR: 'folder_unusable',
      EEXIST: 'folder_unusable',
      EISDIR: 'folder_unusable',
      EACCES: 'folder_unusable',
      EPERM: 'folder_unusable',
      EROFS: 'folder_unusable',
    } as const;
    try {
      await mkdir(this.dir, { recursive: true });
    } catch (err) {
      throw toPrinterError(err, this.dir, overrides);
    }
    this.seq += 1;
    const name = `daifa-${stamp(this.now())}-${process.pid}-${String(this.seq).padStart(4, '0')}.${this.ext}`;
    const final = join(this.dir, name);
    const temp = join(this.dir, `.${name}.part`);
    try {
      await writeFile(temp, bytes);
      await rename(temp, final);
    } catch (err) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw toPrinterError(err, this.dir, overrides);
    }
    this.written.push(final);
  }

  async close(): Promise<void> {}
}
