/**
 * The incident table: about 140,000 110 calls over the 24-month window, as columnar typed
 * arrays sorted by time. Counts per category and subcategory are exact (largest remainder);
 * telecom fraud in the last 12 months is 35.31% below the 12 months before, by construction.
 */
import { incidentMix, splitByShares, SUBCATEGORY_CODES, type MixCell } from './incidentMix';
import { createSpaceModel, type SpatialSource } from './incidentSpace';
import {
  before,
  createTimeSampler,
  profileWeight,
  type TimeProfile,
  type TimeSampler,
} from './incidentTime';
import type { CommunityLayout } from './regions';
import { EMERGING_HOT_SPOT_COMMUNITIES, NIGHT_MARKET, type HotSpot } from './places';
import type { Rng } from './random';
import type { IncidentColumns } from '../dataset/types';
import { INCIDENT_STATUSES, type IncidentCategory } from '../../domain/vocabulary';
import { DAY_MS, HOUR_MS, windowDays, type DemoWindow, type WindowDay } from './window';

/** Year-on-year fall of telecom fraud cases the report states [V]. */
export const FRAUD_DROP = 0.3531;

/** Days before the end over which the emerging hot spots grow from nothing. */
const EMERGING_DAYS = 270;

export const SOURCES: readonly SpatialSource[] = [
  'urban',
  'residential',
  'road',
  'hotspot',
  'night_market',
  'emerging',
];

/**
 * Share of each spatial source per category, in SOURCES order [G]. The night-market column
 * holds for a window with two full May–October seasons of the night market; with fewer
 * evenings it shrinks in proportion (the rest goes to 'urban'), so the peak per evening stays
 * the same and the yearly totals stay balanced.
 */
export const SOURCE_MIX: Readonly<Record<IncidentCategory, readonly number[]>> = {
  criminal: [0.7, 0, 0.05, 0.15, 0.07, 0.03],
  public_order: [0.62, 0, 0.05, 0.15, 0.14, 0.04],
  traffic: [0.33, 0, 0.6, 0.04, 0.01, 0.02],
  dispute: [0, 0.86, 0, 0.05, 0.04, 0.05],
  assistance: [0.21, 0.64, 0.05, 0.06, 0.02, 0.02],
  fire: [0, 0.93, 0.05, 0, 0, 0.02],
  report: [0.3, 0.7, 0, 0, 0, 0],
  other: [0.52, 0.25, 0.05, 0.1, 0.05, 0.03],
};

/** Night-market evenings in two full seasons (May–October has 184 days). */
const FULL_NIGHT_MARKET_EVENINGS = 2 * 184;

/** The rhythm a kind of call follows. */
export function timeProfile(cell: Pick<MixCell, 'category' | 'subcategory'>): TimeProfile {
  if (cell.subcategory === 'fraud') return 'fraud';
  if (cell.subcategory === 'assault') return 'public_order';
  switch (cell.category) {
    case 'criminal':
    case 'public_order':
    case 'traffic':
    case 'fire':
    case 'dispute':
      return cell.category;
    default:
      return 'general';
  }
}

/**
 * Splits the fraud cases into [previous 12 months, last 12 months] so that
 * (prev − last) / prev is as close to FRAUD_DROP as integers allow.
 *
 * @example
 * splitFraud(3360); // [2040, 1320]: a drop of 35.29%
 */
export function splitFraud(total: number): [number, number] {
  let best: [number, number] = [total, 0];
  let bestErr = Infinity;
  for (let prev = Math.ceil(total / 2); prev <= total; prev++) {
    const err = Math.abs((prev - (total - prev)) / prev - FRAUD_DROP);
    if (err < bestErr) [best, bestErr] = [[prev, total - prev], err];
  }
  return best;
}

/** Status of a call by its age at the end of the data: recent ones may still be open. */
function status(ageMs: number, u: number): number {
  // indexes into INCIDENT_STATUSES
  const [open, dispatched, closed] = STATUS_INDEX;
  if (ageMs < 2 * HOUR_MS) return u < 0.4 ? open : u < 0.85 ? dispatched : closed;
  if (ageMs < 12 * HOUR_MS) return u < 0.05 ? open : u < 0.25 ? dispatched : closed;
  if (ageMs < 3 * DAY_MS) return u < 0.03 ? dispatched : closed;
  return closed;
}
const STATUS_INDEX = (['open', 'dispatched', 'closed'] as const).map((s) =>
  INCIDENT_STATUSES.indexOf(s),
) as [number, number, number];

/** Whether the 豹街 evening peak runs on the evening of this day (May–Oct, once opened). */
export function nightMarketEvening(day: WindowDay): boolean {
  return (
    day.date >= NIGHT_MARKET.opened &&
    (NIGHT_MARKET.months as readonly number[]).includes(day.month)
  );
}

const NIGHT_HOURS: Readonly<Record<number, number>> = {
  18: 1,
  19: 2,
  20: 3,
  21: 3.2,
  22: 2.8,
  23: 2,
  0: 1.2,
  1: 0.6,
};

/** The emerging hot spots: around the seeds of their communities. */
export function emergingHotSpots(layout: CommunityLayout): HotSpot[] {
  return EMERGING_HOT_SPOT_COMMUNITIES.flatMap((name) => {
    const i = layout.communities.findIndex((c) => c.name === name);
    return i < 0 ? [] : [{ name, centre: layout.seeds[i]!, sigmaM: 260, weight: 1 }];
  });
}

