/**
 * The demo data ends at the moment of generation: with a today anchor nothing lies in the
 * future, and a past anchor's data does not depend on the clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENTS, generateDemo } from '../../server/demo/generate';
import type { DemoData } from '../../server/demo/types';
import { ANCHOR, hashDemo, localDate } from './demoTestUtils';

const TODAY = '2026-12-04';
/** 01:37 in Asia/Shanghai on TODAY */
const NOW = Date.parse(`${TODAY}T01:37:00+08:00`);
const DAY_START = Date.parse(`${TODAY}T00:00:00+08:00`);

let today: DemoData;
beforeAll(() => {
  // no anchor: today in Asia/Shanghai at the injected clock
  today = generateDemo({ now: NOW });
});

describe('a today anchor', () => {
  it('is today at the injected clock, and the data ends at that moment', () => {
    expect(today.source.anchor).toBe(TODAY);
    expect(today.coverage.end).toBe(NOW);
    expect(today.coverage.end).toBeLessThanOrEqual(NOW);
  });

  it('has no incident at or after the moment of generation', () => {
    const { time, count } = today.incidents;
    expect(count).toBe(DEFAULT_INCIDENTS);
    expect(time[count - 1]).toBeLessThan(NOW);
    expect(localDate(time[count - 1]!)).toBe(TODAY);
    expect(time.every((t) => t < NOW)).toBe(true);
  });

  it('has a plausible share of a day so far: the small hours up to 01:37', () => {
    const { time } = today.incidents;
    const soFar = time.filter((t) => t >= DAY_START).length;
    const perDay = DEFAULT_INCIDENTS / 730;
    // 00:00–01:37 carries about 4 % of a day's calls; the whole day would be about 190
    expect(soFar).toBeGreaterThan(0);
    expect(soFar).toBeLessThan(0.15 * perDay);
    // yesterday is a whole day
    const yesterday = time.filter((t) => t >= DAY_START - 86_400_000 && t < DAY_START).length;
    expect(yesterday).toBeGreaterThan(0.5 * perDay);
  });

  it('leaves the calls of the last minutes open or dispatched, not all closed', () => {
    const { time, status, count } = today.incidents;
    const recent = [...Array(count).keys()].filter((i) => time[i]! >= NOW - 2 * 3_600_000);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.some((i) => status[i] !== 2)).toBe(true);
  });

  it('registers and resolves no dispute after the moment of generation', () => {
    expect(today.disputes.length).toBeGreaterThan(0);
    for (const d of today.disputes) {
      expect(d.registeredAt).toBeLessThan(NOW);
      if (d.resolvedAt !== null) expect(d.resolvedAt).toBeLessThan(NOW);
    }
    expect(Math.max(...today.cameras.map((c) => c.installedAt))).toBeLessThan(NOW);
  });

  it('is deterministic for the same seed, anchor and clock', () => {
    const again = generateDemo({ anchor: TODAY, now: NOW, incidents: 20_000 });
    const twice = generateDemo({ anchor: TODAY, now: NOW, incidents: 20_000 });
    expect(hashDemo(again)).toBe(hashDemo(twice));
    expect(again.coverage.end).toBe(NOW);
  });
});

describe('a past anchor', () => {
  it('gives byte-identical data whatever the clock', () => {
    const a = generateDemo({ anchor: ANCHOR, incidents: 20_000 });
    const b = generateDemo({ anchor: ANCHOR, incidents: 20_000, now: NOW });
    expect(hashDemo(a)).toBe(hashDemo(b));
    // the whole anchor day: the data ends at 00:00 of the next day
    expect(b.coverage.end).toBe(Date.parse(`${ANCHOR}T00:00:00+08:00`) + 86_400_000);
  });
});

describe('an anchor in the future', () => {
  it('is refused, naming the anchor and today', () => {
    expect(() => generateDemo({ anchor: '2026-12-05', now: NOW, incidents: 0 })).toThrow(
      /DEMO_ANCHOR.*2026-12-05 is in the future: today in Asia\/Shanghai is 2026-12-04/,
    );
  });
});
