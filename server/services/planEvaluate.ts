/**
 * What-if figures of a patrol plan draft against the saved plan, computed in PostGIS without
 * saving anything: the share of the window's incidents inside patrol zones, the Gi* hot-spot
 * cells the zones cover, the "135" reach of the posts (with the patrol cars as they are), the
 * district's unpatrolled part and the zones' overlaps, and the change per community.
 * Counting is done on samples held in memory: the window's incidents, the Gi* hot cells and a
 * 100 m grid over the district carrying each community's people (areas and populations within
 * reach are shares of that grid); PostGIS draws the unpatrolled rest and the overlaps exactly.
 * Samples are cached per window and incident count, the saved plan per plan version (bounded
 * caches, services/memo). The counting runs in the compute pool, after its cost (incidents ×
 * zone vertices, sample points × units) was checked against MAX_WHATIF_WORK.
 */
import { BadInput } from '../errors';
import type { MultiPolygon, Polygon } from 'geojson';
import { HOTSPOT } from '../../domain/analysis';
import { rewindArea } from '../../geo/rewindArea';
import type { Queryable } from '../db/database';
import { unpackInt32 } from '../db/packed';
import { vertexCount } from '../compute/geometryChecks';
import { compute } from '../compute/pool';
import type { Points, Samples } from '../compute/whatIf';
import { gistar } from './gistar';
import { memo } from './memo';
import { incidentWindow } from './incidents';
import { DEFAULT_REACH, lastDays, type ReachModel } from './reach';

export { memo };

export interface DraftZone {
  id?: number;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
  /** zones of different shifts (day, night) may cover the same ground; 'all' meets both */
  shift?: 'day' | 'night' | 'all';
}
export interface DraftPost {
  id?: number;
  position: [number, number];
}
export interface Draft {
  zones?: DraftZone[];
  posts?: DraftPost[];
  from?: Date;
  to?: Date;
}

export interface ZoneFigures {
  incidentsInZones: number;
  incidentShareInZones: number;
  hotspotCells: { covered: number; total: number };
  unpatrolledKm2: number;
  unpatrolledShare: number;
  overlapKm2: number;
  unpatrolled: MultiPolygon | null;
  overlaps: MultiPolygon | null;
}
export interface ReachFigures {
  reach: { minutes: number; areaShare: number; populationShare: number; incidentShare: number }[];
}
export type Figures = ZoneFigures & ReachFigures;

export interface CommunityChange {
  id: number;
  name: string;
  incidents: number;
  saved: { zoneShare: number; reach3Share: number };
  draft: { zoneShare: number; reach3Share: number };
}

export interface Evaluation {
  window: { from: string; to: string; count: number };
  saved: Figures;
  draft: Figures;
  communities: CommunityChange[];
}

/** patrol cars respond too; the plan does not move them */
const CARS = `SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM patrol_units WHERE kind = 'car' AND status <> 'off_duty'`;
const SAVED_POSTS = `SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM patrol_units WHERE kind = 'post' AND status <> 'off_duty'`;

/** The spacing of the sample grid standing for the district's area and people. */
export const GRID_M = 100;

export interface Window {
  from: Date;
  to: Date;
}

/** Big-endian float8 values (float8send) as a Float64Array. */
function unpackFloat64(b: Uint8Array | null): Float64Array {
  if (!b) return new Float64Array(0);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out = new Float64Array(b.byteLength / 8);
  for (let k = 0; k < out.length; k++) out[k] = view.getFloat64(k * 8, false);
  return out;
}

function points(rows: { x: number; y: number; g: number | null }[]): Points {
  const p = {
    lon: new Float64Array(rows.length),
    lat: new Float64Array(rows.length),
    group: new Int32Array(rows.length),
  };
  rows.forEach((r, k) => {
    p.lon[k] = Number(r.x);
    p.lat[k] = Number(r.y);
    p.group[k] = r.g ?? -1;
  });
  return p;
}

