/**
 * Opens the configured database, brings its schema up to date and, when it is empty, fills it with
 * the Chengbei demo data — saying what it does, since a first start takes a while.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Env } from '../env';
import { dataStatus, type DataStatus } from '../dataset/status';
import { storeDataset } from '../dataset/store';
import { DatasetError } from '../dataset/validate';
import { openEmbedded, openServer, type Database } from './database';
import { migrate } from './migrate';
import { ensureCurrentPartitions } from './partitions';

export type Log = (msg: string) => void;

export function embeddedDir(dataDir: string) {
  return path.resolve(dataDir, 'pglite');
}

export async function openDatabase(
  env: Pick<Env, 'DATABASE_URL' | 'DATA_DIR'>,
  log: Log,
): Promise<Database> {
  if (env.DATABASE_URL) {
    log(`using the PostgreSQL server at ${redact(env.DATABASE_URL)}`);
    return openServer(env.DATABASE_URL, log);
  }
  const dir = embeddedDir(env.DATA_DIR);
  const fresh = !existsSync(path.join(dir, 'PG_VERSION'));
  log(
    fresh ? `creating the embedded database in ${dir}` : `opening the embedded database in ${dir}`,
  );
  mkdirSync(dir, { recursive: true });
  return openEmbedded(dir);
}

/** The password never reaches a log. */
export function redact(url: string) {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/** The cookie-signing secret: AUTH_SECRET, or one made at first start and kept in the database. */
export async function authSecret(db: Database, configured?: string): Promise<string> {
  if (configured) return configured;
  const { randomBytes } = await import('node:crypto');
  await db.query(
    `INSERT INTO app_meta (key, value) VALUES ('auth.secret', $1) ON CONFLICT (key) DO NOTHING`,
    [randomBytes(32).toString('base64url')],
  );
  const [row] = await db.query<{ value: string }>(
    `SELECT value FROM app_meta WHERE key = 'auth.secret'`,
  );
  return row!.value;
}

export interface PrepareOptions {
  demo: boolean;
  seed: string;
  anchor?: string;
  incidents?: number;
  /** the clock, epoch ms (tests inject one): a today anchor's demo data ends at this moment */
  now?: () => number;
  /** the demo accounts' password; a random one is made (and logged once) when unset */
  demoPassword?: string;
}

async function holdsDistrict(db: Database) {
  const [row] = await db.query('SELECT 1 FROM district LIMIT 1');
  return Boolean(row);
}

/** Migrates, then fills an empty database with the demo data. Returns what the data is. */
export async function prepareDatabase(
  db: Database,
  opts: PrepareOptions,
  log: Log,
): Promise<DataStatus> {
  const applied = await migrate(db, log);
  if (applied === 0) log('schema is up to date');
  // the incidents' partitions of the months around now, before anything is written
  await ensureCurrentPartitions(db, (opts.now ?? Date.now)());
  const held = await holdsDistrict(db);
  if (!held && opts.demo) {
    const { generateDemo } = await import('../demo/generate');
    const t0 = Date.now();
    log(`generating the Chengbei demo data (seed ${opts.seed}, anchor ${opts.anchor ?? 'today'})`);
    const data = generateDemo({
      seed: opts.seed,
      anchor: opts.anchor,
      incidents: opts.incidents,
      now: (opts.now ?? Date.now)(),
    });
    log(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s; storing it`);
    try {
      await storeDataset(db, data, {}, log);
      log(`demo data stored in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      // another instance started at the same time stored it first (storeDataset waits for it)
      if (!(err instanceof DatasetError) || !(await holdsDistrict(db))) throw err;
      log('another instance stored the demo data meanwhile');
    }
  } else if (!held) {
    log('the database is empty and DEMO_DATA=off: import your own data');
  }
  if (opts.demo) {
    const { ensureDemoAccounts, DEMO_USERS } = await import('../auth/accounts');
    const pw = await ensureDemoAccounts(db, opts.demoPassword);
    if (pw) {
      log(
        `demo accounts ${DEMO_USERS.map((u) => u.username).join(', ')} created; password: ${
          opts.demoPassword ? '(PINGAN_DEMO_PASSWORD)' : `${pw}  (shown once: note it now)`
        }`,
      );
      if (!opts.demoPassword) log(`the wall display signs in by itself at /wall#device=wall:${pw}`);
    }
  }
  return dataStatus(db);
}
