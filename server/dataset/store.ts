/**
 * Stores a dataset: the one way data comes into the database (the demo generator today; file
 * imports and a live incident feed later). Everything goes in one transaction: a refused
 * dataset leaves every table as it was. Each table is written in one of three modes:
 * - 'insert': into an empty table (a first load), as fast as the database takes it;
 * - 'upsert': rows replace the stored rows of the same key, other stored rows stay (tables with
 *   a key: district by code, towns and communities by id, circles by ring);
 * - 'append': rows are added to the stored ones (incidents from a feed).
 * Bulk rows travel as one JSON document or one array per column (`unnest`) per statement, not
 * one statement per row. Rows are checked first (validate.ts), and a row the database still
 * refuses is reported by its table and constraint, never with the database's own words.
 */
import type { Geometry } from 'geojson';
import { QueryError, type Database, type Queryable } from '../db/database';
import { ensureIncidentPartitions } from '../db/partitions';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '../../domain/vocabulary';
import { invalidateDataStatus, writeSource } from './status';
import { bumpDataVersion, type DataKind } from '../services/dataVersions';
import {
  DATASET_TABLES,
  type Dataset,
  type DatasetTable,
  type DatasetTables,
  type IncidentColumns,
} from './types';
import { DatasetError, KEYS, validateTable } from './validate';

export { DatasetError } from './validate';

export type StoreMode = 'insert' | 'upsert' | 'append';
/** The mode of each table the dataset carries; 'insert' where none is given. */
export type StoreModes = Partial<Record<DatasetTable, StoreMode>>;

export interface StoreReport {
  /** rows written per table */
  rows: Partial<Record<DatasetTable, number>>;
  /** communities clipped to the district edge, and the farthest any lay outside (metres) */
  snapped: { moved: number; maxM: number } | null;
}

const GEOM = (col: string) => `ST_SetSRID(ST_GeomFromGeoJSON(${col}),4326)`;
const MULTI = (col: string) => `ST_Multi(${GEOM(col)})`;
const BATCH = 25_000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const geo = (g: Geometry) => JSON.stringify(g);

/** How one table of rows is written: its SQL name, columns (with SQL types) and their values. */
interface TableSpec<R> {
  sql: string;
  columns: Record<string, string>;
  /** SQL expressions for columns not taken as they come (geometries) */
  exprs: Record<string, string>;
  row: (r: R, updatedBy: string) => Record<string, unknown>;
  /** the key an upsert matches stored rows by */
  key?: string;
}

type RowTable = Exclude<DatasetTable, 'incidents' | 'district'>;
type Row<T extends RowTable> = DatasetTables[T][number];

