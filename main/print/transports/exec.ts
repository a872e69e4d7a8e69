/** Runs a spooler command (lp, lpstat, powershell) with bytes on stdin and a time limit. */
import { spawn } from 'node:child_process';

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  input?: Uint8Array;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Rejects only when the program cannot be started (errno on the error, e.g. ENOENT) or times out
 * (`code: 'ETIMEDOUT'`); a non-zero exit resolves with its code so callers can read stderr.
 * Messages are forced to English (LC_ALL=C) so they can be recognised.
 */
export function execTool(cmd: string, args: string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      env: { ...process.env, LC_ALL: 'C', LANG: 'C', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      child.kill('SIGKILL');
      reject(Object.assign(new Error(`${cmd} did not finish in ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, options.timeoutMs ?? 30_000);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
    // EPIPE when the tool exits before reading stdin: its exit code and stderr tell the story.
    child.stdin.on('error', () => undefined);
    child.stdin.end(
      options.input ? Buffer.from(options.input.buffer, options.input.byteOffset, options.input.byteLength) : undefined,
    );
  });
}
