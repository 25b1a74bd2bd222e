/**
 * The geometry checker's bounded search for crossing edges finds exactly what comparing every
 * pair of edges finds, stops at the first problems, and gives up (saying so) rather than work
 * without bound.
 */
import fc from 'fast-check';
import type { Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { findAreaProblems } from '../../geo/findAreaProblems';

/** The pair problems found by comparing every pair of edges (the reference). */
function naivePairs(g: Polygon): string[] {
  const edges: { a: Position; b: Position; ring: string; i: number }[] = [];
  g.coordinates.forEach((ring, r) => {
    if (ring.length < 4) return;
    for (let i = 1; i < ring.length; i++) {
      const a = ring[i - 1]!;
      const b = ring[i]!;
      if (a[0] !== b[0] || a[1] !== b[1])
        edges.push({ a, b, ring: `polygon 0 ring ${r}`, i: i - 1 });
    }
  });
  const out: string[] = [];
  for (let x = 0; x < edges.length; x++)
    for (let y = x + 1; y < edges.length; y++) {
      const e = edges[x]!;
      const f = edges[y]!;
      const kind = relation(e.a, e.b, f.a, f.b);
      if (kind === 'none' || (kind === 'touch' && e.ring !== f.ring)) continue;
      out.push(`${e.ring} edge ${e.i} and ${f.ring} edge ${f.i}: ${kind}`);
    }
  return out;
}

function relation(a: Position, b: Position, c: Position, d: Position) {
  const [ax, ay, bx, by, cx, cy, dx, dy] = [a[0]!, a[1]!, b[0]!, b[1]!, c[0]!, c[1]!, d[0]!, d[1]!];
  if (Math.max(ax, bx) < Math.min(cx, dx) || Math.max(cx, dx) < Math.min(ax, bx)) return 'none';
  if (Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) return 'none';
  const o1 = Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
  const o2 = Math.sign((bx - ax) * (dy - ay) - (by - ay) * (dx - ax));
  const o3 = Math.sign((dx - cx) * (ay - cy) - (dy - cy) * (ax - cx));
  const o4 = Math.sign((dx - cx) * (by - cy) - (dy - cy) * (bx - cx));
  if (o1 === 0 && o2 === 0) {
    const h = Math.abs(bx - ax) >= Math.abs(by - ay);
    const [p0, p1] = h
      ? [Math.min(ax, bx), Math.max(ax, bx)]
      : [Math.min(ay, by), Math.max(ay, by)];
    const [q0, q1] = h
      ? [Math.min(cx, dx), Math.max(cx, dx)]
      : [Math.min(cy, dy), Math.max(cy, dy)];
    return Math.min(p1, q1) - Math.max(p0, q0) > 0 ? 'overlap' : 'none';
  }
  if (o1 * o2 < 0 && o3 * o4 < 0) return 'cross';
  const between = (a: Position, b: Position, p: Position) => {
    const t =
      Math.abs(b[0]! - a[0]!) >= Math.abs(b[1]! - a[1]!)
        ? (p[0]! - a[0]!) / (b[0]! - a[0]!)
        : (p[1]! - a[1]!) / (b[1]! - a[1]!);
    return t > 0 && t < 1;
  };
  if ((o1 === 0 && between(a, b, c)) || (o2 === 0 && between(a, b, d))) return 'touch';
  if ((o3 === 0 && between(c, d, a)) || (o4 === 0 && between(c, d, b))) return 'touch';
  return 'none';
}

const pairProblems = (problems: string[]) => problems.filter((p) => / edge \d+ and /.test(p));

/** A star polygon of n vertices whose every edge crosses many others. */
function star(n: number): Polygon {
  const ring: Position[] = [];
  const step = Math.floor(n / 2) - 1;
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * ((i * step) % n)) / n;
    ring.push([101.7 + 0.01 * Math.cos(a), 36.6 + 0.01 * Math.sin(a)]);
  }
  ring.push(ring[0]!);
  return { type: 'Polygon', coordinates: [ring] };
}

describe('findAreaProblems', () => {
  it('finds the same crossings, overlaps and touches as comparing every pair of edges', () => {
    // small integer coordinates make crossings, shared points and collinear overlaps common
    const point = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }));
    const ring = fc.array(point, { minLength: 3, maxLength: 14 }).map((ps) => [...ps, ps[0]!]);
    fc.assert(
      fc.property(fc.array(ring, { minLength: 1, maxLength: 3 }), (rings) => {
        const g: Polygon = { type: 'Polygon', coordinates: rings };
        const bounded = pairProblems(findAreaProblems(g, { maxProblems: Infinity }));
        expect(bounded).toEqual(naivePairs(g));
      }),
      { numRuns: 400 },
    );
  });

  it('stops at the first problems of a 10,000-vertex self-crossing star', () => {
    const problems = findAreaProblems(star(10_000));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.length).toBeLessThanOrEqual(20);
    expect(problems.every((p) => /: cross$/.test(p))).toBe(true);
  });

  it('gives up, saying so, when too many edges lie close together', () => {
    // a valid square whose corner holds a fine sawtooth of 4,000 edges: all in one place
    const ring: Position[] = [];
    for (let t = 0; t < 2000; t++) ring.push([t * 5e-7, 0], [t * 5e-7 + 2.5e-7, 5e-4]);
    ring.push([0.001, 0], [1, 0], [1, 1], [0, 1], [0, 0]);
    const g: Polygon = { type: 'Polygon', coordinates: [ring] };
    expect(findAreaProblems(g, { maxPairs: 1e9 })).toEqual([]);
    expect(findAreaProblems(g)).toEqual([
      'more than 4000000 pairs of edges lie close together: too intricate to check, simplify the geometry',
    ]);
  });

  it('checks a long comb of thin teeth in full (cells shaped like the edges)', () => {
    const ring: Position[] = [[0, 0]];
    for (let t = 0; t < 3000; t++)
      ring.push(
        [t * 1e-3, 10],
        [t * 1e-3 + 5e-4, 10],
        [t * 1e-3 + 5e-4, 0.001],
        [t * 1e-3 + 7e-4, 0.001],
      );
    ring.push([3, 0], [0, 0]);
    expect(
      findAreaProblems({ type: 'Polygon', coordinates: [ring.reverse()] }, { maxPairs: 200_000 }),
    ).toEqual([]);
  });

  it('reports at most maxProblems problems', () => {
    const problems = findAreaProblems(star(101), { maxProblems: 3 });
    expect(problems).toHaveLength(3);
  });
});
