/**
 * Where incidents happen: in communities (by population, more in the urban core), along the
 * arterial roads, around persistent and emerging hot spots and along the 豹街 night market.
 * Every sampled point is rounded to 6 decimals and comes with the community containing it.
 */
import type { Position } from 'geojson';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';
import { areaBBox } from '../../geo/areaBBox';
import { createAreaIndex, type AreaIndex } from '../../geo/createAreaIndex';
import { lineLengthMeters } from '../../geo/lineLengthMeters';
import { pointInArea } from '../../geo/pointInArea';
import { randomPointInArea } from '../../geo/randomPointInArea';
import type { CommunityLayout } from './regions';
import { NIGHT_MARKET, PERSISTENT_HOT_SPOTS, URBAN_CORE, type HotSpot } from './places';
import { createWeightedSampler, type Rng } from './random';
import { ARTERIAL_ROADS } from './roads';
import type { Community } from '../dataset/types';

/** Where an incident comes from. */
export type SpatialSource =
  'urban' | 'residential' | 'road' | 'hotspot' | 'night_market' | 'emerging';

/** A sampled place; `community` is the Community.id containing it. */
export interface SampledPoint {
  lon: number;
  lat: number;
  community: number;
}

/** Samples places for incidents; `sample` overwrites and returns one shared object. */
export interface SpaceModel {
  sample(source: SpatialSource, rng: Rng): SampledPoint;
  /** community index (0-based) containing a point, or -1 outside the district */
  index: AreaIndex;
}

const M_PER_DEG_LAT = 111_195;
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** How strongly a place attracts incidents beyond its population: high in the urban core. */
export function urbanFactor(p: Position): number {
  return 1 + 5 * Math.exp(-approxDistanceMeters(p, URBAN_CORE) / 1800);
}

/**
 * Builds the spatial model. `emerging` are the centres of the emerging hot spots; `rng` is
 * only used to place each community's local clusters.
 */
