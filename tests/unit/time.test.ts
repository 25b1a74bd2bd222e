/** domain/time.ts: local days, the desk's windows, calendar periods and what each is compared with. */
import { TZDate, tzOffset } from '@date-fns/tz';
import { addDays, format, startOfDay } from 'date-fns';
import { describe, expect, it } from 'vitest';
import {
  addDaysToDate,
  addLocalDays,
  addLocalMonths,
  compareRanges,
  DAY_MS,
  formatLocal,
  HOUR_MS,
  lastNDays,
  localDate,
  localMidnight,
  periodBounds,
  periodLabel,
  periodWindows,
  previousRange,
  resolveWindow,
  startOfLocalDay,
  UTC_OFFSET,
  UTC_OFFSET_HOURS,
  ZONE,
  type Preset,
  type Range,
} from '../../domain/time';
import { instant } from '../../server/inputs';

const at = (local: string) => Date.parse(`${local}+08:00`);
const day = (date: string) => at(`${date}T00:00:00`);
const date = (local: string) => new Date(at(local));
const iso = (d: Date) => d.toISOString();

/** The end of the data: the last day is 2026-06-30 (local). */
const REFERENCE = at('2026-07-01T00:00:00');
const END = day('2026-07-01');

describe('resolveWindow presets (Asia/Shanghai, reference = end of 2026-06-30)', () => {
  it.each<[Preset, string]>([
    ['today', '2026-06-30'],
    ['7d', '2026-06-24'],
    ['30d', '2026-06-01'],
    ['month', '2026-06-01'],
    ['quarter', '2026-04-01'],
    ['year', '2026-01-01'],
  ])('%s starts at %s 00:00 local and ends at 2026-07-01 00:00 local', (preset, start) => {
    expect(resolveWindow({ preset }, REFERENCE)).toEqual({ from: day(start), to: END });
  });

  it('7d and 30d cover exactly 7 and 30 days', () => {
    const len = (r: Range) => (r.to - r.from) / DAY_MS;
    expect(len(resolveWindow({ preset: '7d' }, REFERENCE))).toBe(7);
    expect(len(resolveWindow({ preset: '30d' }, REFERENCE))).toBe(30);
  });

  it('a reference in the middle of the day gives the same today', () => {
    expect(resolveWindow({ preset: 'today' }, at('2026-06-30T15:20:00'))).toEqual({
      from: day('2026-06-30'),
      to: END,
    });
  });

  it('23:59 and 00:00 (an exclusive end) both still mean 30 June', () => {
    for (const preset of ['today', '7d', '30d', 'month', 'quarter', 'year'] as const)
      expect(resolveWindow({ preset }, at('2026-06-30T23:59:00'))).toEqual(
        resolveWindow({ preset }, at('2026-07-01T00:00:00')),
      );
  });

  it('a reference one millisecond after local midnight belongs to the new day', () => {
    expect(resolveWindow({ preset: 'today' }, REFERENCE + 1)).toEqual({
      from: day('2026-07-01'),
      to: day('2026-07-02'),
    });
  });

  it('past local midnight of 1 July, month, quarter and 7d move into July, Q3 and 25 June', () => {
    const ref = REFERENCE + 1;
    expect(resolveWindow({ preset: 'month' }, ref)).toEqual({
      from: day('2026-07-01'),
      to: day('2026-07-02'),
    });
    expect(resolveWindow({ preset: 'quarter' }, ref).from).toBe(day('2026-07-01'));
    expect(resolveWindow({ preset: 'year' }, ref).from).toBe(day('2026-01-01'));
    expect(resolveWindow({ preset: '7d' }, ref).from).toBe(day('2026-06-25'));
  });

  it('a new year starts at local midnight of 1 January', () => {
    expect(resolveWindow({ preset: 'year' }, at('2027-01-01T00:00:00')).from).toBe(
      day('2026-01-01'),
    );
    expect(resolveWindow({ preset: 'year' }, at('2027-01-01T00:00:01')).from).toBe(
      day('2027-01-01'),
    );
  });

  it('uses the local day, not the UTC day (reference 07:00 local is still the previous UTC day)', () => {
    // 2026-06-30T07:00+08 is 2026-06-29T23:00Z
    expect(resolveWindow({ preset: 'today' }, at('2026-06-30T07:00:00'))).toEqual({
      from: day('2026-06-30'),
      to: END,
    });
  });

  it('month and quarter follow the reference (mid-February → Q1, February)', () => {
    const ref = at('2026-02-14T10:00:00');
    expect(resolveWindow({ preset: 'month' }, ref)).toEqual({
      from: day('2026-02-01'),
      to: day('2026-02-15'),
    });
    expect(resolveWindow({ preset: 'quarter' }, ref).from).toBe(day('2026-01-01'));
  });

  it('30d reaches back across a month and a leap day', () => {
    expect(resolveWindow({ preset: '30d' }, at('2024-03-10T12:00:00'))).toEqual({
      from: day('2024-02-10'),
      to: day('2024-03-11'),
    });
  });
});

