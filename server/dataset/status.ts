/**
 * What the stored data is: where it came from (app_meta's 'data.*' keys, written by
 * storeDataset) and the span of time it covers, computed from the incidents stored. The answer
 * is kept in memory per database and versions of the data, and forgotten whenever storeDataset
 * writes, so that health, the timeline and the rankings see appended incidents at once (also
 * those written through another instance) without reading the incidents each time.
 */
import type { Database, Queryable } from '../db/database';
import { dataVersions } from '../services/dataVersions';
import type { Coverage, DataSource } from './types';

/** The app_meta keys the data's description is kept under. */
export const META = {
  source: 'data.source',
  seed: 'data.seed',
  anchor: 'data.anchor',
  name: 'data.name',
  coverageStart: 'data.coverageStart',
  coverageEnd: 'data.coverageEnd',
  loadedAt: 'data.loadedAt',
} as const;

/** Instants are ISO strings; every field is absent while the database holds no data. */
export interface DataStatus {
  /** 'demo' or 'import' */
  source?: string;
  /** the demo's seed and anchor date (YYYY-MM-DD) */
  seed?: string;
  anchor?: string;
  /** what was imported */
  name?: string;
  /** the window the sources declared their incidents cover, if any did */
  coverageStart?: string;
  coverageEnd?: string;
  /** when data were last stored */
  loadedAt?: string;
  /**
   * The data span, [start, end): from the first incident (or the declared coverage's start,
   * when earlier) to just after the latest incident (or the declared coverage's end, when
   * later).
   */
  start?: string;
  end?: string;
}

export interface DataSpan {
  start?: string;
  end?: string;
}

async function readStatus(db: Database): Promise<DataStatus> {
  const rows = await db.query<{ key: string; value: string }>(
    `SELECT key, value FROM app_meta WHERE key LIKE 'data.%'`,
  );
  const m = new Map(rows.map((r) => [r.key, r.value]));
  const [span] = await db.query<{ first: number | null; last: number | null }>(
    // from the first and last months holding incidents (migration 0015), not every row
    `SELECT floor(extract(epoch FROM first) * 1000)::float8 AS first,
            floor(extract(epoch FROM last) * 1000)::float8 AS last
     FROM incidents_time_span()`,
  );
  const ms = (iso?: string) => (iso ? Date.parse(iso) : null);
  const pick = (a: number | null, b: number | null, f: (x: number, y: number) => number) =>
    a === null ? b : b === null ? a : f(a, b);
  const start = pick(span?.first ?? null, ms(m.get(META.coverageStart)), Math.min);
  const last = span?.last == null ? null : span.last + 1;
  const end = pick(last, ms(m.get(META.coverageEnd)), Math.max);
  const status: DataStatus = {};
  for (const [field, key] of Object.entries(META)) {
    const v = m.get(key);
    if (v !== undefined) status[field as keyof typeof META] = v;
  }
  if (start !== null) status.start = new Date(start).toISOString();
  if (end !== null) status.end = new Date(end).toISOString();
  return status;
}

const cache = new WeakMap<Database, { versions: string; status: Promise<DataStatus> }>();

/** How often the versions are read again for the status (health asks often). */
export const STATUS_VERSIONS_MS = 1_000;
const versionsRead = new WeakMap<
  Database,
  { at: number; versions?: string; reading?: Promise<string> }
>();

/**
 * The versions of the data on a server database (other instances write to it too): the last
 * ones read, read again in the background when older than STATUS_VERSIONS_MS, so that health
 * never waits for the database once they were read. '' on the embedded database, which only
 * this process writes (its writes forget the status themselves).
 */
function versionsNow(db: Database): Promise<string> {
  if (db.kind !== 'server') return Promise.resolve('');
  let held = versionsRead.get(db);
  if (!held) versionsRead.set(db, (held = { at: 0 }));
  if (!held.reading && Date.now() - held.at >= STATUS_VERSIONS_MS) {
    const entry = held;
    entry.at = Date.now();
    entry.reading = dataVersions(db).then((v) => (entry.versions = Object.values(v).join(',')));
    entry.reading.then(
      () => (entry.reading = undefined),
      () => {
        entry.reading = undefined;
        entry.at = 0;
      },
    );
  }
  return held.versions !== undefined ? Promise.resolve(held.versions) : held.reading!;
}

/**
 * The stored data's description and span, from memory once read at the current versions of
 * the data (services/dataVersions): a write through another instance on a server database is
 * seen about STATUS_VERSIONS_MS later.
 */
export async function dataStatus(db: Database): Promise<DataStatus> {
  const versions = await versionsNow(db);
  const held = cache.get(db);
  if (held?.versions === versions) return held.status;
  const read = readStatus(db);
  const entry = { versions, status: read };
  cache.set(db, entry);
  // a failed read is not kept: the next caller asks again
  read.catch(() => cache.get(db) === entry && cache.delete(db));
  return read;
}

/** The span of the stored data: what the timeline shows and "the latest data" means. */
export async function dataSpan(db: Database): Promise<DataSpan> {
  const { start, end } = await dataStatus(db);
  return { start, end };
}

/** Forgets the cached status: the next caller reads it again (after a write of data). */
export function invalidateDataStatus(db: Database): void {
  cache.delete(db);
  versionsRead.delete(db);
}

/**
 * Records where the data came from and when it was stored; a declared coverage widens the one
 * stored (the span covers every source's window).
 */
export async function writeSource(
  tx: Queryable,
  source: DataSource,
  coverage: Coverage | undefined,
): Promise<void> {
  const values: Record<string, string> = {
    [META.source]: source.kind,
    [META.loadedAt]: new Date().toISOString(),
  };
  if (source.kind === 'demo') {
    values[META.seed] = source.seed;
    values[META.anchor] = source.anchor;
  } else values[META.name] = source.name;
  if (coverage) {
    const rows = await tx.query<{ key: string; value: string }>(
      `SELECT key, value FROM app_meta WHERE key IN ($1, $2)`,
      [META.coverageStart, META.coverageEnd],
    );
    const stored = new Map(rows.map((r) => [r.key, Date.parse(r.value)]));
    const start = Math.min(coverage.start, stored.get(META.coverageStart) ?? Infinity);
    const end = Math.max(coverage.end, stored.get(META.coverageEnd) ?? -Infinity);
    values[META.coverageStart] = new Date(start).toISOString();
    values[META.coverageEnd] = new Date(end).toISOString();
  }
  await tx.query(
    `INSERT INTO app_meta (key, value)
     SELECT key, value FROM json_each_text($1::json) AS x(key, value)
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    [JSON.stringify(values)],
  );
}
