/**
 * Imports historical incidents — years of a 110 system's export, a million rows and more — as
 * batches of rows already read and converted to WGS84 (server/files/read), streamed: memory
 * holds one batch, never the file.
 *
 * Incidents are added to the stored ones, keyed by (source, sourceId) like a feed's: a row with
 * the id of a stored incident of the same source replaces it, an equal one changes nothing, so
 * importing the same export twice adds nothing. A row without an id gets one made from its
 * time, position and category, so that holds for exports without ids too (two calls at the same
 * second, place and category are one). Calls a feed cancelled stay cancelled.
 *
 * Each row is checked (category, time no later than 5 minutes from now, a position within the
 * district; the reader checked the rest); a refused row never blocks the others. The whole
 * import is one transaction: a dry run is that transaction rolled back, a commit killed midway
 * leaves the stored incidents as they were. Communities are assigned in memory (geo's grid index
 * over the stored boundaries). The checked rows are staged in a temporary table as they are read
 * (COPY on the server database, a statement per batch on the embedded one), then written
 * set-wise a month at a time (mergeRows): a month without a partition yet is filled as a table of
 * its own and attached once its indexes are built (tests/server-only/importKill.test.ts kills an
 * import there; `npm run bench -- --only import` measures it).
 *
 * Imported history writes no live events: a live stream carries what happens now, not a
 * million rows of last year; screens see the new span through the data status.
 */
import { createHash } from 'node:crypto';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { QueryError, type CopyIn, type Database, type Queryable } from '../db/database';
import { importReason } from '../../domain/importReasons';
import { codedBadInput } from '../errors';
import { bumpDataVersion } from './dataVersions';
import { createAreaIndex, type AreaIndex } from '../../geo/createAreaIndex';
import {
  INCIDENT_CATEGORIES,
  INCIDENT_STATUSES,
  type IncidentCategory,
  type IncidentStatus,
} from '../../domain/vocabulary';
import {
  PREVIEW_MAX,
  REFUSALS_SHOWN,
  importTransaction,
  type ImportOptions,
  type ImportRefusal,
  type ImportReport,
} from './dataImport';

export interface IncidentImportRow {
  /** the source's own id of the call (e.g. 接警单编号); null: made from the row */
  sourceId: string | null;
  /** epoch ms */
  time: number;
  category: IncidentCategory;
  /** null: the category's code */
  subcategory: string | null;
  /** null: closed (history) */
  status: IncidentStatus | null;
  address: string | null;
  lon: number;
  lat: number;
}

export interface IncidentBatch {
  records: Array<{ n: number; row: IncidentImportRow }>;
  /** rows reading refused */
  refusals: ImportRefusal[];
  /** rows read in this batch, refused ones included */
  read: number;
}

export interface IncidentImportOptions extends ImportOptions {
  /** the source the rows are keyed under, e.g. 'import' or the feed's name */
  source: string;
  file: { name: string; sha256: string };
}

/**
 * Rows written per statement, at least (a reader's batch is never split); 20,000 measured no
 * faster than 5,000, and holds more.
 */
const WRITE_BATCH = 5_000;
/** How far in the future a call's time may lie (clocks differ). */
const FUTURE_MS = 5 * 60_000;
/** At most this many incidents in one import. */
export const INCIDENT_ROWS_MAX = 5_000_000;

interface Places {
  /** the district's extent, for the rows' spatial order */
  box: Box;
  district: AreaIndex;
  communities: AreaIndex;
  ids: number[];
}

async function loadPlaces(tx: Queryable): Promise<Places> {
  const [d] = await tx.query<{ g: string }>('SELECT ST_AsGeoJSON(geom) AS g FROM district LIMIT 1');
  if (!d) throw codedBadInput(undefined, importReason('no_district'));
  const rows = await tx.query<{ id: number; g: string }>(
    'SELECT id, ST_AsGeoJSON(geom) AS g FROM communities ORDER BY id',
  );
  const district = JSON.parse(d.g) as MultiPolygon;
  let [w, so, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of district.coordinates)
    for (const [x, y] of poly[0]!)
      [w, so, e, n] = [Math.min(w, x!), Math.min(so, y!), Math.max(e, x!), Math.max(n, y!)];
  return {
    box: { w, s: so, sx: 1024 / (e - w || 1), sy: 1024 / (n - so || 1) },
    district: createAreaIndex([district], 64),
    communities: rows.length
      ? createAreaIndex(rows.map((r) => JSON.parse(r.g) as MultiPolygon))
      : { find: () => -1 },
    ids: rows.map((r) => r.id),
  };
}

