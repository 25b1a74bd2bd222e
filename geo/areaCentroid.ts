import type { MultiPolygon, Polygon, Position } from 'geojson';
import { signedRingArea } from './signedRingArea';

/**
 * A ring whose twice area is at most this fraction of extent × (extent + coordinate size) is
 * flat: far above rounding noise (about 1e-15), far below any real shape (at longitude 100, a
 * ring 1e-10° ≈ 10 µm wide).
 */
const FLAT = 1e-12;

/**
 * Planar area-weighted centroid of a Polygon or MultiPolygon (holes subtract). It may lie
 * outside a concave shape. Flat (collinear) rings have no area and count for nothing.
 *
 * @example
 * areaCentroid({ type: 'Polygon', coordinates: [[[0, 0], [2, 0], [2, 2], [0, 2], [0, 0]]] }); // [1, 1]
 */
export function areaCentroid(geom: Polygon | MultiPolygon): Position {
  if (!geom || (geom.type !== 'Polygon' && geom.type !== 'MultiPolygon')) {
    throw new Error('areaCentroid: expected a Polygon or MultiPolygon');
  }
  const polygons = geom.type === 'Polygon' ? [geom.coordinates] : geom.coordinates;
  let sumA = 0;
  let sumX = 0;
  let sumY = 0;
  for (const rings of polygons) {
    rings.forEach((ring, r) => {
      // exterior counts positive, holes negative, whatever their winding
      const sign = r === 0 ? 1 : -1;
      const ox = ring[0]![0]!;
      const oy = ring[0]![1]!;
      let a = 0;
      let cx = 0;
      let cy = 0;
      let extent = 0;
      for (let i = 0; i < ring.length - 1; i++) {
        const x0 = ring[i]![0]! - ox;
        const y0 = ring[i]![1]! - oy;
        const x1 = ring[i + 1]![0]! - ox;
        const y1 = ring[i + 1]![1]! - oy;
        const cross = x0 * y1 - x1 * y0;
        a += cross;
        cx += (x0 + x1) * cross;
        cy += (y0 + y1) * cross;
        extent = Math.max(extent, Math.abs(x1), Math.abs(y1));
      }
      // A flat (collinear) ring has no area, but the rounding of its coordinates leaves noise in
      // a, in proportion to the ring's extent and the coordinates' size: ignore such a ring.
      if (Math.abs(a) <= FLAT * extent * (extent + Math.max(Math.abs(ox), Math.abs(oy)))) return;
      const w = sign * Math.sign(signedRingArea(ring));
      sumA += w * a;
      sumX += w * (cx / 3 + ox * a);
      sumY += w * (cy / 3 + oy * a);
    });
  }
  if (sumA === 0) throw new Error('areaCentroid: the area is empty');
  return [sumX / sumA, sumY / sumA];
}
