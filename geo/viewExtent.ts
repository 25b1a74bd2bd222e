/**
 * Web Mercator views as MapLibre draws them (512-pixel tiles, north up, no tilt): the extent a
 * camera shows at a given size, and the camera that fits an extent into a size with padding.
 * A view saved as an extent shows the same area on any screen; a camera does not.
 */

/** [west, south, east, north] in degrees. */
export type Extent = [number, number, number, number];

export interface ViewCamera {
  lon: number;
  lat: number;
  zoom: number;
}

/** Pixels. */
export interface Size {
  width: number;
  height: number;
}

/** Pixels kept clear at each edge. */
export type Padding = Record<'top' | 'right' | 'bottom' | 'left', number>;

/** MapLibre's world is 512 pixels wide at zoom 0. */
const TILE = 512;
/** Web Mercator's latitude limit. */
const MAX_LAT = 85.051129;

const clampLat = (lat: number) => Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));

/** Longitude to the world's x, 0 (180°W) to 1 (180°E). */
export const mercatorX = (lon: number) => (lon + 180) / 360;

/** Latitude to the world's y, 0 (north) to 1 (south). */
export function mercatorY(lat: number): number {
  const r = (clampLat(lat) * Math.PI) / 180;
  return (1 - Math.log(Math.tan(Math.PI / 4 + r / 2)) / Math.PI) / 2;
}

const lonOfX = (x: number) => x * 360 - 180;
const latOfY = (y: number) => (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;

/** The same padding on every edge. */
export const uniformPadding = (p: number): Padding => ({ top: p, right: p, bottom: p, left: p });

/**
 * The extent a camera shows on a map of `size`.
 *
 * @example
 * extentOfCamera({ lon: 0, lat: 0, zoom: 0 }, { width: 512, height: 512 }); // ≈ [-180, -85.05, 180, 85.05]
 */
export function extentOfCamera(camera: ViewCamera, size: Size): Extent {
  const world = TILE * 2 ** camera.zoom;
  const cx = mercatorX(camera.lon);
  const cy = mercatorY(camera.lat);
  const dx = size.width / 2 / world;
  const dy = size.height / 2 / world;
  return [lonOfX(cx - dx), latOfY(cy + dy), lonOfX(cx + dx), latOfY(cy - dy)];
}

/** Where a point falls on a map of `size` showing `camera`, in pixels from the top left. */
export function projectPoint(
  camera: ViewCamera,
  size: Size,
  [lon, lat]: [number, number],
): [number, number] {
  const world = TILE * 2 ** camera.zoom;
  return [
    size.width / 2 + (mercatorX(lon) - mercatorX(camera.lon)) * world,
    size.height / 2 + (mercatorY(lat) - mercatorY(camera.lat)) * world,
  ];
}

/**
 * The camera that shows all of `extent` on a map of `size`, inside the padding and as large as
 * it fits (tight on one axis, centred on the other), as MapLibre's fitBounds does. A padding
 * that leaves no room is shrunk to leave the map a pixel.
 */
export function fitExtent(
  extent: Extent,
  size: Size,
  padding: Padding = uniformPadding(0),
  maxZoom = 22,
): ViewCamera {
  const [w, s, e, n] = extent;
  const x0 = mercatorX(w);
  const x1 = mercatorX(e);
  const y0 = mercatorY(n);
  const y1 = mercatorY(s);
  const width = Math.max(1, size.width - padding.left - padding.right);
  const height = Math.max(1, size.height - padding.top - padding.bottom);
  const scale = Math.min(width / Math.max(x1 - x0, 1e-12), height / Math.max(y1 - y0, 1e-12));
  const zoom = Math.min(maxZoom, Math.log2(scale / TILE));
  const world = TILE * 2 ** zoom;
  // the extent's centre goes to the centre of the free area, not of the map
  const cx = (x0 + x1) / 2 - (padding.left - padding.right) / 2 / world;
  const cy = (y0 + y1) / 2 - (padding.top - padding.bottom) / 2 / world;
  return { lon: lonOfX(cx), lat: latOfY(cy), zoom };
}

/** Whether `outer` holds all of `inner` (within `eps` degrees). */
export function extentContains(outer: Extent, inner: Extent, eps = 1e-9): boolean {
  return (
    outer[0] <= inner[0] + eps &&
    outer[1] <= inner[1] + eps &&
    outer[2] >= inner[2] - eps &&
    outer[3] >= inner[3] - eps
  );
}