/** A batch's rows as the columns of the statement that writes them. */
const emptyColumns = () => ({
  key: [] as string[],
  time: [] as number[],
  category: [] as string[],
  subcategory: [] as string[],
  status: [] as string[],
  address: [] as (string | null)[],
  lon: [] as number[],
  lat: [] as number[],
  /** 0: none */
  community: [] as number[],
  /** the row's number in the file */
  n: [] as number[],
  /** the Asia/Shanghai month: year × 12 + month (0–11) */
  month: [] as number[],
  /** the position's cell in a 1024 × 1024 grid over the district, in Morton order */
  z: [] as number[],
});

/** A position's cell in a 1024 × 1024 grid over `box`, in Morton order (neighbours close). */
function morton(box: Box, lon: number, lat: number): number {
  const x = Math.min(1023, Math.max(0, ((lon - box.w) * box.sx) | 0));
  const y = Math.min(1023, Math.max(0, ((lat - box.s) * box.sy) | 0));
  let m = 0;
  for (let b = 0; b < 10; b++) m |= (((x >> b) & 1) << (2 * b)) | (((y >> b) & 1) << (2 * b + 1));
  return m;
}

interface Box {
  w: number;
  s: number;
  sx: number;
  sy: number;
}

/**
 * The Asia/Shanghai month of an instant (year × 12 + month 0–11). The last month found is kept:
 * a file's rows mostly come in time order.
 */
function monthFinder() {
  let [lo, hi, month] = [0, -1, 0];
  return (ms: number) => {
    if (ms >= lo && ms < hi) return month;
    const d = new Date(ms + 8 * 3_600_000);
    const [y, mo] = [d.getUTCFullYear(), d.getUTCMonth()];
    lo = Date.UTC(y, mo, 1) - 8 * 3_600_000;
    hi = Date.UTC(y, mo + 1, 1) - 8 * 3_600_000;
    month = y * 12 + mo;
    return month;
  };
}
/** A month's partition name and bounds (as incident_partition_of names them, migration 0015). */
function monthPartition(m: number) {
  const y = Math.floor(m / 12);
  const mo = m % 12;
  return {
    name: `incidents_p${y}_${String(mo + 1).padStart(2, '0')}`,
    lo: new Date(Date.UTC(y, mo, 1) - 8 * 3_600_000).toISOString(),
    hi: new Date(Date.UTC(y, mo + 1, 1) - 8 * 3_600_000).toISOString(),
  };
}

/**
 * PostgreSQL array literals of a column's values, as the statement's parameters:
 * written here in one pass, a fraction of the driver's cost for an array of 5,000 values
 * (a value at a time, each checked for its type).
 */
function numberArray(values: readonly number[]): string {
  return `{${values.join(',')}}`;
}

/** As numberArray, of text: each value quoted (a null is NULL). */
function textArray(values: readonly (string | null)[]): string {
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? null;
    out[i] = v === null ? 'NULL' : `"${/["\\]/.test(v) ? v.replace(/["\\]/g, '\\$&') : v}"`;
  }
  return `{${out.join(',')}}`;
}

/** A text value in COPY's text format (a null is \\N). */
function copyText(v: string | null): string {
  if (v === null) return '\\N';
  return /[\\\t\n\r]/.test(v)
    ? v.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!)
    : v;
}

/** At most this many incidents of one month in one import (each month is one statement). */
export const MONTH_ROWS_MAX = 500_000;
/** The advisory lock under which incident partitions are made (migration 0015). */
const PARTITION_LOCK = 7_263_107;

/** The staged row as an incident's columns, in the order of INCIDENT_COLUMNS. */
const STAGED_VALUES = `$1, r.k, to_timestamp(r.t / 1000.0), r.c, r.s, r.st, r.a, nullif(r.cm, 0)::smallint,
  ST_SetSRID(ST_MakePoint(r.x, r.y), 4326)`;
const INCIDENT_COLUMNS =
  'source, source_id, time, category, subcategory, status, address, community_id, geom';

/**
 * Writes the staged rows (import_incident_rows) into the incidents, set-wise, a month at a time:
 * a key stored already (incident_keys) updates its incident where anything differs (a new time
 * in another month moves it there, the same id); a new key adds an incident and its key. A month
 * without a partition yet (a first import of history) is written as a table of its own, its
 * indexes built once it is full, and then attached: readers are not held up meanwhile.
 */
