import type { MultiPolygon, Polygon } from 'geojson';
import { feature, featureCollection, union } from '@turf/turf';
import { clippedVoronoi } from '../../geo/clippedVoronoi';
import { TOWN_SPECS } from './places';

let cache: { key: string; regions: (Polygon | MultiPolygon)[] } | undefined;

/**
 * The rough extent of each town (in TOWN_SPECS order): the union of the Voronoi cells of its
 * centre and shape seeds, clipped to the district. Community seeds are placed inside these;
 * the final town borders follow the community cells. Seed-independent, so computed once.
 */
export function townRegions(district: Polygon | MultiPolygon): (Polygon | MultiPolygon)[] {
  const key = JSON.stringify(district);
  if (cache?.key === key) return cache.regions;
  const generators = TOWN_SPECS.flatMap((t, i) =>
    [t.centre, ...t.shapeSeeds].map((p) => ({ town: i, p })),
  );
  const cells = clippedVoronoi(
    generators.map((g) => g.p),
    district,
  );
  const regions = TOWN_SPECS.map((spec, i) => {
    const parts = cells
      .filter((c, j): c is Polygon | MultiPolygon => c !== null && generators[j]!.town === i)
      .map((c) => feature(c));
    const merged = parts.length === 1 ? parts[0] : union(featureCollection(parts));
    if (!merged) throw new Error(`townRegions: ${spec.name} has no area`);
    return merged.geometry;
  });
  cache = { key, regions };
  return regions;
}