describe('lastNDays', () => {
  it('is N local days ending at the end of the reference’s local day', () => {
    expect(lastNDays(1, at('2026-06-30T15:00:00'))).toEqual({ from: day('2026-06-30'), to: END });
    expect(lastNDays(7, at('2026-06-30T15:00:00'))).toEqual({ from: day('2026-06-24'), to: END });
    expect(lastNDays(90, REFERENCE)).toEqual({ from: day('2026-04-02'), to: END });
  });

  it('matches the today, 7d and 30d presets', () => {
    for (const [preset, n] of [
      ['today', 1],
      ['7d', 7],
      ['30d', 30],
    ] as const)
      for (const ref of [REFERENCE, REFERENCE + 1, at('2026-02-01T08:00:00')])
        expect(lastNDays(n, ref)).toEqual(resolveWindow({ preset }, ref));
  });

  it('refuses a count of days that is not a whole number from 1', () => {
    expect(() => lastNDays(0, REFERENCE)).toThrow(/n must be a whole number of days from 1, got 0/);
    expect(() => lastNDays(1.5, REFERENCE)).toThrow(/got 1.5/);
  });
});

describe('resolveWindow custom windows', () => {
  it('resolves {from, to} to local midnights', () => {
    expect(resolveWindow({ from: '2026-06-01', to: '2026-07-01' }, REFERENCE)).toEqual({
      from: Date.parse('2026-05-31T16:00:00Z'),
      to: Date.parse('2026-06-30T16:00:00Z'),
    });
  });

  it('does not depend on the reference', () => {
    const w = { from: '2026-06-01', to: '2026-07-01' };
    expect(resolveWindow(w, 0)).toEqual(resolveWindow(w, REFERENCE));
  });
});

describe('previousRange', () => {
  it('has the same length and ends where the range starts', () => {
    const r = resolveWindow({ preset: '7d' }, REFERENCE);
    const p = previousRange(r);
    expect(p.to).toBe(r.from);
    expect(p.to - p.from).toBe(r.to - r.from);
    expect(p.from).toBe(day('2026-06-17'));
  });

  it('works for an arbitrary range', () => {
    expect(previousRange({ from: 1000, to: 1600 })).toEqual({ from: 400, to: 1000 });
  });
});

