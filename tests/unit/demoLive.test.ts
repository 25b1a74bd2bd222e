/**
 * The live demo's schedule (server/demo/live.ts): calls at about 8 an hour following the
 * generator's daily and weekly rhythms and category mix, moving on through their statuses, the
 * same for the same seed and clock however the time is cut.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import { CATEGORY_SHARES } from '../../server/demo/incidentMix';
import {
  callsBetween,
  createLiveModel,
  expectedPerHour,
  recordsBetween,
  slotCalls,
  type LiveCall,
  type LiveModel,
} from '../../server/demo/live';
import { createRng } from '../../server/demo/random';
import { buildRegions, type CommunityLayout } from '../../server/demo/regions';
import { loadDistrict } from '../../server/demo/sourceData';
import { localHour } from './demoTestUtils';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 2026-04-06 00:00 Asia/Shanghai: four weeks of a month of average season */
const START = Date.parse('2026-04-06T00:00:00+08:00');

let layout: CommunityLayout;
let model: LiveModel;
let month: LiveCall[];

beforeAll(() => {
  layout = buildRegions(loadDistrict().geom, createRng('chengbei', 'regions'));
  model = createLiveModel('chengbei', layout);
  month = callsBetween(model, START, START + 28 * DAY);
});

/** The expected calls in [from, to), hour by hour. */
function expected(from: number, to: number, rate = 1) {
  let n = 0;
  for (let t = from; t < to; t += HOUR) n += expectedPerHour(t) * rate;
  return n;
}

describe('the rate of calls', () => {
  it('averages 8 an hour over a year', () => {
    const year = Date.parse('2026-01-01T00:00:00+08:00');
    expect(expected(year, year + 365 * DAY) / (365 * 24)).toBeCloseTo(8, 0);
  });

  it('follows the expected count over four weeks', () => {
    const want = expected(START, START + 28 * DAY);
    expect(want / (28 * 24)).toBeGreaterThan(7);
    expect(want / (28 * 24)).toBeLessThan(9);
    expect(Math.abs(month.length - want)).toBeLessThan(4 * Math.sqrt(want));
  });

  it('follows the daily profile hour by hour, with the evening peak far above the small hours', () => {
    const got = new Array<number>(24).fill(0);
    for (const c of month) got[localHour(c.time)]!++;
    const want = new Array<number>(24).fill(0);
    for (let t = START; t < START + 28 * DAY; t += HOUR) want[localHour(t)]! += expectedPerHour(t);
    for (let h = 0; h < 24; h++)
      expect(Math.abs(got[h]! - want[h]!), `hour ${h}`).toBeLessThan(4.5 * Math.sqrt(want[h]!) + 2);
    const evening = got[19]! + got[20]! + got[21]!;
    const smallHours = got[3]! + got[4]! + got[5]!;
    expect(evening).toBeGreaterThan(3 * smallHours);
    // an evening hour is busier than the average hour, a small hour much quieter
    expect(expectedPerHour(Date.parse('2026-04-08T20:30:00+08:00'))).toBeGreaterThan(10);
    expect(expectedPerHour(Date.parse('2026-04-08T04:30:00+08:00'))).toBeLessThan(3);
  });

  it('is busier on Friday and Saturday evenings for public order', () => {
    const friday = Date.parse('2026-04-10T21:00:00+08:00');
    const wednesday = Date.parse('2026-04-08T21:00:00+08:00');
    expect(expectedPerHour(friday)).toBeGreaterThan(expectedPerHour(wednesday));
  });

  it('follows the category mix', () => {
    for (const c of INCIDENT_CATEGORIES) {
      const share = month.filter((x) => x.category === c).length / month.length;
      expect(Math.abs(share - CATEGORY_SHARES[c]), c).toBeLessThan(0.025);
    }
    // subcategories belong to their category: telecom fraud is criminal
    expect(
      month.filter((x) => x.subcategory === 'fraud').every((x) => x.category === 'criminal'),
    ).toBe(true);
  });

  it('is DEMO_LIVE_RATE times as high when sped up', () => {
    const fast = createLiveModel('chengbei', layout, 60);
    const from = Date.parse('2026-04-08T10:00:00+08:00');
    const calls = callsBetween(fast, from, from + HOUR);
    const want = expected(from, from + HOUR, 60);
    expect(Math.abs(calls.length - want)).toBeLessThan(4 * Math.sqrt(want));
    // and they move on 60 times as fast: closed within 95 minutes / 60
    for (const c of calls) expect(c.steps.at(-1)!.at - c.time).toBeLessThanOrEqual(95 * 1000);
    expect(() => createLiveModel('chengbei', layout, 0.5)).toThrow(/DEMO_LIVE_RATE/);
  });
});

