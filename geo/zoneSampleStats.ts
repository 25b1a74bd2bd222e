import type { MultiPolygon, Polygon } from 'geojson';
import { areaBBox } from './areaBBox';
import { pointInArea } from './pointInArea';

/** Points to test against patrol zones: positions and, per point, a group (e.g. a community). */
export interface SamplePoints {
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
  /** a group id per point (a community), or -1 */
  group?: ArrayLike<number>;
}

export interface ZoneSampleStats {
  /** points inside at least one zone */
  inside: number;
  /** points inside two zones or more */
  insideTwice: number;
  total: number;
  /** per group: [points, points inside] */
  byGroup: Map<number, [number, number]>;
  /** per point: how many zones hold it (0, 1 or 2 meaning two or more) */
  depth: Uint8Array;
}

/**
 * Counts the points inside a set of zones (Polygon or MultiPolygon), each point once however
 * many zones hold it, and the points inside two or more (overlaps). A bounding-box test comes
 * first, so thousands of points against dozens of zones take about a millisecond.
 *
 * @example
 * const sq = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
 * zoneSampleStats({ lon: [0.5, 2], lat: [0.5, 2] }, [sq]).inside; // 1
 */
export function zoneSampleStats(
  points: SamplePoints,
  zones: readonly (Polygon | MultiPolygon)[],
): ZoneSampleStats {
  const n = points.lon.length;
  if (points.lat.length !== n || (points.group && points.group.length !== n))
    throw new Error('zoneSampleStats: lon, lat and group must have the same length');
  const boxes = zones.map((z, i) => {
    if (!z || (z.type !== 'Polygon' && z.type !== 'MultiPolygon'))
      throw new Error(`zoneSampleStats: zone ${i} is not a Polygon or MultiPolygon`);
    return areaBBox(z);
  });
  const depth = new Uint8Array(n);
  const byGroup = new Map<number, [number, number]>();
  let inside = 0;
  let insideTwice = 0;
  for (let k = 0; k < n; k++) {
    const x = points.lon[k]!;
    const y = points.lat[k]!;
    let d = 0;
    for (let z = 0; z < zones.length && d < 2; z++) {
      const b = boxes[z]!;
      if (x < b[0] || y < b[1] || x > b[2] || y > b[3]) continue;
      if (pointInArea(x, y, zones[z]!)) d++;
    }
    depth[k] = d;
    if (d > 0) inside++;
    if (d > 1) insideTwice++;
    const g = points.group ? points.group[k]! : -1;
    const acc = byGroup.get(g) ?? [0, 0];
    acc[0]++;
    if (d > 0) acc[1]++;
    byGroup.set(g, acc);
  }
  return { inside, insideTwice, total: n, byGroup, depth };
}
