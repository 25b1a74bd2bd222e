/**
 * Cameras: about 1,800 existing ones where people and incidents are (key sites, checkpoints,
 * arterial roads, incident-dense places), plus exactly 654 "雪亮工程" (Sharp Eyes) infill
 * cameras installed in the last 12 months where the existing ones left gaps.
 */
import type { Position } from 'geojson';
import { point } from '@turf/turf';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';
import { lineLengthMeters } from '../../geo/lineLengthMeters';
import { offsetPosition } from '../../geo/offsetPosition';
import { pointAlongLine } from '../../geo/pointAlongLine';
import { randomPointInArea } from '../../geo/randomPointInArea';
import { communityAt, round6, type DemoContext } from './context';
import { URBAN_CORE } from './places';
import { urbanFactor } from './incidentSpace';
import { createWeightedSampler, type Rng } from './random';
import { ARTERIAL_ROADS } from './roads';
import { fillCameraGaps } from './cameraInfill';
import { cameraOptics, EXISTING_BATCH, INFILL_COUNT, randomCameraKind } from './cameraSpec';
import type { Camera, Site } from '../dataset/types';
import type { CameraKind } from '../../domain/vocabulary';
import { DAY_MS } from './window';

const EXISTING_TARGET = 1800;

/** Builds all cameras: existing ones first, then the infill batch. */
export function buildCameras(ctx: DemoContext, sites: readonly Site[], rng: Rng): Camera[] {
  const existing: Camera[] = [];
  const installed = () =>
    Math.floor(ctx.window.start - rng.range(1, 5 * 365) * DAY_MS - rng.float() * DAY_MS);
  const add = (p: Position, kind: CameraKind, bearing?: number) => {
    const at = round6(p);
    if (communityAt(ctx, at) === null) return;
    existing.push({
      ...cameraOptics(kind, rng, bearing),
      status: rng.chance(0.035) ? 'offline' : 'online',
      batch: EXISTING_BATCH,
      installedAt: installed(),
      geom: point(at).geometry,
    });
  };

  // key sites and checkpoints: several cameras each
  for (const site of sites) {
    const c = site.geom.coordinates;
    const n = site.kind === 'checkpoint' ? 4 + rng.int(3) : 2 + rng.int(4);
    for (let i = 0; i < n; i++) {
      const kind = site.kind === 'checkpoint' ? 'checkpoint' : randomCameraKind(rng, 0.6, 0.35);
      add(offsetPosition(c, rng.normal() * 35, rng.normal() * 35), kind);
    }
  }
  // arterial roads: denser in the city
  for (const road of ARTERIAL_ROADS) {
    const stops = Math.round((lineLengthMeters(road.coordinates) / 1000) * 30 * road.traffic);
    for (let i = 0; i < stops; i++) {
      const { position, bearing } = pointAlongLine(road.coordinates, rng.float());
      const near = Math.exp(-approxDistanceMeters(position, URBAN_CORE) / 3000);
      if (rng.float() > 0.2 + 0.8 * near) continue;
      const side = rng.chance(0.5) ? 90 : -90;
      const rad = ((bearing + side) * Math.PI) / 180;
      const d = rng.range(8, 20);
      const p = offsetPosition(position, Math.sin(rad) * d, Math.cos(rad) * d);
      add(p, randomCameraKind(rng, 0.7, 0.2), bearing + (rng.chance(0.5) ? 0 : 180));
    }
  }
  // the rest where incidents happen (where people live if there are no incidents)
  const inc = ctx.incidents;
  const { communities, seeds } = ctx.layout;
  const byPeople = createWeightedSampler(
    communities.map((c, i) => c.population * urbanFactor(seeds[i]!)),
  );
  while (existing.length < EXISTING_TARGET) {
    const i = rng.int(Math.max(1, inc.count));
    const at =
      inc.count > 0
        ? [inc.lon[i]!, inc.lat[i]!]
        : randomPointInArea(communities[byPeople(rng)]!.geom, rng.float);
    add(offsetPosition(at, rng.normal() * 40, rng.normal() * 40), randomCameraKind(rng, 0.6, 0.35));
  }
  return [...existing, ...fillCameraGaps(ctx, existing, INFILL_COUNT, rng)];
}
