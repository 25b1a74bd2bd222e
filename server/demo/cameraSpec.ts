import type { Rng } from './random';
import type { Camera } from '../dataset/types';
import type { CameraKind } from '../../domain/vocabulary';

export const EXISTING_BATCH = 'existing';
export const INFILL_BATCH = 'sharp-eyes-infill';
/** The 654 new Sharp Eyes (雪亮工程) cameras placed to fill blind spots [V]. */
export const INFILL_COUNT = 654;

/**
 * The optics of a camera of a kind [L]: bullet (枪机) 40–80°, 20–50 m; dome/PTZ (球机) 360°,
 * 100–150 m; checkpoint/face capture 30–40°, 10–25 m. Bearing in degrees clockwise from north.
 */
export function cameraOptics(
  kind: CameraKind,
  rng: Rng,
  bearing = rng.range(0, 360),
): Pick<Camera, 'kind' | 'bearing' | 'fov' | 'rangeM'> {
  const fov = kind === 'dome' ? 360 : kind === 'bullet' ? rng.range(40, 80) : rng.range(30, 40);
  const rangeM =
    kind === 'dome'
      ? rng.range(100, 150)
      : kind === 'bullet'
        ? rng.range(20, 50)
        : rng.range(10, 25);
  return {
    kind,
    bearing: (Math.round((((bearing % 360) + 360) % 360) * 10) / 10) % 360,
    fov: Math.round(fov),
    rangeM: Math.round(rangeM),
  };
}

/** A random camera kind: bullet with probability `bullet`, dome with `dome`, else checkpoint. */
export function randomCameraKind(rng: Rng, bullet: number, dome: number): CameraKind {
  const u = rng.float();
  return u < bullet ? 'bullet' : u < bullet + dome ? 'dome' : 'checkpoint';
}
