/**
 * Towns and communities. The 79 communities are Voronoi cells of seeds placed inside their
 * town's rough region, relaxed by a few Lloyd steps, clipped to the district and rounded to
 * 6 decimals; each town is the union of its communities. So communities tile their towns and
 * towns tile the district by construction, and town borders follow community borders.
 */
import { unionAreas } from '../../geo/unionAreas';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { area, feature, featureCollection, union } from '@turf/turf';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';
import { areaBBox } from '../../geo/areaBBox';
import { clippedVoronoi } from '../../geo/clippedVoronoi';
import { createAreaIndex } from '../../geo/createAreaIndex';
import { pointInArea } from '../../geo/pointInArea';
import { randomPointInArea } from '../../geo/randomPointInArea';
import { roundArea } from '../../geo/roundArea';
import { voronoiCells } from '../../geo/voronoiCells';
import { communityCatalog, type CommunityEntry } from './communityCatalog';
import { placeTownSeeds, relaxSeed } from './communitySeeds';
import { PINNED_COMMUNITIES, TOWN_SPECS } from './places';
import { assignPopulations } from './population';
import type { Rng } from './random';
import { townRegions } from './townRegions';
import type { Community, Town } from '../dataset/types';

/** Towns, communities and the points the community cells grew from. */
export interface CommunityLayout {
  towns: Town[];
  communities: Community[];
  /** seeds[i] is the Voronoi seed of communities[i]; it lies inside its polygon */
  seeds: Position[];
}

const LLOYD_STEPS = 3;
const MAX_REPAIRS = 6;

/** Generates the towns and communities of the district. */
export function buildRegions(district: Polygon | MultiPolygon, rng: Rng): CommunityLayout {
  const catalog = communityCatalog();
  const regions = townRegions(district);
  const pinned = new Set<number>();
  let seeds: Position[] = [];
  TOWN_SPECS.forEach((spec, t) => {
    const members = catalog.filter((c) => c.town === t);
    // the town's first 社区 holds the town centre, so the centre lies in the town
    const pins = new Map<number, Position>([[0, spec.centre]]);
    members.forEach((m, i) => {
      const at = PINNED_COMMUNITIES[m.name];
      if (at) pins.set(i, at);
    });
    for (const i of pins.keys()) pinned.add(members[i]!.id - 1);
    const townSeeds = placeTownSeeds(regions[t]!, members, pins, rng);
    members.forEach((m, i) => (seeds[m.id - 1] = townSeeds[i]!));
  });
  const [minX, minY, maxX, maxY] = areaBBox(district);
  const bounds: [number, number, number, number] = [minX - 0.1, minY - 0.1, maxX + 0.1, maxY + 0.1];
  const inDistrict = createAreaIndex([district], 48);
  const inRegion = regions.map((r) => createAreaIndex([r], 48));
  for (let step = 0; step < LLOYD_STEPS; step++) {
    const cells = voronoiCells(seeds, bounds);
    seeds = seeds.map((s, i) =>
      pinned.has(i)
        ? s
        : relaxSeed(s, cells[i] ?? null, inDistrict, inRegion[catalog[i]!.town]!, rng),
    );
  }
  // Tile; where a town came out in pieces (cells touching at a point), pull the seeds of the
  // stray pieces toward the nearest seed of the town's main piece and tile again.
  let tiling = tile(seeds, district, catalog);
  for (let attempt = 0; attempt < MAX_REPAIRS; attempt++) {
    const moved = reconnectTowns(tiling.towns, seeds, catalog, pinned);
    if (!moved) break;
    seeds = moved;
    tiling = tile(seeds, district, catalog);
  }
  const geoms = tiling.geoms;
  const populations = assignPopulations(catalog, seeds, rng);
  const communities = catalog.map((c, i): Community => ({
    id: c.id,
    code: c.code,
    name: c.name,
    townId: c.town + 1,
    kind: c.kind,
    population: populations[i]!,
    synthetic: c.synthetic,
    geom: geoms[i]!,
    geometrySource: 'generated',
  }));
  const towns = TOWN_SPECS.map((spec, t): Town => ({
    id: t + 1,
    code: spec.code,
    name: spec.name,
    geom: tiling.towns[t]!,
    geometrySource: 'generated',
  }));
  return {
    towns,
    communities,
    seeds: seeds.map((s, i) =>
      pointInArea(s[0]!, s[1]!, geoms[i]!) ? s : randomPointInArea(geoms[i]!, rng.float),
    ),
  };
}

