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
 * over the stored boundaries), the rows written a batch per statement in the order of a grid's
 * cells, one statement in flight while the next batch is read (tests/server-only/importKill.test.ts
 * kills an import there; `npm run bench -- --only import` measures it).
 *
 * Imported history writes no live events: a live stream carries what happens now, not a
 * million rows of last year; screens see the new span through the data status.
 */
import { createHash } from 'node:crypto';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { Database, Queryable } from '../db/database';
import { ensureIncidentPartitions } from '../db/partitions';
import { importReason } from '../../domain/importReasons';
import { BadInput } from '../errors';
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
  district: AreaIndex;
  communities: AreaIndex;
  ids: number[];
}

async function loadPlaces(tx: Queryable): Promise<Places> {
  const [d] = await tx.query<{ g: string }>('SELECT ST_AsGeoJSON(geom) AS g FROM district LIMIT 1');
  if (!d) throw new BadInput(undefined, 'no district is stored: the district comes first');
  const rows = await tx.query<{ id: number; g: string }>(
    'SELECT id, ST_AsGeoJSON(geom) AS g FROM communities ORDER BY id',
  );
  return {
    district: createAreaIndex([JSON.parse(d.g) as MultiPolygon], 64),
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
});

/**
 * The order of the batch's rows in a 64 × 64 grid's cells (Morton order) over their extent: the
 * geometry's GiST index takes neighbours one after another, its pages already in memory.
 */
function spatialOrder(lon: readonly number[], lat: readonly number[]): Uint32Array {
  const n = lon.length;
  let [w, s, e, nn] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    w = Math.min(w, lon[i]!);
    e = Math.max(e, lon[i]!);
    s = Math.min(s, lat[i]!);
    nn = Math.max(nn, lat[i]!);
  }
  const sx = 63.999 / (e - w || 1);
  const sy = 63.999 / (nn - s || 1);
  // cell * n + index, sorted as numbers (no comparator): the cells' order, stable within a cell
  const keyed = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = ((lon[i]! - w) * sx) | 0;
    const y = ((lat[i]! - s) * sy) | 0;
    let m = 0;
    for (let b = 0; b < 6; b++) m |= (((x >> b) & 1) << (2 * b)) | (((y >> b) & 1) << (2 * b + 1));
    keyed[i] = m * n + i;
  }
  keyed.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = keyed[i]! % n;
  return order;
}

/**
 * PostgreSQL array literals of a column's values in `order`, as the statement's parameters:
 * written here in one pass, a fraction of the driver's cost for an array of 5,000 values
 * (a value at a time, each checked for its type).
 */
function numberArray(values: readonly number[], order: Uint32Array): string {
  const out = new Array<number>(order.length);
  for (let i = 0; i < order.length; i++) out[i] = values[order[i]!]!;
  return `{${out.join(',')}}`;
}

/** As numberArray, of text: each value quoted (a null is NULL). */
function textArray(values: readonly (string | null)[], order: Uint32Array): string {
  const out = new Array<string>(order.length);
  for (let i = 0; i < order.length; i++) {
    const v = values[order[i]!] ?? null;
    out[i] = v === null ? 'NULL' : `"${/["\\]/.test(v) ? v.replace(/["\\]/g, '\\$&') : v}"`;
  }
  return `{${out.join(',')}}`;
}

