/**
 * The demo's time window: 24 calendar months ending at 00:00 Asia/Shanghai of the day after
 * the anchor date, cut at the moment of generation when the anchor is today (nothing is
 * generated that has not happened yet). Asia/Shanghai is UTC+8 all year (no DST since 1991).
 */
import { TZDate } from '@date-fns/tz';
import {
  addLocalDays,
  addLocalMonths,
  DAY_MS,
  localDate,
  localMidnight,
  ZONE,
} from '../../domain/time';

export { DAY_MS, HOUR_MS, ZONE as TIME_ZONE } from '../../domain/time';

/** The window the incidents cover, in epoch ms. */
export interface DemoWindow {
  anchor: string;
  /** end − 24 months */
  start: number;
  /** end − 12 months: the boundary between the previous and the last 12 months */
  mid: number;
  /** 00:00 Asia/Shanghai of the day after the anchor: the calendar shape of the window */
  end: number;
  /**
   * The data's end: `end`, or the moment of generation when that is earlier (the anchor is
   * today). Every generated instant is before it.
   */
  until: number;
}

/** Today's date in Asia/Shanghai, YYYY-MM-DD. */
export function todayInShanghai(now: number = Date.now()): string {
  return localDate(now);
}

/**
 * The window for an anchor date (YYYY-MM-DD), generated at `now` (epoch ms; omitted: the
 * anchor's whole day). An anchor after today (Asia/Shanghai, at `now`) is refused: its data
 * would lie in the future.
 *
 * @example
 * demoWindow('2024-06-14').end; // Date.parse('2024-06-15T00:00:00+08:00')
 * demoWindow('2024-06-14', Date.parse('2024-06-14T01:37:00+08:00')).until; // that instant
 */
export function demoWindow(anchor: string, now?: number): DemoWindow {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(anchor);
  if (!m) throw new Error(`demoWindow: anchor must be YYYY-MM-DD, got ${JSON.stringify(anchor)}`);
  const y = Number(m[1]);
  const day = localMidnight(anchor);
  if (localDate(day) !== anchor) throw new Error(`demoWindow: ${anchor} is not a calendar date`);
  if (y < 2000 || y > 2100) throw new Error('demoWindow: anchor year must be 2000..2100');
  if (now !== undefined) {
    if (!Number.isFinite(now)) throw new Error('demoWindow: now must be a finite epoch ms');
    const today = todayInShanghai(now);
    if (anchor > today) {
      throw new Error(
        `demo anchor (DEMO_ANCHOR) ${anchor} is in the future: today in ${ZONE} is ${today}; ` +
          'the demo data ends at the moment it is generated, so use today or an earlier date',
      );
    }
  }
  const end = addLocalDays(day, 1);
  return {
    anchor,
    start: addLocalMonths(end, -24),
    mid: addLocalMonths(end, -12),
    end,
    until: now === undefined ? end : Math.min(end, now),
  };
}

/** Local calendar facts of one day of the window. */
export interface WindowDay {
  /** epoch ms of 00:00 local time */
  start: number;
  /** 1..12 */
  month: number;
  /** 0 = Sunday .. 6 = Saturday */
  weekday: number;
  /** YYYY-MM-DD */
  date: string;
}

/** Every local day in [start, end), in order. */
export function windowDays(w: DemoWindow): WindowDay[] {
  const days: WindowDay[] = [];
  for (let t = w.start; t < w.end; t += DAY_MS) {
    const local = new TZDate(t, ZONE);
    days.push({
      start: t,
      month: local.getMonth() + 1,
      weekday: local.getDay(),
      date: localDate(t),
    });
  }
  return days;
}
