/**
 * "135" quick response reach: how much of the district, of its people and of its recent
 * incidents the nearest quick-response post or patrol car can reach in 1, 3 and 5 minutes.
 * With no road network, reach is straight-line distance × a detour factor at a set speed
 * (geo/reachRadius); isochrones are unions of geodesic buffers around the available units.
 * A road graph can replace `isochroneSql` later without changing the answers' shape.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import { reachRadiusMeters } from '../../geo/reachRadius';
import type { Queryable } from '../db/database';
import { dataVersions } from './dataVersions';
import { boundedCache } from './memo';
import { incidentWindow } from './incidents';

export const REACH_MINUTES = [1, 3, 5] as const;
export interface ReachModel {
  speedKmh: number;
  detour: number;
}
export const DEFAULT_REACH: ReachModel = { speedKmh: 40, detour: 1.35 };
export const REACH_METHOD =
  'straight-line distance × detour factor at a fixed speed, from the nearest available post or patrol car (no road network)';

/** The units that respond: posts and cars that are not off duty. */
const UNITS = `SELECT geom FROM patrol_units WHERE kind IN ('post', 'car') AND status <> 'off_duty'`;

/** Isochrones as (minutes, radius, geom) for the thresholds given as $1 (int[]) and $2 (float8[] metres). */
const ISOCHRONES = `SELECT t.m, t.r, ST_Intersection(d.geom,
      ST_Union(ST_Buffer(u.geom::geography, t.r, 16)::geometry)) AS geom
    FROM unnest($1::int[], $2::float8[]) AS t(m, r)
    CROSS JOIN (${UNITS}) u
    CROSS JOIN district d
    GROUP BY t.m, t.r, d.geom`;

function thresholds(model: ReachModel) {
  const minutes = [...REACH_MINUTES];
  return { minutes, radii: minutes.map((m) => reachRadiusMeters(m, model.speedKmh, model.detour)) };
}

export interface ReachSummary {
  model: ReachModel & { method: string };
  incidents: { from: string; to: string; count: number };
  thresholds: {
    minutes: number;
    radiusM: number;
    areaShare: number;
    populationShare: number;
    incidentShare: number;
  }[];
}

/** The default incident window: the 30 days up to the latest incident. */
export async function lastDays(db: Queryable, days: number) {
  const [row] = await db.query<{ last: Date | null }>('SELECT last FROM incidents_time_span()');
  const to = new Date((row?.last ? new Date(row.last).getTime() : Date.now()) + 1000);
  return { from: new Date(to.getTime() - days * 86_400_000), to };
}

export async function summary(
  db: Queryable,
  model: ReachModel,
  window?: { from: Date; to: Date },
): Promise<ReachSummary> {
  const w = window ?? (await lastDays(db, 30));
  const t = thresholds(model);
  const params: unknown[] = [t.minutes, t.radii];
  const rows = await db.query<{
    m: number;
    r: number;
    area_share: number;
    population_share: number;
    incident_share: number | null;
    incidents: number;
  }>(
    `WITH iso AS (${ISOCHRONES}),
          recent AS (SELECT geom FROM incidents WHERE ${incidentWindow(w, params, 'incidents')})
     SELECT iso.m, iso.r,
       coalesce(ST_Area(iso.geom::geography), 0) / (SELECT ST_Area(geom::geography) FROM district) AS area_share,
       (SELECT sum(c.population * coalesce(ST_Area(ST_Intersection(c.geom, iso.geom)::geography), 0)
               / ST_Area(c.geom::geography)) / sum(c.population) FROM communities c) AS population_share,
       (SELECT count(*) FILTER (WHERE ST_Intersects(recent.geom, iso.geom))::float8 / nullif(count(*), 0) FROM recent) AS incident_share,
       (SELECT count(*)::int FROM recent) AS incidents
     FROM iso ORDER BY iso.m`,
    params,
  );
  return {
    model: { ...model, method: REACH_METHOD },
    incidents: {
      from: w.from.toISOString(),
      to: w.to.toISOString(),
      count: rows[0]?.incidents ?? 0,
    },
    thresholds: rows.map((r) => ({
      minutes: r.m,
      radiusM: r.r,
      areaShare: Number(r.area_share),
      populationShare: Number(r.population_share),
      incidentShare: Number(r.incident_share ?? 0),
    })),
  };
}

/** One (multi)polygon per threshold, inside the district. */
export async function isochrones(db: Queryable, model: ReachModel) {
  const t = thresholds(model);
  const rows = await db.query<{ fc: string }>(
    `WITH iso AS (${ISOCHRONES})
     SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
       json_build_object('type', 'Feature', 'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(geom), 6)::json,
         'properties', json_build_object('minutes', m, 'radiusM', round(r::numeric, 1),
           'areaKm2', round((ST_Area(geom::geography) / 1e6)::numeric, 3)))
       ORDER BY m), '[]'::json))::text AS fc FROM iso`,
    [t.minutes, t.radii],
  );
  return JSON.parse(rows[0]!.fc) as FeatureCollection<
    Geometry,
    { minutes: number; radiusM: number; areaKm2: number }
  >;
}

/** The SQL of the 3-minute isochrone (for other analyses, e.g. the circles' figures); radius as $n. */
export function isochroneSql(radiusParam: string) {
  return `SELECT ST_Intersection(d.geom, ST_Union(ST_Buffer(u.geom::geography, ${radiusParam}, 16)::geometry)) AS geom
    FROM (${UNITS}) u CROSS JOIN district d GROUP BY d.geom`;
}

/** A fingerprint of the responding units: where they are and whether they respond. */
const UNITS_FINGERPRINT = `SELECT md5(coalesce(string_agg(id || ':' || kind || ':' || status || ':' || ST_AsText(geom), ',' ORDER BY id), '')) AS f
  FROM patrol_units WHERE kind IN ('post', 'car')`;

/** Per database: shares by community, bounded in entries and bytes. */
const byCommunityCache = new WeakMap<
  object,
  ReturnType<typeof boundedCache<Map<number, number>>>
>();
export const REACH_CACHE_LIMITS = { maxEntries: 32, maxBytes: 4 * 1024 * 1024 };

/**
 * Per community, the share of its area within `minutes` of the nearest available unit. Cached
 * per database, model, the units' fingerprint and the version of the places (bounded:
 * REACH_CACHE_LIMITS), so a moved post or an imported boundary is seen at once.
 */
export async function reachByCommunity(
  db: Queryable,
  model: ReachModel,
  minutes: number,
): Promise<Map<number, number>> {
  const [fp] = await db.query<{ f: string }>(UNITS_FINGERPRINT);
  const { places } = await dataVersions(db);
  const key = `${fp?.f}|${places}|${model.speedKmh}|${model.detour}|${minutes}`;
  let byDb = byCommunityCache.get(db);
  if (!byDb) byCommunityCache.set(db, (byDb = boundedCache(REACH_CACHE_LIMITS)));
  const hit = byDb.get(key);
  if (hit) return hit;
  const rows = await db.query<{ id: number; share: number }>(
    `WITH iso AS (${isochroneSql('$1')})
     SELECT c.id, coalesce((SELECT ST_Area(ST_Intersection(c.geom, iso.geom)::geography) FROM iso), 0)
       / ST_Area(c.geom::geography) AS share
     FROM communities c`,
    [reachRadiusMeters(minutes, model.speedKmh, model.detour)],
  );
  const out = new Map(rows.map((r) => [r.id, Math.min(1, Number(r.share))]));
  byDb.set(key, out);
  return out;
}
