/**
 * `npm run hub:migrate`: bring DATABASE_URL's schema up to date and exit, e.g. before starting
 * several hubs on one PostgreSQL. The hub also migrates when it starts.
 */
import { openDb } from './open.ts';
import { migrate } from './migrate.ts';

const databaseUrl = process.env.DATABASE_URL ?? 'sqlite:./data/hub.db';
// A signal exits at once: the migration in progress rolls back whole, as after a crash.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

const db = await openDb(databaseUrl, { migrate: false });
try {
  const applied = await migrate(db, { onMigration: (name) => console.log(`migrating ${name}`) });
  console.log(applied.length === 0 ? 'up to date' : `migrated ${applied.length}`);
} finally {
  await db.destroy();
}
