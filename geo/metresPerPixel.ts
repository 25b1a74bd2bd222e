/** The equator's length (m) in web mercator. */
const EQUATOR_M = 40_075_016.686;

/**
 * Metres per CSS pixel at a latitude and a MapLibre zoom (512-pixel tiles: a zoom's pixel is
 * half the size of the same zoom's in 256-pixel tile schemes).
 *
 * @example
 * metresPerPixel(36.66, 12); // ≈ 15.3
 */
export function metresPerPixel(lat: number, zoom: number): number {
  return (EQUATOR_M * Math.cos((lat * Math.PI) / 180)) / (512 * 2 ** zoom);
}
