import type { MultiPolygon, Polygon, Position } from 'geojson';
import { signedRingArea } from './signedRingArea';

/**
 * Checks a Polygon or MultiPolygon for what makes it invalid or not RFC 7946 compliant and
 * returns a description of each problem (an empty array when there is none): non-finite
 * coordinates, rings that are open, too short, zero-area or have repeated consecutive
 * positions, exteriors that are not counter-clockwise or holes that are not clockwise, edges
 * that cross or overlap (within a ring, between rings, between polygons) and rings that touch
 * themselves. Different rings may touch at single points.
 *
 * Bounded work: edges are compared only with the edges that share a cell of a uniform grid over
 * the geometry (about one cell per edge), so a polygon of 10,000 vertices takes milliseconds.
 * The check stops at `maxProblems` problems (20 by default) and after `maxPairs` edge comparisons
 * (4 million); a geometry that needs more comparisons (very many edges crowded into one place) is
 * reported as too intricate to check.
 *
 * @example
 * findAreaProblems({ type: 'Polygon', coordinates: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] });
 * // ['polygon 0 ring 0 edge 0 and polygon 0 ring 0 edge 2: cross', ...]
 */
export function findAreaProblems(
  geom: Polygon | MultiPolygon,
  opts: { maxProblems?: number; maxPairs?: number } = {},
): string[] {
  const maxProblems = opts.maxProblems ?? 20;
  const maxPairs = opts.maxPairs ?? 4_000_000;
  if (!geom || (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon')) {
    throw new Error('findAreaProblems: expected a Polygon or MultiPolygon');
  }
  const polygons = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  const problems: string[] = [];
  const edges: Edge[] = [];
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
  if (problems.length >= maxProblems) return problems.slice(0, maxProblems);
  const found = crossings(edges, maxProblems - problems.length, maxPairs);
  for (const [x, y, kind] of found.pairs) {
    const e = edges[x]!;
    const f = edges[y]!;
    problems.push(`${e.ring} edge ${e.i} and ${f.ring} edge ${f.i}: ${kind}`);
  }
  if (found.gaveUp)
    problems.push(
      `more than ${maxPairs} pairs of edges lie close together: too intricate to check, simplify the geometry`,
    );
  return problems;
}

type Edge = { a: Position; b: Position; ring: string; i: number };
type Kind = 'cross' | 'overlap' | 'touch';

/**
 * The pairs of edges (indices x < y, in that order) that cross, overlap or touch where they may
 * not, at most `limit` of them, comparing only edges that share a cell of a uniform grid (about
 * one cell per edge; each edge is entered in the cells its line passes through, so a long edge
 * costs the cells along it, not those of its bounding box). `gaveUp` when more than `maxPairs`
 * comparisons would be needed.
 */
function crossings(
  edges: Edge[],
  limit: number,
  maxPairs: number,
): { pairs: [number, number, Kind][]; gaveUp: boolean } {
  const n = edges.length;
  const pairs: [number, number, Kind][] = [];
  if (n < 2 || limit <= 0) return { pairs, gaveUp: false };
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const { a, b } of edges) {
    x0 = Math.min(x0, a[0]!, b[0]!);
    y0 = Math.min(y0, a[1]!, b[1]!);
    x1 = Math.max(x1, a[0]!, b[0]!);
    y1 = Math.max(y1, a[1]!, b[1]!);
  }
  // about one cell per edge, shaped like the edges (tall cells for tall edges), so that long
  // parallel edges do not share many cells
  let mdx = 0;
  let mdy = 0;
  for (const { a, b } of edges) {
    mdx += Math.abs(b[0]! - a[0]!);
    mdy += Math.abs(b[1]! - a[1]!);
  }
  const W = x1 - x0 || 1;
  const H = y1 - y0 || 1;
  const ratio = (W * (mdy || 1)) / (H * (mdx || 1)) || 1;
  const cols = Math.max(1, Math.min(n, Math.round(Math.sqrt(n * ratio))));
  const rows = Math.max(1, Math.min(n, Math.round(n / cols)));
  const w = W / cols;
  const h = H / rows;
  const col = (x: number) => Math.min(cols - 1, Math.max(0, Math.floor((x - x0) / w)));
  const row = (y: number) => Math.min(rows - 1, Math.max(0, Math.floor((y - y0) / h)));
  // a little slack, so that a point on a cell's border is in both cells
  const ex = w * 1e-9;
  const ey = h * 1e-9;
  const cells = new Map<number, number[]>();
  // the same pair may share several cells: report it once
  const seen = new Set<number>();
  let work = 0;
  // each edge is compared with the edges entered before it in the cells it enters, so a
  // geometry full of crossings is told after a few edges
  const enter = (c: number, r: number, k: number): boolean => {
    const key = r * cols + c;
    let list = cells.get(key);
    if (!list) cells.set(key, (list = []));
    work += 1 + list.length;
    if (work > maxPairs) return false;
    const f = edges[k]!;
    for (const x of list) {
      const e = edges[x]!;
      const kind = relation(e.a, e.b, f.a, f.b);
      // a ring may not touch itself; different rings may touch at single points
      if (kind === 'none' || (kind === 'touch' && e.ring !== f.ring)) continue;
      const id = x * n + k;
      if (seen.has(id)) continue;
      seen.add(id);
      pairs.push([x, k, kind]);
      if (pairs.length >= limit) return false;
    }
    list.push(k);
    return true;
  };
  for (let k = 0; k < n; k++) {
    const [ax, ay] = edges[k]!.a as [number, number];
    const [bx, by] = edges[k]!.b as [number, number];
    const c0 = col(Math.min(ax, bx) - ex);
    const c1 = col(Math.max(ax, bx) + ex);
    for (let c = c0; c <= c1; c++) {
      // the part of the edge within this column of cells
      const lo = Math.max(Math.min(ax, bx), x0 + c * w);
      const hi = Math.min(Math.max(ax, bx), x0 + (c + 1) * w);
      const at = (x: number) => (bx === ax ? ay : ay + ((by - ay) * (x - ax)) / (bx - ax));
      const ya = bx === ax ? Math.min(ay, by) : Math.min(at(lo), at(hi));
      const yb = bx === ax ? Math.max(ay, by) : Math.max(at(lo), at(hi));
      for (let r = row(ya - ey), r1 = row(yb + ey); r <= r1; r++)
        if (!enter(c, r, k)) return { pairs: sorted(pairs), gaveUp: work > maxPairs };
    }
  }
  return { pairs: sorted(pairs), gaveUp: false };
}

const sorted = (pairs: [number, number, Kind][]) =>
  pairs.sort((p, q) => p[0] - q[0] || p[1] - q[1]);

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
  const ax = a[0]!;
  const ay = a[1]!;
  const bx = b[0]!;
  const by = b[1]!;
  const cx = c[0]!;
  const cy = c[1]!;
  const dx = d[0]!;
  const dy = d[1]!;
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
