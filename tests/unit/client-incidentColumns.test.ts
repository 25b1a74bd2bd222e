import { describe, expect, it } from 'vitest';
import {
  applyIncidentChanges,
  columnsFromArrow,
  countByCategory,
  countPerDay,
  lowerBound,
  type IncidentChange,
  type IncidentColumns,
} from '../../client/data/incidentColumns';
import { CATEGORY_COLOURS } from '../../client/theme';
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../domain/vocabulary';
import { incidentsToArrow } from '../../server/services/arrow';

const DAY_S = 86_400;
/** 2026-06-01 00:00 local (UTC+8), the span's origin. */
const ORIGIN = Date.parse('2026-06-01T00:00:00+08:00');
const ORIGIN_S = ORIGIN / 1000;
const cat = (c: IncidentCategory) => INCIDENT_CATEGORIES.indexOf(c);

/** Incidents as the server sends them: typed columns, time ascending. */
const ROWS: { id: number; lon: number; lat: number; t: number; c: IncidentCategory }[] = [
  { id: 11, lon: 101.75, lat: 36.65, t: ORIGIN_S, c: 'criminal' }, // day 0, at its midnight
  { id: 12, lon: 101.7, lat: 36.7, t: ORIGIN_S + 90 * 60, c: 'traffic' }, // day 0, 01:30
  { id: 13, lon: 101.625, lat: 36.6875, t: ORIGIN_S + DAY_S - 60, c: 'fire' }, // day 0, 23:59
  { id: 14, lon: 101.8, lat: 36.72, t: ORIGIN_S + DAY_S, c: 'fire' }, // day 1, at its midnight
  { id: 15, lon: 101.71, lat: 36.66, t: ORIGIN_S + DAY_S + 3600, c: 'other' }, // day 1
  { id: 16, lon: 101.72, lat: 36.67, t: ORIGIN_S + 2 * DAY_S + 7200, c: 'traffic' }, // day 2
  { id: 17, lon: 101.73, lat: 36.68, t: ORIGIN_S + 3 * DAY_S, c: 'criminal' }, // day 3, at its midnight
];

function arrowBytes(rows = ROWS) {
  return incidentsToArrow({
    count: rows.length,
    id: Int32Array.from(rows, (r) => r.id),
    lon: Float32Array.from(rows, (r) => r.lon),
    lat: Float32Array.from(rows, (r) => r.lat),
    time: Uint32Array.from(rows, (r) => r.t),
    category: Uint8Array.from(rows, (r) => cat(r.c)),
  });
}

const columns = columnsFromArrow(arrowBytes(), ORIGIN);

describe('columnsFromArrow', () => {
  it('reads the count, origin and ids', () => {
    expect(columns.count).toBe(ROWS.length);
    expect(columns.origin).toBe(ORIGIN);
    expect(Array.from(columns.id)).toEqual(ROWS.map((r) => r.id));
  });

  it('interleaves lon and lat into positions', () => {
    expect(columns.positions).toBeInstanceOf(Float32Array);
    expect(Array.from(columns.positions)).toEqual(
      ROWS.flatMap((r) => [Math.fround(r.lon), Math.fround(r.lat)]),
    );
  });

  it('keeps the epoch-second times', () => {
    expect(Array.from(columns.time)).toEqual(ROWS.map((r) => r.t));
  });

  it('counts minutes from the origin exactly', () => {
    expect(Array.from(columns.minutes)).toEqual(ROWS.map((r) => (r.t - ORIGIN_S) / 60));
    expect(Array.from(columns.minutes)).toEqual([0, 90, 1439, 1440, 1500, 3000, 4320]);
  });

  it('puts an incident in the whole minute it falls in, so float32 filtering stays exact', () => {
    const one = columnsFromArrow(
      incidentsToArrow({
        count: 2,
        id: new Int32Array([1, 2]),
        lon: new Float32Array([101.7, 101.7]),
        lat: new Float32Array([36.7, 36.7]),
        time: new Uint32Array([ORIGIN_S + 730 * DAY_S - 1, ORIGIN_S + 730 * DAY_S + 59]),
        category: new Uint8Array([0, 0]),
      }),
      ORIGIN,
    );
    // one second before the 730th midnight is still in the minute before it
    expect(Array.from(one.minutes)).toEqual([730 * 1440 - 1, 730 * 1440]);
  });

  it('minutes move with the origin', () => {
    const later = columnsFromArrow(arrowBytes(), ORIGIN + DAY_S * 1000);
    expect(later.minutes[3]).toBe(0);
    expect(later.minutes[0]).toBe(-1440);
  });

  it('maps the category dictionary onto INCIDENT_CATEGORIES indices', () => {
    expect(Array.from(columns.category)).toEqual(ROWS.map((r) => cat(r.c)));
    expect(Array.from(columns.categoryF)).toEqual(ROWS.map((r) => cat(r.c)));
  });

  it('colours each incident by its category', () => {
    expect(columns.colours).toHaveLength(4 * ROWS.length);
    ROWS.forEach((r, i) =>
      expect(Array.from(columns.colours.subarray(4 * i, 4 * i + 4))).toEqual(CATEGORY_COLOURS[r.c]),
    );
  });

  it('reads every category', () => {
    const rows = INCIDENT_CATEGORIES.map((c, i) => ({
      id: i + 1,
      lon: 101.7,
      lat: 36.7,
      t: ORIGIN_S + i,
      c,
    }));
    const all = columnsFromArrow(arrowBytes(rows), ORIGIN);
    expect(Array.from(all.category)).toEqual(INCIDENT_CATEGORIES.map((_, i) => i));
  });

  it('reads an empty stream', () => {
    const empty = columnsFromArrow(arrowBytes([]), ORIGIN);
    expect(empty.count).toBe(0);
    expect(empty.positions).toHaveLength(0);
    expect(lowerBound(empty, ORIGIN)).toBe(0);
  });
});

