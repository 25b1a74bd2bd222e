/**
 * The deterministic demo-data generator for Ping'an Map: the same seed and anchor always give
 * byte-identical data for an anchor in the past. When the anchor is today the data ends at the
 * moment of generation (`now`), so it also depends on that instant. Every part draws from its
 * own seeded random stream (random.ts); nothing uses Math.random, the clock (except for `now`'s
 * default) or unordered iteration.
 *
 * Parts, in the order they are built:
 * - sourceData.ts: the real district boundary and the 69 real village/community names (data/)
 * - regions.ts (+ townRegions, communitySeeds, communityCatalog, population): towns, communities
 * - incidents.ts (+ incidentMix, incidentTime, incidentSpace): the columnar incident table
 * - sites.ts (+ siteCatalog): key sites and outer checkpoints
 * - disputes.ts, cameras.ts (+ cameraSpec, cameraInfill), circles.ts, zones.ts, patrol.ts
 * - places.ts, roads.ts: fixed places, hot spots and arterial roads (reusable data)
 */
import { createAreaIndex } from '../../geo/createAreaIndex';
import { areaBBox } from '../../geo/areaBBox';
import { buildCameras } from './cameras';
import { buildCircles } from './circles';
import type { DemoContext } from './context';
import { densityGrid } from './density';
import { buildDisputes } from './disputes';
import { generateIncidents } from './incidents';
import { buildUnits } from './patrol';
import { buildZones } from './zones';
import { createRng } from './random';
import { buildSites } from './sites';
import { loadDistrict } from './sourceData';
import { buildRegions } from './regions';
import type { DemoData, DemoOptions } from './types';
import { demoWindow, todayInShanghai } from './window';

export const DEFAULT_SEED = 'chengbei';
/** About 70,000 valid calls a year for the district. */
export const DEFAULT_INCIDENTS = 140_000;
const MAX_INCIDENTS = 5_000_000;

/**
 * Generates the Chengbei demo dataset.
 *
 * @example
 * const data = generateDemo({ seed: 'chengbei', anchor: '2024-06-14' });
 * data.communities.length; // 79
 * data.incidents.count; // 140000
 */
export function generateDemo(opts: DemoOptions = {}): DemoData {
  const seed = opts.seed ?? DEFAULT_SEED;
  if (typeof seed !== 'string') throw new Error('generateDemo: seed must be a string');
  const now = opts.now ?? Date.now();
  const anchor = opts.anchor ?? todayInShanghai(now);
  const total = opts.incidents ?? DEFAULT_INCIDENTS;
  if (!Number.isInteger(total) || total < 0 || total > MAX_INCIDENTS) {
    throw new Error(`generateDemo: incidents must be an integer from 0 to ${MAX_INCIDENTS}`);
  }
  const window = demoWindow(anchor, now);

  const source = loadDistrict();
  const district = { code: source.code, name: source.name, geom: source.geom };
  const layout = buildRegions(district.geom, createRng(seed, 'regions'));
  const { towns } = layout;
  const index = createAreaIndex(layout.communities.map((c) => c.geom));
  const incidents = generateIncidents(window, total, layout, createRng(seed, 'incidents'));
  const density = densityGrid(incidents, areaBBox(district.geom));
  const ctx: DemoContext = { seed, window, district, towns, layout, index, incidents, density };

  const sites = buildSites(ctx, createRng(seed, 'sites'));
  return {
    source: { kind: 'demo', seed, anchor },
    coverage: { start: window.start, end: window.until },
    district,
    towns,
    communities: layout.communities,
    incidents,
    disputes: buildDisputes(ctx, createRng(seed, 'disputes')),
    cameras: buildCameras(ctx, sites, createRng(seed, 'cameras')),
    sites,
    circles: buildCircles(ctx, sites),
    zones: buildZones(ctx),
    units: buildUnits(ctx, createRng(seed, 'units')),
  };
}