describe('localDate / localMidnight / startOfLocalDay', () => {
  it('localMidnight is 16:00Z of the previous UTC day', () => {
    expect(localMidnight('2026-06-30')).toBe(Date.parse('2026-06-29T16:00:00Z'));
  });

  it('an instant just before 16:00Z is still the previous local date', () => {
    expect(localDate(Date.parse('2026-06-29T15:59:59.999Z'))).toBe('2026-06-29');
  });

  it('16:00Z exactly is the next local date', () => {
    expect(localDate(Date.parse('2026-06-29T16:00:00Z'))).toBe('2026-06-30');
  });

  it('round trips date → midnight → date', () => {
    for (const d of ['2026-01-01', '2026-02-28', '2024-02-29', '2026-06-30', '2026-12-31'])
      expect(localDate(localMidnight(d))).toBe(d);
  });

  it('round trips any instant of a day to that day’s midnight', () => {
    const midnight = localMidnight('2026-03-15');
    for (const ms of [midnight, midnight + 1, midnight + 12 * HOUR_MS, midnight + DAY_MS - 1]) {
      expect(localMidnight(localDate(ms))).toBe(midnight);
      expect(startOfLocalDay(ms)).toBe(midnight);
    }
    expect(startOfLocalDay(midnight + DAY_MS)).toBe(localMidnight('2026-03-16'));
  });

  it('pads month and day', () => {
    expect(localDate(at('2026-03-05T12:00:00'))).toBe('2026-03-05');
  });

  it('formatLocal writes local wall time', () => {
    expect(formatLocal(Date.parse('2026-06-30T08:15:09Z'), 'yyyy-MM-dd HH:mm:ss')).toBe(
      '2026-06-30 16:15:09',
    );
  });

  it('addDaysToDate steps over month and year ends', () => {
    expect(addDaysToDate('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDaysToDate('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDaysToDate('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDaysToDate('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDaysToDate('2026-06-30', 0)).toBe('2026-06-30');
  });

  it('addLocalMonths keeps the local wall time and clamps to the month’s last day', () => {
    expect(addLocalMonths(at('2026-03-31T10:00:00'), -1)).toBe(at('2026-02-28T10:00:00'));
    expect(addLocalMonths(at('2026-06-01T00:00:00'), -23)).toBe(at('2024-07-01T00:00:00'));
    expect(addLocalMonths(at('2024-02-29T23:30:00'), 12)).toBe(at('2025-02-28T23:30:00'));
  });
});

describe('local days as offset arithmetic, the same as the zone database', () => {
  // the fast paths (UTC+8 from 1992 on) against TZDate itself, the slow path
  const slow = {
    date: (ms: number) => format(new TZDate(ms, ZONE), 'yyyy-MM-dd'),
    start: (ms: number) => startOfDay(new TZDate(ms, ZONE)).getTime(),
    add: (ms: number, n: number) => addDays(new TZDate(ms, ZONE), n).getTime(),
  };
  // instants from 1990 (daylight saving until September 1991) to 2100, and the edges of days
  const instants: number[] = [];
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 3000; i++)
    instants.push(
      Math.floor(Date.UTC(1990, 0, 1) + random() * (Date.UTC(2100, 0, 1) - Date.UTC(1990, 0, 1))),
    );
  for (const d of ['1991-12-31', '1992-01-01', '2026-06-30', '2099-12-31'])
    instants.push(day(d) - 1, day(d), day(d) + 1);

  it('localDate, startOfLocalDay, addLocalDays and localMidnight agree with TZDate', () => {
    for (const ms of instants) {
      expect(localDate(ms), new Date(ms).toISOString()).toBe(slow.date(ms));
      expect(startOfLocalDay(ms)).toBe(slow.start(ms));
      for (const n of [-400, -1, 1, 31]) expect(addLocalDays(ms, n)).toBe(slow.add(ms, n));
      const d = slow.date(ms);
      expect(localMidnight(d)).toBe(slow.start(ms));
    }
  });

  it('a summer instant of 1988 (UTC+9 then) is still read with its daylight saving', () => {
    // 23:30 at UTC+8 would still be 30 June; at UTC+9 it is 00:30 on 1 July
    const ms = Date.parse('1988-06-30T15:30:00Z');
    expect(localDate(ms)).toBe('1988-07-01');
    expect(startOfLocalDay(ms)).toBe(Date.parse('1988-06-30T15:00:00Z'));
  });
});

describe('the zone and its offset', () => {
  it('UTC_OFFSET is the zone’s offset at every time of year (no daylight saving)', () => {
    for (const d of ['2000-01-15', '2016-07-15', '2026-03-29', '2026-10-25', '2040-12-31'])
      expect(tzOffset(ZONE, new Date(`${d}T12:00:00Z`))).toBe(UTC_OFFSET_HOURS * 60);
    expect(UTC_OFFSET).toBe(`+${String(UTC_OFFSET_HOURS).padStart(2, '0')}:00`);
  });

  it('a bare date given to the API is the same instant as the client’s localMidnight', () => {
    for (const d of ['2026-06-30', '2026-01-01', '2024-02-29', '2026-12-31']) {
      const parsed = instant.parse(d);
      expect(parsed.getTime()).toBe(localMidnight(d));
      expect(parsed.getTime()).toBe(Date.parse(`${d}T00:00:00${UTC_OFFSET}`));
    }
  });

  it('the API still refuses a date that does not exist', () => {
    expect(instant.safeParse('2026-02-30').success).toBe(false);
    expect(instant.safeParse('2026-13-01').success).toBe(false);
  });
});

describe('periodBounds', () => {
  it.each([
    ['month', '2026-06-15T12:00:00', '2026-06-01', '2026-07-01', '2026-05-01'],
    ['month', '2026-03-31T23:59:59', '2026-03-01', '2026-04-01', '2026-02-01'],
    ['month', '2026-01-10T00:00:00', '2026-01-01', '2026-02-01', '2025-12-01'],
    ['quarter', '2026-05-10T12:00:00', '2026-04-01', '2026-07-01', '2026-01-01'],
    ['quarter', '2026-02-14T08:00:00', '2026-01-01', '2026-04-01', '2025-10-01'],
    ['quarter', '2026-12-31T23:00:00', '2026-10-01', '2027-01-01', '2026-07-01'],
    ['year', '2026-06-30T10:00:00', '2026-01-01', '2027-01-01', '2025-01-01'],
  ] as const)('%s holding %s: [%s, %s), previous from %s', (period, t, from, to, prev) => {
    const b = periodBounds(period, date(t));
    expect(b.from.getTime()).toBe(day(from));
    expect(b.to.getTime()).toBe(day(to));
    expect(b.previousFrom.getTime()).toBe(day(prev));
  });

  it('local midnight of the 1st belongs to the new period, the millisecond before to the old', () => {
    expect(periodBounds('month', new Date(END)).from.getTime()).toBe(END);
    expect(periodBounds('month', new Date(END - 1)).from.getTime()).toBe(day('2026-06-01'));
    expect(periodBounds('quarter', new Date(END)).from.getTime()).toBe(END);
    expect(periodBounds('quarter', new Date(END - 1)).from.getTime()).toBe(day('2026-04-01'));
  });

  it('goes by the local calendar: 30 June 20:00 UTC is already July in Xining', () => {
    expect(periodBounds('month', new Date('2026-06-30T20:00:00Z')).from.getTime()).toBe(END);
  });
});

describe('periodLabel', () => {
  it('writes months, quarters and years as people do', () => {
    expect(periodLabel('month', date('2026-06-01T00:00:00'))).toBe('2026-06');
    expect(periodLabel('month', date('2026-11-01T00:00:00'))).toBe('2026-11');
    expect(periodLabel('quarter', date('2026-01-01T00:00:00'))).toBe('2026-Q1');
    expect(periodLabel('quarter', date('2026-04-01T00:00:00'))).toBe('2026-Q2');
    expect(periodLabel('quarter', date('2026-09-30T00:00:00'))).toBe('2026-Q3');
    expect(periodLabel('quarter', date('2026-10-01T00:00:00'))).toBe('2026-Q4');
    expect(periodLabel('year', date('2026-01-01T00:00:00'))).toBe('2026');
  });

  it('names the local period of a start given in UTC', () => {
    // 2026-06-30T16:00Z is 1 July 00:00 local
    expect(periodLabel('month', new Date('2026-06-30T16:00:00Z'))).toBe('2026-07');
    expect(periodLabel('year', new Date('2026-12-31T16:00:00Z'))).toBe('2027');
  });
});

describe('periodWindows', () => {
  it('by default, the last complete period against the whole one before', () => {
    const w = periodWindows('month', new Date(END));
    expect(w.complete).toBe(true);
    expect(w.inProgress).toBeNull();
    expect([iso(w.from), iso(w.to), iso(w.periodEnd)]).toEqual([
      iso(date('2026-06-01T00:00:00')),
      iso(new Date(END)),
      iso(new Date(END)),
    ]);
    expect([iso(w.previousFrom), iso(w.previousTo)]).toEqual([
      iso(date('2026-05-01T00:00:00')),
      iso(date('2026-06-01T00:00:00')),
    ]);
    expect(w.previousComplete).toBe(true);
  });

  it('with the month under way, the default is the month before; the one under way is offered', () => {
    const w = periodWindows('month', date('2026-12-05T14:00:00'));
    expect(iso(w.from)).toBe(iso(date('2026-11-01T00:00:00')));
    expect(iso(w.to)).toBe(iso(date('2026-12-01T00:00:00')));
    expect(w.complete).toBe(true);
    expect(iso(w.inProgress!.from)).toBe(iso(date('2026-12-01T00:00:00')));
  });

  it('to date: 1–5 December 14:00 against 1–5 November 14:00', () => {
    const w = periodWindows('month', date('2026-12-05T14:00:00'), { toDate: true });
    expect(w.complete).toBe(false);
    expect(iso(w.from)).toBe(iso(date('2026-12-01T00:00:00')));
    expect(iso(w.to)).toBe(iso(date('2026-12-05T14:00:00')));
    expect(iso(w.periodEnd)).toBe(iso(date('2027-01-01T00:00:00')));
    expect(iso(w.previousFrom)).toBe(iso(date('2026-11-01T00:00:00')));
    expect(iso(w.previousTo)).toBe(iso(date('2026-11-05T14:00:00')));
    expect(w.previousComplete).toBe(false);
  });

  it('to date, 31 days into a 30-day month: the previous window stops at its month’s end', () => {
    const w = periodWindows('month', date('2026-12-31T14:00:00'), { toDate: true });
    expect(iso(w.to)).toBe(iso(date('2026-12-31T14:00:00')));
    expect(iso(w.previousFrom)).toBe(iso(date('2026-11-01T00:00:00')));
    expect(iso(w.previousTo)).toBe(iso(date('2026-12-01T00:00:00')));
    expect(w.previousComplete).toBe(true);
  });

  it('to date, 30 March against February: all of February, never past 1 March', () => {
    const w = periodWindows('month', date('2026-03-30T09:00:00'), { toDate: true });
    expect(iso(w.previousTo)).toBe(iso(date('2026-03-01T00:00:00')));
    expect(w.previousComplete).toBe(true);
  });

  it('to date, 30 days into April against a longer March: the same time after its start', () => {
    const w = periodWindows('month', date('2026-04-30T14:00:00'), { toDate: true });
    expect(iso(w.previousTo)).toBe(iso(date('2026-03-30T14:00:00')));
    expect(w.previousComplete).toBe(false);
  });

  it('the year to date against the same stretch of the year before', () => {
    const w = periodWindows('year', new Date(END), { toDate: true });
    expect(iso(w.from)).toBe(iso(date('2026-01-01T00:00:00')));
    expect(iso(w.to)).toBe(iso(new Date(END)));
    expect(iso(w.periodEnd)).toBe(iso(date('2027-01-01T00:00:00')));
    expect(iso(w.previousFrom)).toBe(iso(date('2025-01-01T00:00:00')));
    expect(iso(w.previousTo)).toBe(iso(date('2025-07-01T00:00:00')));
  });

  it('`at` picks the period holding it; one that begins after the data is empty', () => {
    const q = periodWindows('quarter', new Date(END), { at: date('2026-02-10T00:00:00') });
    expect([iso(q.from), iso(q.to), q.complete]).toEqual([
      iso(date('2026-01-01T00:00:00')),
      iso(date('2026-04-01T00:00:00')),
      true,
    ]);
    const later = periodWindows('month', new Date(END), { at: date('2026-09-10T00:00:00') });
    expect(later.to.getTime()).toBe(later.from.getTime());
    expect(later.previousTo.getTime()).toBe(later.previousFrom.getTime());
  });
});

describe('compareRanges', () => {
  const range = (from: string, to: string) => ({ from: day(from), to: day(to) });
  const base = (
    w: Parameters<typeof compareRanges>[0],
    against: 'previous' | 'lastYear',
    ref = REFERENCE,
  ) => compareRanges(w, ref, against).base;

  it('the current range is the window as resolved', () => {
    expect(compareRanges({ preset: '30d' }, REFERENCE, 'previous').current).toEqual(
      resolveWindow({ preset: '30d' }, REFERENCE),
    );
  });

  it('previous: a whole month against the whole month before, whatever their lengths', () => {
    expect(base({ from: '2026-10-01', to: '2026-11-01' }, 'previous')).toEqual(
      range('2026-09-01', '2026-10-01'),
    );
    expect(base({ from: '2026-03-01', to: '2026-04-01' }, 'previous')).toEqual(
      range('2026-02-01', '2026-03-01'),
    );
    expect(base({ from: '2026-02-01', to: '2026-03-01' }, 'previous')).toEqual(
      range('2026-01-01', '2026-02-01'),
    );
  });

  it('previous: whole quarters and two-month windows against the months just before', () => {
    expect(base({ from: '2026-04-01', to: '2026-07-01' }, 'previous')).toEqual(
      range('2026-01-01', '2026-04-01'),
    );
    expect(base({ from: '2026-10-01', to: '2026-12-01' }, 'previous')).toEqual(
      range('2026-08-01', '2026-10-01'),
    );
  });

  it('previous: the month preset under way against the same days of the month before', () => {
    const ref = at('2026-12-05T14:00:00');
    expect(compareRanges({ preset: 'month' }, ref, 'previous')).toEqual({
      current: range('2026-12-01', '2026-12-06'),
      base: range('2026-11-01', '2026-11-06'),
    });
  });

  it('previous: 31 days into a month against a 30-day month stops at that month’s end', () => {
    expect(base({ preset: 'month' }, 'previous', at('2026-07-31T12:00:00'))).toEqual(
      range('2026-06-01', '2026-07-01'),
    );
    // 30 March so far against February: all of February, never past 1 March
    expect(base({ preset: 'month' }, 'previous', at('2026-03-30T12:00:00'))).toEqual(
      range('2026-02-01', '2026-03-01'),
    );
  });

  it('previous: a complete month preset against the whole month before', () => {
    expect(base({ preset: 'month' }, 'previous')).toEqual(range('2026-05-01', '2026-06-01'));
    expect(base({ preset: 'quarter' }, 'previous')).toEqual(range('2026-01-01', '2026-04-01'));
  });

  it('previous: other windows against the same length just before', () => {
    expect(base({ preset: '7d' }, 'previous')).toEqual(range('2026-06-17', '2026-06-24'));
    expect(base({ preset: 'today' }, 'previous')).toEqual(range('2026-06-29', '2026-06-30'));
    expect(base({ from: '2026-06-10', to: '2026-06-20' }, 'previous')).toEqual(
      range('2026-05-31', '2026-06-10'),
    );
    // from a 1st to a day that is not: not whole months
    expect(base({ from: '2026-06-01', to: '2026-06-16' }, 'previous')).toEqual(
      range('2026-05-17', '2026-06-01'),
    );
  });

  it('lastYear: the same dates a year earlier', () => {
    expect(base({ from: '2026-10-01', to: '2026-11-01' }, 'lastYear')).toEqual(
      range('2025-10-01', '2025-11-01'),
    );
    expect(base({ preset: '30d' }, 'lastYear')).toEqual(range('2025-06-01', '2025-07-01'));
    expect(base({ preset: 'month' }, 'lastYear', at('2026-12-05T14:00:00'))).toEqual(
      range('2025-12-01', '2025-12-06'),
    );
  });

  it('lastYear: February of a leap year against the February before, 28 days', () => {
    expect(base({ from: '2028-02-01', to: '2028-03-01' }, 'lastYear')).toEqual(
      range('2027-02-01', '2027-03-01'),
    );
    // a window of 29 February alone is set against 28 February
    expect(base({ from: '2028-02-29', to: '2028-03-01' }, 'lastYear')).toEqual(
      range('2027-02-28', '2027-03-01'),
    );
    // ending on 28 February keeps the 28th
    expect(base({ from: '2028-02-01', to: '2028-02-29' }, 'lastYear')).toEqual(
      range('2027-02-01', '2027-03-01'),
    );
  });

  it('lastYear: a year after a leap year reaches back into 29 February', () => {
    expect(base({ from: '2029-02-01', to: '2029-03-01' }, 'lastYear')).toEqual(
      range('2028-02-01', '2028-03-01'),
    );
  });

  it('goes by local days: a window from local midnight is set against local midnights', () => {
    const b = base({ from: '2026-01-01', to: '2026-01-02' }, 'lastYear');
    expect(iso(new Date(b.from))).toBe('2024-12-31T16:00:00.000Z');
    expect(b.to - b.from).toBe(DAY_MS);
  });
});