const SPECS: { [T in RowTable]: TableSpec<Row<T>> } = {
  towns: {
    sql: 'towns',
    columns: { id: 'int', code: 'text', name: 'text', geometry_source: 'text', geom: 'text' },
    exprs: { geom: MULTI('geom') },
    row: (t) => ({
      id: t.id,
      code: t.code,
      name: t.name,
      geometry_source: t.geometrySource,
      geom: geo(t.geom),
    }),
    key: 'id',
  },
  communities: {
    sql: 'communities',
    columns: {
      id: 'int',
      code: 'text',
      name: 'text',
      town_id: 'int',
      kind: 'text',
      population: 'int',
      synthetic: 'boolean',
      geometry_source: 'text',
      geom: 'text',
    },
    exprs: { geom: MULTI('geom') },
    row: (c) => ({
      id: c.id,
      code: c.code,
      name: c.name,
      town_id: c.townId,
      kind: c.kind,
      population: c.population,
      synthetic: c.synthetic,
      geometry_source: c.geometrySource,
      geom: geo(c.geom),
    }),
    key: 'id',
  },
  disputes: {
    sql: 'disputes',
    columns: {
      registered_at: 'timestamptz',
      resolved_at: 'timestamptz',
      kind: 'text',
      risk: 'text',
      channel: 'text',
      studio: 'text',
      community_id: 'int',
      geom: 'text',
    },
    exprs: { geom: GEOM('geom') },
    row: (d) => ({
      registered_at: iso(d.registeredAt),
      resolved_at: iso(d.resolvedAt),
      kind: d.kind,
      risk: d.risk,
      channel: d.channel,
      studio: d.studio,
      community_id: d.communityId,
      geom: geo(d.geom),
    }),
  },
  cameras: {
    sql: 'cameras',
    columns: {
      kind: 'text',
      bearing: 'real',
      fov: 'real',
      range_m: 'real',
      status: 'text',
      batch: 'text',
      installed_at: 'date',
      geom: 'text',
    },
    exprs: { geom: GEOM('geom') },
    row: (c) => ({
      kind: c.kind,
      bearing: c.bearing,
      fov: c.fov,
      range_m: c.rangeM,
      status: c.status,
      batch: c.batch,
      installed_at: iso(c.installedAt)!.slice(0, 10),
      geom: geo(c.geom),
    }),
  },
  sites: {
    sql: 'sites',
    columns: { kind: 'text', name: 'text', community_id: 'int', geom: 'text' },
    exprs: { geom: GEOM('geom') },
    row: (s) => ({ kind: s.kind, name: s.name, community_id: s.communityId, geom: geo(s.geom) }),
  },
  circles: {
    sql: 'protection_circles',
    columns: { ring: 'text', name: 'text', description: 'text', geom: 'text' },
    exprs: { geom: MULTI('geom') },
    row: (c) => ({ ring: c.ring, name: c.name, description: c.description, geom: geo(c.geom) }),
    key: 'ring',
  },
  zones: {
    sql: 'patrol_zones',
    columns: {
      name: 'text',
      unit: 'text',
      shift: 'text',
      town_id: 'int',
      updated_by: 'text',
      geom: 'text',
    },
    exprs: { geom: MULTI('geom') },
    row: (z, by) => ({
      name: z.name,
      unit: z.unit,
      shift: z.shift,
      town_id: z.townId,
      updated_by: by,
      geom: geo(z.geom),
    }),
  },
  units: {
    sql: 'patrol_units',
    columns: { kind: 'text', name: 'text', status: 'text', updated_by: 'text', geom: 'text' },
    exprs: { geom: GEOM('geom') },
    row: (u, by) => ({
      kind: u.kind,
      name: u.name,
      status: u.status,
      updated_by: by,
      geom: geo(u.geom),
    }),
  },
};

/** The tables that triggers fill from a dataset table (migration 0005). */
const DERIVED: Partial<Record<DatasetTable, string[]>> = {
  communities: ['coverage_changes'],
  cameras: ['camera_sectors', 'coverage_changes'],
};

/** The SQL table a dataset table is stored in. */
const sqlName = (table: DatasetTable) =>
  table === 'district' || table === 'incidents' ? table : SPECS[table].sql;

/**
 * Writes rows given as JSON through json_to_recordset: one parameter for the whole table. An
 * upsert replaces the stored row of the same key where any column differs, and leaves it
 * untouched (no trigger sees a change) where none does.
 */
async function writeRows<R>(
  tx: Queryable,
  spec: TableSpec<R>,
  rows: R[],
  upsert: boolean,
  updatedBy: string,
) {
  if (!rows.length) return;
  const names = Object.keys(spec.columns);
  const defs = names.map((n) => `${n} ${spec.columns[n]}`).join(', ');
  const values = names.map((n) => spec.exprs[n] ?? n).join(', ');
  let conflict = '';
  if (upsert) {
    const set = names.filter((n) => n !== spec.key);
    // geometries compare by their bytes: `=` on geometries is not exact in every PostGIS
    const cmp = (side: string, n: string) =>
      spec.exprs[n] ? `${side}.${n}::bytea` : `${side}.${n}`;
    conflict = ` ON CONFLICT (${spec.key}) DO UPDATE SET ${set.map((n) => `${n} = EXCLUDED.${n}`).join(', ')}
      WHERE (${set.map((n) => cmp('t', n)).join(', ')}) IS DISTINCT FROM (${set.map((n) => cmp('EXCLUDED', n)).join(', ')})`;
  }
  await tx.query(
    `INSERT INTO ${spec.sql} AS t (${names.join(', ')})
     SELECT ${values} FROM json_to_recordset($1::json) AS x(${defs})${conflict}`,
    [JSON.stringify(rows.map((r) => spec.row(r, updatedBy)))],
  );
}