describe('lowerBound', () => {
  const ms = (s: number) => s * 1000;

  it('is 0 before the first incident', () => {
    expect(lowerBound(columns, ORIGIN - 1)).toBe(0);
  });

  it('is the matching index on an exact time', () => {
    expect(lowerBound(columns, ORIGIN)).toBe(0);
    expect(lowerBound(columns, ms(ROWS[3]!.t))).toBe(3);
    expect(lowerBound(columns, ms(ROWS[6]!.t))).toBe(6);
  });

  it('is the next index between two incidents', () => {
    expect(lowerBound(columns, ms(ROWS[1]!.t) + 1)).toBe(2);
    expect(lowerBound(columns, ms(ROWS[3]!.t) - 1)).toBe(3);
  });

  it('is the count after the last incident', () => {
    expect(lowerBound(columns, ms(ROWS[6]!.t) + 1)).toBe(ROWS.length);
  });

  it('finds the first of equal times', () => {
    const rows = [0, 60, 60, 60, 120].map((s, i) => ({
      id: i + 1,
      lon: 0,
      lat: 0,
      t: ORIGIN_S + s,
      c: 'other' as const,
    }));
    const c = columnsFromArrow(arrowBytes(rows), ORIGIN);
    expect(lowerBound(c, ORIGIN + 60_000)).toBe(1);
  });
});

describe('countPerDay', () => {
  const ALL = (1 << INCIDENT_CATEGORIES.length) - 1;

  it('counts incidents per local day, a midnight incident on the day it starts', () => {
    expect(Array.from(countPerDay(columns, ORIGIN, 4, ALL))).toEqual([3, 2, 1, 1]);
  });

  it('counts only the masked categories', () => {
    const mask = (1 << cat('fire')) | (1 << cat('criminal'));
    expect(Array.from(countPerDay(columns, ORIGIN, 4, mask))).toEqual([2, 1, 0, 1]);
  });

  it('a zero mask counts nothing', () => {
    expect(Array.from(countPerDay(columns, ORIGIN, 4, 0))).toEqual([0, 0, 0, 0]);
  });

  it('excludes incidents before dayStart and from dayStart + days on', () => {
    const day1 = ORIGIN + DAY_S * 1000;
    // days 1 and 2 only: day 0 is before, day 3's midnight incident is after
    expect(Array.from(countPerDay(columns, day1, 2, ALL))).toEqual([2, 1]);
  });

  it('pads days with no incidents with zeros', () => {
    expect(Array.from(countPerDay(columns, ORIGIN + 3 * DAY_S * 1000, 3, ALL))).toEqual([1, 0, 0]);
  });
});

