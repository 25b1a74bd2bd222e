/**
 * The checks of a zone's geometry that need no database: positions on the globe, then what
 * makes it invalid (geo/findAreaProblems, bounded: it stops at the first problems). Winding is
 * fixed, not refused. Pure, so that it runs in the compute pool's workers.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { findAreaProblems } from '../../geo/findAreaProblems';
import { rewindArea } from '../../geo/rewindArea';

/** Vertices in one zone's geometry. */
export const MAX_ZONE_VERTICES = 10_000;
/** Problems reported for one geometry: the first ones are enough to fix it. */
export const MAX_PROBLEMS = 10;

export function positionProblem(where: string, q: readonly number[]): string | null {
  const [lon, lat] = q as [number, number];
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return `${where} is not a number`;
  if (Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return (
      `${where} (${lon}, ${lat}) is off the globe` +
      (Math.abs(lon) <= 90 && Math.abs(lat) <= 180 ? ': swapped latitude and longitude?' : '')
    );
  return null;
}

/** The number of positions in a Polygon or MultiPolygon. */
export function vertexCount(g: { type: string; coordinates: unknown }): number {
  const polygons = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as unknown[][][];
  let n = 0;
  for (const rings of polygons) for (const ring of rings) n += ring.length;
  return n;
}

/** Everything wrong with a zone's geometry that can be told without the database (at most MAX_PROBLEMS). */
export function geometryProblems(g: Polygon | MultiPolygon): string[] {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const n = vertexCount(g);
  if (n > MAX_ZONE_VERTICES) return [`geometry: ${n} vertices, at most ${MAX_ZONE_VERTICES}`];
  const out: string[] = [];
  for (const [p, rings] of polygons.entries())
    for (const [r, ring] of rings.entries())
      for (const [i, q] of ring.entries()) {
        const problem = positionProblem(`geometry: polygon ${p} ring ${r} position ${i}`, q);
        if (problem) out.push(problem);
        if (out.length >= 5) return out;
      }
  if (out.length) return out;
  // winding is fixed, not refused (the checker reports it: leave it out)
  return findAreaProblems(rewindArea(g), { maxProblems: MAX_PROBLEMS + 4 })
    .filter((m) => !/clockwise/.test(m))
    .slice(0, MAX_PROBLEMS)
    .map((m) => `geometry: ${m}`);
}

/** The compute task: the problems of several geometries, each list prefixed with its place. */
export function checkGeometry(input: { geometries: (Polygon | MultiPolygon)[] }): string[][] {
  return input.geometries.map((g) => geometryProblems(g));
}