async function writeDistrict(tx: Queryable, d: DatasetTables['district'], mode: StoreMode) {
  const params = [d.code, d.name, geo(d.geom)];
  if (mode === 'upsert') {
    const updated = await tx.query(
      `UPDATE district SET name = $2, geom = ${MULTI('$3')} WHERE code = $1 RETURNING id`,
      params,
    );
    if (updated.length) return;
  }
  const [other] = await tx.query<{ code: string }>('SELECT code FROM district LIMIT 1');
  if (other)
    throw new DatasetError(
      'district',
      1,
      `the database holds the district ${other.code} already: one district per database`,
    );
  await tx.query(`INSERT INTO district (code, name, geom) VALUES ($1, $2, ${MULTI('$3')})`, params);
}

/** How far a community may poke out of the district and still be snapped onto its edge. */
export const SNAP_TOLERANCE_M = 0.5;
/** The tolerance in degrees, rounded up (a degree of latitude is about 111 km; of longitude less). */
export const SNAP_TOLERANCE_DEG = SNAP_TOLERANCE_M / 100_000;

/**
 * Clips every community that is not covered by the district to it, after snapping its vertices
 * within SNAP_TOLERANCE_M onto the district's edge, so that an area share of a community (its
 * part within reach, within camera view) is not spoiled by centimetres of boundary lying outside
 * the district. A community poking out further than the tolerance is a data error: the store
 * fails and names it. Keeps valid polygons (multipolygons, as stored). Returns how many moved
 * and how far (metres, the farthest point of a community outside the district).
 */
export async function snapCommunitiesToDistrict(tx: Queryable) {
  const [out] = await tx.query<{ moved: number; max_m: number | null; worst: string | null }>(
    `WITH d AS (SELECT geom FROM district LIMIT 1),
          outside AS (
            SELECT c.id, c.name,
              (SELECT max(ST_Distance(p.geom::geography, ST_Boundary(d.geom)::geography))
                 FROM ST_DumpPoints(ST_Difference(c.geom, d.geom)) p) AS m
            FROM communities c, d
            WHERE NOT ST_CoveredBy(c.geom, d.geom))
     SELECT count(*)::int AS moved, max(m) AS max_m,
            (SELECT name || ' (' || round(m::numeric, 3) || ' m)' FROM outside
               WHERE m > ${SNAP_TOLERANCE_M} ORDER BY m DESC LIMIT 1) AS worst
     FROM outside`,
  );
  if (out?.worst)
    throw new DatasetError(
      'communities',
      null,
      `community ${out.worst} lies outside the district by more than ${SNAP_TOLERANCE_M} m`,
    );
  if (!out?.moved) return { moved: 0, maxM: 0 };
  // Clipped to the district itself where the result is covered by it exactly; otherwise (the
  // computed crossing points fall a rounding error either side of the edge) to the district
  // shrunk by 1e-9° (about 0.1 mm), which puts the new edge strictly inside.
  const clip = (to: string) =>
    `ST_Multi(ST_CollectionExtract(ST_MakeValid(
       ST_Intersection(ST_Snap(c.geom, d.geom, ${SNAP_TOLERANCE_DEG}), ${to})), 3))`;
  await tx.query(
    `UPDATE communities c
     SET geom = CASE WHEN ST_CoveredBy(${clip('d.geom')}, d.geom) THEN ${clip('d.geom')}
                     ELSE ${clip('ST_Buffer(d.geom, -1e-9)')} END
     FROM (SELECT geom FROM district LIMIT 1) d
     WHERE NOT ST_CoveredBy(c.geom, d.geom)`,
  );
  return { moved: out.moved, maxM: Number(out.max_m ?? 0) };
}