/** Every GRID_M metres over the district, the community there and its population's share. */
function grid(db: Queryable) {
  return memo(db, ['places'], 'grid', async () => {
    const rows = await db.query<{ x: number; y: number; g: number | null; pop: number | null }>(
      `WITH d AS (SELECT geom, ST_Y(ST_Centroid(geom)) AS lat0 FROM district LIMIT 1),
            s AS (SELECT $1 / 111320.0 AS dy, $1 / (111320.0 * cos(radians(lat0))) AS dx FROM d),
            p AS (SELECT ST_SetSRID(ST_MakePoint(ST_XMin(d.geom) + (i + 0.5) * s.dx,
                                                 ST_YMin(d.geom) + (j + 0.5) * s.dy), 4326) AS geom
                  FROM d, s,
                    generate_series(0, floor((ST_XMax(d.geom) - ST_XMin(d.geom)) / s.dx)::int) i,
                    generate_series(0, floor((ST_YMax(d.geom) - ST_YMin(d.geom)) / s.dy)::int) j)
       SELECT ST_X(p.geom) AS x, ST_Y(p.geom) AS y, c.id AS g, c.population AS pop
       FROM p JOIN d ON ST_Intersects(d.geom, p.geom)
       LEFT JOIN LATERAL (SELECT id, population FROM communities c
                          WHERE ST_Intersects(c.geom, p.geom) LIMIT 1) c ON true`,
      [GRID_M],
    );
    const g = points(rows);
    // each community's people spread evenly over its sample points
    const n = new Map<number, number>();
    for (const r of rows) if (r.g !== null) n.set(r.g, (n.get(r.g) ?? 0) + 1);
    const people = new Float64Array(rows.length);
    rows.forEach((r, k) => {
      if (r.g !== null && r.pop) people[k] = Number(r.pop) / n.get(r.g)!;
    });
    const [d] = await db.query<{ km2: number }>(
      'SELECT ST_Area(geom::geography) / 1e6 AS km2 FROM district LIMIT 1',
    );
    return { grid: { ...g, people }, districtKm2: Number(d!.km2) };
  });
}

