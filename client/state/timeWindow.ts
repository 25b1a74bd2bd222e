/**
 * Time windows in Xining local time (UTC+8 all year), resolved to instants [from, to).
 * Presets are relative to a reference instant: the end of the latest data, or now.
 */
import { TZDate } from '@date-fns/tz';
import { addDays, startOfDay, startOfMonth, startOfQuarter, startOfYear } from 'date-fns';
import type { Preset, TimeWindow } from './view';

export const TZ = 'Asia/Shanghai';

export interface Range {
  /** epoch ms */
  from: number;
  to: number;
}

/** The local date (YYYY-MM-DD) of an instant. */
export function localDate(ms: number): string {
  const d = new TZDate(ms, TZ);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** 00:00 local of a YYYY-MM-DD date, as epoch ms. */
export function localMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d, TZ).getTime();
}

/**
 * The instants a window covers. `reference` is "now" for presets: windows end at the end of the
 * reference's local day (the day so far counts as today).
 */
export function resolveWindow(w: TimeWindow, reference: number): Range {
  if (!('preset' in w)) return { from: localMidnight(w.from), to: localMidnight(w.to) };
  const ref = new TZDate(reference - 1, TZ);
  const end = addDays(startOfDay(ref), 1).getTime();
  const days = (n: number) => addDays(startOfDay(ref), 1 - n).getTime();
  const starts: Record<Preset, () => number> = {
    today: () => days(1),
    '7d': () => days(7),
    '30d': () => days(30),
    month: () => startOfMonth(ref).getTime(),
    quarter: () => startOfQuarter(ref).getTime(),
    year: () => startOfYear(ref).getTime(),
  };
  return { from: starts[w.preset](), to: end };
}

/** The period of the same length just before. */
export function previousRange(r: Range): Range {
  return { from: r.from - (r.to - r.from), to: r.from };
}

/** As the API wants it. */
export const isoRange = (r: Range) => ({
  from: new Date(r.from).toISOString(),
  to: new Date(r.to).toISOString(),
});
