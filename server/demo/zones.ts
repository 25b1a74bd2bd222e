/**
 * Patrol zones covering each town: its communities are grouped into 1–3 contiguous zones by
 * growing regions over the community adjacency graph, and each zone is the union of its
 * communities. Urban towns get a day and a night unit per zone, the others one for all day.
 */
import { unionAreas } from '../../geo/unionAreas';
import type { Position } from 'geojson';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';
import type { DemoContext } from './context';
import { TOWN_SPECS } from './places';
import type { Community, PatrolZone } from '../dataset/types';

const CN = ['一', '二', '三', '四', '五', '六', '七', '八'];
/** Zones per town, in TOWN_SPECS order. */
const ZONES_PER_TOWN = [2, 2, 2, 1, 3, 3];

/** Builds the patrol zones of every town. */
export function buildZones(ctx: DemoContext): PatrolZone[] {
  return ctx.towns.flatMap((town, t) => {
    const spec = TOWN_SPECS[t]!;
    const members = ctx.layout.communities.flatMap((c, i) =>
      c.townId === town.id ? [{ c, seed: ctx.layout.seeds[i]! }] : [],
    );
    const groups = growRegions(
      members.map((m) => m.c),
      members.map((m) => m.seed),
      ZONES_PER_TOWN[t] ?? 1,
    );
    let unitNo = 0;
    return groups.flatMap((group, g) => {
      const geom = unionAreas(
        group.map((i) => members[i]!.c.geom),
        'zone',
      );
      const shifts = spec.urban ? (['day', 'night'] as const) : (['all'] as const);
      return shifts.map((shift, k): PatrolZone => ({
        name: `${spec.short}${CN[g]}号巡区`,
        unit: `${spec.station}巡逻${CN[unitNo++]}组`,
        shift,
        townId: town.id,
        // the night record gets its own copy: no shared objects in the output
        geom: k === 0 ? geom : structuredClone(geom),
      }));
    });
  });
}

/**
 * Splits communities into k contiguous groups: start from k mutually distant communities,
 * then let the group with the fewest residents take its nearest unassigned neighbour, until
 * every community belongs to a group. Communities are neighbours when they share an edge
 * (two or more vertices).
 */
function growRegions(communities: Community[], seeds: Position[], k: number): number[][] {
  const n = communities.length;
  const neighbours = adjacency(communities);
  // start at the community farthest from the middle, then each time the one farthest from
  // the starts so far, so that zones grow from the ends of the town inward
  const middle = [
    seeds.reduce((s, p) => s + p[0]!, 0) / n,
    seeds.reduce((s, p) => s + p[1]!, 0) / n,
  ];
  const starts: number[] = [];
  while (starts.length < Math.min(k, n)) {
    let best = 0;
    let bestD = -1;
    seeds.forEach((s, i) => {
      const d =
        starts.length === 0
          ? approxDistanceMeters(s, middle)
          : Math.min(...starts.map((j) => approxDistanceMeters(s, seeds[j]!)));
      if (d > bestD) [best, bestD] = [i, d];
    });
    starts.push(best);
  }
  const owner = new Array<number>(n).fill(-1);
  const groups = starts.map((s, g) => {
    owner[s] = g;
    return { members: [s], people: communities[s]!.population };
  });
  for (let left = n - starts.length; left > 0; left--) {
    let pick: { g: number; i: number; d: number } | null = null;
    const order = groups
      .map((_, g) => g)
      .sort((a, b) => groups[a]!.people - groups[b]!.people || a - b);
    for (const g of order) {
      for (const m of groups[g]!.members) {
        for (const i of neighbours[m]!) {
          if (owner[i] !== -1) continue;
          const d = approxDistanceMeters(seeds[i]!, seeds[starts[g]!]!);
          if (!pick || d < pick.d) pick = { g, i, d };
        }
      }
      if (pick) break;
    }
    // no free neighbour (should not happen in a tiling): take the nearest free community
    if (!pick) {
      const i = owner.indexOf(-1);
      const g = groups.reduce(
        (b, _, j) =>
          approxDistanceMeters(seeds[i]!, seeds[starts[j]!]!) <
          approxDistanceMeters(seeds[i]!, seeds[starts[b]!]!)
            ? j
            : b,
        0,
      );
      pick = { g, i, d: 0 };
    }
    owner[pick.i] = pick.g;
    groups[pick.g]!.members.push(pick.i);
    groups[pick.g]!.people += communities[pick.i]!.population;
  }
  return groups.map((g) => [...g.members].sort((a, b) => a - b));
}

/** For each community, the indexes of the communities sharing at least two vertices with it. */
function adjacency(communities: Community[]): number[][] {
  const byVertex = new Map<string, number[]>();
  communities.forEach((c, i) => {
    const polygons = c.geom.type === 'Polygon' ? [c.geom.coordinates] : c.geom.coordinates;
    const keys = new Set(
      polygons.flatMap((p) => p.flatMap((r) => r.map((q) => `${q[0]},${q[1]}`))),
    );
    for (const key of keys) byVertex.set(key, [...(byVertex.get(key) ?? []), i]);
  });
  const shared = communities.map(() => new Map<number, number>());
  for (const ids of byVertex.values()) {
    for (const a of ids)
      for (const b of ids) if (a !== b) shared[a]!.set(b, (shared[a]!.get(b) ?? 0) + 1);
  }
  return shared.map((m) =>
    [...m]
      .filter(([, count]) => count >= 2)
      .map(([j]) => j)
      .sort((a, b) => a - b),
  );
}