describe('a call', () => {
  it('lies in the district, with a sourceId named by its slot', () => {
    const ids = new Set(month.map((c) => c.sourceId));
    expect(ids.size).toBe(month.length);
    for (const c of month) {
      expect(c.sourceId).toMatch(/^SIM-\d{8}-\d{6}-\d{2}$/);
      expect(model.space.index.find(c.lon, c.lat), c.sourceId).toBeGreaterThanOrEqual(0);
    }
  });

  it('moves on through dispatched, on scene and closed, or is cancelled, at increasing times', () => {
    const kinds = new Map<string, number>();
    for (const c of month) {
      expect(c.steps[0]).toEqual({ at: c.time, status: 'open' });
      for (let i = 1; i < c.steps.length; i++)
        expect(c.steps[i]!.at).toBeGreaterThan(c.steps[i - 1]!.at);
      const path = c.steps.map((s) => s.status).join('>');
      kinds.set(path, (kinds.get(path) ?? 0) + 1);
      expect(c.steps.at(-1)!.at - c.time).toBeLessThanOrEqual(95 * 60_000);
    }
    expect([...kinds.keys()].sort()).toEqual([
      'open>cancelled',
      'open>dispatched>closed',
      'open>dispatched>on_scene>closed',
    ]);
    const cancelled = kinds.get('open>cancelled')! / month.length;
    expect(cancelled).toBeGreaterThan(0.02);
    expect(cancelled).toBeLessThan(0.1);
    expect(kinds.get('open>dispatched>on_scene>closed')! / month.length).toBeGreaterThan(0.7);
  });
});

describe('the schedule', () => {
  it('is the same for the same seed and clock, and differs for another seed', () => {
    const again = createLiveModel('chengbei', layout);
    const slot = START + 20 * HOUR;
    for (let s = slot; s < slot + HOUR; s += 60_000)
      expect(slotCalls(again, s)).toEqual(slotCalls(model, s));
    const other = createLiveModel('other', layout);
    const a = callsBetween(model, slot, slot + 6 * HOUR).map((c) => c.time);
    const b = callsBetween(other, slot, slot + 6 * HOUR).map((c) => c.time);
    expect(a).not.toEqual(b);
  });

  it('leaves every call at the same status however the time is cut into ticks', () => {
    const from = START + 18 * HOUR;
    const to = from + 3 * HOUR;
    const final = (cuts: number[]) => {
      const status = new Map<string, string>();
      for (let i = 0; i + 1 < cuts.length; i++)
        for (const r of recordsBetween(model, cuts[i]!, cuts[i + 1]!, from))
          status.set(r.sourceId, r.status!);
      return status;
    };
    const once = final([from, to]);
    const rng = createRng('cuts');
    const cuts = [from];
    while (cuts.at(-1)! < to) cuts.push(Math.min(to, cuts.at(-1)! + 1 + rng.int(400_000)));
    expect(final(cuts)).toEqual(once);
    // each call is sent once per tick at most, at its latest status of that tick
    const one = recordsBetween(model, from, to, from);
    expect(new Set(one.map((r) => r.sourceId)).size).toBe(one.length);
    expect(once.size).toBeGreaterThan(10);
  });

  it('sends nothing of calls that came in before `since`', () => {
    const since = START + 20 * HOUR;
    const records = recordsBetween(model, since - HOUR, since + HOUR, since);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(Date.parse(String(r.time))).toBeGreaterThanOrEqual(since);
    // without it, calls of the hour before move on in it
    const all = recordsBetween(model, since, since + HOUR);
    expect(all.some((r) => Date.parse(String(r.time)) < since)).toBe(true);
  });
});
