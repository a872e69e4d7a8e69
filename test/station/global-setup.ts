import { ensureRendererBuilt } from '../support/station.ts';

/** The station suites drive the built renderer: build it once, when its sources changed. */
export default async function setup(): Promise<void> {
  await ensureRendererBuilt();
}