describe('countByCategory', () => {
  const day = (n: number) => ORIGIN + n * DAY_S * 1000;
  const counts = (c: IncidentColumns, from: number, to: number) => {
    const out = countByCategory(c, { from, to });
    return (
      out && Object.fromEntries(INCIDENT_CATEGORIES.map((k, i) => [k, out[i]]).filter(([, n]) => n))
    );
  };

  it("counts a window [from, to) per category: an incident at `to` is the next window's", () => {
    expect(counts(columns, day(0), day(1))).toEqual({ criminal: 1, traffic: 1, fire: 1 });
    expect(counts(columns, day(1), day(3))).toEqual({ fire: 1, other: 1, traffic: 1 });
    expect(counts(columns, day(0), day(4))).toEqual({ criminal: 2, traffic: 2, fire: 2, other: 1 });
    expect(counts(columns, day(5), day(6))).toEqual({});
  });

  it('counts a live incident as soon as it is applied, and forgets a removed one', () => {
    const late = { time: new Date(day(3) + 5_000).toISOString(), lon: 101.7, lat: 36.7 };
    const added = applyIncidentChanges(columns, [
      { id: 40, incident: { ...late, category: 'fire' } },
    ]);
    expect(counts(added, day(3), day(4))).toEqual({ criminal: 1, fire: 1 });
    expect(
      counts(applyIncidentChanges(added, [{ id: 17, incident: null }]), day(3), day(4)),
    ).toEqual({
      fire: 1,
    });
  });

  it('declines what it cannot count exactly: bounds within a second, windows beyond the span', () => {
    const bounded = columnsFromArrow(arrowBytes(), ORIGIN, day(4));
    expect(countByCategory(bounded, { from: day(0) + 1, to: day(1) })).toBeNull();
    expect(countByCategory(bounded, { from: day(0), to: day(1) - 500 })).toBeNull();
    expect(countByCategory(bounded, { from: day(-1), to: day(1) })).toBeNull();
    expect(countByCategory(bounded, { from: day(3), to: day(5) })).toBeNull();
    expect(countByCategory(bounded, { from: day(0), to: day(4) })).not.toBeNull();
  });
});

