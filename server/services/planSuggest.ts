/**
 * "Suggest posts": where K more posts, or the existing posts moved, would bring the most of the
 * window's incidents within 3 minutes of a responding unit (the maximal covering location
 * problem, geo/maxCoveringLocations: lazy greedy, then swaps). Patrol cars count as they are;
 * a planner's suggestions stay inside their towns and communities, and their posts elsewhere
 * stay where they are. The search runs in the compute pool; its size is bounded by the fixed
 * candidate grid, k ≤ 20 and the 30-day window.
 */
import { BadInput } from '../errors';
import { reachRadiusMeters } from '../../geo/reachRadius';
import type { SessionUser } from '../auth/session';
import type { Queryable } from '../db/database';
import { compute } from '../compute/pool';
import { memo } from './memo';
import { scopeSql } from './planEdits';
import { samples } from './planEvaluate';
import { DEFAULT_REACH, lastDays, type ReachModel } from './reach';

/** Candidate sites every CANDIDATE_M metres; demand gathered into DEMAND_M cells. */
export const CANDIDATE_M = 250;
export const DEMAND_M = 100;
/** Candidate sites × demand cells one search may weigh (the grid index makes the real work less). */
export const MAX_SUGGEST_WORK = 200_000_000;

export interface SuggestInput {
  k?: number;
  mode: 'add' | 'move';
  /** posts that stay where they are when moving */
  keep?: number[];
  minutes?: number;
  from?: Date;
  to?: Date;
}

export interface Suggestion {
  mode: 'add' | 'move';
  minutes: number;
  radiusM: number;
  window: { from: string; to: string };
  /** added posts (`new`), or each moved post with its new place (`id`) */
  posts: { id?: number; name?: string; position: [number, number]; new: boolean }[];
  before: { covered: number; total: number; share: number };
  after: { covered: number; total: number; share: number };
  /** incidents newly within reach */
  gain: number;
  candidates: number;
}

/** Candidate sites inside the district (and the planner's scope), cached per scope. */
function candidateSites(db: Queryable, user: SessionUser) {
  const params: unknown[] = [CANDIDATE_M];
  const scope = scopeSql(user, params);
  return memo(db, ['places'], `candidates|${JSON.stringify(params)}`, async () => {
    const rows = await db.query<{ x: number; y: number }>(
      `WITH d AS (SELECT ${scope ? `ST_Intersection(district.geom, ${scope})` : 'geom'} AS geom,
                    ST_Y(ST_Centroid(geom)) AS lat0 FROM district LIMIT 1),
            s AS (SELECT $1 / 111320.0 AS dy, $1 / (111320.0 * cos(radians(lat0))) AS dx FROM d),
            p AS (SELECT ST_SetSRID(ST_MakePoint(ST_XMin(d.geom) + (i + 0.5) * s.dx,
                                                 ST_YMin(d.geom) + (j + 0.5) * s.dy), 4326) AS geom
                  FROM d, s,
                    generate_series(0, floor((ST_XMax(d.geom) - ST_XMin(d.geom)) / s.dx)::int) i,
                    generate_series(0, floor((ST_YMax(d.geom) - ST_YMin(d.geom)) / s.dy)::int) j)
       SELECT ST_X(p.geom) AS x, ST_Y(p.geom) AS y FROM p JOIN d ON ST_Intersects(d.geom, p.geom)`,
      params,
    );
    return rows.map((r) => [Number(r.x), Number(r.y)] as [number, number]);
  });
}

