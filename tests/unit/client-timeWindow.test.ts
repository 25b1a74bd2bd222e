import { describe, expect, it } from 'vitest';
import { localMidnight, resolveWindow } from '../../domain/time';
import { isoRange, presetReference, rangeCache } from '../../client/state/timeWindow';

describe('isoRange', () => {
  it('formats both ends as ISO instants (UTC)', () => {
    expect(
      isoRange({ from: localMidnight('2026-06-30'), to: localMidnight('2026-07-01') }),
    ).toEqual({
      from: '2026-06-29T16:00:00.000Z',
      to: '2026-06-30T16:00:00.000Z',
    });
  });
});

describe('presetReference: a window anchored at now slides', () => {
  const at = (iso: string) => Date.parse(iso);
  const today = (reference: number) => resolveWindow({ preset: 'today' }, reference);

  it('with the clock where the data reach it', () => {
    const dataEnd = at('2026-07-01T00:10:00+08:00');
    const before = presetReference(at('2026-06-30T23:59:00+08:00'), dataEnd);
    const after = presetReference(at('2026-07-01T00:01:00+08:00'), dataEnd);
    expect(today(before).from).toBe(localMidnight('2026-06-30'));
    // the clock's minute past midnight: today is the new day, whatever health said last
    expect(after).toBe(at('2026-07-01T00:01:00+08:00'));
    expect(today(after).from).toBe(localMidnight('2026-07-01'));
  });

  it('with the incidents as they arrive where the data stop short of the clock', () => {
    const clock = at('2026-07-01T00:05:00+08:00');
    const healthEnd = at('2026-06-30T23:58:00.001+08:00');
    expect(today(presetReference(clock, healthEnd)).from).toBe(localMidnight('2026-06-30'));
    // the first incident after midnight moves today on before health is asked again
    const live = at('2026-07-01T00:01:00+08:00');
    expect(presetReference(clock, healthEnd, live)).toBe(live + 1);
    expect(today(presetReference(clock, healthEnd, live)).from).toBe(localMidnight('2026-07-01'));
    // an incident earlier than health's end (an old call updated) moves nothing
    expect(presetReference(clock, healthEnd, at('2026-06-30T12:00:00+08:00'))).toBe(healthEnd);
  });

  it('never past the clock, and on the clock without a data end', () => {
    const clock = at('2026-07-01T00:05:00+08:00');
    // a call up to five minutes in the future (clocks differ) does not run ahead of now
    expect(presetReference(clock, clock - 60_000, clock + 120_000)).toBe(clock);
    expect(presetReference(clock, null, clock - 3_600_000)).toBe(clock);
    // data anchored in the past stay anchored there
    expect(presetReference(clock, at('2026-06-01T00:00:00+08:00'))).toBe(
      at('2026-06-01T00:00:00+08:00'),
    );
  });
});

describe('rangeCache', () => {
  it('gives the same range object while a moving reference resolves to the same instants', () => {
    const shared = rangeCache();
    const w = { preset: '7d' as const };
    const a = shared(w, Date.parse('2026-06-30T10:00:00+08:00'));
    const b = shared(w, Date.parse('2026-06-30T10:01:00+08:00'));
    expect(b).toBe(a);
    const next = shared(w, Date.parse('2026-07-01T00:01:00+08:00'));
    expect(next).not.toBe(a);
    expect(next).toEqual(resolveWindow(w, Date.parse('2026-07-01T00:01:00+08:00')));
    expect(next.from - a.from).toBe(86_400_000);
    // another window of the same instants is its own object (its identity is the window's)
    expect(shared({ preset: '7d' }, Date.parse('2026-06-30T10:00:00+08:00'))).not.toBe(a);
  });
});