/**
 * Incidents, a batch of columns at a time. Then the new rows are checked against the stored
 * district (within the snapping tolerance of its edge), where their points are already built:
 * the first incident outside it is named by its row.
 */
async function writeIncidents(tx: Queryable, inc: IncidentColumns) {
  const [before] = await tx.query<{ district: number; last: number }>(
    `SELECT (SELECT count(*)::int FROM district) AS district,
            (SELECT coalesce(max(id), 0)::int FROM incidents) AS last`,
  );
  if (inc.count && !before?.district)
    throw new DatasetError('incidents', null, 'no district is stored: store the district first');
  if (inc.count) {
    let [first, last] = [Infinity, -Infinity];
    for (const t of inc.time) [first, last] = [Math.min(first, t), Math.max(last, t)];
    await ensureIncidentPartitions(tx, first, last);
  }
  const categories = `ARRAY[${INCIDENT_CATEGORIES.map((c) => `'${c}'`).join(',')}]`;
  const statuses = `ARRAY[${INCIDENT_STATUSES.map((c) => `'${c}'`).join(',')}]`;
  for (let from = 0; from < inc.count; from += BATCH) {
    const to = Math.min(inc.count, from + BATCH);
    await tx.query(
      `INSERT INTO incidents (time, category, subcategory, status, community_id, geom)
       SELECT to_timestamp(t / 1000.0), (${categories})[c + 1], ($7::text[])[s + 1], (${statuses})[st + 1],
              nullif(cm, 0), ST_SetSRID(ST_MakePoint(x, y), 4326)
       FROM unnest($1::float8[], $2::float8[], $3::float8[], $4::int[], $5::int[], $6::int[], $8::int[])
         AS u(x, y, t, c, s, st, cm)`,
      [
        Array.from(inc.lon.subarray(from, to)),
        Array.from(inc.lat.subarray(from, to)),
        Array.from(inc.time.subarray(from, to)),
        Array.from(inc.category.subarray(from, to)),
        Array.from(inc.subcategory.subarray(from, to)),
        Array.from(inc.status.subarray(from, to)),
        inc.subcategories,
        Array.from(inc.communityId.subarray(from, to)),
      ],
    );
  }
  if (!inc.count) return;
  // the tolerance only for the few points not within the district exactly
  const [outside] = await tx.query<{ x: number; y: number }>(
    `SELECT ST_X(i.geom) AS x, ST_Y(i.geom) AS y
     FROM incidents i, (SELECT geom FROM district LIMIT 1) d
     WHERE i.id > $1 AND CASE WHEN ST_Intersects(d.geom, i.geom) THEN false
                             ELSE NOT ST_DWithin(d.geom, i.geom, ${SNAP_TOLERANCE_DEG}) END
     ORDER BY i.id LIMIT 1`,
    [before!.last],
  );
  if (outside) {
    let i = 0;
    while (i < inc.count && !(inc.lon[i] === outside.x && inc.lat[i] === outside.y)) i++;
    throw new DatasetError(
      'incidents',
      i < inc.count ? i + 1 : null,
      `position ${outside.x}, ${outside.y} lies outside the district`,
    );
  }
}

/** A database refusal, told by its table and constraint (never the database's own words). */
function refusal(table: DatasetTable, err: QueryError): DatasetError {
  const constraint = /constraint "([^"]+)"/.exec(err.message)?.[1];
  const what =
    err.code === '23505'
      ? 'a row has the key of a stored row (store it with mode upsert)'
      : err.code === '23503'
        ? 'a row refers to a row that is not stored'
        : err.code === '23514' || err.code === '23502'
          ? 'a row has a value its column does not allow'
          : 'a row was refused';
  return new DatasetError(
    table,
    null,
    `${what}${constraint ? ` (${constraint})` : ''}; nothing was stored`,
  );
}

