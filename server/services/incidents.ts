/** Incident queries: paged lists, grouped counts, the heat grid and the packed bulk columns. */
import { BadInput, InvalidInput, NotFound } from '../errors';
import { cellCentre, heatGrid } from '../../geo/heatGrid';
import type { Queryable } from '../db/database';
import { unpackFloat32, unpackInt32, unpackUint32, unpackUint8 } from '../db/packed';
import { DAY_MS, UTC_OFFSET, UTC_OFFSET_HOURS } from '../../domain/time';
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../domain/vocabulary';
import type { Bbox } from '../inputs';
import { startOfToday } from './dataVersions';
import { district, gridCells } from './district';
import { memo } from './memo';

export interface IncidentFilter {
  from: Date;
  to: Date;
  bbox?: Bbox;
  categories?: IncidentCategory[];
  /** subcategory codes, e.g. ['fraud'] */
  subcategories?: string[];
  communityId?: number;
}

/**
 * The one way a query picks the incidents of a window [from, to): adds the two bounds to
 * `params` and returns the condition; `alias` is the incidents table's name in the query.
 * Incidents a feed placed outside the district are stored but never counted with the
 * district's (services/ingest.ts).
 */
export function incidentWindow(w: { from: Date; to: Date }, params: unknown[], alias = 'i') {
  return `${alias}.time >= $${params.push(w.from.toISOString())} AND ${alias}.time < $${params.push(w.to.toISOString())} AND NOT ${alias}.outside`;
}

/** Builds the WHERE clause for a filter; `alias` prefixes the incidents columns. */
export function whereIncidents(f: IncidentFilter, params: unknown[], alias = 'i') {
  const c = (col: string) => `${alias}.${col}`;
  const parts = [incidentWindow(f, params, alias)];
  if (f.categories?.length)
    parts.push(`${c('category')} = ANY($${params.push(f.categories)}::text[])`);
  if (f.subcategories?.length)
    parts.push(`${c('subcategory')} = ANY($${params.push(f.subcategories)}::text[])`);
  if (f.communityId !== undefined)
    parts.push(`${c('community_id')} = $${params.push(f.communityId)}`);
  if (f.bbox) {
    const [w, s, e, n] = f.bbox;
    parts.push(
      `${c('geom')} && ST_MakeEnvelope($${params.push(w)}, $${params.push(s)}, $${params.push(e)}, $${params.push(n)}, 4326)`,
    );
  }
  return parts.join(' AND ');
}

export interface IncidentItem {
  id: number;
  time: string;
  category: IncidentCategory;
  subcategory: string;
  status: string;
  communityId: number | null;
  communityName: string | null;
  lon: number;
  lat: number;
}

/** One incident with the source's own id (null for incidents not from a feed). */
export interface IncidentDetail extends IncidentItem {
  sourceId: string | null;
  /** placed outside the district by its feed: stored, never counted with the district's */
  outside: boolean;
}

const ITEM_COLUMNS = `i.id, to_char(i.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS time,
  i.category, i.subcategory, i.status, i.community_id AS "communityId", c.name AS "communityName",
  round(ST_X(i.geom)::numeric, 6)::float8 AS lon, round(ST_Y(i.geom)::numeric, 6)::float8 AS lat`;

/** ITEM_COLUMNS with the source's id and the outside flag. */
export const DETAIL_COLUMNS = `${ITEM_COLUMNS}, i.source_id AS "sourceId", i.outside`;

