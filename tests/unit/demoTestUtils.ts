/** Shared helpers for the demo-data tests. */
import { createHash } from 'node:crypto';
import { area, booleanPointInPolygon, feature, featureCollection, intersect } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { DemoData } from '../../server/demo/types';

/** The report's date: a fixed anchor keeps the tests independent of today. */
export const ANCHOR = '2024-06-14';

const HOUR = 3_600_000;

/** Local (Asia/Shanghai, UTC+8) hour of an instant. */
export function localHour(t: number): number {
  return Math.floor((t + 8 * HOUR) / HOUR) % 24;
}

/** Local date YYYY-MM-DD of an instant. */
export function localDate(t: number): string {
  return new Date(t + 8 * HOUR).toISOString().slice(0, 10);
}

/** Local weekday (0 = Sunday) of an instant. */
export function localWeekday(t: number): number {
  return new Date(t + 8 * HOUR).getUTCDay();
}

/** SHA-256 of everything: JSON of the objects, raw bytes of the incident columns. */
export function hashDemo(d: DemoData): string {
  const h = createHash('sha256');
  const { incidents, ...rest } = d;
  h.update(JSON.stringify(rest));
  const { lon, lat, time, category, subcategory, status, communityId, ...meta } = incidents;
  h.update(JSON.stringify(meta));
  for (const col of [lon, lat, time, category, subcategory, status, communityId]) {
    h.update(new Uint8Array(col.buffer, col.byteOffset, col.byteLength));
  }
  return h.digest('hex');
}

export function inArea(p: Position, geom: Polygon | MultiPolygon): boolean {
  return booleanPointInPolygon(p, geom);
}

/** Area in m² of the intersection of two areas (0 if they do not intersect). */
export function overlapM2(a: Polygon | MultiPolygon, b: Polygon | MultiPolygon): number {
  const x = intersect(featureCollection([feature(a), feature(b)]));
  return x ? area(x) : 0;
}

/** Whether two bounding boxes of areas overlap (cheap pre-filter for pairwise tests). */
export function bboxesTouch(a: Polygon | MultiPolygon, b: Polygon | MultiPolygon): boolean {
  const box = (g: Polygon | MultiPolygon) => {
    const pts = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).flatMap((p) => p[0]!);
    const xs = pts.map((p) => p[0]!);
    const ys = pts.map((p) => p[1]!);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  };
  const [a0, a1, a2, a3] = box(a) as [number, number, number, number];
  const [b0, b1, b2, b3] = box(b) as [number, number, number, number];
  return a0 <= b2 && b0 <= a2 && a1 <= b3 && b1 <= a3;
}

/** Every position of an area. */
export function positions(geom: Polygon | MultiPolygon): Position[] {
  return (geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates).flat(2);
}

/** Whether a number has at most 6 decimals. */
export function hasSixDecimals(x: number): boolean {
  return Math.round(x * 1e6) / 1e6 === x;
}
