import type { MultiPolygon, Polygon, Position } from 'geojson';
import { signedRingArea } from './signedRingArea';

/**
 * Checks a Polygon or MultiPolygon for what makes it invalid or not RFC 7946 compliant and
 * returns a description of each problem (an empty array when there is none): non-finite
 * coordinates, rings that are open, too short, zero-area or have repeated consecutive
 * positions, exteriors that are not counter-clockwise or holes that are not clockwise, edges
 * that cross or overlap (within a ring, between rings, between polygons) and rings that touch
 * themselves. Different rings may touch at single points. Naive O(n²) in the number of edges:
 * fine up to a few thousand.
 *
 * @example
 * findAreaProblems({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] });
 * // ['polygon 0 ring 0 edge 0 and polygon 0 ring 0 edge 2: cross', ...]
 */
export function findAreaProblems(geom: Polygon | MultiPolygon): string[] {
  if (!geom || (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon')) {
    throw new Error('findAreaProblems: expected a Polygon or MultiPolygon');
  }
  const polygons = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  const problems: string[] = [];
  const edges: { a: Position; b: Position; ring: string; i: number }[] = [];
  polygons.forEach((rings, p) => {
    if (rings.length === 0) problems.push(`polygon ${p}: no rings`);
    rings.forEach((ring, r) => {
      const name = `polygon ${p} ring ${r}`;
      if (ring.length < 4) return void problems.push(`${name}: fewer than 4 positions`);
      if (!ring.every((q) => q.length >= 2 && Number.isFinite(q[0]) && Number.isFinite(q[1]))) {
        return void problems.push(`${name}: non-finite coordinates`);
      }
      const first = ring[0]!;
      const last = ring[ring.length - 1]!;
      if (first[0] !== last[0] || first[1] !== last[1]) problems.push(`${name}: not closed`);
      const area = signedRingArea(ring);
      if (area === 0) problems.push(`${name}: zero area`);
      else if (r === 0 && area < 0) problems.push(`${name}: exterior is clockwise`);
      else if (r > 0 && area > 0) problems.push(`${name}: hole is counter-clockwise`);
      for (let i = 1; i < ring.length; i++) {
        const a = ring[i - 1]!;
        const b = ring[i]!;
        if (a[0] === b[0] && a[1] === b[1]) problems.push(`${name}: repeated position at ${i}`);
        else edges.push({ a, b, ring: name, i: i - 1 });
      }
      problems.push(...pinches(ring).map((where) => `${name}: touches itself at ${where}`));
    });
  });
  for (let x = 0; x < edges.length; x++) {
    for (let y = x + 1; y < edges.length; y++) {
      const e = edges[x]!;
      const f = edges[y]!;
      const kind = relation(e.a, e.b, f.a, f.b);
      // a ring may not touch itself; different rings may touch at single points
      if (kind === 'none' || (kind === 'touch' && e.ring !== f.ring)) continue;
      problems.push(`${e.ring} edge ${e.i} and ${f.ring} edge ${f.i}: ${kind}`);
    }
  }
  return problems;
}

/**
 * Where a ring passes more than once through the same vertex, as "lon,lat (positions i and j)":
 * two edges that are not neighbours meet there, which the edge comparison (where a shared end
 * point is no problem) does not see. The closing position and repeated consecutive positions
 * (reported on their own) do not count.
 */
function pinches(ring: Position[]): string[] {
  const closed = ring[0]![0] === ring.at(-1)![0] && ring[0]![1] === ring.at(-1)![1];
  const last = closed ? ring.length - 2 : ring.length - 1;
  const visits = new Map<string, number[]>();
  for (let i = 0; i <= last; i++) {
    const [x, y] = ring[i]!;
    // a repeat of the previous position (the last one's previous is the first) is no new visit
    const prev = i > 0 ? ring[i - 1]! : ring[last]!;
    if (prev[0] === x && prev[1] === y) continue;
    const key = `${x},${y}`;
    if (visits.has(key)) visits.get(key)!.push(i);
    else visits.set(key, [i]);
  }
  return [...visits]
    .filter(([, at]) => at.length > 1)
    .map(([key, at]) => `${key} (positions ${at.slice(0, -1).join(', ')} and ${at.at(-1)})`);
}

/**
 * How two segments meet: 'cross' (interiors cross), 'overlap' (collinear with shared length),
 * 'touch' (an endpoint of one lies inside the other), or 'none' (disjoint, or sharing an
 * endpoint only).
 */
function relation(
  a: Position,
  b: Position,
  c: Position,
  d: Position,
): 'cross' | 'overlap' | 'touch' | 'none' {
  const [ax, ay, bx, by, cx, cy, dx, dy] = [a[0]!, a[1]!, b[0]!, b[1]!, c[0]!, c[1]!, d[0]!, d[1]!];
  if (Math.max(ax, bx) < Math.min(cx, dx) || Math.max(cx, dx) < Math.min(ax, bx)) return 'none';
  if (Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) return 'none';
  const o1 = Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
  const o2 = Math.sign((bx - ax) * (dy - ay) - (by - ay) * (dx - ax));
  const o3 = Math.sign((dx - cx) * (ay - cy) - (dy - cy) * (ax - cx));
  const o4 = Math.sign((dx - cx) * (by - cy) - (dy - cy) * (bx - cx));
  if (o1 === 0 && o2 === 0) {
    // collinear: overlapping if the projections share more than a point
    const horizontal = Math.abs(bx - ax) >= Math.abs(by - ay);
    const [p0, p1] = horizontal
      ? [Math.min(ax, bx), Math.max(ax, bx)]
      : [Math.min(ay, by), Math.max(ay, by)];
    const [q0, q1] = horizontal
      ? [Math.min(cx, dx), Math.max(cx, dx)]
      : [Math.min(cy, dy), Math.max(cy, dy)];
    return Math.min(p1, q1) - Math.max(p0, q0) > 0 ? 'overlap' : 'none';
  }
  // proper crossing: each segment strictly separates the other's endpoints
  if (o1 * o2 < 0 && o3 * o4 < 0) return 'cross';
  if ((o1 === 0 && between(a, b, c)) || (o2 === 0 && between(a, b, d))) return 'touch';
  if ((o3 === 0 && between(c, d, a)) || (o4 === 0 && between(c, d, b))) return 'touch';
  return 'none';
}

/** Whether p (collinear with a-b) lies strictly inside the segment a-b. */
function between(a: Position, b: Position, p: Position): boolean {
  const t =
    Math.abs(b[0]! - a[0]!) >= Math.abs(b[1]! - a[1]!)
      ? (p[0]! - a[0]!) / (b[0]! - a[0]!)
      : (p[1]! - a[1]!) / (b[1]! - a[1]!);
  return t > 0 && t < 1;
}
