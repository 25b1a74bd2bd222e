/**
 * Editing patrol zones: optimistic versions (a stale version is a conflict, never a silent
 * overwrite), geometry checked before anything is stored (what is wrong and where), winding
 * fixed silently, and a planner kept inside their own towns and communities.
 */
import { TRPCError } from '@trpc/server';
import type { MultiPolygon, Polygon } from 'geojson';
import { findAreaProblems } from '../../geo/findAreaProblems';
import { rewindArea } from '../../geo/rewindArea';
import type { SessionUser } from '../auth/session';
import type { Database, Queryable } from '../db/database';

export const MAX_ZONE_VERTICES = 10_000;

export interface ZoneUpdate {
  id: number;
  version: number;
  geometry: Polygon | MultiPolygon;
  name?: string;
  unit?: string;
  shift?: 'day' | 'night' | 'all';
}

export interface ZoneFigures {
  version: number;
  name: string;
  unit: string;
  shift: string;
  areaKm2: number;
}

const bad = (message: string) => new TRPCError({ code: 'BAD_REQUEST', message });

/** Everything wrong with a zone's geometry that can be told without the database. */
export function geometryProblems(g: Polygon | MultiPolygon): string[] {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const positions = polygons.flat(2);
  if (positions.length > MAX_ZONE_VERTICES)
    return [`geometry: ${positions.length} vertices, at most ${MAX_ZONE_VERTICES}`];
  const out: string[] = [];
  for (const [p, rings] of polygons.entries())
    for (const [r, ring] of rings.entries())
      for (const [i, q] of ring.entries()) {
        const [lon, lat] = q as [number, number];
        if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
          out.push(`geometry: polygon ${p} ring ${r} position ${i} is not a number`);
        } else if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
          out.push(
            `geometry: polygon ${p} ring ${r} position ${i} (${lon}, ${lat}) is off the globe` +
              (Math.abs(lon) <= 90 && Math.abs(lat) <= 180
                ? ': swapped latitude and longitude?'
                : ''),
          );
        }
        if (out.length >= 5) return out;
      }
  if (out.length) return out;
  // winding is fixed, not refused
  return findAreaProblems(rewindArea(g))
    .filter((m) => !/clockwise/.test(m))
    .map((m) => `geometry: ${m}`);
}

/** The areas a planner may edit in, as one geometry (SQL), or null for everyone else. */
function scopeSql(user: SessionUser, params: unknown[]): string | null {
  if (user.role !== 'planner') return null;
  const towns = `$${params.push(user.areas.towns)}::int[]`;
  const comms = `$${params.push(user.areas.communities)}::int[]`;
  return `(SELECT ST_Union(geom) FROM (
      SELECT geom FROM towns WHERE id = ANY(${towns})
      UNION ALL SELECT geom FROM communities WHERE id = ANY(${comms})) a)`;
}

const FIGURES = `version, name, unit, shift, ST_Area(geom::geography) / 1e6 AS "areaKm2"`;

export async function zoneFigures(db: Queryable, id: number): Promise<ZoneFigures | null> {
  const [z] = await db.query<ZoneFigures>(`SELECT ${FIGURES} FROM patrol_zones WHERE id = $1`, [
    id,
  ]);
  return z ? { ...z, areaKm2: Number(z.areaKm2) } : null;
}

/**
 * Saves a zone if `version` is the stored one; returns the figures before and after. Nothing is
 * stored when anything is wrong.
 */
export async function updateZone(db: Database, user: SessionUser, u: ZoneUpdate) {
  const problems = geometryProblems(u.geometry);
  if (problems.length) throw bad(problems.join('; '));
  const geometry = rewindArea(u.geometry);
  return db.transaction(async (tx) => {
    const [cur] = await tx.query<ZoneFigures & { inScope: boolean | null }>(
      `SELECT ${FIGURES} FROM patrol_zones WHERE id = $1 FOR UPDATE`,
      [u.id],
    );
    if (!cur) throw new TRPCError({ code: 'NOT_FOUND', message: `id: no patrol zone ${u.id}` });
    if (cur.version !== u.version)
      throw new TRPCError({
        code: 'CONFLICT',
        message: `version: the zone was saved by someone else since (now version ${cur.version}, yours ${u.version})`,
      });
    const params: unknown[] = [JSON.stringify(geometry), u.id];
    const scope = scopeSql(user, params);
    // a planner's scope holds both the zone as it is and as it would be
    const within = (geom: string) =>
      scope ? `coalesce(ST_CoveredBy(${geom}, ST_Buffer(${scope}, 0.00001)), false)` : 'true';
    const [check] = await tx.query<{
      valid: boolean;
      reason: string;
      inDistrict: boolean;
      inScope: boolean;
    }>(
      `WITH g AS (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS geom),
            z AS (SELECT geom FROM patrol_zones WHERE id = $2)
       SELECT ST_IsValid(g.geom) AS valid, ST_IsValidReason(g.geom) AS reason,
         ST_CoveredBy(g.geom, ST_Buffer(d.geom, 0.00001)) AS "inDistrict",
         ${within('g.geom')} AND ${within('z.geom')} AS "inScope"
       FROM g, z, district d`,
      params,
    );
    if (!check!.valid) throw bad(`geometry: ${check!.reason}`);
    if (!check!.inDistrict) throw bad('geometry: the zone reaches outside the district');
    if (!check!.inScope)
      throw new TRPCError({
        code: 'FORBIDDEN',
        message: 'geometry: the zone must lie inside your assigned towns and communities',
      });
    await tx.query(
      `UPDATE patrol_zones SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON($2), 4326)),
         name = coalesce($3, name), unit = coalesce($4, unit), shift = coalesce($5, shift),
         version = version + 1, updated_at = now(), updated_by = $6
       WHERE id = $1`,
      [
        u.id,
        JSON.stringify(geometry),
        u.name ?? null,
        u.unit ?? null,
        u.shift ?? null,
        user.username,
      ],
    );
    const after = (await zoneFigures(tx, u.id))!;
    const before = { ...cur, areaKm2: Number(cur.areaKm2) };
    delete (before as { inScope?: unknown }).inScope;
    return { before, after };
  });
}
