/**
 * Camera coverage in PostGIS: each working camera's sector (bearing, field of view, range; domes
 * a full circle) built geodesically with ST_Project, set against the communities and key sites.
 * Offline cameras cover nothing.
 *
 * Kept up to date incrementally (migration 0005): triggers on `cameras` keep camera_sectors right
 * row by row inside the writer's transaction, and mark the communities under a changed camera's
 * old and new sector as changed at the new version of the coverage inputs (app_meta
 * 'coverage.version', which the writers bump in commit order). community_coverage keeps each
 * community's figures as of a version; a read recomputes only the communities changed since (the
 * union of the sectors intersecting the community, intersected with it) and stores them back.
 * Everything a read returns comes from one statement, hence one snapshot: never half of a change.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import { LRUCache } from 'lru-cache';
import type { Database } from '../db/database';
import { estimateBytes } from './memo';

export interface CoverageOptions {
  /** leave this batch out, e.g. 'sharp-eyes-infill' to see coverage without it */
  withoutBatch?: string;
}

/**
 * The sectors of the online cameras as (id, batch, geom), computed from the cameras themselves
 * with the same function the triggers use: a from-scratch reference for camera_sectors.
 * Arc vertices every ≤ 5° (an even number, at least 4, as geo/cameraSector draws them); domes as
 * 64-vertex circles.
 */
export const SECTORS_SQL = `SELECT c.id, c.batch, camera_sector(c.geom, c.bearing, c.fov, c.range_m) AS geom
    FROM cameras c
    WHERE c.status = 'online'`;

export interface CommunityCoverage {
  communityId: number;
  name: string;
  areaM2: number;
  coveredM2: number;
  ratio: number;
}

/** The version of the coverage inputs (cameras and communities) the database is at. */
async function coverageVersion(db: Database): Promise<bigint> {
  const [row] = await db.query<{ value: string }>(
    `SELECT value FROM app_meta WHERE key = 'coverage.version'`,
  );
  return BigInt(row?.value ?? '0');
}

/** Limits of each database's coverage cache: entries and (estimated) bytes. */
export const COVERAGE_CACHE_LIMITS = { maxEntries: 64, maxBytes: 96 * 1024 * 1024 };

interface VersionCache {
  version: bigint;
  /** computations in progress, shared by concurrent callers */
  pending: Map<string, Promise<unknown>>;
  /** results, least recently used first out */
  values: LRUCache<string, { v: unknown }>;
}

/** Per database: the results computed for one version of the coverage inputs, by key. */
const memo = new WeakMap<object, VersionCache>();

const newCache = (version: bigint): VersionCache => ({
  version,
  pending: new Map(),
  values: new LRUCache<string, { v: unknown }>({
    max: COVERAGE_CACHE_LIMITS.maxEntries,
    maxSize: COVERAGE_CACHE_LIMITS.maxBytes,
    sizeCalculation: (x) =>
      Math.max(1, Math.min(Math.ceil(estimateBytes(x.v)), COVERAGE_CACHE_LIMITS.maxBytes + 1)),
  }),
});

/**
 * Memoises `compute` per database, version of the coverage inputs and key (bounded: see
 * COVERAGE_CACHE_LIMITS). Concurrent callers share one computation. A result is never older
 * than the version its caller saw.
 */
async function cached<T>(db: Database, key: string, compute: () => Promise<T>): Promise<T> {
  const version = await coverageVersion(db);
  let m = memo.get(db);
  if (!m || m.version < version) memo.set(db, (m = newCache(version)));
  // a caller that saw an older version than another already did: answer it, keep nothing
  else if (m.version > version) return compute();
  const hit = m.values.get(key);
  if (hit) return hit.v as T;
  const { pending, values } = m;
  let p = pending.get(key) as Promise<T> | undefined;
  if (!p) {
    const computing = compute();
    pending.set(key, (p = computing));
    computing.then(
      (v) => {
        if (pending.get(key) === computing) pending.delete(key);
        values.set(key, { v });
      },
      () => pending.get(key) === computing && pending.delete(key),
    );
  }
  return p;
}

