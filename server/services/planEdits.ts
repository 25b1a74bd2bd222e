/**
 * Saving patrol zones and posts: optimistic versions (a stale version is a conflict, never a
 * silent overwrite), geometry checked before anything is stored (what is wrong and where),
 * winding fixed silently, a planner kept inside their own towns and communities, and every
 * change kept in plan_history by the database's triggers (migration 0008), from which old
 * versions are restored.
 */
import type { UnitStatus } from '../../domain/vocabulary';
import { BadInput, Conflict, Forbidden, NotFound } from '../errors';
import type { MultiPolygon, Point, Polygon } from 'geojson';
import { rewindArea } from '../../geo/rewindArea';
import type { SessionUser } from '../auth/session';
import type { Database, Queryable } from '../db/database';
import {
  geometryProblems,
  MAX_ZONE_VERTICES,
  positionProblem,
  vertexCount,
} from '../compute/geometryChecks';
import { compute } from '../compute/pool';
import { planChanged } from './planEvents';
import { bumpDataVersion } from './dataVersions';

export { geometryProblems, MAX_ZONE_VERTICES };
export type Shift = 'day' | 'night' | 'all';
export type PostStatus = UnitStatus;
export type PlanKind = 'zone' | 'post';

export interface ZoneInput {
  geometry: Polygon | MultiPolygon;
  name: string;
  unit: string;
  shift: Shift;
}
export interface ZoneUpdate extends Partial<ZoneInput> {
  id: number;
  version: number;
}
export interface PostInput {
  position: [number, number];
  name: string;
  status?: PostStatus;
}
export interface PostUpdate extends Partial<PostInput> {
  id: number;
  version: number;
}
/** Which object and which version of it the caller last saw. */
export interface Versioned {
  id: number;
  version: number;
}

export interface ZoneFigures {
  version: number;
  name: string;
  unit: string;
  shift: string;
  areaKm2: number;
}
export interface PostFigures {
  version: number;
  name: string;
  status: string;
  position: [number, number];
}

const notFound = (kind: PlanKind, id: number) => new NotFound(`id: no patrol ${kind} ${id}`);
const conflict = (kind: PlanKind, now: number, yours: number) =>
  new Conflict(
    `version: the ${kind} was saved by someone else since (now version ${now}, yours ${yours})`,
  );

/**
 * The problems of zone geometries, checked in the compute pool (bounded work: the first
 * problems only); `where(i)` prefixes the problems of the i-th geometry.
 */
export async function zoneGeometryProblems(
  geometries: (Polygon | MultiPolygon)[],
  where: (i: number) => string = () => '',
): Promise<string[]> {
  for (const [i, g] of geometries.entries()) {
    // too many vertices: said without starting the check
    const n = vertexCount(g);
    if (n > MAX_ZONE_VERTICES)
      return [`${where(i)}geometry: ${n} vertices, at most ${MAX_ZONE_VERTICES}`];
  }
  const lists = await compute('checkGeometry', { geometries }, 'the geometry check');
  return lists.flatMap((problems, i) => problems.map((p) => `${where(i)}${p}`));
}

/** The areas a planner may edit in, as one geometry (SQL), or null for everyone else. */
export function scopeSql(user: SessionUser, params: unknown[]): string | null {
  if (user.role !== 'planner') return null;
  const towns = `$${params.push(user.areas.towns)}::int[]`;
  const comms = `$${params.push(user.areas.communities)}::int[]`;
  return `(SELECT ST_Union(geom) FROM (
      SELECT geom FROM towns WHERE id = ANY(${towns})
      UNION ALL SELECT geom FROM communities WHERE id = ANY(${comms})) a)`;
}

/**
 * Checks in the database that `geoms` (SQL expressions over the parameters) are valid, inside
 * the district and inside the user's scope; throws BAD_REQUEST or FORBIDDEN naming the problem.
 * `stored` geometries (the object as it is) must only be inside the scope.
 */
