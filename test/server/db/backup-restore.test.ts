/**
 * A backup taken while the hub runs and writes, restored into a fresh database the documented way,
 * gives a hub that starts and serves the same data to the same tokens (SQLite online backup;
 * PostgreSQL pg_dump and pg_restore).
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import {
  check,
  createOrders,
  describeEachDialect,
  freshDatabase,
  listenHub,
  ok,
  pullAll,
  type Dialect,
} from '../support/hub.ts';
import { allocatedOrders, issueAndReturn } from '../support/scenarios.ts';

const BACKUP_CLI = fileURLToPath(new URL('../../../server/db/backup-cli.ts', import.meta.url));

function backup(databaseUrl: string, file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BACKUP_CLI, file], {
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`backup exited ${code}: ${out}`))));
  });
}

/** Restores `file` into a fresh database, as the README says; returns its URL and how to drop it. */
async function restore(dialect: Dialect, file: string, dir: string) {
  if (dialect === 'sqlite') {
    const path = join(dir, 'restored.db');
    copyFileSync(file, path);
    return { url: `sqlite:${path}`, drop: async () => undefined };
  }
  const fresh = await freshDatabase('postgres');
  execFileSync('pg_restore', ['--no-owner', '--no-privileges', '--dbname', fresh.url, file]);
  return fresh;
}

describeEachDialect('backup and restore', (dialect) => {
  it('a backup taken while the hub writes restores into a fresh database that a new hub serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'daifa-backup-'));
    const source = await freshDatabase(dialect);
    const hub = await listenHub({ dialect, databaseUrl: source.url });
    let restored: Awaited<ReturnType<typeof restore>> | null = null;
    try {
      const { merchant, station, sns } = await allocatedOrders(hub, 30);
      await issueAndReturn(hub, station, sns.slice(0, 10));
      const before = await ok(hub, 'GET', '/v1/merchant/orders', { token: merchant.token, query: { limit: 100 } });
      const feedBefore = await pullAll(hub, station);

      // The hub keeps taking orders while the backup runs.
      const file = join(dir, dialect === 'sqlite' ? 'hub-backup.db' : 'hub-backup.dump');
      let writing = true;
      const writer = (async () => {
        while (writing) await createOrders(hub, merchant, 5);
      })();
      const said = await backup(source.url, file);
      writing = false;
      await writer;
      expect(said).toContain('backup written');
      expect(statSync(file).size).toBeGreaterThan(0);

      restored = await restore(dialect, file, dir);
      const second = await listenHub({ dialect, databaseUrl: restored.url, adminToken: hub.adminToken });
      try {
        // Same tokens, same orders (at least those written before the backup), same feed, same guard answers.
        const after = await ok(second, 'GET', '/v1/merchant/orders', { token: merchant.token, query: { limit: 100 } });
        const bySn = new Map(after.orders.map((o: { sn: string }) => [o.sn, o]));
        for (const o of before.orders) expect(bySn.get(o.sn), o.sn).toEqual(o);
        const feedAfter = await pullAll(second, station);
        expect(feedAfter.pages.flatMap((p) => p.changes)).toEqual(feedBefore.pages.flatMap((p) => p.changes));
        expect((await check(second, station, sns)).results).toEqual((await check(hub, station, sns)).results);
        // And it takes new work.
        await createOrders(second, merchant, 1);
      } finally {
        await second.close();
      }
    } finally {
      await hub.close();
      await source.drop();
      await restored?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
