/**
 * `npm run build`: the built front ends — the station UI (renderer/ → dist/renderer), the web console
 * (console/ → dist/console) and the Electron entry with its preload (main/electron → dist/main) — with Vite.
 *
 *   node scripts/build.ts [renderer] [console] [electron] [--if-stale]
 *
 * `--if-stale` builds a target only when one of its sources is newer than its last build, so `npm start`
 * and the test suites pay for a build only after a change.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

export const TARGETS = {
  renderer: { config: 'renderer/vite.config.ts', out: 'dist/renderer/index.html', sources: ['renderer', 'shared'] },
  console: { config: 'console/vite.config.ts', out: 'dist/console/index.html', sources: ['console', 'shared'] },
  electron: { config: 'main/electron/vite.config.ts', out: 'dist/main/index.cjs', sources: ['main', 'shared'] },
} as const;
export type Target = keyof typeof TARGETS;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether a target's build is missing or older than its sources. */
export function isStale(target: Target): boolean {
  const out = path.join(root, TARGETS[target].out);
  if (!existsSync(out)) return true;
  const built = statSync(out).mtimeMs;
  return TARGETS[target].sources.some((d) => newestSource(path.join(root, d)) > built);
}

export async function buildTarget(target: Target, opts: { ifStale?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  if (opts.ifStale && !isStale(target)) return false;
  // Vite and the React plugin follow NODE_ENV: a build started by a test runner (NODE_ENV=test) would
  // otherwise ship React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(root, TARGETS[target].config),
      mode: 'production',
      logLevel: opts.quiet ? 'warn' : 'info',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ifStale = process.argv.includes('--if-stale');
  const asked = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const unknown = asked.filter((a) => !(a in TARGETS));
  if (unknown.length > 0) {
    console.error(`未知的构建目标 / unknown build target: ${unknown.join(', ')} (${Object.keys(TARGETS).join(', ')})`);
    process.exit(2);
  }
  for (const target of (asked.length > 0 ? asked : Object.keys(TARGETS)) as Target[]) {
    const built = await buildTarget(target, { ifStale });
    if (!built) console.log(`${target}: 已是最新构建，跳过 / up to date, skipped`);
  }
}
