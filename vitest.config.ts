import { defineConfig } from 'vitest/config';

/** One project per process folder, so each runs in the environment it ships in. */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          include: ['test/shared/**/*.test.ts', 'test/lint/**/*.test.ts'],
          environment: 'node',
          // The lint suite starts ESLint (and its CLI): a second or so here, more on a loaded machine.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Hub suites each start their own databases; on 2 cores more forks only add contention.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'console',
          include: ['test/console/**/*.test.ts'],
          environment: 'node',
          // The console is built once (if its sources changed) before its suites open it in Chromium.
          globalSetup: ['test/console/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          maxWorkers: 2,
        },
      },
      { test: { name: 'main', include: ['test/main/**/*.test.ts'], environment: 'node', testTimeout: 60_000 } },
      {
        test: {
          // The station for real: its Node process, the hub as a process, and Chromium with a persistent profile.
          name: 'station',
          include: ['test/station/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/station/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // Each suite drives a browser and several processes: one suite at a time on 2 cores.
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'renderer',
          include: ['test/renderer/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          setupFiles: ['test/renderer/setup.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