async function checkPlace(
  tx: Queryable,
  user: SessionUser,
  what: PlanKind,
  params: unknown[],
  geom: string | null,
  stored: string | null,
) {
  const scope = scopeSql(user, params);
  const within = (g: string) =>
    scope ? `coalesce(ST_CoveredBy(${g}, ST_Buffer(${scope}, 0.00001)), false)` : 'true';
  const [c] = await tx.query<{
    valid: boolean;
    reason: string;
    inDistrict: boolean;
    inScope: boolean;
  }>(
    `WITH g AS (SELECT ${geom ?? 'NULL::geometry'} AS geom), s AS (SELECT ${stored ?? 'NULL::geometry'} AS geom)
     SELECT coalesce(ST_IsValid(g.geom), true) AS valid, ST_IsValidReason(g.geom) AS reason,
       coalesce(ST_CoveredBy(g.geom, ST_Buffer(d.geom, 0.00001)), true) AS "inDistrict",
       (g.geom IS NULL OR ${within('g.geom')}) AND (s.geom IS NULL OR ${within('s.geom')}) AS "inScope"
     FROM g, s, district d`,
    params,
  );
  const field = what === 'zone' ? 'geometry' : 'position';
  if (!c!.valid) throw new BadInput(field, c!.reason);
  if (!c!.inDistrict)
    throw new BadInput(
      field,
      what === 'zone'
        ? 'the zone reaches outside the district'
        : 'the post is outside the district',
    );
  if (!c!.inScope)
    throw new Forbidden(
      `${field}: the ${what} must lie inside your assigned towns and communities`,
    );
}

/** Who acts (and whether this is a restore), for the history rows the triggers write. */
async function actAs(tx: Queryable, user: SessionUser, restore = false) {
  await tx.query(
    `SELECT set_config('pingan.user', $1, true), set_config('pingan.plan_action', $2, true)`,
    [user.username, restore ? 'restore' : ''],
  );
  await bumpDataVersion(tx, 'plan');
}

const ZONE_FIGURES = `version, name, unit, shift, ST_Area(geom::geography) / 1e6 AS "areaKm2"`;
const POST_FIGURES = `version, name, status, json_build_array(round(ST_X(geom)::numeric, 7), round(ST_Y(geom)::numeric, 7))::text AS position`;

const zoneRow = (z: ZoneFigures): ZoneFigures => ({
  version: z.version,
  name: z.name,
  unit: z.unit,
  shift: z.shift,
  areaKm2: Number(z.areaKm2),
});
const postRow = (p: PostFigures & { position: unknown }): PostFigures => ({
  version: p.version,
  name: p.name,
  status: p.status,
  position: (typeof p.position === 'string' ? JSON.parse(p.position) : p.position) as [
    number,
    number,
  ],
});

export async function zoneFigures(db: Queryable, id: number): Promise<ZoneFigures | null> {
  const [z] = await db.query<ZoneFigures>(
    `SELECT ${ZONE_FIGURES} FROM patrol_zones WHERE id = $1`,
    [id],
  );
  return z ? zoneRow(z) : null;
}

async function postFigures(db: Queryable, id: number): Promise<PostFigures | null> {
  const [p] = await db.query<PostFigures>(
    `SELECT ${POST_FIGURES} FROM patrol_units WHERE id = $1 AND kind = 'post'`,
    [id],
  );
  return p ? postRow(p) : null;
}

async function checkZoneGeometry(g: Polygon | MultiPolygon): Promise<string> {
  const problems = await zoneGeometryProblems([g]);
  if (problems.length) throw new BadInput(undefined, problems.join('; '));
  return JSON.stringify(rewindArea(g));
}

function checkPosition(p: [number, number]): string {
  const problem = positionProblem('position', p);
  if (problem) throw new BadInput(undefined, problem);
  return JSON.stringify({ type: 'Point', coordinates: [p[0], p[1]] } satisfies Point);
}

