/**
 * The app's log: one line per event in a file under the user's data folder, rotated at a size so it
 * never fills a worker's disk (station.log → station.log.1 … .3).
 */
import { appendFileSync, renameSync, rmSync, statSync } from 'node:fs';

export function rotatingLog(file: string, maxBytes = 5 * 1024 * 1024, keep = 3): (line: string) => void {
  return (line) => {
    try {
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > maxBytes) {
        rmSync(`${file}.${keep}`, { force: true });
        for (let i = keep - 1; i >= 1; i--) {
          try {
            renameSync(`${file}.${i}`, `${file}.${i + 1}`);
          } catch {
            // that generation does not exist yet
          }
        }
        renameSync(file, `${file}.1`);
      }
      appendFileSync(file, `${new Date().toISOString()} ${line}\n`);
    } catch {
      // A log that cannot be written must never stop printing.
    }
  };
}
