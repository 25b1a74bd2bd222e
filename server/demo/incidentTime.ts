/**
 * When incidents happen: hour-of-day, day-of-week and seasonal rhythms per kind of incident
 * [G], turned into samplers over the hours of the window.
 */
import type { Rng } from './random';
import { HOUR_MS, type DemoWindow, type WindowDay } from './window';

/** The rhythms incidents follow. */
export type TimeProfile =
  'general' | 'criminal' | 'fraud' | 'public_order' | 'traffic' | 'fire' | 'dispute';

/** Relative calls per local hour 0..23: low 3–6 h, peaks late morning and evening. */
const HOURLY: Readonly<Record<TimeProfile, readonly number[]>> = {
  general: [
    1.2, 0.9, 0.7, 0.5, 0.45, 0.5, 0.8, 1.3, 1.9, 2.3, 2.6, 2.7, 2.4, 2.2, 2.2, 2.3, 2.4, 2.5, 2.7,
    2.9, 3.0, 2.7, 2.2, 1.6,
  ],
  criminal: [
    1.5, 1.2, 1.0, 0.7, 0.5, 0.5, 0.7, 1.0, 1.6, 2.2, 2.6, 2.7, 2.6, 2.5, 2.6, 2.7, 2.8, 2.9, 3.0,
    3.0, 2.8, 2.5, 2.1, 1.8,
  ],
  fraud: [
    0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.4, 0.9, 1.8, 2.6, 3.0, 3.0, 2.6, 2.5, 2.8, 3.0, 3.0, 2.8, 2.5,
    2.3, 2.2, 1.8, 1.2, 0.6,
  ],
  public_order: [
    2.8, 2.4, 1.6, 0.9, 0.5, 0.4, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.6, 1.6, 1.6, 1.7, 1.9, 2.2, 2.6,
    3.0, 3.4, 3.6, 3.5, 3.2,
  ],
  // rush hours 7–9 and 17–19
  traffic: [
    0.6, 0.4, 0.3, 0.25, 0.3, 0.5, 1.2, 2.8, 3.4, 2.2, 1.8, 1.9, 2.0, 1.8, 1.7, 1.9, 2.3, 3.0, 3.3,
    2.4, 1.7, 1.3, 1.0, 0.8,
  ],
  fire: [
    1.2, 1.0, 0.8, 0.7, 0.6, 0.6, 0.8, 1.0, 1.2, 1.3, 1.4, 1.5, 1.5, 1.5, 1.5, 1.5, 1.6, 1.8, 2.0,
    2.0, 1.9, 1.7, 1.5, 1.3,
  ],
  dispute: [
    1.0, 0.7, 0.5, 0.3, 0.3, 0.3, 0.5, 0.9, 1.5, 2.1, 2.5, 2.6, 2.4, 2.2, 2.3, 2.4, 2.5, 2.6, 2.8,
    3.0, 3.0, 2.6, 2.0, 1.4,
  ],
};

/** Seasonal factor per month 1..12 (index 0 = January). */
const MONTHLY: Readonly<Partial<Record<TimeProfile, readonly number[]>>> = {
  public_order: [0.85, 0.9, 0.95, 1, 1.1, 1.25, 1.25, 1.25, 1.1, 1, 0.9, 0.85],
  traffic: [1.1, 1.05, 1, 0.95, 0.95, 0.95, 1, 1, 0.95, 1, 1.05, 1.1],
  fire: [1.5, 1.4, 1.3, 1, 0.8, 0.8, 0.8, 0.8, 0.9, 1, 1.3, 1.5],
  criminal: [1, 0.95, 0.95, 1, 1, 1.05, 1.1, 1.1, 1.05, 1, 1, 1.05],
};

/** Day-of-week and weekend-evening effects (weekday 0 = Sunday). */
function weekly(profile: TimeProfile, weekday: number, hour: number): number {
  const weekend = weekday === 0 || weekday === 6;
  switch (profile) {
    case 'public_order':
      // Friday and Saturday evenings and the small hours after them are busier
      if ((weekday === 5 || weekday === 6) && hour >= 18) return 1.6;
      if ((weekday === 6 || weekday === 0) && hour < 4) return 1.6;
      return 1;
    case 'traffic':
      if (!weekend) return 1;
      return (hour >= 7 && hour <= 9) || (hour >= 17 && hour <= 19) ? 0.55 : 0.9;
    case 'fraud':
      return weekend ? 0.8 : 1;
    case 'general':
    case 'dispute':
      return weekend ? 1.05 : 1;
    default:
      return 1;
  }
}

/** Draws an instant (epoch ms, whole seconds) from a distribution over the window's hours. */
export type TimeSampler = (rng: Rng) => number;

/**
 * A sampler over the hours of [w.start, w.end) with weight(day, dayIndex, hour) per local
 * hour; null if every weight is zero. Asia/Shanghai has no DST, so hour h of the window starts
 * at start + h hours.
 */
export function createTimeSampler(
  w: DemoWindow,
  days: readonly WindowDay[],
  weight: (day: WindowDay, dayIndex: number, hour: number) => number,
): TimeSampler | null {
  const cdf = new Float64Array(days.length * 24);
  let total = 0;
  for (let d = 0; d < days.length; d++) {
    for (let h = 0; h < 24; h++) {
      const x = weight(days[d]!, d, h);
      if (!(x >= 0)) throw new Error('createTimeSampler: weights must be >= 0');
      total += x;
      cdf[d * 24 + h] = total;
    }
  }
  if (total === 0) return null;
  return (rng) => {
    const u = rng.float() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    return w.start + lo * HOUR_MS + Math.floor(rng.float() * 3600) * 1000;
  };
}

/**
 * The sampler cut at `until` (the moment of generation): draws again while an instant is at or
 * after it, so the count stays exact and the times follow the same rhythm up to `until`. A
 * window that ends before `until` never draws again, so its data does not change.
 */
export function before(sampler: TimeSampler, until: number): TimeSampler {
  return (rng) => {
    for (let i = 0; i < 100_000; i++) {
      const t = sampler(rng);
      if (t < until) return t;
    }
    throw new Error('before: the sampler has almost no weight before the cutoff');
  };
}

/** The weight of a profile at an hour, with a factor for the instant (e.g. a trend). */
export function profileWeight(
  profile: TimeProfile,
  day: WindowDay,
  hour: number,
  trend = 1,
): number {
  const monthly = MONTHLY[profile]?.[day.month - 1] ?? 1;
  return HOURLY[profile][hour]! * weekly(profile, day.weekday, hour) * monthly * trend;
}
