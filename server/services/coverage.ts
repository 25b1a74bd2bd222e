/**
 * Camera coverage in PostGIS: each working camera's sector (bearing, field of view, range; domes
 * a full circle) built geodesically with ST_Project into camera_sectors, unioned, and set against
 * the communities and key sites. Offline cameras cover nothing. The sectors and the results are
 * cached per version of the camera set (bumped by a trigger on every change to the cameras).
 */
import type { FeatureCollection, Geometry } from 'geojson';
import type { Database, Queryable } from '../db/database';

export interface CoverageOptions {
  /** leave this batch out, e.g. 'sharp-eyes-infill' to see coverage without it */
  withoutBatch?: string;
}

/**
 * The sectors of the online cameras as (id, batch, geom). Arc vertices every ≤ 5° (an even
 * number, at least 4, as geo/cameraSector draws them); domes as 64-vertex circles.
 */
export const SECTORS_SQL = `SELECT c.id, c.batch,
      CASE WHEN c.fov >= 360 THEN
        (SELECT ST_MakePolygon(ST_AddPoint(ring, ST_StartPoint(ring))) FROM (
          SELECT ST_MakeLine(ARRAY(
            SELECT ST_Project(c.geom::geography, c.range_m, radians(c.bearing + 360.0 * k / 64))::geometry
            FROM generate_series(0, 63) k ORDER BY k)) AS ring) dome)
      ELSE
        ST_MakePolygon(ST_MakeLine(c.geom || ARRAY(
          SELECT ST_Project(c.geom::geography, c.range_m,
                   radians(c.bearing - c.fov / 2 + c.fov * k / n.steps))::geometry
          FROM (SELECT greatest(4, 2 * ceil(c.fov / 10.0))::int AS steps) n,
               generate_series(0, n.steps) k ORDER BY k) || c.geom))
      END AS geom
    FROM cameras c
    WHERE c.status = 'online'`;

/**
 * Brings camera_sectors up to the camera set's version, rebuilding it if the cameras changed.
 * Returns that version. Runs in one transaction: readers never see a half-built table.
 */
export async function ensureSectors(db: Database): Promise<string> {
  const current = async (q: Queryable) =>
    Object.fromEntries(
      (
        await q.query<{ key: string; value: string }>(
          `SELECT key, value FROM app_meta WHERE key IN ('cameras.version', 'sectors.version')`,
        )
      ).map((r) => [r.key, r.value]),
    );
  const m = await current(db);
  const version = m['cameras.version'] ?? '0';
  if (m['sectors.version'] === version) return version;
  return db.transaction(async (tx) => {
    if (db.kind === 'server') await tx.query('SELECT pg_advisory_xact_lock(7263106)');
    const again = await current(tx);
    const v = again['cameras.version'] ?? '0';
    if (again['sectors.version'] === v) return v;
    await tx.query('DELETE FROM camera_sectors');
    await tx.query(
      `INSERT INTO camera_sectors (camera_id, batch, geom) SELECT id, batch, geom FROM (${SECTORS_SQL}) s`,
    );
    await tx.query(
      `INSERT INTO app_meta (key, value) VALUES ('sectors.version', $1)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [v],
    );
    return v;
  });
}

export interface CommunityCoverage {
  communityId: number;
  name: string;
  areaM2: number;
  coveredM2: number;
  ratio: number;
}

const cache = new WeakMap<object, Map<string, unknown>>();

/** Memoises `compute` per database, camera-set version and key; the sectors are brought up to date first. */
async function cached<T>(
  db: Database,
  key: string,
  compute: (version: string) => Promise<T>,
): Promise<T> {
  const version = await ensureSectors(db);
  let byDb = cache.get(db);
  if (!byDb) cache.set(db, (byDb = new Map()));
  const full = `${version}|${key}`;
  if (byDb.has(full)) return byDb.get(full) as T;
  const value = await compute(version);
  // keep only the current version's entries
  for (const k of byDb.keys()) if (!k.startsWith(`${version}|`)) byDb.delete(k);
  byDb.set(full, value);
  return value;
}

/**
 * Brings the pieces of the coverage union for a variant up to the camera set's version:
 * the union of every working camera's sector (less a batch, for 'without:<batch>'), subdivided.
 */
async function ensurePieces(db: Database, version: string, withoutBatch?: string): Promise<string> {
  const variant = withoutBatch ? `without:${withoutBatch}` : 'all';
  const have = await db.query(
    `SELECT 1 FROM coverage_pieces WHERE variant = $1 AND version = $2 LIMIT 1`,
    [variant, version],
  );
  if (have.length) return variant;
  await db.transaction(async (tx) => {
    if (db.kind === 'server') await tx.query('SELECT pg_advisory_xact_lock(7263107)');
    const again = await tx.query(
      `SELECT 1 FROM coverage_pieces WHERE variant = $1 AND version = $2 LIMIT 1`,
      [variant, version],
    );
    if (again.length) return;
    await tx.query(`DELETE FROM coverage_pieces WHERE variant = $1 OR version <> $2`, [
      variant,
      version,
    ]);
    await tx.query(
      `INSERT INTO coverage_pieces (variant, version, geom)
       SELECT $1, $2, ST_Subdivide(u, 128) FROM (
         SELECT ST_Union(geom) AS u FROM camera_sectors WHERE $3::text IS NULL OR batch <> $3) x
       WHERE u IS NOT NULL`,
      [variant, version, withoutBatch ?? null],
    );
  });
  return variant;
}

export function byCommunity(
  db: Database,
  opts: CoverageOptions = {},
): Promise<CommunityCoverage[]> {
  return cached(db, `byCommunity|${opts.withoutBatch ?? ''}`, async (version) => {
    // leaving out a batch no camera belongs to changes nothing: no variant of its own
    const real =
      opts.withoutBatch !== undefined &&
      (await db.query(`SELECT 1 FROM cameras WHERE batch = $1 LIMIT 1`, [opts.withoutBatch]))
        .length > 0;
    const variant = await ensurePieces(db, version, real ? opts.withoutBatch : undefined);
    // the pieces are disjoint: the areas of their intersections add up to the covered area
    const rows = await db.query<CommunityCoverage>(
      `SELECT cm.id AS "communityId", cm.name, ST_Area(cm.geom::geography) AS "areaM2",
         coalesce((SELECT sum(ST_Area(ST_Intersection(cm.geom, p.geom)::geography))
                   FROM coverage_pieces p
                   WHERE p.variant = $1 AND p.version = $2 AND ST_Intersects(p.geom, cm.geom)), 0) AS "coveredM2"
       FROM communities cm ORDER BY cm.id`,
      [variant, version],
    );
    return rows.map((r) => ({ ...r, ratio: r.coveredM2 / r.areaM2 }));
  });
}

export interface GapFilter {
  communityId?: number;
  /** leave out slivers smaller than this */
  minAreaM2?: number;
}

/** The parts of the communities no working camera sees, as polygons with their area. */
export function gaps(db: Database, f: GapFilter = {}) {
  return cached(db, `gaps|${f.communityId ?? ''}|${f.minAreaM2 ?? 0}`, async () => {
    const params: unknown[] = [f.minAreaM2 ?? 0];
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
       FROM sized WHERE area >= $1`,
      params,
    );
    return JSON.parse(rows[0]!.fc) as FeatureCollection<
      Geometry,
      { communityId: number; communityName: string; areaM2: number }
    >;
  });
}

export interface SiteCoverage {
  siteId: number;
  name: string;
  kind: string;
  ratio: number;
}

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