export async function suggestPosts(
  db: Queryable,
  user: SessionUser,
  input: SuggestInput,
  model: ReachModel = DEFAULT_REACH,
): Promise<Suggestion> {
  const minutes = input.minutes ?? 3;
  const radiusM = reachRadiusMeters(minutes, model.speedKmh, model.detour);
  const w = input.from && input.to ? { from: input.from, to: input.to } : await lastDays(db, 30);
  const s = await samples(db, w);
  const params: unknown[] = [];
  const scope = scopeSql(user, params);
  const posts = await db.query<{ id: number; name: string; x: number; y: number; mine: boolean }>(
    `SELECT id, name, ST_X(geom) AS x, ST_Y(geom) AS y,
       ${scope ? `coalesce(ST_Intersects(geom, ${scope}), false)` : 'true'} AS mine
     FROM patrol_units WHERE kind = 'post' AND status <> 'off_duty' ORDER BY id`,
    params,
  );
  const cars = await db.query<{ x: number; y: number }>(
    `SELECT ST_X(geom) AS x, ST_Y(geom) AS y FROM patrol_units WHERE kind = 'car' AND status <> 'off_duty'`,
  );
  const at = (r: { x: number; y: number }) => [Number(r.x), Number(r.y)] as [number, number];

  // demand: the incidents gathered into small cells, each at its incidents' mean position
  const lat0 = s.incidents.lat.length ? s.incidents.lat[0]! : 36.6;
  const dy = DEMAND_M / 111320;
  const dx = DEMAND_M / (111320 * Math.cos((lat0 * Math.PI) / 180));
  const cells = new Map<string, { x: number; y: number; n: number }>();
  for (let k = 0; k < s.incidents.lon.length; k++) {
    const x = s.incidents.lon[k]!;
    const y = s.incidents.lat[k]!;
    const key = `${Math.floor(x / dx)},${Math.floor(y / dy)}`;
    const c = cells.get(key) ?? { x: 0, y: 0, n: 0 };
    c.x += x;
    c.y += y;
    c.n++;
    cells.set(key, c);
  }
  const demand = [...cells.values()].map((c) => ({
    position: [c.x / c.n, c.y / c.n] as [number, number],
    weight: c.n,
  }));

  // candidates: the posts where they are, the cars, then the grid
  const keep = new Set(input.keep ?? []);
  const movable = input.mode === 'move' ? posts.filter((p) => p.mine && !keep.has(p.id)) : [];
  const grid = await candidateSites(db, user);
  const candidates = [...posts.map(at), ...cars.map(at), ...grid];
  const fixed: number[] = [];
  const start: number[] = [];
  posts.forEach((p, i) => (movable.includes(p) ? start.push(i) : fixed.push(i)));
  cars.forEach((_, i) => fixed.push(posts.length + i));
  const k = input.mode === 'move' ? movable.length : (input.k ?? 1);
  if (candidates.length * demand.length > MAX_SUGGEST_WORK)
    throw new BadInput(
      undefined,
      `the post location search would weigh ${candidates.length} candidate sites × ${demand.length} demand cells, more than its limit of ${MAX_SUGGEST_WORK.toLocaleString('en-US')}`,
    );
  const search = await compute(
    'coveringSearch',
    {
      problem: {
        demand,
        candidates,
        fixed,
        k,
        radiusMeters: radiusM,
        start: input.mode === 'move' ? start : undefined,
      },
      incidents: { lon: s.incidents.lon, lat: s.incidents.lat },
      beforeSites: [...posts.map(at), ...cars.map(at)],
    },
    'the post location search',
  );
  const sol = { chosen: search.chosen };
  const total = s.incidents.lon.length;
  const before = search.before;
  let after = search.after;
  // the search runs on cells: should the moves lose on the incidents themselves, move nothing
  if (input.mode === 'move' && after < before) {
    sol.chosen = start;
    after = before;
  }

  let out: Suggestion['posts'];
  if (input.mode === 'add') {
    out = sol.chosen.map((i) => ({ position: candidates[i]!, new: true }));
  } else {
    // each moved post goes to the nearest free new place (greedy, closest pairs first)
    const places = sol.chosen.map((i) => candidates[i]!);
    const pairs = movable.flatMap((p, a) =>
      places.map((q, b) => ({ a, b, d: (at(p)[0] - q[0]) ** 2 + (at(p)[1] - q[1]) ** 2 })),
    );
    pairs.sort((u, v) => u.d - v.d || u.a - v.a || u.b - v.b);
    const usedA = new Set<number>();
    const usedB = new Set<number>();
    out = [];
    for (const { a, b } of pairs) {
      if (usedA.has(a) || usedB.has(b)) continue;
      usedA.add(a);
      usedB.add(b);
      out.push({ id: movable[a]!.id, name: movable[a]!.name, position: places[b]!, new: false });
    }
    out.sort((u, v) => u.id! - v.id!);
  }
  const share = (n: number) => (total ? n / total : 0);
  return {
    mode: input.mode,
    minutes,
    radiusM,
    window: { from: w.from.toISOString(), to: w.to.toISOString() },
    posts: out,
    before: { covered: before, total, share: share(before) },
    after: { covered: after, total, share: share(after) },
    gain: after - before,
    candidates: candidates.length,
  };
}
