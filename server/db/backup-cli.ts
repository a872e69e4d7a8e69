/**
 * `npm run hub:backup -- FILE`: a consistent copy of DATABASE_URL while the hub keeps running.
 *   SQLite      SQLite's online backup (better-sqlite3 `backup()`): a database file of its own.
 *               Restore: stop the hub, put the file in place of the database (and delete its -wal
 *               and -shm files), start the hub.
 *   PostgreSQL  `pg_dump --format=custom` (one snapshot of the whole database; needs pg_dump on PATH,
 *               of the server's major version or newer).
 *               Restore: `createdb NEW && pg_restore --no-owner --no-privileges -d NEW FILE`, then
 *               start the hub with DATABASE_URL pointing at NEW.
 * The README's production section has the whole procedure; test/server/backup-restore.test.ts runs it.
 */
import { spawnSync } from 'node:child_process';
import SQLite from 'better-sqlite3';

const databaseUrl = process.env.DATABASE_URL ?? 'sqlite:./data/hub.db';
const out = process.argv[2];
if (!out) {
  console.error('usage: npm run hub:backup -- FILE   (DATABASE_URL names the database)');
  process.exit(2);
}

if (databaseUrl.startsWith('sqlite:')) {
  const db = new SQLite(databaseUrl.slice('sqlite:'.length), { fileMustExist: true });
  try {
    // Copies page by page, and starts over if another connection writes meanwhile: the copy is one moment.
    await db.backup(out);
  } finally {
    db.close();
  }
} else if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) {
  const r = spawnSync('pg_dump', ['--format=custom', '--no-owner', '--file', out, '--dbname', databaseUrl], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.error) {
    console.error(`pg_dump could not run: ${r.error.message} (install PostgreSQL's client tools)`);
    process.exit(1);
  }
  if (r.status !== 0) process.exit(r.status ?? 1);
} else {
  console.error(`DATABASE_URL must start with sqlite: or postgres:// (got ${databaseUrl.split(':')[0]}:…)`);
  process.exit(2);
}
console.log(`backup written to ${out}`);
