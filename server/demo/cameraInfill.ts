/**
 * Where the Sharp Eyes infill cameras go: on the 100 m density grid, candidate places are
 * weighted by incidents and residents; greedily, the place with the best product of weight and
 * distance to the nearest camera so far (existing or already picked, capped at 300 m) gets the
 * next camera, so the new cameras fill the blind spots that matter.
 */
import { area, point } from '@turf/turf';
import { offsetPosition } from '../../geo/offsetPosition';
import { communityAt, round6, type DemoContext } from './context';
import { cameraOptics, INFILL_BATCH, randomCameraKind } from './cameraSpec';
import type { Rng } from './random';
import type { Camera } from '../dataset/types';
import { DAY_MS } from './window';

/** Gaps at least this wide (metres) count as fully blind. */
const BLIND_M = 300;

/** Picks `count` infill cameras (batch 'sharp-eyes-infill') around the existing ones. */
export function fillCameraGaps(
  ctx: DemoContext,
  existing: readonly Camera[],
  count: number,
  rng: Rng,
): Camera[] {
  const grid = ctx.density;
  const { communities } = ctx.layout;
  const residentsPerKm2 = communities.map((c) => c.population / (area(c.geom) / 1e6));
  const cellKm2 = (grid.cellM / 1000) ** 2;
  const cells: number[] = [];
  const weight: number[] = [];
  const slot = new Int32Array(grid.counts.length).fill(-1);
  for (let c = 0; c < grid.counts.length; c++) {
    const [lon, lat] = grid.centre(c) as [number, number];
    const i = ctx.index.find(lon, lat);
    if (i < 0) continue;
    slot[c] = cells.length;
    cells.push(c);
    weight.push(Math.sqrt(grid.counts[c]! + (residentsPerKm2[i]! * cellKm2) / 10));
  }
  const gap = new Float64Array(cells.length).fill(BLIND_M);
  /** A camera at local (x, y) metres narrows the gaps of the cells around it. */
  const cover = (x: number, y: number) => {
    const r = Math.ceil(BLIND_M / grid.cellM);
    const cx = Math.floor(x / grid.cellM);
    const cy = Math.floor(y / grid.cellM);
    for (let j = Math.max(0, cy - r); j <= Math.min(grid.ny - 1, cy + r); j++) {
      for (let i = Math.max(0, cx - r); i <= Math.min(grid.nx - 1, cx + r); i++) {
        const k = slot[j * grid.nx + i]!;
        if (k < 0) continue;
        const d = Math.hypot((i + 0.5) * grid.cellM - x, (j + 0.5) * grid.cellM - y);
        if (d < gap[k]!) gap[k] = d;
      }
    }
  };
  for (const cam of existing)
    cover(...grid.local(cam.geom.coordinates[0]!, cam.geom.coordinates[1]!));

  const out: Camera[] = [];
  while (out.length < count) {
    let best = -1;
    let bestScore = 0;
    for (let k = 0; k < cells.length; k++) {
      const score = weight[k]! * gap[k]!;
      if (score > bestScore) [best, bestScore] = [k, score];
    }
    if (best < 0) throw new Error('fillCameraGaps: no candidate place left');
    const centre = grid.centre(cells[best]!);
    let p = round6(offsetPosition(centre, rng.range(-30, 30), rng.range(-30, 30)));
    if (communityAt(ctx, p) === null) p = round6(centre);
    cover(...grid.local(p[0]!, p[1]!));
    gap[best] = 0;
    out.push({
      ...cameraOptics(randomCameraKind(rng, 0.55, 0.35), rng),
      status: rng.chance(0.01) ? 'offline' : 'online',
      batch: INFILL_BATCH,
      installedAt: Math.floor(ctx.window.end - rng.range(3, 365) * DAY_MS),
      geom: point(p).geometry,
    });
  }
  return out;
}