/** Forgets what is cached for a database (benchmarks time the reads that miss it). */
export function forgetCached(db: object): void {
  memo.delete(db);
}

/** How many results the coverage cache of a database holds, and their estimated bytes. */
export function coverageCacheStats(db: object): { entries: number; bytes: number } {
  const m = memo.get(db);
  return { entries: m?.values.size ?? 0, bytes: m?.values.calculatedSize ?? 0 };
}

/**
 * Coverage per community for a variant, in one statement: stored figures where they are still
 * current, figures recomputed from camera_sectors for the communities changed since (or never
 * computed), which are stored back with the version this statement saw. Only a newer version
 * overwrites a stored row, so concurrent readers cannot put older figures back.
 */
const BY_COMMUNITY_SQL = `
  WITH v AS (SELECT coalesce((SELECT value::bigint FROM app_meta WHERE key = 'coverage.version'), 0) AS version),
  cur AS (
    SELECT cm.id, cm.name, cm.geom, cc.area_m2, cc.covered_m2,
           cc.community_id IS NULL OR cc.as_of < coalesce(ch.version, 0) AS stale
    FROM communities cm
    LEFT JOIN community_coverage cc ON cc.variant = $1 AND cc.community_id = cm.id
    LEFT JOIN coverage_changes ch ON ch.community_id = cm.id),
  fresh AS MATERIALIZED (
    SELECT r.id, r.name, r.stale,
      CASE WHEN r.stale THEN ST_Area(r.geom::geography) ELSE r.area_m2 END AS area_m2,
      CASE WHEN r.stale THEN coalesce(
             (SELECT ST_Area(ST_Intersection(r.geom, ST_Union(s.geom))::geography)
              FROM camera_sectors s
              WHERE ST_Intersects(s.geom, r.geom) AND ($2::text IS NULL OR s.batch <> $2)), 0)
           ELSE r.covered_m2 END AS covered_m2
    FROM cur r),
  saved AS (
    INSERT INTO community_coverage AS cc (variant, community_id, as_of, area_m2, covered_m2)
    SELECT $1, f.id, v.version, f.area_m2, f.covered_m2 FROM fresh f, v WHERE f.stale ORDER BY f.id
    ON CONFLICT (variant, community_id) DO UPDATE
      SET as_of = excluded.as_of, area_m2 = excluded.area_m2, covered_m2 = excluded.covered_m2
      WHERE cc.as_of < excluded.as_of)
  SELECT id AS "communityId", name, area_m2 AS "areaM2", covered_m2 AS "coveredM2"
  FROM fresh ORDER BY id`;

export async function byCommunity(
  db: Database,
  opts: CoverageOptions = {},
): Promise<CommunityCoverage[]> {
  // leaving out a batch no camera belongs to changes nothing: no variant (nor cache entry) of its own
  const real =
    opts.withoutBatch !== undefined &&
    (await db.query(`SELECT 1 FROM cameras WHERE batch = $1 LIMIT 1`, [opts.withoutBatch])).length >
      0;
  const batch = real ? opts.withoutBatch! : null;
  return cached(db, `byCommunity|${batch ?? ''}`, async () => {
    const rows = await db.query<Omit<CommunityCoverage, 'ratio'>>(BY_COMMUNITY_SQL, [
      batch === null ? 'all' : `without:${batch}`,
      batch,
    ]);
    return rows.map((r) => ({ ...r, ratio: r.coveredM2 / r.areaM2 }));
  });
}

/** The camera batch of the Sharp Eyes infill (雪亮工程补点). */
export const INFILL_BATCH = 'sharp-eyes-infill';