/** Generates the incidents of a window, every one before `w.until` (the moment of generation). */
export function generateIncidents(
  w: DemoWindow,
  total: number,
  layout: CommunityLayout,
  rng: Rng,
): IncidentColumns {
  const days = windowDays(w);
  const space = createSpaceModel(layout, emergingHotSpots(layout), rng);
  const trend = (d: number) => 1 + (0.02 * d) / 365;
  const samplers = new Map<string, TimeSampler | null>();
  const sampler = (key: string, make: () => TimeSampler | null) => {
    if (!samplers.has(key)) samplers.set(key, make());
    return samplers.get(key) ?? null;
  };
  const byProfile = (p: TimeProfile, from = w.start, to = w.end) =>
    sampler(`${p}:${from}:${to}`, () =>
      createTimeSampler(w, days, (day, d, h) =>
        day.start >= from && day.start < to ? profileWeight(p, day, h, trend(d)) : 0,
      ),
    );
  const night = sampler('night', () =>
    createTimeSampler(w, days, (day, d, h) => {
      const evening = h >= NIGHT_MARKET.fromHour && nightMarketEvening(day);
      const after = h < NIGHT_MARKET.toHour && d > 0 && nightMarketEvening(days[d - 1]!);
      return evening || after
        ? NIGHT_HOURS[h]! * (day.weekday === 5 || day.weekday === 6 ? 1.4 : 1)
        : 0;
    }),
  );
  const evenings = days.filter(nightMarketEvening).length;
  const nightScale = night ? Math.min(1, evenings / FULL_NIGHT_MARKET_EVENINGS) : 0;
  const rampFrom = w.end - EMERGING_DAYS * DAY_MS;
  const emergingTime = sampler('emerging', () =>
    createTimeSampler(w, days, (day, _d, h) => {
      const t = day.start + h * HOUR_MS;
      return t < rampFrom
        ? 0
        : profileWeight('general', day, h, ((t - rampFrom) / (w.end - rampFrom)) ** 1.5);
    }),
  );

  const lon = new Float64Array(total);
  const lat = new Float64Array(total);
  const time = new Float64Array(total);
  const category = new Uint8Array(total);
  const subcategory = new Uint8Array(total);
  const statusCol = new Uint8Array(total);
  const communityId = new Int16Array(total);
  let n = 0;
  const emit = (cell: MixCell, source: SpatialSource, when: TimeSampler, count: number) => {
    const draw = before(when, w.until);
    for (let i = 0; i < count; i++, n++) {
      const t = draw(rng);
      const p = space.sample(source, rng);
      lon[n] = p.lon;
      lat[n] = p.lat;
      time[n] = t;
      category[n] = cell.categoryIndex;
      subcategory[n] = cell.subcategoryIndex;
      statusCol[n] = status(w.until - t, rng.float());
      communityId[n] = p.community;
    }
  };

  for (const cell of incidentMix(total)) {
    const profile = timeProfile(cell);
    if (profile === 'fraud') {
      // people are defrauded at home: residential places only, split exactly by year
      const [prev, last] = splitFraud(cell.count);
      emit(cell, 'residential', byProfile('fraud', w.start, w.mid)!, prev);
      emit(cell, 'residential', byProfile('fraud', w.mid, w.end)!, last);
      continue;
    }
    const shares = [...SOURCE_MIX[cell.category]];
    const nightShare = shares[4]! * nightScale;
    shares[0]! += shares[4]! - nightShare;
    shares[4] = nightShare;
    splitByShares(cell.count, shares).forEach((count, s) => {
      const source = SOURCES[s]!;
      const when =
        source === 'night_market'
          ? night
          : source === 'emerging'
            ? emergingTime
            : byProfile(profile);
      emit(cell, source, when ?? byProfile(profile)!, count);
    });
  }
  return sortByTime({
    count: total,
    lon,
    lat,
    time,
    category,
    subcategory,
    subcategories: [...SUBCATEGORY_CODES],
    status: statusCol,
    communityId,
  });
}

/** Reorders every column by time (ties keep generation order) with one typed-array sort. */
function sortByTime(inc: IncidentColumns): IncidentColumns {
  const n = inc.count;
  const bits = Math.max(1, Math.ceil(Math.log2(n + 1)));
  const base = inc.time.reduce((m, t) => Math.min(m, t), Infinity);
  const keys = new Float64Array(n);
  const scale = 2 ** bits;
  for (let i = 0; i < n; i++) keys[i] = ((inc.time[i]! - base) / 1000) * scale + i;
  if (!keys.every((k) => Number.isSafeInteger(k))) throw new Error('sortByTime: keys overflow');
  keys.sort();
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i]! % scale;
  const pick = <T extends Float64Array | Uint8Array | Int16Array>(col: T): T => {
    const out = new (col.constructor as new (n: number) => T)(n);
    for (let i = 0; i < n; i++) out[i] = col[order[i]!]!;
    return out;
  };
  return {
    ...inc,
    lon: pick(inc.lon),
    lat: pick(inc.lat),
    time: pick(inc.time),
    category: pick(inc.category),
    subcategory: pick(inc.subcategory),
    status: pick(inc.status),
    communityId: pick(inc.communityId),
  };
}