const GEOM = (param: string) => `ST_SetSRID(ST_GeomFromGeoJSON(${param}::text), 4326)`;

/** Locks the stored zone and checks the caller saw its current version. */
async function lockZone(tx: Queryable, v: Versioned) {
  const [cur] = await tx.query<ZoneFigures>(
    `SELECT ${ZONE_FIGURES} FROM patrol_zones WHERE id = $1 FOR UPDATE`,
    [v.id],
  );
  if (!cur) throw notFound('zone', v.id);
  if (cur.version !== v.version) throw conflict('zone', cur.version, v.version);
  return zoneRow(cur);
}

async function lockPost(tx: Queryable, v: Versioned) {
  // the kind first: a patrol car's geometry is its route, which the post figures cannot read
  const [unit] = await tx.query<{ kind: string }>(
    `SELECT kind FROM patrol_units WHERE id = $1 FOR UPDATE`,
    [v.id],
  );
  if (!unit) throw notFound('post', v.id);
  if (unit.kind !== 'post')
    throw new BadInput('id', `unit ${v.id} is a ${unit.kind}, not a post; only posts are planned`);
  const [cur] = await tx.query<PostFigures>(
    `SELECT ${POST_FIGURES} FROM patrol_units WHERE id = $1`,
    [v.id],
  );
  if (cur!.version !== v.version) throw conflict('post', cur!.version, v.version);
  return postRow(cur!);
}

/** The town holding most of a zone, for the zone's `town_id`. */
const TOWN_OF = (g: string) =>
  `(SELECT t.id FROM towns t WHERE ST_Intersects(t.geom, ${g})
     ORDER BY ST_Area(ST_Intersection(t.geom, ${g})) DESC LIMIT 1)`;

export async function createZone(db: Database, user: SessionUser, z: ZoneInput) {
  const geometry = await checkZoneGeometry(z.geometry);
  const r = await db.transaction(async (tx) => {
    await checkPlace(tx, user, 'zone', [geometry], GEOM('$1'), null);
    await actAs(tx, user);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO patrol_zones (name, unit, shift, town_id, updated_by, geom)
       VALUES ($2, $3, $4, ${TOWN_OF(GEOM('$1'))}, $5, ST_Multi(${GEOM('$1')})) RETURNING id`,
      [geometry, z.name, z.unit, z.shift, user.username],
    );
    return { id: row!.id, before: null, after: (await zoneFigures(tx, row!.id))! };
  });
  planChanged();
  return r;
}

/**
 * Saves a zone if `version` is the stored one; returns the figures before and after. Nothing is
 * stored when anything is wrong.
 */
export async function updateZone(db: Database, user: SessionUser, u: ZoneUpdate) {
  const geometry = u.geometry ? await checkZoneGeometry(u.geometry) : null;
  const r = await db.transaction(async (tx) => {
    const before = await lockZone(tx, u);
    // a planner's scope holds both the zone as it is and as it would be
    await checkPlace(
      tx,
      user,
      'zone',
      geometry ? [u.id, geometry] : [u.id],
      geometry ? GEOM('$2') : null,
      '(SELECT geom FROM patrol_zones WHERE id = $1)',
    );
    await actAs(tx, user);
    await tx.query(
      `UPDATE patrol_zones SET
         geom = coalesce(ST_Multi(${GEOM('$2')}), geom),
         town_id = CASE WHEN $2::text IS NULL THEN town_id ELSE ${TOWN_OF(GEOM('$2'))} END,
         name = coalesce($3, name), unit = coalesce($4, unit), shift = coalesce($5, shift),
         version = version + 1, updated_at = now(), updated_by = $6
       WHERE id = $1`,
      [u.id, geometry, u.name ?? null, u.unit ?? null, u.shift ?? null, user.username],
    );
    return { id: u.id, before, after: (await zoneFigures(tx, u.id))! };
  });
  planChanged();
  return r;
}

export async function deleteZone(db: Database, user: SessionUser, v: Versioned) {
  const r = await db.transaction(async (tx) => {
    const before = await lockZone(tx, v);
    await checkPlace(
      tx,
      user,
      'zone',
      [v.id],
      null,
      '(SELECT geom FROM patrol_zones WHERE id = $1)',
    );
    await actAs(tx, user);
    await tx.query('DELETE FROM patrol_zones WHERE id = $1', [v.id]);
    return { id: v.id, before, after: null };
  });
  planChanged();
  return r;
}

export async function createPost(db: Database, user: SessionUser, p: PostInput) {
  const position = checkPosition(p.position);
  const r = await db.transaction(async (tx) => {
    await checkPlace(tx, user, 'post', [position], GEOM('$1'), null);
    await actAs(tx, user);
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO patrol_units (kind, name, status, updated_by, geom)
       VALUES ('post', $2, $3, $4, ${GEOM('$1')}) RETURNING id`,
      [position, p.name, p.status ?? 'available', user.username],
    );
    return { id: row!.id, before: null, after: (await postFigures(tx, row!.id))! };
  });
  planChanged();
  return r;
}

