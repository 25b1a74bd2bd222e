/**
 * Time as the district counts it, for server and client alike: local time is Asia/Shanghai (UTC+8
 * all year, no daylight saving since 1991). Local days, the desk's time windows, calendar periods
 * and what each is compared with are defined here and nowhere else.
 *
 * Instants are epoch milliseconds, windows half-open [from, to). A `reference` is "now" for the
 * presets: an exclusive end (the end of the latest data, or the clock), so that the instant
 * 2026-07-01T00:00+08:00 still has 2026-06-30 as its today.
 */
import { TZDate } from '@date-fns/tz';
import {
  addDays,
  addMonths,
  format,
  startOfDay,
  startOfMonth,
  startOfQuarter,
  startOfYear,
} from 'date-fns';
import type { CompareAgainst } from './briefing';

/** The IANA zone of local time. */
export const ZONE = 'Asia/Shanghai';
/** ZONE's offset from UTC, the same all year (it has no daylight saving): for SQL and ISO text. */
export const UTC_OFFSET = '+08:00';
export const UTC_OFFSET_HOURS = 8;

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A half-open window of instants [from, to), in epoch ms. */
export interface Range {
  from: number;
  to: number;
}

const local = (ms: number) => new TZDate(ms, ZONE);

/**
 * From 1992 on, local time is UTC+8 all year (China's last daylight saving ended in September
 * 1991): local days are plain arithmetic on the offset there, a small fraction of a TZDate's
 * cost (the timeline writes a date for every day of two years). Earlier instants, and dates past
 * year 9999, go through TZDate.
 */
const FIXED_FROM = Date.UTC(1991, 11, 31, 24 - UTC_OFFSET_HOURS);
const FIXED_TO = Date.UTC(9999, 11, 31) - UTC_OFFSET_HOURS * HOUR_MS;
const fixed = (ms: number) => ms >= FIXED_FROM && ms < FIXED_TO;

/**
 * An instant written in local time with a date-fns pattern.
 *
 * @example
 * formatLocal(Date.parse('2026-06-30T08:15:09Z'), 'yyyy-MM-dd HH:mm:ss'); // '2026-06-30 16:15:09'
 */
export function formatLocal(ms: number, pattern: string): string {
  return format(local(ms), pattern);
}

/**
 * The local date (YYYY-MM-DD) of an instant.
 *
 * @example
 * localDate(Date.parse('2026-06-29T16:00:00Z')); // '2026-06-30'
 */
export function localDate(ms: number): string {
  if (fixed(ms)) return new Date(ms + UTC_OFFSET_HOURS * HOUR_MS).toISOString().slice(0, 10);
  return formatLocal(ms, 'yyyy-MM-dd');
}

/**
 * 00:00 local of a YYYY-MM-DD date, as epoch ms. A date that does not exist rolls over as
 * JavaScript dates do (2026-02-30 is 2 March): check the date first where that matters.
 *
 * @example
 * localMidnight('2026-06-30'); // Date.parse('2026-06-30T00:00:00+08:00')
 */
export function localMidnight(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const ms = Date.UTC(y, m - 1, d) - UTC_OFFSET_HOURS * HOUR_MS;
  if (fixed(ms)) return ms;
  return new TZDate(y, m - 1, d, ZONE).getTime();
}

/**
 * 00:00 local of the day holding the instant.
 *
 * @example
 * startOfLocalDay(Date.parse('2026-06-30T23:59:00+08:00')); // Date.parse('2026-06-30T00:00:00+08:00')
 */
export function startOfLocalDay(ms: number): number {
  if (fixed(ms)) {
    const start = ms - ((((ms + UTC_OFFSET_HOURS * HOUR_MS) % DAY_MS) + DAY_MS) % DAY_MS);
    if (fixed(start)) return start;
  }
  return startOfDay(local(ms)).getTime();
}

/** The same local time `n` days later (earlier when negative). */
export function addLocalDays(ms: number, n: number): number {
  const later = ms + n * DAY_MS;
  if (Number.isInteger(n) && fixed(ms) && fixed(later)) return later;
  return addDays(local(ms), n).getTime();
}

/**
 * The local date `n` days after a YYYY-MM-DD date (before when negative).
 *
 * @example
 * addDaysToDate('2026-02-28', 1); // '2026-03-01'
 */
export function addDaysToDate(date: string, n: number): string {
  return localDate(addLocalDays(localMidnight(date), n));
}

/**
 * The same local time `n` calendar months later (earlier when negative); a day the month lacks
 * becomes its last day.
 *
 * @example
 * addLocalMonths(Date.parse('2026-03-31T10:00:00+08:00'), -1); // Date.parse('2026-02-28T10:00:00+08:00')
 */
