/**
 * What the 110 calls are: category shares [G] after DOMAIN.md and the subcategories within
 * each category, with exact integer counts for a total.
 */
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../domain/vocabulary';

export const CATEGORY_SHARES: Readonly<Record<IncidentCategory, number>> = {
  criminal: 0.08,
  public_order: 0.12,
  traffic: 0.19,
  dispute: 0.13,
  assistance: 0.4,
  fire: 0.007,
  report: 0.003,
  other: 0.07,
};

/** Subcategories per category with their shares within it; codes are unique. */
export const SUBCATEGORY_SHARES: Readonly<Record<IncidentCategory, Record<string, number>>> = {
  // theft ~60% (两抢: robbery + snatching ~2%), telecom fraud ~30%
  criminal: {
    theft: 0.6,
    fraud: 0.3,
    robbery: 0.01,
    snatching: 0.01,
    assault: 0.05,
    vandalism: 0.03,
  },
  public_order: { fight: 0.3, noise: 0.3, gambling: 0.1, disturbance: 0.3 },
  traffic: { collision: 0.65, congestion: 0.3, drunk_driving: 0.05 },
  dispute: { neighbour: 0.35, family: 0.3, property: 0.2, labour: 0.15 },
  assistance: { lost_person: 0.1, unlock: 0.3, medical: 0.35, elderly: 0.25 },
  fire: { building_fire: 0.7, vehicle_fire: 0.3 },
  report: { tip_off: 1 },
  other: { other: 1 },
};

/** Every subcategory code, in a fixed order: IncidentColumns.subcategories. */
export const SUBCATEGORY_CODES: readonly string[] = INCIDENT_CATEGORIES.flatMap((c) =>
  Object.keys(SUBCATEGORY_SHARES[c]),
);

/** One (category, subcategory) cell of the mix with its count. */
export interface MixCell {
  category: IncidentCategory;
  /** index into INCIDENT_CATEGORIES */
  categoryIndex: number;
  subcategory: string;
  /** index into SUBCATEGORY_CODES */
  subcategoryIndex: number;
  count: number;
}

/**
 * Splits a total into integer counts by shares, rounding by largest remainder so that the
 * counts add up exactly (ties go to the earlier entry).
 *
 * @example
 * splitByShares(10, [0.5, 0.25, 0.25]); // [5, 3, 2]
 */
export function splitByShares(total: number, shares: readonly number[]): number[] {
  if (!Number.isInteger(total) || total < 0) throw new Error('splitByShares: bad total');
  const sum = shares.reduce((s, x) => s + x, 0);
  if (!(sum > 0)) throw new Error('splitByShares: shares sum to zero');
  const exact = shares.map((s) => (total * s) / sum);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((s, c) => s + c, 0);
  const order = exact
    .map((e, i) => ({ i, r: e - Math.floor(e) }))
    .sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left-- <= 0) break;
    counts[i]!++;
  }
  return counts;
}

/** The exact counts per (category, subcategory) for a total number of incidents. */
export function incidentMix(total: number): MixCell[] {
  const perCategory = splitByShares(
    total,
    INCIDENT_CATEGORIES.map((c) => CATEGORY_SHARES[c]),
  );
  return INCIDENT_CATEGORIES.flatMap((category, categoryIndex) => {
    const subs = Object.entries(SUBCATEGORY_SHARES[category]);
    const counts = splitByShares(
      perCategory[categoryIndex]!,
      subs.map(([, s]) => s),
    );
    return subs.map(([subcategory], j) => ({
      category,
      categoryIndex,
      subcategory,
      subcategoryIndex: SUBCATEGORY_CODES.indexOf(subcategory),
      count: counts[j]!,
    }));
  });
}
