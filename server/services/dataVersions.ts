/**
 * Versions of the stored data, one per kind, kept in app_meta ('version.<kind>') and changed in
 * the same transaction as any write of that kind of data. What is computed from the data (the
 * memo caches of services/memo.ts, the ETag of the Arrow route) is keyed by the versions it was
 * computed at, so that a write through any instance sharing the database is seen by every
 * instance's next read: reading the versions is one small query on app_meta.
 *
 * A version is an opaque token, new at each write (not a counter: a database filled afresh
 * never repeats an earlier database's versions, so a browser's cached answer is never taken
 * for a different database's). A kind never written since this was introduced reads as '0'.
 */
import { localDate, localMidnight } from '../../domain/time';
import type { Queryable } from '../db/database';

/**
 * The kinds of data, each with its own version:
 * - incidents: the incidents (ingest, imports, the live demo, dataset stores);
 * - history: the incidents before the local day of the write (every write of incidents but a
 *   feed's of today's calls: bumpTodaysIncidents), so that what is computed over past days alone
 *   (a timeline's days before today) outlives the calls coming in;
 * - places: the district, towns and communities (boundary imports, dataset stores);
 * - plan: sites, protection circles, patrol zones and units (plan edits, imports, stores).
 * The cameras have none here: what is computed from them (coverage) keeps its own camera set
 * version (services/coverage.ts).
 */
export const DATA_KINDS = ['incidents', 'history', 'places', 'plan'] as const;
export type DataKind = (typeof DATA_KINDS)[number];
export type DataVersions = Record<DataKind, string>;

const KEYS = DATA_KINDS.map((k) => `version.${k}`);

/**
 * Gives each of `kinds` a new version, in the transaction `tx` that writes that data (the new
 * versions are seen exactly when the data are); a write of the incidents changes their history
 * too. Rows are locked in one order, so two transactions bumping several kinds cannot deadlock
 * on them.
 */
export function bumpDataVersion(tx: Queryable, ...kinds: DataKind[]): Promise<void> {
  return writeVersions(tx, kinds.includes('incidents') ? [...kinds, 'history'] : kinds);
}

/**
 * As bumpDataVersion(tx, 'incidents'), for a write whose incidents, as they were and as they
 * are, all lie at or after `startOfToday()`: their history is unchanged.
 */
export function bumpTodaysIncidents(tx: Queryable): Promise<void> {
  return writeVersions(tx, ['incidents']);
}

/** The local (Asia/Shanghai) midnight that begins the day of `now`: where history ends. */
export function startOfToday(now = Date.now()): number {
  return localMidnight(localDate(now));
}

async function writeVersions(tx: Queryable, kinds: DataKind[]): Promise<void> {
  if (!kinds.length) return;
  await tx.query(
    `INSERT INTO app_meta (key, value)
     SELECT 'version.' || k, substr(md5(random()::text || clock_timestamp()::text), 1, 16)
     FROM (SELECT DISTINCT unnest($1::text[]) AS k) s ORDER BY k
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [kinds],
  );
}

/** The current version of every kind of data. */
export async function dataVersions(db: Queryable): Promise<DataVersions> {
  const rows = await db.query<{ key: string; value: string }>(
    'SELECT key, value FROM app_meta WHERE key = ANY($1::text[])',
    [KEYS],
  );
  const out = Object.fromEntries(DATA_KINDS.map((k) => [k, '0'])) as DataVersions;
  for (const r of rows) out[r.key.slice('version.'.length) as DataKind] = r.value;
  return out;
}