export function addLocalMonths(ms: number, n: number): number {
  return addMonths(local(ms), n).getTime();
}

/** The desk's preset windows. */
export const PRESETS = ['today', '7d', '30d', 'month', 'quarter', 'year'] as const;
export type Preset = (typeof PRESETS)[number];

/** A preset relative to a reference, or a fixed range [from, to) of local dates (YYYY-MM-DD). */
export type TimeWindow = { preset: Preset } | { from: string; to: string };

/**
 * The last `n` local days: they end at the end of the reference's local day (the day so far
 * counts as a day) and start `n − 1` days before that day.
 *
 * @example
 * lastNDays(7, Date.parse('2026-06-30T15:00:00+08:00'));
 * // { from: 2026-06-24T00:00+08:00, to: 2026-07-01T00:00+08:00 }
 */
export function lastNDays(n: number, reference: number): Range {
  if (!Number.isInteger(n) || n < 1)
    throw new RangeError(`lastNDays: n must be a whole number of days from 1, got ${n}`);
  const day = startOfDay(local(reference - 1));
  return { from: addDays(day, 1 - n).getTime(), to: addDays(day, 1).getTime() };
}

/**
 * The instants a window covers. Presets end at the end of the reference's local day; `month`,
 * `quarter` and `year` start at the start of the calendar period holding that day; a fixed range
 * runs from 00:00 local of `from` to 00:00 local of `to`.
 *
 * @example
 * resolveWindow({ preset: 'month' }, Date.parse('2026-07-01T00:00:00+08:00'));
 * // { from: 2026-06-01T00:00+08:00, to: 2026-07-01T00:00+08:00 }
 */
export function resolveWindow(w: TimeWindow, reference: number): Range {
  if (!('preset' in w)) return { from: localMidnight(w.from), to: localMidnight(w.to) };
  const to = lastNDays(1, reference).to;
  const ref = local(reference - 1);
  const from: Record<Preset, () => number> = {
    today: () => lastNDays(1, reference).from,
    '7d': () => lastNDays(7, reference).from,
    '30d': () => lastNDays(30, reference).from,
    month: () => startOfMonth(ref).getTime(),
    quarter: () => startOfQuarter(ref).getTime(),
    year: () => startOfYear(ref).getTime(),
  };
  return { from: from[w.preset](), to };
}

/**
 * What a free window is compared with: the stretch of the same length just before it.
 *
 * @example
 * previousRange({ from: 1000, to: 1600 }); // { from: 400, to: 1000 }
 */
export function previousRange(r: Range): Range {
  return { from: r.from - (r.to - r.from), to: r.from };
}

/** The calendar periods (local time) ranked and compared. */
export const PERIODS = ['month', 'quarter', 'year'] as const;
export type Period = (typeof PERIODS)[number];
const MONTHS: Record<Period, number> = { month: 1, quarter: 3, year: 12 };

/**
 * The calendar period (local time) holding the instant `at`, and where the one before it starts.
 *
 * @example
 * periodBounds('quarter', new Date('2026-05-10T12:00:00+08:00'));
 * // { from: 2026-04-01T00:00+08:00, to: 2026-07-01T00:00+08:00, previousFrom: 2026-01-01T00:00+08:00 }
 */
export function periodBounds(period: Period, at: Date) {
  const l = local(at.getTime());
  const start =
    period === 'month'
      ? startOfMonth(l)
      : period === 'quarter'
        ? startOfQuarter(l)
        : startOfYear(l);
  const n = MONTHS[period];
  return {
    from: new Date(start.getTime()),
    to: new Date(addMonths(start, n).getTime()),
    previousFrom: new Date(addMonths(start, -n).getTime()),
  };
}

/**
 * The period's name as people write it, from its start.
 *
 * @example
 * periodLabel('month', new Date('2026-06-01T00:00:00+08:00')); // '2026-06'
 * periodLabel('quarter', new Date('2026-04-01T00:00:00+08:00')); // '2026-Q2'
 * periodLabel('year', new Date('2026-01-01T00:00:00+08:00')); // '2026'
 */
export function periodLabel(period: Period, from: Date): string {
  const d = local(from.getTime());
  const y = d.getFullYear();
  const m = d.getMonth() + 1;
  if (period === 'year') return String(y);
  if (period === 'quarter') return `${y}-Q${Math.floor((m - 1) / 3) + 1}`;
  return `${y}-${String(m).padStart(2, '0')}`;
}

