/** Builds the console before its suites run, unless dist/console is newer than every source. */
import { buildTarget } from '../../scripts/build.ts';

export default async function setup(): Promise<void> {
  await buildTarget('console', { ifStale: true, quiet: true });
}
