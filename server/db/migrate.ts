/**
 * Applies the drizzle-kit migrations in server/db/migrations to either database, keeping drizzle's
 * own bookkeeping table (drizzle.__drizzle_migrations) so that drizzle-kit sees the same history.
 * Each migration runs in its own transaction; on the server an advisory lock keeps two starting
 * instances from migrating at once.
 */
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type { Database } from './database';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));
const LOCK_KEY = 7_263_105; // any constant shared by every instance of this application

export async function migrate(
  db: Database,
  log: (msg: string) => void = () => {},
): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
  // under the lock too: two CREATE … IF NOT EXISTS at once can both go ahead, and one fails
  await db.transaction(async (tx) => {
    if (db.kind === 'server') await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.query('CREATE SCHEMA IF NOT EXISTS drizzle');
    await tx.query(`CREATE TABLE IF NOT EXISTS drizzle.__drizzle_migrations (
      id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric
    )`);
  });
  let applied = 0;
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      if (db.kind === 'server') await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const last = await tx.query<{ created_at: string }>(
        'SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1',
      );
      if (last[0] && Number(last[0].created_at) >= m.folderMillis) return false;
      for (const stmt of m.sql) if (stmt.trim()) await tx.query(stmt);
      await tx.query(
        'INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)',
        [m.hash, m.folderMillis],
      );
      return true;
    });
    if (done) applied++;
  }
  if (applied) log(`applied ${applied} migration(s)`);
  return applied;
}