describe('applyIncidentChanges', () => {
  type R = (typeof ROWS)[number];
  const iso = (t: number) => new Date(t * 1000).toISOString();
  const change = (r: R, outside = false): IncidentChange => ({
    id: r.id,
    incident: { time: iso(r.t), lon: r.lon, lat: r.lat, category: r.c, outside },
  });
  const removal = (id: number): IncidentChange => ({ id, incident: null });
  /** Every column's values, as plain arrays. */
  const values = (c: IncidentColumns) => ({
    count: c.count,
    origin: c.origin,
    id: Array.from(c.id),
    positions: Array.from(c.positions),
    time: Array.from(c.time),
    minutes: Array.from(c.minutes),
    category: Array.from(c.category),
    categoryF: Array.from(c.categoryF),
    colours: Array.from(c.colours),
  });
  /** The columns the server would send for `rows`, sorted by time as it sends them. */
  const expected = (rows: R[]) =>
    values(
      columnsFromArrow(arrowBytes([...rows].sort((a, b) => a.t - b.t || a.id - b.id)), ORIGIN),
    );
  const base = () => columnsFromArrow(arrowBytes(), ORIGIN);
  const LAST = ROWS[6]!.t;
  const late = (id: number, dt: number, c: IncidentCategory = 'fire'): R => ({
    id,
    lon: 101.76,
    lat: 36.61,
    t: LAST + dt,
    c,
  });

  it('appends new incidents at the end, sorted among themselves', () => {
    const c = base();
    const a = late(21, 120);
    const b = late(22, 60, 'traffic');
    const out = applyIncidentChanges(c, [change(a), change(b)]);
    expect(values(out)).toEqual(expected([...ROWS, a, b]));
    // the columns it was made from are untouched
    expect(values(c)).toEqual(expected(ROWS));
  });

  it('appends one after another in place, each result a new object, the earlier ones intact', () => {
    let c = base();
    const seen: IncidentColumns[] = [c];
    const added: R[] = [];
    for (let k = 0; k < 300; k++) {
      const r = late(100 + k, 60 * k, INCIDENT_CATEGORIES[k % INCIDENT_CATEGORIES.length]!);
      added.push(r);
      c = applyIncidentChanges(c, [change(r)]);
      seen.push(c);
    }
    expect(values(c)).toEqual(expected([...ROWS, ...added]));
    expect(new Set(seen).size).toBe(seen.length);
    // the 2nd and the 3rd share their arrays (written in place), and still read as they did
    expect(seen[2]!.time.buffer).toBe(seen[3]!.time.buffer);
    expect(values(seen[2]!)).toEqual(expected([...ROWS, ...added.slice(0, 2)]));
  });

  it('never writes over what another result made from the same columns holds', () => {
    const c = applyIncidentChanges(base(), [change(late(21, 60))]);
    const one = applyIncidentChanges(c, [change(late(22, 120))]);
    const two = applyIncidentChanges(c, [change(late(23, 180, 'other'))]);
    expect(values(one)).toEqual(expected([...ROWS, late(21, 60), late(22, 120)]));
    expect(values(two)).toEqual(expected([...ROWS, late(21, 60), late(23, 180, 'other')]));
  });

  it('puts an earlier incident in its place by time, after those of the same second', () => {
    const mid: R = { id: 30, lon: 101.7, lat: 36.7, t: ROWS[3]!.t, c: 'criminal' };
    const first: R = { id: 31, lon: 101.7, lat: 36.7, t: ORIGIN_S, c: 'other' };
    const out = applyIncidentChanges(base(), [change(mid), change(first)]);
    expect(Array.from(out.id)).toEqual([11, 31, 12, 13, 14, 30, 15, 16, 17]);
    expect(values(out)).toEqual(expected([...ROWS, mid, first]));
    expect(Array.from(out.time)).toEqual([...out.time].sort((a, b) => a - b));
    // lowerBound and countPerDay read the merged columns as they would the server's
    expect(lowerBound(out, ROWS[3]!.t * 1000)).toBe(4);
    const ALL = (1 << INCIDENT_CATEGORIES.length) - 1;
    expect(Array.from(countPerDay(out, ORIGIN, 4, ALL))).toEqual([4, 3, 1, 1]);
  });

  it('an update moves, recolours or re-times one incident', () => {
    const moved = { ...ROWS[1]!, lon: 101.77, lat: 36.63 };
    const recoloured = { ...ROWS[4]!, c: 'criminal' as const };
    const retimed = { ...ROWS[0]!, t: ROWS[5]!.t + 60 };
    const out = applyIncidentChanges(base(), [change(moved), change(recoloured), change(retimed)]);
    const rows = ROWS.map((r) =>
      r.id === moved.id
        ? moved
        : r.id === recoloured.id
          ? recoloured
          : r.id === retimed.id
            ? retimed
            : r,
    );
    expect(values(out)).toEqual(expected(rows));
    expect(out.count).toBe(ROWS.length);
  });

  it('an update that changes nothing the columns hold (a status) gives back the same columns', () => {
    const c = base();
    expect(applyIncidentChanges(c, [change(ROWS[2]!)])).toBe(c);
    expect(applyIncidentChanges(c, [removal(999)])).toBe(c);
  });

  it('a removal takes one incident away', () => {
    const out = applyIncidentChanges(base(), [removal(13), removal(17)]);
    expect(values(out)).toEqual(expected(ROWS.filter((r) => r.id !== 13 && r.id !== 17)));
  });

  it('the last change of an incident wins: created then cancelled leaves nothing', () => {
    const a = late(40, 60);
    const c = base();
    expect(values(applyIncidentChanges(c, [change(a), removal(40)]))).toEqual(expected(ROWS));
    expect(values(applyIncidentChanges(c, [removal(40), change(a)]))).toEqual(
      expected([...ROWS, a]),
    );
  });

  it('a change received twice counts once', () => {
    const a = late(41, 60);
    const once = applyIncidentChanges(base(), [change(a)]);
    const twice = applyIncidentChanges(once, [change(a)]);
    expect(twice).toBe(once);
    expect(values(applyIncidentChanges(base(), [change(a), change(a)]))).toEqual(
      expected([...ROWS, a]),
    );
  });

  it('leaves out incidents outside the district, and takes one away once it is placed there', () => {
    const c = base();
    expect(applyIncidentChanges(c, [change(late(42, 60), true)])).toBe(c);
    const out = applyIncidentChanges(c, [change(ROWS[2]!, true)]);
    expect(values(out)).toEqual(expected(ROWS.filter((r) => r.id !== 13)));
  });

  it('leaves out incidents before the origin, at or after the end, or of an unknown category', () => {
    const c = columnsFromArrow(arrowBytes(), ORIGIN, (LAST + 3600) * 1000);
    const before = { ...late(43, 0), t: ORIGIN_S - 1 };
    const after = late(44, 3600);
    const odd: IncidentChange = {
      id: 45,
      incident: { ...change(late(45, 60)).incident!, category: 'weather' },
    };
    expect(applyIncidentChanges(c, [change(before), change(after), odd])).toBe(c);
    expect(values(applyIncidentChanges(c, [change(late(46, 3599))]))).toEqual(
      expected([...ROWS, late(46, 3599)]),
    );
  });

  it('starts from empty columns', () => {
    const empty = columnsFromArrow(arrowBytes([]), ORIGIN);
    const out = applyIncidentChanges(empty, [change(ROWS[3]!), change(ROWS[0]!)]);
    expect(values(out)).toEqual(expected([ROWS[0]!, ROWS[3]!]));
  });
});
