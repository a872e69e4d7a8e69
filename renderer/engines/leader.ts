/**
 * Only one window or tab runs the engines (sync, outbox, batch runner): two would pull and push the
 * same outbox and print the same queue. The Web Locks API gives the lock to one holder at a time, across
 * tabs and windows of the same origin; when the holder closes (or crashes) the next waiter gets it.
 */
export interface Leadership {
  /** Resolves when this window becomes the leader. */
  acquired: Promise<void>;
  isLeader(): boolean;
  release(): void;
}

export function requestLeadership(name = 'daifa-station-engines'): Leadership {
  let leader = false;
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  const acquired = new Promise<void>((resolve, reject) => {
    if (!('locks' in navigator)) {
      // No Web Locks (very old engines): run, as a single window would.
      leader = true;
      resolve();
      return;
    }
    navigator.locks
      .request(name, { mode: 'exclusive' }, async () => {
        leader = true;
        resolve();
        await held;
        leader = false;
      })
      .catch(reject);
  });
  return { acquired, isLeader: () => leader, release: () => release() };
}