/** The number of incidents in a window (what sizes an evaluation). */
async function windowCount(db: Queryable, w: Window) {
  const params: unknown[] = [];
  const [c] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM incidents WHERE ${incidentWindow(w, params, 'incidents')}`,
    params,
  );
  return Number(c?.n ?? 0);
}

/** The incidents of a window, the grid and the hot cells (cached per window and data versions). */
export async function samples(db: Queryable, w: Window): Promise<Samples> {
  const key = `samples|${w.from.toISOString()}|${w.to.toISOString()}`;
  const { grid: g, districtKm2 } = await grid(db);
  return memo(db, ['incidents', 'places'], key, async () => {
    // packed columns: no row object per incident on this thread
    const params: unknown[] = [];
    const [r] = await db.query<{
      x: Uint8Array | null;
      y: Uint8Array | null;
      g: Uint8Array | null;
    }>(
      `SELECT string_agg(float8send(ST_X(geom)), ''::bytea ORDER BY id) AS x,
         string_agg(float8send(ST_Y(geom)), ''::bytea ORDER BY id) AS y,
         string_agg(int4send(coalesce(community_id, -1)), ''::bytea ORDER BY id) AS g
       FROM incidents WHERE ${incidentWindow(w, params, 'incidents')}`,
      params,
    );
    const incidents: Points = {
      lon: unpackFloat64(r?.x ?? null),
      lat: unpackFloat64(r?.y ?? null),
      group: unpackInt32(r?.g ?? null),
    };
    // the hot cells the map draws: the one Gi* setting (domain/analysis)
    const h = await gistar(db, { from: w.from, to: w.to, ...HOTSPOT });
    const hot = h.hotspots.filter((x) => x.class.startsWith('hot'));
    return {
      incidents,
      grid: g,
      hot: { lon: hot.map((x) => x.lon), lat: hot.map((x) => x.lat) },
      districtKm2,
    };
  });
}

/** The parts only PostGIS draws: the unpatrolled rest of the district and the overlaps. */
async function zoneShapes(db: Queryable, zones: string, params: unknown[]) {
  const [r] = await db.query<{
    unpatrolled_km2: number;
    overlap_km2: number;
    unpatrolled: string | null;
    overlaps: string | null;
  }>(
    `WITH zs AS (SELECT row_number() OVER () AS k, geom, coalesce(shift, 'all') AS shift
                 FROM (${zones}) z WHERE NOT ST_IsEmpty(geom)),
          d AS (SELECT geom FROM district LIMIT 1),
          -- ground some shift leaves to no zone: day zones cover the day, night zones the night,
          -- 'all' zones both
          dayu AS (SELECT ST_Union(geom) AS geom FROM zs WHERE shift IN ('day', 'all')),
          nightu AS (SELECT ST_Union(geom) AS geom FROM zs WHERE shift IN ('night', 'all')),
          gap AS (SELECT ST_Union(coalesce(ST_Difference(d.geom, dayu.geom), d.geom),
                                  coalesce(ST_Difference(d.geom, nightu.geom), d.geom)) AS geom
                  FROM d, dayu, nightu),
          ov AS (SELECT ST_Union(ST_Intersection(a.geom, b.geom)) AS geom
                 FROM zs a JOIN zs b ON a.k < b.k AND ST_Intersects(a.geom, b.geom)
                   -- a day zone and a night zone on the same ground are two shifts, not an overlap
                   AND (a.shift = b.shift OR a.shift = 'all' OR b.shift = 'all'))
     SELECT (SELECT coalesce(ST_Area(geom::geography), 0) / 1e6 FROM gap) AS unpatrolled_km2,
       (SELECT coalesce(ST_Area(geom::geography), 0) / 1e6 FROM ov) AS overlap_km2,
       (SELECT ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(ST_SimplifyPreserveTopology(geom, 0.00005), 3)), 6)
          FROM gap WHERE NOT ST_IsEmpty(geom)) AS unpatrolled,
       (SELECT ST_AsGeoJSON(ST_Multi(ST_CollectionExtract(geom, 3)), 6)
          FROM ov WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)) AS overlaps`,
    params,
  );
  const overlaps = r!.overlaps ? (JSON.parse(r!.overlaps) as MultiPolygon) : null;
  return {
    unpatrolledKm2: Number(r!.unpatrolled_km2),
    overlapKm2: Number(r!.overlap_km2),
    unpatrolled: r!.unpatrolled ? (JSON.parse(r!.unpatrolled) as MultiPolygon) : null,
    overlaps: overlaps?.coordinates.length ? overlaps : null,
  };
}

type Area = Polygon | MultiPolygon;
type Counts = Awaited<ReturnType<typeof whatIfCounts>>;

const whatIfCounts = (input: Parameters<typeof compute<'whatIf'>>[1]) =>
  compute('whatIf', input, 'the what-if evaluation');

function zoneFigures(
  s: Samples,
  c: Counts['savedZones'],
  shapes: Awaited<ReturnType<typeof zoneShapes>>,
) {
  return {
    perCommunity: c.perCommunity,
    figures: {
      incidentsInZones: c.inside,
      incidentShareInZones: c.total ? c.inside / c.total : 0,
      hotspotCells: { covered: c.hotInside, total: c.hotTotal },
      unpatrolledKm2: shapes.unpatrolledKm2,
      unpatrolledShare: shapes.unpatrolledKm2 / s.districtKm2,
      overlapKm2: shapes.overlapKm2,
      unpatrolled: shapes.unpatrolled,
      overlaps: shapes.overlaps,
    } satisfies ZoneFigures,
  };
}

/** Point-in-zone and distance computations one evaluation may cost. */
export const MAX_WHATIF_WORK = 1_500_000_000;

/**
 * Refuses a draft whose counting would cost more than MAX_WHATIF_WORK: each incident against
 * every zone vertex (saved and draft), each incident and sample point against every unit.
 */
function checkWhatIfCost(
  incidents: number,
  gridPoints: number,
  vertices: number,
  units: number,
  fields: string,
) {
  const work = incidents * vertices + (incidents + gridPoints) * units;
  if (work > MAX_WHATIF_WORK) {
    const fmt = (v: number) => v.toLocaleString('en-US');
    throw new BadInput(
      fields,
      `${fmt(incidents)} incidents against ${fmt(vertices)} zone vertices and ${fmt(units)} units cost ${fmt(work)} steps, at most ${fmt(MAX_WHATIF_WORK)} (the what-if work limit): use a shorter window or simpler zones`,
    );
  }
}

const xy = (rows: { x: number; y: number }[]) =>
  rows.map((r) => [Number(r.x), Number(r.y)] as [number, number]);

/** The saved plan: zones and responding units, cached per version of the plan and places. */
function savedPlan(db: Queryable) {
  return memo(db, ['plan', 'places'], 'saved', async () => {
    const zones = await db.query<{ g: string }>(
      'SELECT ST_AsGeoJSON(geom, 7) AS g FROM patrol_zones ORDER BY id',
    );
    return {
      zones: zones.map((z) => JSON.parse(z.g) as Area),
      posts: xy(await db.query<{ x: number; y: number }>(SAVED_POSTS)),
      shapes: await zoneShapes(db, 'SELECT geom, shift FROM patrol_zones', []),
    };
  });
}

export async function evaluatePlan(
  db: Queryable,
  draft: Draft,
  model: ReachModel = DEFAULT_REACH,
): Promise<Evaluation> {
  const w: Window =
    draft.from && draft.to ? { from: draft.from, to: draft.to } : await lastDays(db, 30);
  const counted = await windowCount(db, w);
  const saved = await savedPlan(db);
  const cars = xy(await db.query<{ x: number; y: number }>(CARS));
  const draftAreas = draft.zones?.map((z) => rewindArea(z.geometry as Area));
  const { grid: g } = await grid(db);
  const vertices = [...saved.zones, ...(draftAreas ?? [])].reduce((n, z) => n + vertexCount(z), 0);
  checkWhatIfCost(
    counted,
    g.lon.length,
    vertices,
    saved.posts.length + cars.length + (draft.posts?.length ?? 0),
    draft.from ? 'from, to, zones' : 'zones',
  );
  const s = await samples(db, w);
  const counts = await whatIfCounts({
    samples: s,
    savedZones: saved.zones,
    savedUnits: [...saved.posts, ...cars],
    draftZones: draftAreas ?? null,
    draftUnits: draft.posts ? [...draft.posts.map((p) => p.position), ...cars] : null,
    model,
  });
  const savedZones = zoneFigures(s, counts.savedZones, saved.shapes);
  const savedReach = {
    figures: { reach: counts.savedReach.reach },
    perCommunity: counts.savedReach.perCommunity,
  };
  const zones = draftAreas
    ? zoneFigures(
        s,
        counts.draftZones,
        await zoneShapes(
          db,
          `SELECT ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON((e->'g')::text), 4326)) AS geom,
             e->>'s' AS shift
           FROM jsonb_array_elements($1::jsonb) e`,
          [JSON.stringify(draftAreas.map((g, i) => ({ g, s: draft.zones![i]!.shift ?? null })))],
        ),
      )
    : savedZones;
  const reach = {
    figures: { reach: counts.draftReach.reach },
    perCommunity: counts.draftReach.perCommunity,
  };
  const names = await memo(db, ['places'], 'communities', () =>
    db.query<{ id: number; name: string }>('SELECT id, name FROM communities ORDER BY id'),
  );
  const share = (m: Map<number, [number, number]>, id: number) => {
    const [n = 0, k = 0] = m.get(id) ?? [];
    return n ? k / n : 0;
  };
  const communities = names.map(({ id, name }) => ({
    id,
    name,
    incidents: savedZones.perCommunity.get(id)?.[0] ?? 0,
    saved: {
      zoneShare: share(savedZones.perCommunity, id),
      reach3Share: share(savedReach.perCommunity, id),
    },
    draft: { zoneShare: share(zones.perCommunity, id), reach3Share: share(reach.perCommunity, id) },
  }));
  return {
    window: { from: w.from.toISOString(), to: w.to.toISOString(), count: s.incidents.lon.length },
    saved: { ...savedZones.figures, ...savedReach.figures },
    draft: { ...zones.figures, ...reach.figures },
    communities,
  };
}