/**
 * The calendar period to judge, given where the data end (`end`, exclusive), and what it is
 * compared with.
 *
 * Which period: the one holding `pick.at`; else with `pick.toDate` the one holding the latest
 * data; else the last complete one (ended at or before `end`). A complete period is compared
 * with the whole period before it. A period that runs past `end` is taken to date, [from, end),
 * and compared with the same stretch of the previous period: the same time after its start, to
 * the same moment (1–5 December 14:00 against 1–5 November 14:00), cut at the period's own start
 * where the previous period is shorter (31 days into a 30-day month take the whole month), never
 * a partial period against a whole one.
 *
 * @example
 * periodWindows('month', new Date('2026-12-05T14:00:00+08:00'), { toDate: true });
 * // from 2026-12-01T00:00+08:00, to 2026-12-05T14:00+08:00, complete: false,
 * // previousFrom 2026-11-01T00:00+08:00, previousTo 2026-11-05T14:00+08:00
 */
export function periodWindows(
  period: Period,
  end: Date,
  pick: { at?: Date; toDate?: boolean } = {},
) {
  const latest = periodBounds(period, new Date(end.getTime() - 1));
  const inProgress = end.getTime() < latest.to.getTime() ? latest : null;
  const b = pick.at
    ? periodBounds(period, pick.at)
    : pick.toDate || !inProgress
      ? latest
      : periodBounds(period, new Date(latest.from.getTime() - 1));
  const complete = end.getTime() >= b.to.getTime();
  // the days of the period covered by the data, and the same stretch of the previous period
  const to = complete ? b.to : new Date(Math.max(b.from.getTime(), end.getTime()));
  const elapsed = to.getTime() - b.from.getTime();
  const previousTo = complete
    ? b.from
    : new Date(Math.min(b.from.getTime(), b.previousFrom.getTime() + elapsed));
  return {
    from: b.from,
    to,
    /** the end of the calendar period (`to` is earlier when it is in progress) */
    periodEnd: b.to,
    complete,
    previousFrom: b.previousFrom,
    previousTo,
    previousComplete: previousTo.getTime() === b.from.getTime(),
    /** the period holding the latest data, when it has not ended */
    inProgress,
  };
}

/** The calendar months a window spans when it is one of whole months (or one under way). */
function calendarMonths(w: TimeWindow): number | null {
  if ('preset' in w)
    return w.preset === 'month' ? 1 : w.preset === 'quarter' ? 3 : w.preset === 'year' ? 12 : null;
  if (!w.from.endsWith('-01') || !w.to.endsWith('-01')) return null;
  const [fy, fm] = w.from.split('-').map(Number) as [number, number];
  const [ty, tm] = w.to.split('-').map(Number) as [number, number];
  return (ty - fy) * 12 + (tm - fm);
}

/**
 * A window's instants and those it is compared with (all of whole local days).
 *
 * `previous`: a window of whole calendar months (the month, quarter and year presets, or fixed
 * dates from a 1st to a 1st) is set against the months just before it — October against
 * September — and one under way (the month so far) against the same days of the period before,
 * cut at the period's own start where that is shorter (31 days into a month take the whole
 * month before), as periodWindows does; any other window (today, the last 7 or 30 days, free
 * dates) against the stretch of the same length just before it (previousRange).
 *
 * `lastYear`: the same calendar dates a year earlier, first day to last day; a 29 February
 * becomes the 28th, so February 2028 (29 days) is set against February 2027 (28 days), and a
 * window that ends with a month's end ends with that month's end (February 2029 against all of
 * February 2028).
 *
 * @example
 * compareRanges({ from: '2026-10-01', to: '2026-11-01' }, 0, 'previous').base;
 * // { from: 2026-09-01T00:00+08:00, to: 2026-10-01T00:00+08:00 }
 * compareRanges({ from: '2028-02-01', to: '2028-03-01' }, 0, 'lastYear').base;
 * // { from: 2027-02-01T00:00+08:00, to: 2027-03-01T00:00+08:00 }
 */
export function compareRanges(
  w: TimeWindow,
  reference: number,
  against: CompareAgainst,
): { current: Range; base: Range } {
  const current = resolveWindow(w, reference);
  if (against === 'lastYear') {
    // a window that ends with a month ends with that month a year earlier (February 2029 takes
    // in 29 February 2028); else its last day moves back a year
    const to = localDate(current.to).endsWith('-01')
      ? addLocalMonths(current.to, -12)
      : addLocalDays(addLocalMonths(addLocalDays(current.to, -1), -12), 1);
    return { current, base: { from: addLocalMonths(current.from, -12), to } };
  }
  const n = calendarMonths(w);
  if (!n || n < 1) return { current, base: previousRange(current) };
  const from = addLocalMonths(current.from, -n);
  if (addLocalMonths(current.from, n) === current.to)
    return { current, base: { from, to: current.from } };
  // under way: the same days after the start of the period before
  const days = Math.round((current.to - current.from) / DAY_MS);
  return { current, base: { from, to: Math.min(current.from, addLocalDays(from, days)) } };
}
