import type { Position } from 'geojson';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';
import { URBAN_CORE } from './places';
import type { Rng } from './random';

/** District population the demo aims at (about 418,000 in the 2020 census share) [V]. */
export const DISTRICT_POPULATION = 418_000;

const RANGES = { community: [4000, 12000], village: [1500, 5000] } as const;

/**
 * Plausible populations: 社区 4,000–12,000 (larger near the urban core), 村 1,500–5,000,
 * scaled so that they sum to DISTRICT_POPULATION exactly while staying in their ranges.
 */
export function assignPopulations(
  entries: readonly { kind: 'village' | 'community'; synthetic: boolean }[],
  seeds: readonly Position[],
  rng: Rng,
): number[] {
  if (entries.length !== seeds.length) throw new Error('assignPopulations: length mismatch');
  const raw = entries.map((e, i) => {
    const [lo, hi] = RANGES[e.kind];
    const near = Math.exp(-approxDistanceMeters(seeds[i]!, URBAN_CORE) / 4000);
    // new growth-area communities are still filling up
    const filled = e.synthetic ? rng.range(0.45, 0.8) : 1;
    const u = Math.min(1, Math.max(0, 0.25 + 0.6 * near * filled + rng.normal() * 0.15));
    return lo + u * (hi - lo);
  });
  const pops = raw.map((r) => Math.round(r));
  // Move the total to the target in small steps, only where a range allows it.
  for (let guard = 0; guard < 100; guard++) {
    const diff = DISTRICT_POPULATION - pops.reduce((s, p) => s + p, 0);
    if (diff === 0) break;
    const room = entries.map((e, i) => {
      const [lo, hi] = RANGES[e.kind];
      return diff > 0 ? hi - pops[i]! : pops[i]! - lo;
    });
    const total = room.reduce((s, r) => s + r, 0);
    if (total <= 0) break;
    let left = diff;
    pops.forEach((p, i) => {
      const step = Math.trunc((diff * room[i]!) / total);
      pops[i] = p + step;
      left -= step;
    });
    if (left !== 0) {
      const i = room.indexOf(Math.max(...room));
      pops[i] = pops[i]! + left;
    }
  }
  return pops;
}
