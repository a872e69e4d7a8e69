/** Builds the console before its suites run, unless dist/console is newer than every source. */
import { buildConsole } from '../../scripts/build-console.ts';

export default async function setup(): Promise<void> {
  await buildConsole({ ifStale: true, quiet: true });
}
