import { describe, expect, it } from 'vitest';
import { columnsFromArrow, countPerDay, lowerBound } from '../../client/data/incidentColumns';
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
