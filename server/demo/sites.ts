/**
 * Key sites (schools, hospitals, hazardous-chemical and gas sites, offices, markets), mostly
 * in the urban area, and the outer checkpoints on the district boundary where roads enter.
 */
import type { Position } from 'geojson';
import { lineString, nearestPointOnLine, point } from '@turf/turf';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';
import { offsetPosition } from '../../geo/offsetPosition';
import { pointAlongLine } from '../../geo/pointAlongLine';
import { pointInArea } from '../../geo/pointInArea';
import { randomPointInArea } from '../../geo/randomPointInArea';
import { communityAt, round6, type DemoContext } from './context';
import { urbanFactor } from './incidentSpace';
import { TOWN_SPECS, URBAN_CORE } from './places';
import { createWeightedSampler, type Rng } from './random';
import { ARTERIAL_ROADS } from './roads';
import { CHECKPOINTS, KEY_SITES, type SiteWhere } from './siteCatalog';
import type { Site } from '../dataset/types';

/** Places the key sites of KEY_SITES, then the checkpoints of CHECKPOINTS. */
export function buildSites(ctx: DemoContext, rng: Rng): Site[] {
  const sites = KEY_SITES.map((spec): Site => {
    const p = round6(placeSite(ctx, spec.where, rng));
    return {
      kind: spec.kind,
      name: spec.name,
      communityId: communityAt(ctx, p),
      geom: point(p).geometry,
    };
  });
  return [...sites, ...buildCheckpoints(ctx)];
}

function placeSite(ctx: DemoContext, where: SiteWhere, rng: Rng): Position {
  const { communities, seeds } = ctx.layout;
  const inCommunities = (weight: (i: number) => number): Position => {
    const draw = createWeightedSampler(communities.map((_, i) => weight(i)));
    return randomPointInArea(communities[draw(rng)]!.geom, rng.float);
  };
  if (where === 'urban') {
    return inCommunities((i) => communities[i]!.population * urbanFactor(seeds[i]!) ** 2);
  }
  if (where === 'periphery') {
    return inCommunities((i) =>
      Math.exp(-Math.abs(approxDistanceMeters(seeds[i]!, URBAN_CORE) - 4500) / 1500),
    );
  }
  if ('at' in where) return where.at;
  if ('town' in where) {
    const t = townIndex(where.town);
    return inCommunities((i) =>
      communities[i]!.townId === t + 1 ? communities[i]!.population * urbanFactor(seeds[i]!) : 0,
    );
  }
  if ('townCentre' in where) {
    const t = townIndex(where.townCentre);
    const town = ctx.towns[t]!.geom;
    for (;;) {
      const p = offsetPosition(TOWN_SPECS[t]!.centre, rng.normal() * 250, rng.normal() * 250);
      if (pointInArea(p[0]!, p[1]!, town)) return p;
    }
  }
  const road = ARTERIAL_ROADS.find((r) => r.name === where.road);
  if (!road) throw new Error(`placeSite: unknown road ${where.road}`);
  for (;;) {
    const { position, bearing } = pointAlongLine(road.coordinates, rng.range(0.05, 0.95));
    const side = rng.chance(0.5) ? 90 : -90;
    const rad = ((bearing + side) * Math.PI) / 180;
    const d = rng.range(25, 45);
    const p = offsetPosition(position, Math.sin(rad) * d, Math.cos(rad) * d);
    if (communityAt(ctx, round6(p)) !== null) return p;
  }
}

function townIndex(name: string): number {
  const t = TOWN_SPECS.findIndex((s) => s.name === name);
  if (t < 0) throw new Error(`unknown town ${name}`);
  return t;
}

/**
 * Checkpoints: each rough position is snapped onto the district boundary, then moved inside
 * by the smallest step (20 m at a time, trying 16 directions, the one toward the urban core
 * first), so it stands just inside the boundary.
 */
function buildCheckpoints(ctx: DemoContext): Site[] {
  if (ctx.district.geom.type !== 'Polygon') throw new Error('buildCheckpoints: expected a Polygon');
  const boundary = lineString(ctx.district.geom.coordinates[0]!);
  return CHECKPOINTS.map((spec): Site => {
    const snapped = nearestPointOnLine(boundary, point(spec.near)).geometry.coordinates;
    const toCore = Math.atan2(
      (URBAN_CORE[0]! - snapped[0]!) * Math.cos((snapped[1]! * Math.PI) / 180),
      URBAN_CORE[1]! - snapped[1]!,
    );
    const turns = [0, 1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6, 7, -7, 8];
    for (let step = 1; step <= 25; step++) {
      for (const turn of turns) {
        const bearing = toCore + (turn * Math.PI) / 8;
        const d = 20 * step;
        const p = round6(offsetPosition(snapped, Math.sin(bearing) * d, Math.cos(bearing) * d));
        const communityId = communityAt(ctx, p);
        if (communityId !== null) {
          return { kind: 'checkpoint', name: spec.name, communityId, geom: point(p).geometry };
        }
      }
    }
    throw new Error(`buildCheckpoints: could not place ${spec.name}`);
  });
}