export async function updatePost(db: Database, user: SessionUser, u: PostUpdate) {
  const position = u.position ? checkPosition(u.position) : null;
  const r = await db.transaction(async (tx) => {
    const before = await lockPost(tx, u);
    await checkPlace(
      tx,
      user,
      'post',
      position ? [u.id, position] : [u.id],
      position ? GEOM('$2') : null,
      '(SELECT geom FROM patrol_units WHERE id = $1)',
    );
    await actAs(tx, user);
    await tx.query(
      `UPDATE patrol_units SET geom = coalesce(${GEOM('$2')}, geom),
         name = coalesce($3, name), status = coalesce($4, status),
         version = version + 1, updated_at = now(), updated_by = $5
       WHERE id = $1`,
      [u.id, position, u.name ?? null, u.status ?? null, user.username],
    );
    return { id: u.id, before, after: (await postFigures(tx, u.id))! };
  });
  planChanged();
  return r;
}

export async function deletePost(db: Database, user: SessionUser, v: Versioned) {
  const r = await db.transaction(async (tx) => {
    const before = await lockPost(tx, v);
    await checkPlace(
      tx,
      user,
      'post',
      [v.id],
      null,
      '(SELECT geom FROM patrol_units WHERE id = $1)',
    );
    await actAs(tx, user);
    await tx.query('DELETE FROM patrol_units WHERE id = $1', [v.id]);
    return { id: v.id, before, after: null };
  });
  planChanged();
  return r;
}

export interface HistoryEntry {
  /** the event id of the change */
  eventId: number;
  version: number;
  action: 'create' | 'update' | 'delete' | 'restore';
  at: string;
  by: string;
  name: string;
  unit: string | null;
  shift: string | null;
  status: string | null;
  geometry: MultiPolygon | Point;
  areaKm2: number | null;
}

/** Every saved version of a zone or post, newest first (also after it was deleted). */
export async function history(db: Queryable, kind: PlanKind, id: number) {
  const rows = await db.query<HistoryEntry & { geometry: string }>(
    `SELECT id AS "eventId", version, action,
       to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, by, name, unit, shift, status,
       ST_AsGeoJSON(geom, 7) AS geometry,
       CASE WHEN kind = 'zone' THEN ST_Area(geom::geography) / 1e6 END AS "areaKm2"
     FROM plan_history WHERE kind = $1 AND object_id = $2 ORDER BY id DESC`,
    [kind, id],
  );
  if (!rows.length) throw notFound(kind, id);
  return rows.map((r) => ({
    ...r,
    eventId: Number(r.eventId),
    areaKm2: r.areaKm2 === null ? null : Number(r.areaKm2),
    geometry: JSON.parse(r.geometry) as MultiPolygon | Point,
  }));
}