export interface InfillCoverage {
  communityId: number;
  name: string;
  areaM2: number;
  /** with every working camera */
  ratio: number;
  /** without the infill batch */
  ratioWithout: number;
}

/** Per community: coverage with and without the 654 Sharp Eyes infill cameras. */
export async function infill(db: Database): Promise<InfillCoverage[]> {
  const [withInfill, without] = await Promise.all([
    byCommunity(db),
    byCommunity(db, { withoutBatch: INFILL_BATCH }),
  ]);
  return withInfill.map((c, i) => ({
    communityId: c.communityId,
    name: c.name,
    areaM2: c.areaM2,
    ratio: c.ratio,
    ratioWithout: without[i]!.ratio,
  }));
}

export interface GapFilter {
  communityId?: number;
  /** leave out slivers smaller than this */
  minAreaM2?: number;
}

type Gaps = FeatureCollection<
  Geometry,
  { communityId: number; communityName: string; areaM2: number }
>;

/**
 * The parts of the communities no working camera sees, as polygons with their area. Cached
 * per community whatever `minAreaM2` (the slivers are left out afterwards), so that distinct
 * minimum areas share one cache entry.
 */
export async function gaps(db: Database, f: GapFilter = {}): Promise<Gaps> {
  const all = await cached(db, `gaps|${f.communityId ?? ''}`, async () => {
    const params: unknown[] = [];
    const where = f.communityId !== undefined ? `WHERE cm.id = $${params.push(f.communityId)}` : '';
    const rows = await db.query<{ fc: string }>(
      `WITH s AS (SELECT geom FROM camera_sectors),
            holes AS (
              SELECT cm.id, cm.name,
                (ST_Dump(ST_Difference(cm.geom, coalesce(
                   (SELECT ST_Union(s.geom) FROM s WHERE ST_Intersects(s.geom, cm.geom)),
                   'GEOMETRYCOLLECTION EMPTY'::geometry)))).geom AS geom
              FROM communities cm ${where}),
            sized AS (SELECT *, ST_Area(geom::geography) AS area FROM holes WHERE ST_Dimension(geom) = 2)
       SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
                json_build_object('type', 'Feature',
                  'geometry', ST_AsGeoJSON(ST_ForcePolygonCCW(geom), 7)::json,
                  'properties', json_build_object('communityId', id, 'communityName', name, 'areaM2', round(area::numeric, 1)))
                ORDER BY id, area DESC), '[]'::json))::text AS fc
       FROM sized`,
      params,
    );
    return JSON.parse(rows[0]!.fc) as Gaps;
  });
  const min = f.minAreaM2 ?? 0;
  if (min <= 0) return all;
  return { ...all, features: all.features.filter((g) => g.properties.areaM2 >= min) };
}

export interface SiteCoverage {
  siteId: number;
  name: string;
  kind: string;
  ratio: number;
}

/** The buffer around key sites that every role may ask for (the dashboard's). */
export const DEFAULT_SITE_BUFFER_M = 50;

/** Each key site's surroundings (a buffer) and the share of it that working cameras see. */
export function sites(db: Database, opts: { bufferM: number }) {
  return cached(db, `sites|${opts.bufferM}`, () =>
    db.query<SiteCoverage>(
      `WITH s AS (SELECT geom FROM camera_sectors),
            b AS (SELECT id, name, kind, ST_Buffer(geom::geography, $1, 8)::geometry AS geom FROM sites WHERE kind <> 'checkpoint')
       SELECT b.id AS "siteId", b.name, b.kind,
              coalesce(ST_Area(ST_Intersection(b.geom, ST_Union(s.geom))::geography) / ST_Area(b.geom::geography), 0) AS ratio
       FROM b LEFT JOIN s ON ST_Intersects(b.geom, s.geom)
       GROUP BY b.id, b.name, b.kind, b.geom
       ORDER BY ratio, b.id`,
      [opts.bufferM],
    ),
  );
}
