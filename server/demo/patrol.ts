/**
 * Patrol units: quick-response posts and patrol cars where the incidents are, foot patrols at
 * the hot spots, and three joint armed patrol routes (公安武警联勤武装巡逻) along core roads.
 */
import type { Position } from 'geojson';
import { lineSliceAlong, lineString, point } from '@turf/turf';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';
import { lineLengthMeters } from '../../geo/lineLengthMeters';
import { offsetPosition } from '../../geo/offsetPosition';
import { communityAt, round6, type DemoContext } from './context';
import { splitByShares } from './incidentMix';
import {
  EMERGING_HOT_SPOT_COMMUNITIES,
  NIGHT_MARKET,
  PERSISTENT_HOT_SPOTS,
  TOWN_SPECS,
} from './places';
import type { Rng } from './random';
import { ARTERIAL_ROADS, JOINT_PATROL_ROUTES } from './roads';
import type { PatrolUnit } from '../dataset/types';

const CN = ['一', '二', '三', '四', '五', '六'];
const POSTS = 20;
const CARS = 18;

/** Posts, cars, foot patrols and joint patrol routes. */
export function buildUnits(ctx: DemoContext, rng: Rng): PatrolUnit[] {
  const status = (): PatrolUnit['status'] => {
    const u = rng.float();
    return u < 0.75 ? 'available' : u < 0.95 ? 'busy' : 'off_duty';
  };
  const perTown = incidentsPerTown(ctx);
  const quota = (total: number) => {
    const extra = splitByShares(total - perTown.length, perTown);
    return extra.map((e) => e + 1);
  };

  const posts = quota(POSTS).flatMap((n, t) =>
    busiestPlaces(ctx, t, n, 700).map((p, k): PatrolUnit => {
      const short = TOWN_SPECS[t]!.short;
      const community = ctx.layout.communities.find((c) => c.id === communityAt(ctx, p));
      const place = k === 0 || !community ? short : community.name.replace(/(社区|村)$/, '');
      return { kind: 'post', name: `${place}快反点`, status: 'available', geom: point(p).geometry };
    }),
  );
  dedupeNames(posts);

  const cars = quota(CARS).flatMap((n, t) =>
    Array.from({ length: n }, (_, k): PatrolUnit => ({
      kind: 'car',
      name: `${TOWN_SPECS[t]!.station}${k + 1}号巡逻车`,
      status: status(),
      geom: point(randomIncidentPlace(ctx, t + 1, rng)).geometry,
    })),
  );

  const footSpots: { name: string; at: Position }[] = [
    { name: '豹街', at: NIGHT_MARKET.line[0]! },
    ...PERSISTENT_HOT_SPOTS.map((h) => ({ name: h.name, at: h.centre })),
    ...EMERGING_HOT_SPOT_COMMUNITIES.flatMap((name) => {
      const i = ctx.layout.communities.findIndex((c) => c.name === name);
      return i < 0 ? [] : [{ name: name.replace(/社区$/, ''), at: ctx.layout.seeds[i]! }];
    }),
  ];
  const foot = footSpots.map((s): PatrolUnit => {
    let p = round6(s.at);
    for (let tries = 0; tries < 20; tries++) {
      const q = round6(offsetPosition(s.at, rng.normal() * 30, rng.normal() * 30));
      if (communityAt(ctx, q) !== null) {
        p = q;
        break;
      }
    }
    return { kind: 'foot', name: `${s.name}步巡组`, status: status(), geom: point(p).geometry };
  });

  const routes = JOINT_PATROL_ROUTES.map((r, i): PatrolUnit => {
    const road = ARTERIAL_ROADS.find((a) => a.name === r.road);
    if (!road) throw new Error(`buildUnits: unknown road ${r.road}`);
    const len = lineLengthMeters(road.coordinates);
    const slice = lineSliceAlong(lineString(road.coordinates), r.from * len, r.to * len, {
      units: 'meters',
    });
    return {
      kind: 'joint_patrol',
      name: `公安武警联勤武装巡逻${i + 1}号线（${r.road}）`,
      status: 'available',
      geom: { type: 'LineString', coordinates: slice.geometry.coordinates.map(round6) },
    };
  });
  return [...posts, ...cars, ...foot, ...routes];
}

/** Incidents per town (index = town id − 1). */
function incidentsPerTown(ctx: DemoContext): number[] {
  const out = ctx.towns.map(() => 0);
  const townOf = new Map(ctx.layout.communities.map((c) => [c.id, c.townId - 1]));
  for (const id of ctx.incidents.communityId) {
    const t = townOf.get(id);
    if (t !== undefined) out[t]!++;
  }
  return out.map((n) => Math.max(n, 1));
}

/** The n busiest density cells of a town (3×3 sums), at least minM apart. */
function busiestPlaces(ctx: DemoContext, town: number, n: number, minM: number): Position[] {
  const g = ctx.density;
  const scored: { c: number; score: number }[] = [];
  for (let c = 0; c < g.counts.length; c++) {
    const p = g.centre(c);
    const id = communityAt(ctx, p);
    if (id === null || ctx.layout.communities[id - 1]!.townId !== town + 1) continue;
    let score = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) score += g.counts[c + dy * g.nx + dx] ?? 0;
    }
    scored.push({ c, score });
  }
  scored.sort((a, b) => b.score - a.score || a.c - b.c);
  const out: Position[] = [];
  for (const { c } of scored) {
    if (out.length === n) break;
    const p = round6(g.centre(c));
    if (out.every((q) => approxDistanceMeters(p, q) >= minM)) out.push(p);
  }
  return out;
}

/** The place of a random incident in a town, moved a little (patrol cars follow incidents). */
function randomIncidentPlace(ctx: DemoContext, townId: number, rng: Rng): Position {
  const inc = ctx.incidents;
  const inTown = new Set(
    ctx.layout.communities.filter((c) => c.townId === townId).map((c) => c.id),
  );
  for (let tries = 0; tries < 100_000 && inc.count > 0; tries++) {
    const i = rng.int(inc.count);
    if (!inTown.has(inc.communityId[i]!)) continue;
    const p = round6(
      offsetPosition([inc.lon[i]!, inc.lat[i]!], rng.normal() * 40, rng.normal() * 40),
    );
    const id = communityAt(ctx, p);
    if (id !== null && inTown.has(id)) return p;
  }
  return round6(TOWN_SPECS[townId - 1]!.centre);
}

function dedupeNames(units: PatrolUnit[]): void {
  const seen = new Map<string, number>();
  for (const u of units) {
    const n = (seen.get(u.name) ?? 0) + 1;
    seen.set(u.name, n);
    if (n > 1) u.name = u.name.replace(/快反点$/, `${CN[n - 1]}号快反点`);
  }
}
