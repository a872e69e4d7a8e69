import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The import boundaries of DESIGN.md §2 are enforced by lint. These tests lint probe sources as if they
 * lived in each folder, so they prove the rule bites without writing into the tree.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'daifa/boundaries').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['renderer/probe.ts', "import { buildApp } from '../server/app.ts';", /renderer\/ may not import from server\//],
    ['renderer/deep/probe.ts', "export * from '../../main/print/cli.ts';", /renderer\/ may not import from main\//],
    ['main/probe.ts', "import '../renderer/index.tsx';", /main\/ may not import from renderer\//],
    [
      'main/probe.ts',
      "const m = await import('../server/app.ts');\nexport default m;",
      /main\/ may not import from server\//,
    ],
    ['server/probe.ts', "export { x } from '../main/x.ts';", /server\/ may not import from main\//],
    ['shared/probe.ts', "import '../server/app.ts';", /shared\/ may not import from server\//],
    ['shared/domain/probe.ts', "import fs from 'node:fs';\nexport default fs;", /shared\/ is pure TypeScript/],
    ['shared/probe.ts', "import { app } from 'electron';\nexport default app;", /shared\/ is pure TypeScript/],
    ['server/probe.ts', "import '../test/server/support/hub.ts';", /server\/ may not import from test\//],
    [
      'server/orders/probe.ts',
      "import { registerEndpoint } from '../http/route.ts';\nexport { registerEndpoint };",
      /domain code may not import server\/http\//,
    ],
    ['server/db/probe.ts', "export * from '../http/error-status.ts';", /domain code may not import server\/http\//],
    ['server/config.ts', "import '../server/http/auth.ts';", /domain code may not import server\/http\//],
    ['console/probe.ts', "import { buildApp } from '../server/app.ts';", /console\/ may not import from server\//],
    [
      'console/features/probe.tsx',
      "export * from '../../renderer/ui/App.tsx';",
      /console\/ may not import from renderer\//,
    ],
    ['console/probe.ts', "import '../main/station/print-run.ts';", /console\/ may not import from main\//],
    ['server/probe.ts', "import '../console/main.tsx';", /server\/ may not import from console\//],
    ['renderer/probe.ts', "import '../console/main.tsx';", /renderer\/ may not import from console\//],
  ])('%s: %s is refused', async (file, code, message) => {
    const errors = await boundaryErrors(file, code);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(message);
  });

  it.each([
    ['renderer/probe.ts', "import { printability } from '../shared/domain/index.ts';\nexport { printability };"],
    ['main/print/probe.ts', "export * from '../../shared/domain/index.ts';"],
    ['server/probe.ts', "import { maskName } from '../shared/domain/masking.ts';\nexport { maskName };"],
    ['shared/api/probe.ts', "export * from '../domain/index.ts';"],
    ['server/routes/probe.ts', "export * from '../db/index.ts';"],
    ['server/orders/routes.ts', "export { registerEndpoint } from '../http/route.ts';"],
    ['server/statements/download-routes.ts', "export { callerOf } from '../http/route.ts';"],
    ['server/http/probe.ts', "export * from './route.ts';"],
    ['server/app.ts', "export * from './http/route.ts';"],
    ['console/app/probe.ts', "export { createHubClient } from '../../shared/api/client.ts';"],
  ])('%s: %s is allowed', async (file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });

  it('the lint command itself exits non-zero on a renderer file importing server/', async () => {
    const run = promisify(execFile);
    const probe = "import { buildApp } from '../server/app.ts';\nexport { buildApp };\n";
    const child = run('npx', ['eslint', '--stdin', '--stdin-filename', 'renderer/probe.ts'], { cwd: process.cwd() });
    child.child.stdin?.end(probe);
    const failure = await child.then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toContain('daifa/boundaries');
  });
});
