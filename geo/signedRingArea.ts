import type { Position } from 'geojson';

/**
 * Signed planar area of a closed ring, in squared coordinate units (shoelace formula).
 * Positive when the ring winds counter-clockwise (x east, y north), negative when clockwise.
 *
 * @example
 * signedRingArea([[0, 0], [1, 0], [1, 1], [0, 0]]); // 0.5 (counter-clockwise)
 */
export function signedRingArea(ring: readonly Position[]): number {
  if (!Array.isArray(ring) || ring.length < 3) {
    throw new Error('signedRingArea: a ring needs at least 3 positions');
  }
  let twice = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % ring.length]!;
    twice += a[0]! * b[1]! - b[0]! * a[1]!;
  }
  return twice / 2;
}
