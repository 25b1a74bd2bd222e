/**
 * The search of "suggest posts" (runs in the compute pool): the maximal covering location
 * problem on the demand cells, then the incidents within reach before and after, counted on the
 * incidents themselves.
 */
import { maxCoveringLocations, type CoveringProblem } from '../../geo/maxCoveringLocations';
import { nearestDistances } from '../../geo/nearestDistances';

export interface CoveringSearchInput {
  problem: CoveringProblem;
  incidents: { lon: Float64Array; lat: Float64Array };
  /** the responding units as they are */
  beforeSites: [number, number][];
}

export function coveringSearch(input: CoveringSearchInput) {
  const { problem: p, incidents } = input;
  const sol = maxCoveringLocations(p);
  const within = (sites: [number, number][]) => {
    let n = 0;
    for (const d of nearestDistances(incidents, sites)) if (d <= p.radiusMeters) n++;
    return n;
  };
  const afterSites = [
    ...(p.fixed ?? []).map((i) => p.candidates[i]!),
    ...sol.chosen.map((i) => p.candidates[i]!),
  ];
  return { chosen: sol.chosen, before: within(input.beforeSites), after: within(afterSites) };
}
