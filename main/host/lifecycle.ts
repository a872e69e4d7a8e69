/**
 * Child processes of `npm start` (the hub, the station) must not outlive it, even when it is killed
 * with SIGKILL and cannot tell them: each child exits when its parent is gone.
 * - A parent that gave us a stdin pipe closes it by dying: EOF means exit.
 * - Otherwise we watch for being re-parented (our parent pid changes).
 */
export function exitWithParent(opts: { stdinPipe?: boolean; intervalMs?: number } = {}): void {
  if (opts.stdinPipe) {
    process.stdin.on('end', () => process.exit(0));
    process.stdin.on('error', () => process.exit(0));
    process.stdin.resume();
  }
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, opts.intervalMs ?? 1000);
  timer.unref();
}