/** The kinds of data (services/dataVersions) a store of each table changes. */
const STORED_DATA: Record<DatasetTable, DataKind[]> = {
  district: ['places', 'plan'],
  towns: ['places'],
  communities: ['places', 'incidents', 'plan'],
  incidents: ['incidents'],
  disputes: [],
  cameras: [],
  sites: ['plan'],
  circles: ['plan'],
  zones: ['plan'],
  units: ['plan'],
};

/** The advisory lock that serialises dataset stores (migrate.ts's is 7263105). */
const STORE_LOCK = 7_263_106;

/**
 * Stores `dataset` in one transaction, each table in its mode (default 'insert'), then records
 * where the data came from (status.ts) and forgets the cached data span. Refuses a bad row with
 * a DatasetError naming its table and row; nothing is stored then.
 */
export async function storeDataset(
  db: Database,
  dataset: Dataset,
  modes: StoreModes = {},
  log: (msg: string) => void = () => {},
): Promise<StoreReport> {
  const tables = DATASET_TABLES.filter((t) => dataset[t] !== undefined);
  for (const table of tables) {
    const mode = modes[table] ?? 'insert';
    if (!['insert', 'upsert', 'append'].includes(mode))
      throw new DatasetError(table, null, `mode ${String(mode)} is not insert, upsert or append`);
    if (mode === 'upsert' && !KEYS[table])
      throw new DatasetError(table, null, 'has no key to upsert by: use insert or append');
    validateTable(table, dataset[table]!);
  }
  const updatedBy = dataset.source.kind;
  const report: StoreReport = { rows: {}, snapped: null };
  await db.transaction(async (tx) => {
    // instances sharing a server store one dataset at a time: of two started at once on an empty
    // database, the second waits for the first and then finds its tables filled
    if (db.kind === 'server') await tx.query('SELECT pg_advisory_xact_lock($1)', [STORE_LOCK]);
    for (const table of tables) {
      const mode = modes[table] ?? 'insert';
      const value = dataset[table]!;
      const count =
        table === 'district'
          ? 1
          : table === 'incidents'
            ? dataset.incidents!.count
            : (value as unknown[]).length;
      log(`storing ${count.toLocaleString('en')} ${table} (${mode})`);
      try {
        if (mode === 'insert') {
          const [held] = await tx.query(`SELECT 1 FROM ${sqlName(table)} LIMIT 1`);
          if (held)
            throw new DatasetError(table, null, 'holds rows already: store with upsert or append');
        }
        if (table === 'district') await writeDistrict(tx, dataset.district!, mode);
        else if (table === 'incidents') await writeIncidents(tx, dataset.incidents!);
        else
          await writeRows(
            tx,
            SPECS[table] as TableSpec<unknown>,
            value as unknown[],
            mode === 'upsert',
            updatedBy,
          );
      } catch (err) {
        if (err instanceof QueryError) throw refusal(table, err);
        throw err;
      }
      report.rows[table] = count;
      if (table === 'communities' || (table === 'district' && !dataset.communities)) {
        report.snapped = await snapCommunitiesToDistrict(tx);
        log(
          report.snapped.moved
            ? `snapped ${report.snapped.moved} communities to the district edge (at most ${report.snapped.maxM.toFixed(3)} m outside)`
            : 'all communities lie within the district',
        );
      }
    }
    await writeSource(tx, dataset.source, dataset.coverage);
    await bumpDataVersion(tx, ...new Set(tables.flatMap((t) => STORED_DATA[t])));
  });
  invalidateDataStatus(db);
  // fresh planner statistics for the tables written and those their triggers fill
  if (db.kind === 'server' && tables.length)
    await db.exec(
      `ANALYZE ${[...new Set(tables.flatMap((t) => [sqlName(t), ...(DERIVED[t] ?? [])]))].join(', ')}`,
    );
  return report;
}
