/** Two periods' counts per community and per grid cell, against counting every incident by brute force. */
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  categoryMask,
  cellMetersAt,
  communitiesOfIncidents,
  communityChanges,
  countByCommunity,
  differenceGrid,
  type CommunityArea,
} from '../../client/briefing/compare/counts';
import { changeColour, scaleTop } from '../../client/briefing/compare/differenceLayers';
import { applyIncidentChanges, columnsFromArrow } from '../../client/data/incidentColumns';
import { CHANGE_COLOURS } from '../../client/theme';
import { heatGrid } from '../../geo/heatGrid';
import { pointInArea } from '../../geo/pointInArea';
import { DAY_MS } from '../../domain/time';
import { INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import { incidentsToArrow } from '../../server/services/arrow';

const ORIGIN = Date.parse('2026-01-01T00:00:00+08:00');
const SPAN_DAYS = 120;

/** A seeded generator (mulberry32), so a failure repeats. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const square = (x: number, y: number, d: number): Polygon['coordinates'][number] => [
  [x, y],
  [x + d, y],
  [x + d, y + d],
  [x, y + d],
  [x, y],
];

/** A 4 × 3 block of communities near the district, one with a hole, one of two parts; gaps between some. */
const AREAS: CommunityArea[] = [];
for (let r = 0; r < 3; r++)
  for (let c = 0; c < 4; c++) {
    const x = 101.6 + c * 0.05;
    const y = 36.6 + r * 0.04;
    const id = 100 + r * 4 + c;
    const size = c === 3 ? 0.04 : 0.05; // the last column leaves a gap
    if (id === 105)
      AREAS.push({
        id,
        geometry: {
          type: 'Polygon',
          coordinates: [square(x, y, size), square(x + 0.01, y + 0.01, 0.02)],
        },
      });
    else if (id === 110)
      AREAS.push({
        id,
        geometry: {
          type: 'MultiPolygon',
          coordinates: [[square(x, y, size)], [square(101.9, 36.5, 0.02)]],
        },
      });
    else AREAS.push({ id, geometry: { type: 'Polygon', coordinates: [square(x, y, size)] } });
  }

function makeColumns(n: number, seed = 1) {
  const rnd = random(seed);
  const times = Array.from({ length: n }, () =>
    Math.floor((ORIGIN + rnd() * SPAN_DAYS * DAY_MS) / 1000),
  ).sort((a, b) => a - b);
  const rows = times.map((t, i) => ({
    id: i + 1,
    lon: 101.58 + rnd() * 0.36,
    lat: 36.49 + rnd() * 0.25,
    t,
    c: Math.floor(rnd() * INCIDENT_CATEGORIES.length),
  }));
  const bytes = incidentsToArrow({
    count: n,
    id: Int32Array.from(rows, (r) => r.id),
    lon: Float32Array.from(rows, (r) => r.lon),
    lat: Float32Array.from(rows, (r) => r.lat),
    time: Uint32Array.from(rows, (r) => r.t),
    category: Uint8Array.from(rows, (r) => r.c),
  });
  return columnsFromArrow(bytes, ORIGIN, ORIGIN + SPAN_DAYS * DAY_MS);
}

const columns = makeColumns(20_000);
const CURRENT = { from: ORIGIN + 60 * DAY_MS, to: ORIGIN + 90 * DAY_MS };
const BASE = { from: ORIGIN + 30 * DAY_MS, to: ORIGIN + 60 * DAY_MS };

/** Every incident tested against every area, as plainly as it can be said. */
function bruteForce(range: { from: number; to: number }, mask: number) {
  const out = new Array<number>(AREAS.length).fill(0);
  for (let i = 0; i < columns.count; i++) {
    const t = columns.time[i]! * 1000;
    if (t < range.from || t >= range.to || !(mask & (1 << columns.category[i]!))) continue;
    const lon = columns.positions[2 * i]!;
    const lat = columns.positions[2 * i + 1]!;
    const k = AREAS.findIndex((a) => pointInArea(lon, lat, a.geometry as Polygon));
    if (k >= 0) out[k]!++;
  }
  return out;
}

describe('countByCommunity', () => {
  const of = communitiesOfIncidents(columns, AREAS);

  it('counts each period per community as a brute-force count does, every category', () => {
    const mask = categoryMask([]);
    for (const r of [CURRENT, BASE])
      expect(Array.from(countByCommunity(columns, of, AREAS.length, r, mask))).toEqual(
        bruteForce(r, mask),
      );
    // the test means something: incidents in most areas, and some outside them all
    const all = bruteForce({ from: ORIGIN, to: ORIGIN + SPAN_DAYS * DAY_MS }, mask);
    expect(all.filter((n) => n > 0).length).toBe(AREAS.length);
    expect(all.reduce((a, b) => a + b, 0)).toBeLessThan(columns.count);
  });

  it('applies the category filter to both periods', () => {
    const mask = categoryMask(['traffic', 'fire']);
    expect(mask).toBe(
      (1 << INCIDENT_CATEGORIES.indexOf('traffic')) | (1 << INCIDENT_CATEGORIES.indexOf('fire')),
    );
    for (const r of [CURRENT, BASE])
      expect(Array.from(countByCommunity(columns, of, AREAS.length, r, mask))).toEqual(
        bruteForce(r, mask),
      );
  });

  it('takes the window half-open: an incident at `to` belongs to the next period', () => {
    const t = columns.time[500]! * 1000;
    const k = of[500]!;
    const mask = categoryMask([]);
    const upTo = countByCommunity(columns, of, AREAS.length, { from: t - DAY_MS, to: t }, mask);
    const from = countByCommunity(columns, of, AREAS.length, { from: t, to: t + DAY_MS }, mask);
    expect(Array.from(upTo)).toEqual(bruteForce({ from: t - DAY_MS, to: t }, mask));
    expect(Array.from(from)).toEqual(bruteForce({ from: t, to: t + DAY_MS }, mask));
    if (k >= 0) expect(from[k]).toBeGreaterThan(0);
  });
});

describe('communitiesOfIncidents', () => {
  it('after live changes (one added, one moved, one removed) is what a fresh assignment gives', () => {
    const base = makeColumns(3000, 7);
    const first = communitiesOfIncidents(base, AREAS);
    const target = AREAS.findIndex((a) => a.id === 111);
    // an incident that was elsewhere, moved into community 111
    const moved = first.findIndex((k, i) => i > 50 && k >= 0 && k !== target);
    const changed = applyIncidentChanges(base, [
      {
        id: 99_999,
        incident: {
          time: new Date(ORIGIN + 119 * DAY_MS).toISOString(),
          lon: 101.62,
          lat: 36.61,
          category: 'fire',
        },
      },
      {
        id: base.id[moved]!,
        incident: {
          time: new Date(base.time[moved]! * 1000).toISOString(),
          lon: 101.76,
          lat: 36.69,
          category: INCIDENT_CATEGORIES[base.category[moved]!]!,
        },
      },
      { id: base.id[2000]!, incident: null },
    ]);
    const next = communitiesOfIncidents(changed, AREAS);
    // the same assignment as made from nothing (a new areas array defeats the reuse)
    expect(Array.from(next)).toEqual(Array.from(communitiesOfIncidents(changed, [...AREAS])));
    const at = Array.from(changed.id).indexOf(base.id[moved]!);
    expect(next[at]).toBe(target);
    expect(first.length).toBe(3000);
  });
});

describe('communityChanges', () => {
  it('puts the largest changes first, rises and falls alike, with the ratio to the base', () => {
    const areas = [1, 2, 3, 4].map((id) => ({ id, geometry: AREAS[0]!.geometry }));
    const rows = communityChanges(areas, [10, 2, 7, 5], [4, 9, 7, 0]);
    expect(rows.map((r) => r.id)).toEqual([2, 1, 4, 3]);
    expect(rows[0]).toEqual({ id: 2, current: 2, base: 9, change: -7, ratio: -7 / 9 });
    expect(rows[2]!.ratio).toBeNull();
  });
});

describe('differenceGrid', () => {
  it('gives each cell its count in each period, as a brute-force count does', () => {
    const meters = 1000;
    const g = heatGrid(meters);
    const mask = categoryMask(['criminal', 'traffic', 'dispute']);
    const cells = differenceGrid(columns, CURRENT, BASE, mask, meters);
    const brute = new Map<string, { current: number; base: number }>();
    for (let i = 0; i < columns.count; i++) {
      if (!(mask & (1 << columns.category[i]!))) continue;
      const t = columns.time[i]! * 1000;
      const which =
        t >= CURRENT.from && t < CURRENT.to
          ? 'current'
          : t >= BASE.from && t < BASE.to
            ? 'base'
            : null;
      if (!which) continue;
      const key = `${Math.floor((columns.positions[2 * i]! - g.lon0) / g.dLon)},${Math.floor((columns.positions[2 * i + 1]! - g.lat0) / g.dLat)}`;
      const c = brute.get(key) ?? { current: 0, base: 0 };
      c[which]++;
      brute.set(key, c);
    }
    expect(cells.length).toBe(brute.size);
    for (const c of cells) {
      const key = `${Math.round((c.bounds[0] - g.lon0) / g.dLon)},${Math.round((c.bounds[1] - g.lat0) / g.dLat)}`;
      expect({ current: c.current, base: c.base }).toEqual(brute.get(key));
      expect(c.change).toBe(c.current - c.base);
    }
  });

  it('cells shrink by half with each zoom level, within bounds', () => {
    expect(cellMetersAt(11)).toBe(800);
    expect(cellMetersAt(12.9)).toBe(400);
    expect(cellMetersAt(14)).toBe(100);
    expect(cellMetersAt(18)).toBe(50);
    expect(cellMetersAt(6)).toBe(3200);
  });
});

describe('the difference scale', () => {
  it('tops out at a round number at or above the largest change', () => {
    expect([0, 1, 3, 37, 100, 101, 740].map(scaleTop)).toEqual([1, 1, 5, 50, 100, 200, 1000]);
  });

  it('is orange for more, purple for fewer, clear for none, and more opaque the larger the change', () => {
    const more = changeColour(10, 100);
    const fewer = changeColour(-10, 100);
    expect(changeColour(0, 100)[3]).toBe(0);
    expect(more.slice(0, 3)).toEqual(CHANGE_COLOURS.more.slice(0, 3));
    expect(fewer.slice(0, 3)).toEqual(CHANGE_COLOURS.fewer.slice(0, 3));
    expect(changeColour(80, 100)[3]).toBeGreaterThan(more[3]);
    // past the top of the scale it is as strong as at the top
    expect(changeColour(-500, 100)).toEqual(changeColour(-100, 100));
  });
});