/** Cursors are opaque to clients: the (time, id) of the last item of the page before. */
const encodeCursor = (item: IncidentItem) =>
  Buffer.from(`${item.time}|${item.id}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): { time: string; id: number } {
  const [time, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!time || !id || Number.isNaN(Date.parse(time)) || !/^\d+$/.test(id))
    throw new InvalidInput([
      { field: 'cursor', message: 'is not a cursor returned by a previous page' },
    ]);
  return { time, id: Number(id) };
}

/** Newest first, paged by an opaque cursor. */
export async function list(db: Queryable, f: IncidentFilter & { limit: number; cursor?: string }) {
  const params: unknown[] = [];
  let where = whereIncidents(f, params);
  if (f.cursor) {
    const cur = decodeCursor(f.cursor);
    where += ` AND (i.time, i.id) < ($${params.push(cur.time)}::timestamptz, $${params.push(cur.id)})`;
  }
  const items = await db.query<IncidentItem>(
    `SELECT ${ITEM_COLUMNS} FROM incidents i LEFT JOIN communities c ON c.id = i.community_id
     WHERE ${where} ORDER BY i.time DESC, i.id DESC LIMIT $${params.push(f.limit + 1)}`,
    params,
  );
  const more = items.length > f.limit;
  if (more) items.pop();
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1]!) : null };
}

export async function get(db: Queryable, id: number): Promise<IncidentDetail> {
  const rows = await db.query<IncidentDetail>(
    `SELECT ${DETAIL_COLUMNS} FROM incidents i LEFT JOIN communities c ON c.id = i.community_id WHERE i.id = $1`,
    [id],
  );
  if (!rows[0]) throw new NotFound(`no incident with id ${id}`);
  return rows[0];
}

export type GroupBy = 'category' | 'subcategory' | 'community' | 'town' | 'month' | 'day' | 'hour';

export interface SummaryRow {
  key: string;
  /** the community's or town's name, for those groupings */
  name?: string;
  count: number;
}

/** Local time in Xining (UTC+8 all year, domain/time.ts): UTC shifted by the fixed offset. */
const SHIFT = `interval '${UTC_OFFSET_HOURS} hours'`;
const LOCAL = `(i.time AT TIME ZONE 'UTC' + ${SHIFT})`;

/**
 * Summaries of a window at least this long, ending before today, are memoised: their cost
 * follows the window (the timeline's days over years of history: seconds with millions stored),
 * and a feed's calls of today leave them as they are.
 */
export const SUMMARY_MEMO_MIN_MS = 32 * DAY_MS;

/**
 * Counts per group. Months are local months (YYYY-MM), days local dates (YYYY-MM-DD), hours local
 * hour starts (YYYY-MM-DDTHH:00+08:00); these list every bucket the window touches, zeros
 * included, in order. The other groupings list only groups with incidents, largest first.
 * The answer may be shared with other callers: it is not to be changed.
 */
export function summary(
  db: Queryable,
  f: IncidentFilter & { groupBy: GroupBy },
): Promise<SummaryRow[]> {
  const to = f.to.getTime();
  if (to > startOfToday() || to - f.from.getTime() < SUMMARY_MEMO_MIN_MS) return countGroups(db, f);
  const key = JSON.stringify([
    'summary',
    f.groupBy,
    f.from.toISOString(),
    f.to.toISOString(),
    f.categories ?? null,
    f.subcategories ?? null,
    f.communityId ?? null,
    f.bbox ?? null,
  ]);
  // communities and towns are named, and incidents placed in them, from the boundaries
  return memo(db, ['history', 'places'], key, () => countGroups(db, f), 'summaries');
}

async function countGroups(
  db: Queryable,
  f: IncidentFilter & { groupBy: GroupBy },
): Promise<SummaryRow[]> {
  const params: unknown[] = [];
  const where = whereIncidents(f, params);
  switch (f.groupBy) {
    case 'category':
    case 'subcategory':
      return db.query<SummaryRow>(
        `SELECT i.${f.groupBy} AS key, count(*)::int AS count FROM incidents i WHERE ${where}
         GROUP BY 1 ORDER BY 2 DESC, 1`,
        params,
      );
    case 'community':
      return db.query<SummaryRow>(
        `SELECT c.id::text AS key, c.name, count(*)::int AS count
         FROM incidents i JOIN communities c ON c.id = i.community_id WHERE ${where}
         GROUP BY c.id, c.name ORDER BY 3 DESC, c.id`,
        params,
      );
    case 'town':
      return db.query<SummaryRow>(
        `SELECT t.id::text AS key, t.name, count(*)::int AS count
         FROM incidents i JOIN communities c ON c.id = i.community_id JOIN towns t ON t.id = c.town_id
         WHERE ${where} GROUP BY t.id, t.name ORDER BY 3 DESC, t.id`,
        params,
      );
    case 'month':
    case 'day':
    case 'hour': {
      const unit = f.groupBy;
      const fmt = {
        month: 'YYYY-MM',
        day: 'YYYY-MM-DD',
        hour: `YYYY-MM-DD"T"HH24":00${UTC_OFFSET}"`,
      }[unit];
      const series = `generate_series(
          date_trunc('${unit}', $${params.push(f.from.toISOString())}::timestamptz AT TIME ZONE 'UTC' + ${SHIFT}),
          $${params.push(f.to.toISOString())}::timestamptz AT TIME ZONE 'UTC' + ${SHIFT} - interval '1 microsecond',
          interval '1 ${unit}')`;
      return db.query<SummaryRow>(
        `WITH counts AS (
           SELECT date_trunc('${unit}', ${LOCAL}) AS b, count(*)::int AS n FROM incidents i
           WHERE ${where} GROUP BY 1)
         SELECT to_char(s.b, '${fmt}') AS key, coalesce(counts.n, 0) AS count
         FROM ${series} AS s(b) LEFT JOIN counts ON counts.b = s.b ORDER BY s.b`,
        params,
      );
    }
  }
}

export interface HeatResult {
  cellMeters: number;
  cells: { lon: number; lat: number; count: number }[];
}

/** The SQL behind `heat`: the window's incidents counted per cell, packed as three int4 columns. */
export function heatQuery(f: IncidentFilter & { cellMeters: number }) {
  const g = heatGrid(f.cellMeters);
  const params: unknown[] = [g.lon0, g.lat0, g.dLon, g.dLat];
  const where = whereIncidents(f, params);
  const text = `SELECT string_agg(int4send(gx), ''::bytea) AS gx, string_agg(int4send(gy), ''::bytea) AS gy,
            string_agg(int4send(n), ''::bytea) AS n
     FROM (SELECT floor((ST_X(i.geom) - $1) / $3)::int AS gx, floor((ST_Y(i.geom) - $2) / $4)::int AS gy,
                  count(*)::int AS n
           FROM incidents i WHERE ${where} GROUP BY 1, 2) cells`;
  return { grid: g, text, params };
}

/** Grid cells one heat request may span (over its bbox, or the district's): its answer's size at most. */
export const MAX_HEAT_CELLS = 250_000;

/** Incidents counted per grid cell (see geo/heatGrid); the cells' counts add up to the window's. */
export async function heat(
  db: Queryable,
  f: IncidentFilter & { cellMeters: number },
): Promise<HeatResult> {
  const area = f.bbox ?? (await district(db)).bbox;
  const span = gridCells(area, f.cellMeters);
  if (span > MAX_HEAT_CELLS)
    throw new BadInput(
      'cellMeters',
      `${f.cellMeters} m cells make ${span.toLocaleString('en-US')} cells over ${f.bbox ? 'the bbox' : 'the district'}, at most ${MAX_HEAT_CELLS.toLocaleString('en-US')}: use larger cells or a smaller bbox`,
    );
  const c = await heatColumns(db, f);
  return {
    cellMeters: f.cellMeters,
    cells: c.count.map((count, k) => ({ lon: c.lon[k]!, lat: c.lat[k]!, count })),
  };
}

/**
 * The window's cells as columns (centres rounded to 1e-6°, counts): `heat` without its check of
 * the grid's span, which its callers make, each against its own limit.
 */
export async function heatColumns(db: Queryable, f: IncidentFilter & { cellMeters: number }) {
  const q = heatQuery(f);
  const [r] = await db.query<Record<'gx' | 'gy' | 'n', Uint8Array | null>>(q.text, q.params);
  const gx = unpackInt32(r?.gx ?? null);
  const gy = unpackInt32(r?.gy ?? null);
  const count = Array.from(unpackInt32(r?.n ?? null));
  const lon = new Array<number>(count.length);
  const lat = new Array<number>(count.length);
  for (let k = 0; k < count.length; k++) {
    const [x, y] = cellCentre(q.grid, gx[k]!, gy[k]!);
    lon[k] = Math.round(x * 1e6) / 1e6;
    lat[k] = Math.round(y * 1e6) / 1e6;
  }
  return { lon, lat, count };
}

export interface IncidentColumns {
  count: number;
  id: Int32Array;
  lon: Float32Array;
  lat: Float32Array;
  /** epoch seconds */
  time: Uint32Array;
  /** index into INCIDENT_CATEGORIES */
  category: Uint8Array;
}

/**
 * Incidents one answer of typed columns may hold (about 17 bytes each: some 50 MB). A window
 * holding more is refused: with millions stored, a long window would otherwise build an answer
 * of any size; the reading stops one row past the limit (before the rows are put in order: the
 * time index is a BRIN, which keeps no order), so the refusal costs no more than that.
 */
export const MAX_COLUMN_INCIDENTS = 3_000_000;

/**
 * The window's incidents as typed columns, oldest first, packed in SQL (no row objects). Times
 * are whole seconds, floored as the live events' are, so that a count over windows with
 * whole-second bounds picks the incidents the database picks.
 */
export async function columns(
  db: Queryable,
  f: IncidentFilter,
  max = MAX_COLUMN_INCIDENTS,
): Promise<IncidentColumns> {
  const params: unknown[] = [INCIDENT_CATEGORIES];
  const where = whereIncidents(f, params);
  const limit = `$${params.push(max + 1)}`;
  const rows = await db.query<
    Record<'id' | 'lon' | 'lat' | 'time' | 'category', Uint8Array | null>
  >(
    `SELECT string_agg(int4send(id), ''::bytea) AS id,
            string_agg(float4send(ST_X(geom)::float4), ''::bytea) AS lon,
            string_agg(float4send(ST_Y(geom)::float4), ''::bytea) AS lat,
            string_agg(int4send(floor(extract(epoch FROM time))::int), ''::bytea) AS time,
            string_agg(set_byte('\\x00'::bytea, 0, array_position($1::text[], category) - 1), ''::bytea) AS category
     FROM (SELECT * FROM (SELECT i.id, i.geom, i.time, i.category FROM incidents i
                          WHERE ${where} LIMIT ${limit}) l
           ORDER BY l.time, l.id) s`,
    params,
  );
  const r = rows[0];
  const id = unpackInt32(r?.id ?? null);
  if (id.length > max)
    throw new BadInput(
      'from',
      `the window holds more than ${max.toLocaleString('en-US')} incidents, at most ${max.toLocaleString('en-US')} in one answer: ask for a shorter window (or its cells)`,
    );
  return {
    count: id.length,
    id,
    lon: unpackFloat32(r?.lon ?? null),
    lat: unpackFloat32(r?.lat ?? null),
    time: unpackUint32(r?.time ?? null),
    category: unpackUint8(r?.category ?? null),
  };
}
