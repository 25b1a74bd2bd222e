import { describe, expect, it } from 'vitest';
import {
  isoRange,
  localDate,
  localMidnight,
  previousRange,
  resolveWindow,
  type Range,
} from '../../client/state/timeWindow';
import type { Preset } from '../../client/state/view';

const at = (local: string) => Date.parse(`${local}+08:00`);
const day = (date: string) => at(`${date}T00:00:00`);

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
    const len = (r: Range) => (r.to - r.from) / 86_400_000;
    expect(len(resolveWindow({ preset: '7d' }, REFERENCE))).toBe(7);
    expect(len(resolveWindow({ preset: '30d' }, REFERENCE))).toBe(30);
  });

  it('a reference in the middle of the day gives the same today', () => {
    expect(resolveWindow({ preset: 'today' }, at('2026-06-30T15:20:00'))).toEqual({
      from: day('2026-06-30'),
      to: END,
    });
  });

  it('a reference one millisecond after local midnight belongs to the new day', () => {
    expect(resolveWindow({ preset: 'today' }, REFERENCE + 1)).toEqual({
      from: day('2026-07-01'),
      to: day('2026-07-02'),
    });
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

describe('localDate / localMidnight', () => {
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
    for (const ms of [midnight, midnight + 1, midnight + 12 * 3_600_000, midnight + 86_400_000 - 1])
      expect(localMidnight(localDate(ms))).toBe(midnight);
  });

  it('pads month and day', () => {
    expect(localDate(at('2026-03-05T12:00:00'))).toBe('2026-03-05');
  });
});

describe('isoRange', () => {
  it('formats both ends as ISO instants (UTC)', () => {
    expect(isoRange({ from: day('2026-06-30'), to: END })).toEqual({
      from: '2026-06-29T16:00:00.000Z',
      to: '2026-06-30T16:00:00.000Z',
    });
  });
});
