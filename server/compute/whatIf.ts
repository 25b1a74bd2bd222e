/**
 * The counting part of a plan's what-if figures (runs in the compute pool): which of the
 * window's incidents and hot cells lie inside the zones, and how far each incident and each
 * sample point of the district is from the nearest responding unit.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { nearestDistances } from '../../geo/nearestDistances';
import { reachRadiusMeters } from '../../geo/reachRadius';
import { zoneSampleStats } from '../../geo/zoneSampleStats';

type Area = Polygon | MultiPolygon;

export interface Points {
  lon: Float64Array;
  lat: Float64Array;
  group: Int32Array;
}

/** The window's incidents, the Gi* hot cells and the district's sample grid (with people). */
export interface Samples {
  incidents: Points;
  grid: Points & { people: Float64Array };
  hot: { lon: number[]; lat: number[] };
  districtKm2: number;
}

export interface ReachModelLike {
  speedKmh: number;
  detour: number;
}

export const REACH_STEPS = [1, 3, 5] as const;

/** Incidents and hot cells inside the zones, per community [incidents, inside]. */
export function zoneCounts(s: Pick<Samples, 'incidents' | 'hot'>, zones: Area[]) {
  const inc = zoneSampleStats(s.incidents, zones);
  const hot = zoneSampleStats(s.hot, zones);
  return {
    inside: inc.inside,
    total: inc.total,
    hotInside: hot.inside,
    hotTotal: hot.total,
    perCommunity: inc.byGroup,
  };
}

/** Shares of area, people and incidents within 1, 3 and 5 minutes of the units; per community at 3. */
export function reachCounts(
  s: Pick<Samples, 'incidents' | 'grid'>,
  units: [number, number][],
  model: ReachModelLike,
) {
  const dInc = nearestDistances(s.incidents, units);
  const dGrid = nearestDistances(s.grid, units);
  let people = 0;
  for (const p of s.grid.people) people += p;
  const reach = REACH_STEPS.map((minutes) => {
    const r = reachRadiusMeters(minutes, model.speedKmh, model.detour);
    let cells = 0;
    let reached = 0;
    for (let k = 0; k < dGrid.length; k++)
      if (dGrid[k]! <= r) {
        cells++;
        reached += s.grid.people[k]!;
      }
    let inc = 0;
    for (const d of dInc) if (d <= r) inc++;
    return {
      minutes,
      areaShare: dGrid.length ? cells / dGrid.length : 0,
      populationShare: people ? reached / people : 0,
      incidentShare: dInc.length ? inc / dInc.length : 0,
    };
  });
  const r3 = reachRadiusMeters(3, model.speedKmh, model.detour);
  const perCommunity = new Map<number, [number, number]>();
  s.incidents.group.forEach((g, k) => {
    const acc = perCommunity.get(g) ?? [0, 0];
    acc[0]++;
    if (dInc[k]! <= r3) acc[1]++;
    perCommunity.set(g, acc);
  });
  return { reach, perCommunity };
}

export interface WhatIfInput {
  samples: Samples;
  savedZones: Area[];
  savedUnits: [number, number][];
  /** null: the saved zones / units stand */
  draftZones: Area[] | null;
  draftUnits: [number, number][] | null;
  model: ReachModelLike;
}

/** The compute task: the counts for the saved plan and for the draft. */
export function whatIf(input: WhatIfInput) {
  const s = input.samples;
  const savedZones = zoneCounts(s, input.savedZones);
  const savedReach = reachCounts(s, input.savedUnits, input.model);
  return {
    savedZones,
    savedReach,
    draftZones: input.draftZones ? zoneCounts(s, input.draftZones) : savedZones,
    draftReach: input.draftUnits ? reachCounts(s, input.draftUnits, input.model) : savedReach,
  };
}