/** Imports the batches: a dry run unless `options.commit`. */
export async function importIncidents(
  db: Database,
  batches: AsyncIterable<IncidentBatch>,
  options: IncidentImportOptions,
): Promise<ImportReport> {
  const source = options.source.trim();
  if (!source || source.length > 64)
    throw new BadInput('source', 'must be a name of 1 to 64 characters');
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
  /** Writes one batch's rows in one statement and counts what it did. */
  const write = async (tx: Queryable, cols: Columns) => {
    const order = spatialOrder(cols.lon, cols.lat);
    let [first, last] = [Infinity, -Infinity];
    for (const t of cols.time) [first, last] = [Math.min(first, t), Math.max(last, t)];
    await ensureIncidentPartitions(tx, first, last);
    // counted in the database: one row back, not one a row written. A key stored already
    // (incident_keys) updates its incident where anything differs, in its partition (a new
    // time in another month moves it there, the same id); a new key adds an incident and its key.
    const [written] = await tx.query<{ added: number; written: number }>(
      `WITH u AS (
         SELECT u.*, to_timestamp(u.t / 1000.0) AS tt, ST_SetSRID(ST_MakePoint(u.x, u.y), 4326) AS g,
                k.incident_id AS id, k.time AS kt
         FROM unnest($2::text[], $3::float8[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::int[], $9::float8[], $10::float8[]) AS u(k, t, c, s, st, a, cm, x, y)
         LEFT JOIN incident_keys k ON k.source = $1 AND k.source_id = u.k
         -- a source without cancelled calls (an import's, mostly) is asked once, not once a row
         WHERE NOT EXISTS (SELECT 1 FROM incident_cancellations WHERE source = $1)
            OR NOT EXISTS (SELECT 1 FROM incident_cancellations x
                           WHERE x.source = $1 AND x.source_id = u.k)),
       added AS (
         INSERT INTO incidents (source, source_id, time, category, subcategory, status, address,
                                community_id, geom)
         SELECT $1, u.k, u.tt, u.c, u.s, u.st, u.a, nullif(u.cm, 0), u.g FROM u WHERE u.id IS NULL
         RETURNING id, source_id, time),
       added_keys AS (
         INSERT INTO incident_keys (source, source_id, incident_id, time)
         SELECT $1, source_id, id, time FROM added),
       changed AS (
         UPDATE incidents t SET
           time = u.tt, category = u.c, subcategory = u.s, status = u.st, address = u.a,
           community_id = nullif(u.cm, 0), geom = u.g, outside = false
         FROM u
         WHERE u.id IS NOT NULL AND t.id = u.id AND t.time = u.kt
           AND (t.time, t.category, t.subcategory, t.status, t.address, t.community_id,
                ST_AsBinary(t.geom), t.outside)
           IS DISTINCT FROM (u.tt, u.c, u.s, u.st, u.a, nullif(u.cm, 0), ST_AsBinary(u.g), false)
         RETURNING t.id, t.time, u.k),
       moved_keys AS (
         UPDATE incident_keys k SET time = c.time FROM changed c
         WHERE k.source = $1 AND k.source_id = c.k AND k.time <> c.time)
       SELECT (SELECT count(*) FROM added)::int AS added,
              ((SELECT count(*) FROM added) + (SELECT count(*) FROM changed))::int AS written`,
      [
        source,
        textArray(cols.key, order),
        numberArray(cols.time, order),
        textArray(cols.category, order),
        textArray(cols.subcategory, order),
        textArray(cols.status, order),
        textArray(cols.address, order),
        numberArray(cols.community, order),
        numberArray(cols.lon, order),
        numberArray(cols.lat, order),
      ],
    );
    counts.add += written!.added;
    counts.change += written!.written - written!.added;
    counts.unchanged += cols.key.length - written!.written;
  };

  const run = async (tx: Queryable): Promise<ImportReport> => {
    const places = await loadPlaces(tx);
    const now = Date.now();
    // set by flush, so TypeScript must not narrow it here
    let writing = null as Promise<void> | null;
    // the rows of the next statement, and their keys (one statement must not meet a key twice)
    let keys = new Set<string>();
    let cols = emptyColumns();
    const flush = async () => {
      if (writing) await writing;
      writing = write(tx, cols);
      // its failure is met by the next flush's await or the last; until then it is not unhandled
      writing.catch(() => undefined);
      keys = new Set<string>();
      cols = emptyColumns();
    };
    try {
      for await (const batch of batches) {
        counts.read += batch.read;
        if (counts.read > INCIDENT_ROWS_MAX)
          throw new BadInput(
            undefined,
            `the file has more than ${INCIDENT_ROWS_MAX.toLocaleString('en')} rows: split it`,
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
    } catch (err) {
      // the transaction is rolled back after the write in flight, whatever it met
      await writing?.catch(() => undefined);
      throw err;
    }
    refusals.sort((a, b) => (a.n ?? 0) - (b.n ?? 0));
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
    await db.exec('ANALYZE incidents');
  return report;
}