/**
 * Brings back version `to` of a zone or post as a new version. `version` is the current one
 * (for a deleted object: the version its deletion recorded), so a restore never overwrites a
 * change the caller has not seen. The old geometry is checked like a new one: the district and
 * the planner's scope are those of today.
 */
export async function restore(
  db: Database,
  user: SessionUser,
  kind: PlanKind,
  r: Versioned & { to: number },
) {
  const table = kind === 'zone' ? 'patrol_zones' : 'patrol_units';
  const out = await db.transaction(async (tx) => {
    const [old] = await tx.query<{ id: string }>(
      `SELECT id FROM plan_history WHERE kind = $1 AND object_id = $2 AND version = $3 AND action <> 'delete'`,
      [kind, r.id, r.to],
    );
    if (!old) throw new BadInput('to', `the ${kind} ${r.id} has no version ${r.to} to restore`);
    const [exists] = await tx.query<{ id: number }>(`SELECT id FROM ${table} WHERE id = $1`, [
      r.id,
    ]);
    const fromHistory = `(SELECT geom FROM plan_history WHERE id = $1::bigint)`;
    let before: ZoneFigures | PostFigures | null = null;
    if (exists) {
      before = kind === 'zone' ? await lockZone(tx, r) : await lockPost(tx, r);
      await checkPlace(
        tx,
        user,
        kind,
        [old.id, r.id],
        fromHistory,
        `(SELECT geom FROM ${table} WHERE id = $2)`,
      );
    } else {
      const [last] = await tx.query<{ version: number; action: string }>(
        `SELECT version, action FROM plan_history WHERE kind = $1 AND object_id = $2 ORDER BY id DESC LIMIT 1`,
        [kind, r.id],
      );
      if (!last) throw notFound(kind, r.id);
      if (last.version !== r.version) throw conflict(kind, last.version, r.version);
      await checkPlace(tx, user, kind, [old.id], fromHistory, null);
    }
    await actAs(tx, user, true);
    if (kind === 'zone') {
      const set = `SELECT h.name, h.unit, h.shift, ST_Multi(h.geom) AS geom FROM plan_history h WHERE h.id = $1`;
      if (exists)
        await tx.query(
          `UPDATE patrol_zones z SET name = h.name, unit = h.unit, shift = h.shift, geom = h.geom,
             town_id = ${TOWN_OF('h.geom')}, version = z.version + 1, updated_at = now(), updated_by = $3
           FROM (${set}) h WHERE z.id = $2`,
          [old.id, r.id, user.username],
        );
      else
        await tx.query(
          `INSERT INTO patrol_zones (id, name, unit, shift, town_id, version, updated_by, geom)
           OVERRIDING SYSTEM VALUE
           SELECT $2, h.name, h.unit, h.shift, ${TOWN_OF('h.geom')}, $3::int + 1, $4, h.geom FROM (${set}) h`,
          [old.id, r.id, r.version, user.username],
        );
    } else {
      const set = `SELECT h.name, h.status, h.geom FROM plan_history h WHERE h.id = $1`;
      if (exists)
        await tx.query(
          `UPDATE patrol_units u SET name = h.name, status = h.status, geom = h.geom,
             version = u.version + 1, updated_at = now(), updated_by = $3
           FROM (${set}) h WHERE u.id = $2`,
          [old.id, r.id, user.username],
        );
      else
        await tx.query(
          `INSERT INTO patrol_units (id, kind, name, status, version, updated_by, geom)
           OVERRIDING SYSTEM VALUE
           SELECT $2, 'post', h.name, h.status, $3::int + 1, $4, h.geom FROM (${set}) h`,
          [old.id, r.id, r.version, user.username],
        );
    }
    const after = kind === 'zone' ? await zoneFigures(tx, r.id) : await postFigures(tx, r.id);
    return { id: r.id, restored: r.to, before, after: after! };
  });
  planChanged();
  return out;
}
