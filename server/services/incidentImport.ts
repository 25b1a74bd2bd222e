/**
 * Imports historical incidents — years of a 110 system's export, a million rows and more — as
 * batches of rows already read and converted to WGS84 (server/files/read), streamed: memory
 * holds the batch being read and a bounded number of rows waiting for the database, never the
 * file.
 *
 * Incidents are added to the stored ones, keyed by (source, sourceId) like a feed's: a row with
 * the id of a stored incident of the same source replaces it, an equal one changes nothing, so
 * importing the same export twice adds nothing. A row without an id gets one made from its
 * time, position and category, so that holds for exports without ids too (two calls at the same
 * second, place and category are one). A key met again further on in the file is refused (the
 * first row stands), however far on. Calls a feed cancelled stay cancelled.
 *
 * Each row is checked (category, time no later than 5 minutes from now, a position within the
 * district; the reader checked the rest); a refused row never blocks the others. The whole
 * import is one transaction: a dry run is that transaction rolled back, a commit killed midway
 * leaves the stored incidents as they were. Communities are assigned in memory (geo's grid index
 * over the stored boundaries). The checked rows go to the database as they are read, and each
 * month is written while the next ones are read (incidentMerge.ts; `npm run bench -- --only
 * import` measures it).
 *
 * Imported history writes no live events: a live stream carries what happens now, not a
 * million rows of last year; screens see the new span through the data status.
 */
import { createHash } from 'node:crypto';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import type { Database, Queryable } from '../db/database';
import { importReason } from '../../domain/importReasons';
import { codedBadInput } from '../errors';
import { bumpDataVersion } from './dataVersions';
import {
  openIncidentWriter,
  PACE,
  stagedColumns,
  type MergeResult,
  type WritePace,
} from './incidentMerge';
import { KeySet } from '../files/read/keySet';
import { FIRST_TIME } from '../files/read/time';
import { HOUR_MS, UTC_OFFSET_HOURS } from '../../domain/time';
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
  /** when months are written while the rows are read (tests write them after a few rows) */
  pace?: WritePace;
  /** the rows' own ids are unique already (the file's reader refused an id met twice) */
  idsUnique?: boolean;
  /** told the rows read so far, every PROGRESS_ROWS rows (a long import is not silent) */
  progress?: (read: number) => void;
}

/** How often `progress` is told. */
const PROGRESS_ROWS = 100_000;
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

const OFFSET_MS = UTC_OFFSET_HOURS * HOUR_MS;

/**
 * The Asia/Shanghai month of an instant (year × 12 + month 0–11). The last month found is kept:
 * a file's rows mostly come in time order.
 */
function monthFinder() {
  let [lo, hi, month] = [0, -1, 0];
  return (ms: number) => {
    if (ms >= lo && ms < hi) return month;
    const d = new Date(ms + OFFSET_MS);
    const [y, mo] = [d.getUTCFullYear(), d.getUTCMonth()];
    lo = Date.UTC(y, mo, 1) - OFFSET_MS;
    hi = Date.UTC(y, mo + 1, 1) - OFFSET_MS;
    month = y * 12 + mo;
    return month;
  };
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

  /** the partitions written */
  let written: string[] = [];
  const run = async (tx: Queryable): Promise<ImportReport> => {
    const places = await loadPlaces(tx);
    const now = Date.now();
    if (db.kind === 'server') {
      // a COPY waits on the file as it is read: the statement may take as long as the reading;
      // and between two COPYs the transaction waits on the reading too (a long run of refused
      // rows, a slow file), which the pool's idle limit (30 s) would end
      await tx.query(`SET LOCAL statement_timeout = '20min'`);
      await tx.query(`SET LOCAL idle_in_transaction_session_timeout = '20min'`);
      // a month's rows are sorted in memory, not on disk
      await tx.query(`SET LOCAL work_mem = '64MB'`);
    }
    const pace = options.pace ?? PACE;
    const writer = await openIncidentWriter(tx, source, pace);
    const monthOf = monthFinder();
    // the keys met so far: a key met again, however far on, is refused (the first row stands),
    // as the reader refuses an id met twice
    const seen = new KeySet();
    // the rows of the next batch
    let cols = stagedColumns();
    const flush = async () => {
      const full = cols;
      cols = stagedColumns();
      await writer.add(full);
    };
    let merged: MergeResult;
    try {
      let told = 0;
      for await (const batch of batches) {
        counts.read += batch.read;
        if (options.progress && counts.read - told >= PROGRESS_ROWS) {
          told = counts.read - (counts.read % PROGRESS_ROWS);
          options.progress(counts.read);
        }
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
          if (!(row.time >= FIRST_TIME && row.time <= now + FUTURE_MS)) {
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
          if ((row.sourceId === null || !options.idsUnique) && seen.add(key, n) !== undefined) {
            refuse({ n, field: 'id', ...importReason('repeated_id', { id: key }) });
            continue;
          }
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
        // written behind the reading: the reading (CPU here) and the writing (the database)
        // overlap, and memory holds a bounded number of rows
        if (cols.key.length >= pace.batchRows) await flush();
      }
      if (cols.key.length) await flush();
      merged = await writer.finish();
    } catch (err) {
      // the transaction is rolled back after the write in flight, whatever it met
      await writer.abort();
      throw err;
    }
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
  if (options.commit && db.kind === 'server' && counts.add + counts.change > 10_000) {
    // the months written, not every partition; on two connections at once (a statement uses
    // one core)
    const halves = [0, 1]
      .map((h) => written.filter((_, i) => i % 2 === h))
      .filter((months) => months.length);
    await Promise.all(halves.map((months) => db.exec(`ANALYZE ${months.join(', ')}`)));
  }
  return report;
}
