/**
 * Where community cells grow from: seeds placed by kind inside their town's rough region
 * (urban 社区 near the urban core, synthetic ones near the town's growth area, villages
 * further out), and the density-weighted Lloyd step that evens them out.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';
import { areaBBox } from '../../geo/areaBBox';
import { createAreaIndex, type AreaIndex } from '../../geo/createAreaIndex';
import { pointInArea } from '../../geo/pointInArea';
import type { CommunityEntry } from './communityCatalog';
import { GROWTH_CENTRES, TOWN_SPECS, URBAN_CORE } from './places';
import type { Rng } from './random';

/** How much a kind of community likes a place (relative, 0..1). */
function preference(entry: CommunityEntry, p: Position): number {
  const d = approxDistanceMeters(p, URBAN_CORE);
  if (entry.kind === 'village') return 0.15 + 0.85 * (1 - Math.exp(-d / 3000));
  if (entry.synthetic) {
    const growth = GROWTH_CENTRES[TOWN_SPECS[entry.town]!.name];
    return growth ? Math.exp(-approxDistanceMeters(p, growth) / 1000) : 1;
  }
  return Math.exp(-d / 2500);
}

/** Density the Lloyd steps aim at: cells stay smaller near the urban core. */
function density(p: Position): number {
  return 1 + 6 * Math.exp(-approxDistanceMeters(p, URBAN_CORE) / 2000);
}

/** Order of placement: synthetic ones first (they get their growth areas), then 社区, 村. */
function rank(e: CommunityEntry): number {
  return e.synthetic ? 0 : e.kind === 'community' ? 1 : 2;
}

/**
 * Seeds for one town's communities inside its region. Members in `pinned` (by index) get
 * their fixed place; the others are drawn by rejection sampling on their kind's preference,
 * kept apart by a minimum spacing that shrinks when space runs out. Seeds are rounded to
 * 6 decimals.
 */
export function placeTownSeeds(
  region: Polygon | MultiPolygon,
  members: readonly CommunityEntry[],
  pinned: ReadonlyMap<number, Position>,
  rng: Rng,
): Position[] {
  const [minX, minY, maxX, maxY] = areaBBox(region);
  const boxM2 =
    approxDistanceMeters([minX, minY], [maxX, minY]) *
    approxDistanceMeters([minX, minY], [minX, maxY]);
  let spacing = 0.45 * Math.sqrt((0.6 * boxM2) / members.length);
  const seeds = new Array<Position>(members.length);
  const placed: Position[] = [];
  for (const [i, p] of pinned) {
    seeds[i] = p;
    placed.push(p);
  }
  const inRegion = createAreaIndex([region], 48);
  const order = [...members.keys()]
    .filter((i) => !pinned.has(i))
    .sort((a, b) => rank(members[a]!) - rank(members[b]!) || a - b);
  for (const i of order) {
    for (let tries = 1; ; tries++) {
      if (tries % 500 === 0) spacing *= 0.85;
      const p = [
        Math.round((minX + rng.float() * (maxX - minX)) * 1e6) / 1e6,
        Math.round((minY + rng.float() * (maxY - minY)) * 1e6) / 1e6,
      ];
      if (rng.float() >= preference(members[i]!, p)) continue;
      if (!placed.every((q) => approxDistanceMeters(p, q) >= spacing)) continue;
      if (inRegion.find(p[0]!, p[1]!) < 0) continue;
      seeds[i] = p;
      placed.push(p);
      break;
    }
  }
  return seeds;
}

/**
 * One Lloyd step for a seed: the density-weighted centroid of its Voronoi cell within the
 * district (estimated on a jittered 16×16 sample grid), if that lies inside `region`; else
 * the seed. `cell` is the unclipped convex cell ring, so no polygon clipping is needed.
 */
export function relaxSeed(
  seed: Position,
  cell: Position[] | null,
  district: AreaIndex,
  region: AreaIndex,
  rng: Rng,
): Position {
  if (!cell) return seed;
  const cellGeom: Polygon = { type: 'Polygon', coordinates: [cell] };
  const [minX, minY, maxX, maxY] = areaBBox(cellGeom);
  const n = 16;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = minX + ((i + rng.float()) / n) * (maxX - minX);
      const y = minY + ((j + rng.float()) / n) * (maxY - minY);
      if (!pointInArea(x, y, cellGeom) || district.find(x, y) < 0) continue;
      const w = density([x, y]);
      sw += w;
      sx += w * x;
      sy += w * y;
    }
  }
  if (sw === 0) return seed;
  const c = [Math.round((sx / sw) * 1e6) / 1e6, Math.round((sy / sw) * 1e6) / 1e6];
  return pointInArea(c[0]!, c[1]!, cellGeom) && region.find(c[0]!, c[1]!) >= 0 ? c : seed;
}