export function createSpaceModel(
  layout: CommunityLayout,
  emerging: readonly HotSpot[],
  rng: Rng,
): SpaceModel {
  const { communities, seeds } = layout;
  const index = createAreaIndex(communities.map((c) => c.geom));
  const clusters = communities.map((c) => localClusters(c, rng));
  const boxes = communities.map((c) => areaBBox(c.geom));
  const byUrban = createWeightedSampler(
    communities.map((c, i) => c.population * urbanFactor(seeds[i]!)),
  );
  const byResidents = createWeightedSampler(
    communities.map(
      (c, i) =>
        c.population * (1 + 1.5 * Math.exp(-approxDistanceMeters(seeds[i]!, URBAN_CORE) / 2500)),
    ),
  );
  const roads = ARTERIAL_ROADS.map((r) => {
    const cum = [0];
    for (let i = 1; i < r.coordinates.length; i++) {
      cum.push(cum[i - 1]! + approxDistanceMeters(r.coordinates[i - 1]!, r.coordinates[i]!));
    }
    return { coords: r.coordinates, cum, length: cum[cum.length - 1]! };
  });
  const byRoad = createWeightedSampler(ARTERIAL_ROADS.map((r, i) => roads[i]!.length * r.traffic));
  const byHotSpot = createWeightedSampler(PERSISTENT_HOT_SPOTS.map((h) => h.weight));
  const nightLength = lineLengthMeters(NIGHT_MARKET.line);
  const out: SampledPoint = { lon: 0, lat: 0, community: 0 };

  const set = (lon: number, lat: number, community: number): SampledPoint => {
    out.lon = lon;
    out.lat = lat;
    out.community = community;
    return out;
  };
  /** Accepts a point (rounded) if it lies in the district, with its community. */
  const place = (lon: number, lat: number): boolean => {
    const x = round6(lon);
    const y = round6(lat);
    const i = index.find(x, y);
    if (i >= 0) set(x, y, communities[i]!.id);
    return i >= 0;
  };
  const gaussian = (c: Position, sigmaM: number, r: Rng): boolean => {
    const k = Math.cos((c[1]! * Math.PI) / 180);
    const dy = (r.normal() * sigmaM) / M_PER_DEG_LAT;
    const dx = (r.normal() * sigmaM) / (M_PER_DEG_LAT * k);
    return place(c[0]! + dx, c[1]! + dy);
  };
  /** A point in community ci: around one of its clusters, or anywhere in it. */
  const inCommunity = (ci: number, r: Rng): SampledPoint => {
    const c = communities[ci]!;
    const b = boxes[ci]!;
    const cl = clusters[ci]!;
    if (r.float() < 0.55) {
      const { centre, sigmaM } = cl[r.int(cl.length)]!;
      const k = Math.cos((centre[1]! * Math.PI) / 180);
      for (let t = 0; t < 8; t++) {
        const x = round6(centre[0]! + (r.normal() * sigmaM) / (M_PER_DEG_LAT * k));
        const y = round6(centre[1]! + (r.normal() * sigmaM) / M_PER_DEG_LAT);
        if (pointInArea(x, y, c.geom)) return set(x, y, c.id);
      }
    }
    for (;;) {
      const x = round6(b[0] + r.float() * (b[2] - b[0]));
      const y = round6(b[1] + r.float() * (b[3] - b[1]));
      if (pointInArea(x, y, c.geom)) return set(x, y, c.id);
    }
  };
  const samplers: Record<SpatialSource, (r: Rng) => boolean> = {
    urban: (r) => (inCommunity(byUrban(r), r), true),
    residential: (r) => (inCommunity(byResidents(r), r), true),
    road: (r) => {
      const road = roads[byRoad(r)]!;
      const at = r.float() * road.length;
      let s = 1;
      while (s < road.cum.length - 1 && road.cum[s]! < at) s++;
      const a = road.coords[s - 1]!;
      const b = road.coords[s]!;
      const t = (at - road.cum[s - 1]!) / (road.cum[s]! - road.cum[s - 1]! || 1);
      const p: Position = [a[0]! + (b[0]! - a[0]!) * t, a[1]! + (b[1]! - a[1]!) * t];
      // fewer incidents on the empty stretches far from the city
      if (r.float() > 0.25 + 0.75 * Math.exp(-approxDistanceMeters(p, URBAN_CORE) / 2500)) {
        return false;
      }
      return gaussian(p, 18, r);
    },
    hotspot: (r) => {
      const h = PERSISTENT_HOT_SPOTS[byHotSpot(r)]!;
      return gaussian(h.centre, h.sigmaM, r);
    },
    night_market: (r) => {
      const [a, b] = NIGHT_MARKET.line as [Position, Position];
      const t = r.range(-40 / nightLength, 1 + 40 / nightLength);
      return gaussian([a[0]! + (b[0]! - a[0]!) * t, a[1]! + (b[1]! - a[1]!) * t], 35, r);
    },
    emerging: (r) => {
      if (emerging.length === 0) return samplers.urban(r);
      const h = emerging[r.int(emerging.length)]!;
      return gaussian(h.centre, h.sigmaM, r);
    },
  };

  return {
    index,
    sample(source, r) {
      const draw = samplers[source];
      for (let tries = 0; tries < 1000; tries++) if (draw(r)) return out;
      throw new Error(`SpaceModel: no place found for source ${source}`);
    },
  };
}

/** Two or three places inside a community where its incidents cluster (blocks, a square). */
function localClusters(c: Community, rng: Rng): { centre: Position; sigmaM: number }[] {
  const [minX, minY, maxX, maxY] = areaBBox(c.geom);
  const sizeM = approxDistanceMeters([minX, minY], [maxX, maxY]);
  return Array.from({ length: 2 + rng.int(2) }, () => ({
    centre: randomPointInArea(c.geom, rng.float),
    sigmaM: sizeM * rng.range(0.06, 0.14),
  }));
}