/** Community cells (clipped, rounded, fragments merged) and their unions per town. */
function tile(
  seeds: Position[],
  district: Polygon | MultiPolygon,
  catalog: readonly CommunityEntry[],
): { geoms: (Polygon | MultiPolygon)[]; towns: (Polygon | MultiPolygon)[] } {
  const cells = clippedVoronoi(seeds, district).map((cell, i) => {
    const geom = cell && roundArea(cell);
    if (!geom) throw new Error(`buildRegions: ${catalog[i]!.name} has no area`);
    return geom;
  });
  const geoms = mergeFragments(cells, seeds);
  const towns = TOWN_SPECS.map((_, t) =>
    unionAreas(
      geoms.filter((_g, i) => catalog[i]!.town === t),
      'town',
    ),
  );
  return { geoms, towns };
}

/**
 * New seeds that pull every community outside its town's main piece (the one holding the
 * town centre) 40% of the way toward the nearest seed inside it; null if all towns are whole.
 */
function reconnectTowns(
  towns: (Polygon | MultiPolygon)[],
  seeds: Position[],
  catalog: readonly CommunityEntry[],
  pinned: ReadonlySet<number>,
): Position[] | null {
  let out: Position[] | null = null;
  towns.forEach((town, t) => {
    if (town.type !== 'MultiPolygon') return;
    const centre = TOWN_SPECS[t]!.centre;
    const main = town.coordinates.find((c) =>
      pointInArea(centre[0]!, centre[1]!, { type: 'Polygon', coordinates: c }),
    );
    if (!main) return;
    const mainPart: Polygon = { type: 'Polygon', coordinates: main };
    const members = catalog.flatMap((c, i) => (c.town === t ? [i] : []));
    const inside = members.filter((i) => pointInArea(seeds[i]![0]!, seeds[i]![1]!, mainPart));
    for (const i of members) {
      if (pinned.has(i) || inside.includes(i) || inside.length === 0) continue;
      const s = seeds[i]!;
      const near = inside.reduce((a, b) =>
        approxDistanceMeters(seeds[a]!, s) <= approxDistanceMeters(seeds[b]!, s) ? a : b,
      );
      const q = seeds[near]!;
      out ??= [...seeds];
      out[i] = [
        Math.round((s[0]! + 0.4 * (q[0]! - s[0]!)) * 1e6) / 1e6,
        Math.round((s[1]! + 0.4 * (q[1]! - s[1]!)) * 1e6) / 1e6,
      ];
    }
  });
  return out;
}

/**
 * Where clipping to the concave district split a cell, keeps the part holding the seed (or
 * the largest) and gives each other fragment to a neighbour it merges with into one polygon.
 */
function mergeFragments(
  cells: (Polygon | MultiPolygon)[],
  seeds: readonly Position[],
): (Polygon | MultiPolygon)[] {
  const out = [...cells];
  cells.forEach((cell, i) => {
    if (cell.type !== 'MultiPolygon') return;
    const parts = cell.coordinates.map((c): Polygon => ({ type: 'Polygon', coordinates: c }));
    const seed = seeds[i]!;
    let main = parts.findIndex((p) => pointInArea(seed[0]!, seed[1]!, p));
    if (main < 0) main = parts.indexOf(parts.reduce((a, b) => (area(b) > area(a) ? b : a)));
    const kept: Polygon[] = [parts[main]!];
    parts.forEach((part, j) => {
      if (j === main) return;
      const host = out.findIndex((other, o) => {
        if (o === i || other.type !== 'Polygon') return false;
        const merged = union(featureCollection([feature(other), feature(part)]));
        const geom = merged && roundArea(merged.geometry);
        if (geom?.type !== 'Polygon') return false;
        out[o] = geom;
        return true;
      });
      if (host < 0) kept.push(part);
    });
    out[i] =
      kept.length === 1
        ? kept[0]!
        : { type: 'MultiPolygon', coordinates: kept.map((k) => k.coordinates) };
  });
  return out;
}
