/**
 * `npm run build:console`: builds the web console (console/ → dist/console) with Vite.
 * `--if-stale` builds only when a source under console/ or shared/ is newer than the last build, so
 * `npm start` and the console tests pay for a build only after a change.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const outIndex = path.join(root, 'dist/console/index.html');
const SOURCES = ['console', 'shared'];

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether dist/console is missing or older than its sources. */
export function consoleBuildIsStale(): boolean {
  if (!existsSync(outIndex)) return true;
  const built = statSync(outIndex).mtimeMs;
  return SOURCES.some((d) => newestSource(path.join(root, d)) > built);
}

export async function buildConsole(opts: { ifStale?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  if (opts.ifStale && !consoleBuildIsStale()) return false;
  // Vite and the React plugin follow NODE_ENV: a build started by a test runner (NODE_ENV=test) would
  // otherwise ship React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: path.join(root, 'console/vite.config.ts'),
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
  const built = await buildConsole({ ifStale });
  if (!built) console.log('控制台已是最新构建 (dist/console)，跳过构建');
}
