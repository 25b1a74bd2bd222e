import type { Feature, Polygon, Position } from 'geojson';
import { destination } from '@turf/turf';

/** A camera: position (WGS84), heading, horizontal field of view and range. */
export interface CameraSectorInput {
  /** Longitude in degrees, [-180, 180]. */
  lon: number;
  /** Latitude in degrees, [-90, 90]. */
  lat: number;
  /** Heading in degrees clockwise from north, [0, 360] (360 is the same as 0). */
  bearing: number;
  /** Horizontal field of view in degrees, (0, 360]; 360 is a dome covering a full circle. */
  fov: number;
  /** Range in metres, (0, 5000]. */
  rangeM: number;
}

export interface CameraSectorOptions {
  /**
   * Segments along the arc (for a full circle: vertices around it). Default: about one per
   * 5° of field of view, rounded up to an even number (so a vertex lies exactly on the
   * heading) and at least 4; 64 for a full circle.
   */
  steps?: number;
}

export interface CameraSectorProperties {
  bearing: number;
  fov: number;
  rangeM: number;
}

const MAX_RANGE_M = 5000;
const MAX_STEPS = 10_000;
const FULL_CIRCLE_STEPS = 64;
const DEGREES_PER_STEP = 5;
const MIN_ARC_STEPS = 4;
const PRECISION = 1e7;

/**
 * The ground a camera covers, as a GeoJSON Polygon Feature in WGS84: a pie slice from the
 * camera out to `rangeM` between `bearing − fov/2` and `bearing + fov/2`, or a full circle
 * around the camera (no centre vertex) when `fov` is 360. Arc vertices are placed
 * geodesically (spherical earth, turf's `destination`); the exterior ring is closed and
 * counter-clockwise (RFC 7946) and coordinates are rounded to 7 decimals (about 1 cm).
 * A slice's ring starts and ends at the camera. Properties copy `bearing`, `fov` and `rangeM`.
 * Not split at the antimeridian.
 *
 * @example
 *   const sector = cameraSector({ lon: 101.78, lat: 36.65, bearing: 350, fov: 60, rangeM: 40 });
 *   // sector.geometry.coordinates[0]: [[101.78, 36.65], <13 arc vertices from 20° down to 320°>,
 *   //   [101.78, 36.65]]; sector.properties: { bearing: 350, fov: 60, rangeM: 40 }
 */
export function cameraSector(
  camera: CameraSectorInput,
  options: CameraSectorOptions = {},
): Feature<Polygon, CameraSectorProperties> {
  if (typeof camera !== 'object' || camera === null) {
    throw new Error(`cameraSector: camera must be an object, got ${String(camera)}`);
  }
  const { lon, lat, bearing, fov, rangeM } = camera;
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) {
    throw new Error(`cameraSector: camera.lon must be a number in [-180, 180], got ${lon}`);
  }
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw new Error(`cameraSector: camera.lat must be a number in [-90, 90], got ${lat}`);
  }
  if (!Number.isFinite(bearing) || bearing < 0 || bearing > 360) {
    throw new Error(`cameraSector: camera.bearing must be a number in [0, 360], got ${bearing}`);
  }
  if (!Number.isFinite(fov) || fov <= 0 || fov > 360) {
    throw new Error(`cameraSector: camera.fov must be a number in (0, 360], got ${fov}`);
  }
  if (!Number.isFinite(rangeM) || rangeM <= 0 || rangeM > MAX_RANGE_M) {
    throw new Error(
      `cameraSector: camera.rangeM must be a number in (0, ${MAX_RANGE_M}], got ${rangeM}`,
    );
  }
  if (typeof options !== 'object' || options === null) {
    throw new Error(`cameraSector: options must be an object, got ${String(options)}`);
  }
  const fullCircle = fov === 360;
  const { steps: askedSteps } = options;
  const minSteps = fullCircle ? 3 : 1;
  if (
    askedSteps !== undefined &&
    (!Number.isInteger(askedSteps) || askedSteps < minSteps || askedSteps > MAX_STEPS)
  ) {
    throw new Error(
      `cameraSector: options.steps must be an integer in [${minSteps}, ${MAX_STEPS}], got ${askedSteps}`,
    );
  }
  const steps =
    askedSteps ??
    (fullCircle
      ? FULL_CIRCLE_STEPS
      : Math.max(MIN_ARC_STEPS, 2 * Math.ceil(fov / (2 * DEGREES_PER_STEP))));

  const origin: Position = [lon, lat];
  const at = (b: number): Position =>
    roundPosition(destination(origin, rangeM, b, { units: 'meters' }).geometry.coordinates);

  // Bearings grow clockwise, so walking them downwards winds the ring counter-clockwise.
  const ring: Position[] = [];
  if (fullCircle) {
    for (let i = 0; i < steps; i++) ring.push(at(bearing - (i * 360) / steps));
    ring.push([...ring[0]!]);
  } else {
    const centre = roundPosition(origin);
    ring.push(centre);
    for (let i = 0; i <= steps; i++) ring.push(at(bearing + fov / 2 - (i * fov) / steps));
    ring.push([...centre]);
  }

  // Rounding can merge neighbouring vertices of a very short-range camera; drop the repeats.
  const deduped = ring.filter((p, i) => i === 0 || !samePosition(p, ring[i - 1]!));
  if (deduped.length < 4) {
    throw new Error(
      `cameraSector: camera.rangeM is too small to draw at 7-decimal precision, got ${rangeM}`,
    );
  }

  return {
    type: 'Feature',
    properties: { bearing, fov, rangeM },
    geometry: { type: 'Polygon', coordinates: [deduped] },
  };
}

function roundPosition(p: Position): Position {
  return [Math.round(p[0]! * PRECISION) / PRECISION, Math.round(p[1]! * PRECISION) / PRECISION];
}

function samePosition(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
