import {
  area,
  booleanPointInPolygon,
  booleanValid,
  difference,
  feature,
  featureCollection,
  union,
} from '@turf/turf';
import type { LineString, Point, Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';
import { findAreaProblems } from '../../geo/findAreaProblems';
import { pointAlongLine } from '../../geo/pointAlongLine';
import { generateDemo } from '../../server/demo/generate';
import { ARTERIAL_ROADS } from '../../server/demo/roads';
import { type DemoData } from '../../server/demo/types';
import { CAMERA_KINDS, SITE_KINDS } from '../../domain/vocabulary';
import { ANCHOR, inArea } from './demoTestUtils';

const DAY = 86_400_000;
let d: DemoData;
beforeAll(() => {
  d = generateDemo({ anchor: ANCHOR, incidents: 60_000 });
});

const communityOf = (id: number | null) => d.communities.find((c) => c.id === id);

describe('disputes', () => {
  it('include the 睦邻 studio: 2,465 property disputes in 廿里铺, 1,163 resolved', () => {
    const mulin = d.disputes.filter((x) => x.studio === 'mulin');
    expect(mulin).toHaveLength(2465);
    expect(mulin.filter((x) => x.resolvedAt !== null)).toHaveLength(1163);
    const nlp = d.towns.find((t) => t.name === '廿里铺镇')!.id;
    for (const x of mulin) {
      expect(x.kind).toBe('property');
      expect(communityOf(x.communityId)!.townId).toBe(nlp);
    }
  });

  it('are registered in the window and resolved days to weeks later, before the end', () => {
    for (const x of d.disputes) {
      expect(x.registeredAt).toBeGreaterThanOrEqual(d.coverage.start);
      expect(x.registeredAt).toBeLessThan(d.coverage.end);
      if (x.resolvedAt !== null) {
        expect(x.resolvedAt).toBeGreaterThan(x.registeredAt);
        expect(x.resolvedAt).toBeLessThan(d.coverage.end);
        expect(x.resolvedAt - x.registeredAt).toBeLessThan(100 * DAY);
      }
    }
    const days = d.disputes
      .filter((x) => x.resolvedAt !== null)
      .map((x) => (x.resolvedAt! - x.registeredAt) / DAY)
      .sort((a, b) => a - b);
    const median = days[Math.floor(days.length / 2)]!;
    expect(median).toBeGreaterThan(3);
    expect(median).toBeLessThan(30);
  });

  it('include about 1,500 district-wide disputes, most resolved, in all four colours and channels', () => {
    const others = d.disputes.filter((x) => x.studio !== 'mulin');
    expect(others.length).toBeGreaterThan(1300);
    expect(others.length).toBeLessThan(1700);
    expect(others.filter((x) => x.resolvedAt !== null).length / others.length).toBeGreaterThan(0.8);
    expect(new Set(others.map((x) => x.kind)).size).toBeGreaterThanOrEqual(4);
    const share = (risk: string) =>
      d.disputes.filter((x) => x.risk === risk).length / d.disputes.length;
    expect(share('red')).toBeLessThan(0.05);
    expect(share('red')).toBeGreaterThan(0);
    expect(share('yellow') + share('blue')).toBeGreaterThan(0.75);
    expect(new Set(d.disputes.map((x) => x.channel)).size).toBe(4);
  });

  it('lie inside their community and are sorted by registration', () => {
    d.disputes.forEach((x, i) => {
      expect(booleanPointInPolygon(x.geom.coordinates, communityOf(x.communityId)!.geom)).toBe(
        true,
      );
      if (i > 0) expect(x.registeredAt).toBeGreaterThanOrEqual(d.disputes[i - 1]!.registeredAt);
    });
  });
});

describe('cameras', () => {
  const existing = () => d.cameras.filter((c) => c.batch === 'existing');
  const infill = () => d.cameras.filter((c) => c.batch === 'sharp-eyes-infill');

  it('are about 1,800 existing plus exactly 654 Sharp Eyes infill cameras', () => {
    expect(existing().length).toBeGreaterThan(1700);
    expect(existing().length).toBeLessThan(1900);
    expect(infill()).toHaveLength(654);
    expect(existing().length + infill().length).toBe(d.cameras.length);
  });

  it('were installed before the window (existing) or in its last 12 months (infill)', () => {
    for (const c of existing()) {
      expect(c.installedAt).toBeLessThan(d.coverage.start);
      expect(c.installedAt).toBeGreaterThan(d.coverage.start - 5 * 366 * DAY);
    }
    for (const c of infill()) {
      expect(c.installedAt).toBeGreaterThanOrEqual(d.coverage.end - 366 * DAY);
      expect(c.installedAt).toBeLessThan(d.coverage.end);
    }
  });

  it('have plausible optics and a few percent offline', () => {
    for (const c of d.cameras) {
      expect(CAMERA_KINDS).toContain(c.kind);
      expect(c.bearing).toBeGreaterThanOrEqual(0);
      expect(c.bearing).toBeLessThan(360);
      const [fov, range] = {
        bullet: [
          [40, 80],
          [20, 50],
        ],
        dome: [
          [360, 360],
          [100, 150],
        ],
        checkpoint: [
          [30, 40],
          [10, 25],
        ],
      }[c.kind];
      expect(c.fov).toBeGreaterThanOrEqual(fov![0]!);
      expect(c.fov).toBeLessThanOrEqual(fov![1]!);
      expect(c.rangeM).toBeGreaterThanOrEqual(range![0]!);
      expect(c.rangeM).toBeLessThanOrEqual(range![1]!);
      expect(inArea(c.geom.coordinates, d.district.geom)).toBe(true);
    }
    for (const kind of CAMERA_KINDS) expect(d.cameras.some((c) => c.kind === kind)).toBe(true);
    const offline = d.cameras.filter((c) => c.status === 'offline').length / d.cameras.length;
    expect(offline).toBeGreaterThan(0.005);
    expect(offline).toBeLessThan(0.06);
  });

  it('are denser in the urban towns', () => {
    const urban = existing().filter((c) =>
      d.towns.slice(0, 4).some((t) => inArea(c.geom.coordinates, t.geom)),
    ).length;
    // the four urban towns are about 40% of the area
    expect(urban / existing().length).toBeGreaterThan(0.6);
  });

  it('infill cameras fill the gaps the existing ones left', () => {
    const ex = existing().map((c) => c.geom.coordinates);
    const nearest = (p: number[], skipSelf: boolean) =>
      Math.min(...ex.filter((q) => !(skipSelf && q === p)).map((q) => approxDistanceMeters(p, q)));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const existingSpacing = mean(ex.map((p) => nearest(p, true)));
    const infillGap = mean(infill().map((c) => nearest(c.geom.coordinates, false)));
    expect(infillGap).toBeGreaterThan(2 * existingSpacing);
  });
});

describe('sites', () => {
  const key = () => d.sites.filter((s) => s.kind !== 'checkpoint');
  const checkpoints = () => d.sites.filter((s) => s.kind === 'checkpoint');

  it('are about 60 key sites of every kind with unique Chinese names', () => {
    expect(key().length).toBeGreaterThanOrEqual(55);
    expect(key().length).toBeLessThanOrEqual(65);
    for (const kind of SITE_KINDS) expect(d.sites.some((s) => s.kind === kind)).toBe(true);
    expect(new Set(d.sites.map((s) => s.name)).size).toBe(d.sites.length);
    for (const s of d.sites) expect(s.name).toMatch(/[\u4e00-\u9fff]/);
  });

  it('name the community that contains them; key sites are mostly urban', () => {
    for (const s of d.sites) {
      expect(s.communityId).not.toBeNull();
      expect(booleanPointInPolygon(s.geom.coordinates, communityOf(s.communityId)!.geom)).toBe(
        true,
      );
    }
    const urban = key().filter((s) => communityOf(s.communityId)!.townId <= 4).length;
    expect(urban / key().length).toBeGreaterThan(0.6);
  });

  it('include about 12 checkpoints just inside the boundary, spread around it', () => {
    expect(checkpoints().length).toBeGreaterThanOrEqual(10);
    expect(checkpoints().length).toBeLessThanOrEqual(14);
    const ring = (d.district.geom as Polygon).coordinates[0]!;
    for (const s of checkpoints()) {
      let best = Infinity;
      for (let i = 1; i < ring.length; i++) {
        for (let k = 0; k <= 20; k++) {
          const p = pointAlongLine([ring[i - 1]!, ring[i]!], k / 20).position;
          best = Math.min(best, approxDistanceMeters(p, s.geom.coordinates));
        }
      }
      expect(best).toBeLessThan(150);
    }
    const towns = new Set(checkpoints().map((s) => communityOf(s.communityId)!.townId));
    expect(towns.size).toBeGreaterThanOrEqual(4);
    expect(
      checkpoints().filter((s) => s.geom.coordinates[1]! > 36.7).length,
    ).toBeGreaterThanOrEqual(2);
  });
});

describe('circles', () => {
  it('are exactly outer, middle and inner, named and described in Chinese', () => {
    expect(d.circles.map((c) => c.ring)).toEqual(['outer', 'middle', 'inner']);
    expect(d.circles.map((c) => c.name)).toEqual(['外圈防护圈', '中圈防护圈', '内圈防护圈']);
    const n = d.sites.filter((s) => s.kind === 'checkpoint').length;
    expect(d.circles[0]!.description).toContain(`外圈：进出城北区的道路、桥梁卡点（${n}处）`);
    expect(d.circles[1]!.description).toMatch(/^中圈：/);
    expect(d.circles[2]!.description).toMatch(/^内圈：/);
  });

  it('are valid areas inside the district', () => {
    for (const c of d.circles) {
      expect(booleanValid(c.geom)).toBe(true);
      expect(findAreaProblems(c.geom)).toEqual([]);
      const outside = difference(featureCollection([feature(c.geom), feature(d.district.geom)]));
      expect(outside ? area(outside) : 0).toBeLessThan(area(c.geom) * 1e-4);
    }
  });

  it('contain what they are made of', () => {
    const [outer, middle, inner] = d.circles.map((c) => c.geom) as [Polygon, Polygon, Polygon];
    for (const s of d.sites) {
      expect(inArea(s.geom.coordinates, s.kind === 'checkpoint' ? outer : inner)).toBe(true);
    }
    for (const road of ARTERIAL_ROADS) {
      expect(inArea(pointAlongLine(road.coordinates, 0.5).position, middle)).toBe(true);
    }
    // the outer band follows the boundary: every boundary vertex is in it
    for (const p of (d.district.geom as Polygon).coordinates[0]!.slice(0, 20)) {
      expect(booleanPointInPolygon(p, outer)).toBe(true);
    }
    const km2 = d.circles.map((c) => area(c.geom) / 1e6);
    expect(km2[0]).toBeGreaterThan(15);
    expect(km2[2]).toBeLessThan(km2[1]!);
  });
});

describe('patrol', () => {
  it('zones cover every town, day and night or all day', () => {
    for (const t of d.towns) {
      const zones = d.zones.filter((z) => z.townId === t.id);
      expect(zones.length).toBeGreaterThan(0);
      for (const shifts of [
        ['day', 'all'],
        ['night', 'all'],
      ]) {
        const mine = zones.filter((z) => shifts.includes(z.shift));
        const names = new Set(mine.map((z) => z.name));
        expect(names.size).toBeGreaterThanOrEqual(1);
        expect(names.size).toBeLessThanOrEqual(3);
        const covered =
          mine.length === 1
            ? mine[0]!.geom
            : union(featureCollection(mine.map((z) => feature(z.geom))))!.geometry;
        expect(Math.abs(area(covered) / area(t.geom) - 1)).toBeLessThan(0.001);
      }
      for (const z of zones) expect(z.unit).toMatch(/派出所巡逻.组$/);
    }
  });

  it('units: about 20 posts, 18 cars, a few foot patrols, 3 joint armed patrol routes', () => {
    const of = (kind: string) => d.units.filter((u) => u.kind === kind);
    expect(of('post').length).toBeGreaterThanOrEqual(18);
    expect(of('post').length).toBeLessThanOrEqual(22);
    for (const u of of('post')) expect(u.name).toMatch(/快反点$/);
    expect(of('car')).toHaveLength(18);
    expect(of('foot').length).toBeGreaterThanOrEqual(3);
    expect(of('joint_patrol')).toHaveLength(3);
    expect(new Set(d.units.map((u) => u.name)).size).toBe(d.units.length);
    const available = d.units.filter((u) => u.status === 'available').length;
    expect(available / d.units.length).toBeGreaterThan(0.6);
  });

  it('units stand inside the district; routes are lines along the core roads', () => {
    for (const u of d.units) {
      if (u.kind === 'joint_patrol') {
        const line = u.geom as LineString;
        expect(line.type).toBe('LineString');
        expect(line.coordinates.length).toBeGreaterThanOrEqual(2);
        for (const p of line.coordinates) expect(inArea(p, d.district.geom)).toBe(true);
      } else {
        expect(u.geom.type).toBe('Point');
        expect(inArea((u.geom as Point).coordinates, d.district.geom)).toBe(true);
      }
    }
  });
});