async function mergeRows(tx: Queryable, source: string) {
  await tx.query('SAVEPOINT merge_rows');
  try {
    return await mergeOnce(tx, source, false);
  } catch (err) {
    // a key met again further on in the file (beyond one batch, where it is refused): its last
    // row stands. Looked for only then, since it costs a pass over every key.
    if (!(err instanceof QueryError && err.code === '23505')) throw err;
    await tx.query('ROLLBACK TO SAVEPOINT merge_rows');
    return await mergeOnce(tx, source, true);
  }
}

async function mergeOnce(tx: Queryable, source: string, repeated: boolean) {
  const [{ staged }] = (await tx.query<{ staged: number }>(
    'SELECT count(*)::int AS staged FROM import_incident_rows',
  )) as [{ staged: number }];
  // calls a feed cancelled stay cancelled
  await tx.query(
    `DELETE FROM import_incident_rows r USING incident_cancellations x
     WHERE x.source = $1 AND x.source_id = r.k`,
    [source],
  );
  if (repeated)
    await tx.query(
      `DELETE FROM import_incident_rows a USING import_incident_rows b WHERE a.k = b.k AND a.n < b.n`,
    );
  const months = await tx.query<{ m: number; n: number }>(
    'SELECT m, count(*)::int AS n FROM import_incident_rows GROUP BY m ORDER BY m',
  );
  const big = months.find((r) => r.n > MONTH_ROWS_MAX);
  if (big)
    throw codedBadInput(
      undefined,
      importReason('month_rows_over', {
        max: MONTH_ROWS_MAX,
        month: monthPartition(big.m).name.slice(11).replace('_', '-'),
      }),
    );
  await tx.query('CREATE INDEX ON import_incident_rows (m)');
  await tx.query('ALTER TABLE import_incident_rows ADD COLUMN id int, ADD COLUMN kt timestamptz');
  const [keyed] = await tx.query<{ any: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM incident_keys WHERE source = $1) AS any',
    [source],
  );
  let added = 0;
  let changed = 0;
  const count = async (text: string, params: unknown[]) =>
    Number((await tx.query<{ n: number }>(text, params))[0]?.n ?? 0);
  for (const { m } of months) {
    const p = monthPartition(m);
    if (keyed?.any)
      await tx.query(
        `UPDATE import_incident_rows r SET id = k.incident_id, kt = k.time FROM incident_keys k
         WHERE r.m = $2 AND k.source = $1 AND k.source_id = r.k`,
        [source, m],
      );
    const held = async () =>
      Boolean(
        (await tx.query<{ e: boolean }>('SELECT to_regclass($1) IS NOT NULL AS e', [p.name]))[0]?.e,
      );
    let exists = await held();
    if (!exists) {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [PARTITION_LOCK]);
      exists = await held();
    }
    if (exists) {
      added += await count(
        `WITH ins AS (
           INSERT INTO incidents (${INCIDENT_COLUMNS})
           SELECT ${STAGED_VALUES} FROM import_incident_rows r
           WHERE r.m = $2 AND r.id IS NULL ORDER BY r.z
           RETURNING id, source_id, time),
         k AS (INSERT INTO incident_keys (source, source_id, incident_id, time)
               SELECT $1, source_id, id, time FROM ins)
         SELECT count(*)::int AS n FROM ins`,
        [source, m],
      );
      continue;
    }
    // a plain identifier (incidents_pYYYY_MM), written as it is
    const name = p.name;
    await tx.query(
      `CREATE TABLE ${name} (LIKE incidents INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
         CONSTRAINT ${p.name}_bound CHECK (time >= '${p.lo}' AND time < '${p.hi}'))`,
    );
    added += await count(
      `WITH ins AS (
         INSERT INTO ${name} (id, ${INCIDENT_COLUMNS})
         SELECT nextval('incidents_id_seq'), ${STAGED_VALUES} FROM import_incident_rows r
         WHERE r.m = $2 AND r.id IS NULL ORDER BY r.z
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [source, m],
    );
    await tx.query(
      `INSERT INTO incident_keys (source, source_id, incident_id, time)
       SELECT $1, source_id, id, time FROM ${name} ORDER BY source_id`,
      [source],
    );
    // the bound's CHECK spares the attachment a scan; the indexes are built here, in one go
    await tx.query(
      `ALTER TABLE incidents ATTACH PARTITION ${name} FOR VALUES FROM ('${p.lo}') TO ('${p.hi}')`,
    );
    await tx.query(`ALTER TABLE ${name} DROP CONSTRAINT ${p.name}_bound`);
  }
  if (keyed?.any)
    for (const { m } of months)
      changed += await count(
        `WITH c AS (
           UPDATE incidents t SET
             time = to_timestamp(r.t / 1000.0), category = r.c, subcategory = r.s, status = r.st,
             address = r.a, community_id = nullif(r.cm, 0), geom = ST_SetSRID(ST_MakePoint(r.x, r.y), 4326),
             outside = false
           FROM import_incident_rows r
           WHERE r.m = $2 AND r.id IS NOT NULL AND t.id = r.id AND t.time = r.kt
             AND (t.time, t.category, t.subcategory, t.status, t.address, t.community_id,
                  ST_AsBinary(t.geom), t.outside)
             IS DISTINCT FROM (to_timestamp(r.t / 1000.0), r.c, r.s, r.st, r.a, nullif(r.cm, 0)::smallint,
                  ST_AsBinary(ST_SetSRID(ST_MakePoint(r.x, r.y), 4326)), false)
           RETURNING t.id, t.time, r.k),
         k AS (UPDATE incident_keys k SET time = c.time FROM c
               WHERE k.source = $1 AND k.source_id = c.k AND k.time <> c.time)
         SELECT count(*)::int AS n FROM c`,
        [source, m],
      );
  return { staged, added, changed, months: months.map((r) => monthPartition(r.m).name) };
}

/** Imports the batches: a dry run unless `options.commit`. */
export async function importIncidents(
  db: Database,
  batches: AsyncIterable<IncidentBatch>,
  options: IncidentImportOptions,
): Promise<ImportReport> {
  const source = options.source.trim();
  if (!source || source.length > 64) throw codedBadInput('source', importReason('source_name'));
  const counts = { read: 0, add: 0, change: 0, remove: 0, unchanged: 0, refused: 0, repaired: 0 };
  const refusals: ImportRefusal[] = [];
  const preview: FeatureCollection = { type: 'FeatureCollection', features: [] };
  const refuse = (r: ImportRefusal) => {
    counts.refused++;
    if (refusals.length < REFUSALS_SHOWN) refusals.push(r);
  };
  const categories = new Set<string>(INCIDENT_CATEGORIES);
  const statuses = new Set<string>(INCIDENT_STATUSES);

  type Columns = ReturnType<typeof emptyColumns>;

  /**
   * Stages one batch's rows in the temporary table import_incident_rows: through COPY on the
   * server database, a statement per batch on the embedded one.
   */
  const stageBatch = async (tx: Queryable, copy: CopyIn | null, cols: Columns) => {
    if (copy) {
      const lines = new Array<string>(cols.key.length);
      for (let i = 0; i < cols.key.length; i++)
        lines[i] =
          `${cols.n[i]}\t${copyText(cols.key[i]!)}\t${cols.time[i]}\t${cols.category[i]}\t` +
          `${copyText(cols.subcategory[i]!)}\t${cols.status[i]}\t${copyText(cols.address[i] ?? null)}\t` +
          `${cols.community[i]}\t${cols.lon[i]}\t${cols.lat[i]}\t${cols.month[i]}\t${cols.z[i]}\n`;
      await copy.write(lines.join(''));
      return;
    }
    await tx.query(
      `INSERT INTO import_incident_rows (n, k, t, c, s, st, a, cm, x, y, m, z)
       SELECT * FROM unnest($1::int[], $2::text[], $3::float8[], $4::text[], $5::text[],
                            $6::text[], $7::text[], $8::int[], $9::float8[], $10::float8[],
                            $11::int[], $12::int[])`,
      [
        numberArray(cols.n),
        textArray(cols.key),
        numberArray(cols.time),
        textArray(cols.category),
        textArray(cols.subcategory),
        textArray(cols.status),
        textArray(cols.address),
        numberArray(cols.community),
        numberArray(cols.lon),
        numberArray(cols.lat),
        numberArray(cols.month),
        numberArray(cols.z),
      ],
    );
  };

  /** the partitions written */
  let written: string[] = [];
  const run = async (tx: Queryable): Promise<ImportReport> => {
    const places = await loadPlaces(tx);
    const now = Date.now();
    // the COPY waits on the file as it is read: the statement may take as long as the reading
    if (db.kind === 'server') await tx.query(`SET LOCAL statement_timeout = '20min'`);
    await tx.query(
      `CREATE TEMP TABLE import_incident_rows (n int NOT NULL, k text NOT NULL, t float8 NOT NULL,
         c text NOT NULL, s text NOT NULL, st text NOT NULL, a text, cm int NOT NULL,
         x float8 NOT NULL, y float8 NOT NULL, m int NOT NULL, z int NOT NULL) ON COMMIT DROP`,
    );
    const copy =
      tx.copyFrom?.(
        'COPY import_incident_rows (n, k, t, c, s, st, a, cm, x, y, m, z) FROM STDIN',
      ) ?? null;
    const monthOf = monthFinder();
    // set by flush, so TypeScript must not narrow it here
    let writing = null as Promise<void> | null;
    // the rows of the next batch, and their keys (a key twice within them is refused)
    let keys = new Set<string>();
    let cols = emptyColumns();
    const flush = async () => {
      if (writing) await writing;
      writing = stageBatch(tx, copy, cols);
      // its failure is met by the next flush's await or the last; until then it is not unhandled
      writing.catch(() => undefined);
      keys = new Set<string>();
      cols = emptyColumns();
    };
    try {
      for await (const batch of batches) {
        counts.read += batch.read;
        if (counts.read > INCIDENT_ROWS_MAX)
          throw codedBadInput(
            undefined,
            importReason('incident_rows_over', { max: INCIDENT_ROWS_MAX }),
          );
        batch.refusals.forEach(refuse);
        for (const { n, row } of batch.records) {
          if (!categories.has(row.category)) {
            refuse({
              n,
              field: 'category',
              ...importReason('unknown_value', { field: 'category', value: row.category }),
            });
            continue;
          }
          if (!Number.isFinite(row.time) || row.time > now + FUTURE_MS) {
            refuse({ n, field: 'time', ...importReason('bad_time') });
            continue;
          }
          if (row.status !== null && !statuses.has(row.status)) {
            refuse({
              n,
              field: 'status',
              ...importReason('unknown_value', { field: 'status', value: row.status }),
            });
            continue;
          }
          const { lon, lat } = row;
          if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) {
            refuse({ n, field: 'position', ...importReason('not_lonlat', { lon, lat }) });
            continue;
          }
          if (places.district.find(lon, lat) < 0) {
            refuse({
              n,
              field: 'position',
              ...importReason('outside_district_at', {
                lon: +lon.toFixed(6),
                lat: +lat.toFixed(6),
              }),
            });
            continue;
          }
          const key =
            row.sourceId ??
            `h:${createHash('sha1')
              .update(`${row.time}|${lon}|${lat}|${row.category}|${row.subcategory ?? ''}`)
              .digest('hex')
              .slice(0, 20)}`;
          if (keys.has(key)) {
            refuse({ n, field: 'id', ...importReason('repeated_id', { id: key }) });
            continue;
          }
          keys.add(key);
          const c = places.communities.find(lon, lat);
          cols.key.push(key);
          cols.time.push(row.time);
          cols.category.push(row.category);
          cols.subcategory.push(row.subcategory ?? row.category);
          cols.status.push(row.status ?? 'closed');
          cols.address.push(row.address);
          cols.lon.push(lon);
          cols.lat.push(lat);
          cols.community.push(c < 0 ? 0 : places.ids[c]!);
          cols.n.push(n);
          cols.month.push(monthOf(row.time));
          cols.z.push(morton(places.box, lon, lat));
          if (preview.features.length < PREVIEW_MAX)
            preview.features.push({
              type: 'Feature',
              properties: { change: 'add', key, category: row.category, time: row.time },
              geometry: { type: 'Point', coordinates: [lon, lat] },
            });
        }
        // one write in flight while the next rows are read and checked: the reading (CPU here)
        // and the writing (the database) overlap, and memory holds at most two statements' rows
        if (cols.key.length >= WRITE_BATCH) await flush();
      }
      if (cols.key.length) await flush();
      if (writing) await writing;
      await copy?.end();
    } catch (err) {
      // the transaction is rolled back after the write in flight, whatever it met
      await writing?.catch(() => undefined);
      await copy?.abort();
      throw err;
    }
    const merged = await mergeRows(tx, source);
    written = merged.months;
    counts.add = merged.added;
    counts.change = merged.changed;
    counts.unchanged = merged.staged - merged.added - merged.changed;
    refusals.sort((a, b) => (a.n ?? 0) - (b.n ?? 0));
    if (counts.add + counts.change + counts.remove) await bumpDataVersion(tx, 'incidents');
    const report: ImportReport = {
      layer: 'incidents',
      committed: options.commit,
      counts,
      refusals,
      repairs: [],
      notes: [],
      tiling: null,
      preview,
    };
    return report;
  };

  const report = await importTransaction(db, options, 'layer:incidents', run, () => ({
    file: options.file.name,
    sha256: options.file.sha256,
    source,
  }));
  if (options.commit && db.kind === 'server' && counts.add + counts.change > 10_000)
    // the months written, not every partition
    await db.exec(`ANALYZE ${written.join(', ')}`);
  return report;
}
