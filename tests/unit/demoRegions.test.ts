import { area, booleanValid, centerOfMass, kinks, pointOnFeature } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { beforeAll, describe, expect, it } from 'vitest';
import { findAreaProblems } from '../../geo/findAreaProblems';
import { signedRingArea } from '../../geo/signedRingArea';
import { lineLengthMeters } from '../../geo/lineLengthMeters';
import { pointAlongLine } from '../../geo/pointAlongLine';
import { generateDemo } from '../../server/demo/generate';
import { createRng } from '../../server/demo/random';
import { buildRegions } from '../../server/demo/regions';
import { loadDistrict } from '../../server/demo/sourceData';
import { NIGHT_MARKET, PERSISTENT_HOT_SPOTS, TOWN_SPECS } from '../../server/demo/places';
import { ARTERIAL_ROADS } from '../../server/demo/roads';
import type { DemoData } from '../../server/demo/types';
import unitsFile from '../../server/demo/data/chengbei-units.json';
import { ANCHOR, bboxesTouch, hasSixDecimals, inArea, overlapM2, positions } from './demoTestUtils';

let d: DemoData;
beforeAll(() => {
  d = generateDemo({ anchor: ANCHOR, incidents: 20_000 });
});

const townNames = ['朝阳街道', '小桥大街街道', '马坊街道', '火车西站街道', '大堡子镇', '廿里铺镇'];

/** Sum of areas ≈ whole area (0.1%) and neighbours overlap by less than 1 m² per pair. */
function expectTiling(parts: (Polygon | MultiPolygon)[], whole: Polygon | MultiPolygon) {
  const sum = parts.reduce((s, p) => s + area(p), 0);
  expect(Math.abs(sum / area(whole) - 1)).toBeLessThan(0.001);
  for (let i = 0; i < parts.length; i++) {
    for (let j = i + 1; j < parts.length; j++) {
      if (bboxesTouch(parts[i]!, parts[j]!))
        expect(overlapM2(parts[i]!, parts[j]!)).toBeLessThan(1);
    }
  }
}

describe('district', () => {
  it('is the real boundary, rewound counter-clockwise', () => {
    expect(d.district.code).toBe('630105');
    expect(d.district.name).toBe('城北区');
    const g = d.district.geom as Polygon;
    expect(g.type).toBe('Polygon');
    expect(signedRingArea(g.coordinates[0]!)).toBeGreaterThan(0);
    expect(g.coordinates[0]).toHaveLength(150);
    expect(area(g) / 1e6).toBeGreaterThan(125);
    expect(area(g) / 1e6).toBeLessThan(135);
  });
});

describe('towns', () => {
  it('are the six towns with codes, in file order', () => {
    expect(d.towns.map((t) => t.name)).toEqual(townNames);
    expect(d.towns.map((t) => t.id)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const t of d.towns) {
      expect(t.code).toMatch(/^630105\d{3}$/);
      expect(t.geometrySource).toBe('generated');
    }
  });

  it('tile the district, each in one piece', () => {
    for (const t of d.towns) expect(t.geom.type).toBe('Polygon');
    expectTiling(
      d.towns.map((t) => t.geom),
      d.district.geom,
    );
  });

  it('hold their own centres, and only theirs', () => {
    TOWN_SPECS.forEach((spec, i) => {
      d.towns.forEach((t, j) => expect(inArea(spec.centre, t.geom)).toBe(i === j));
    });
  });

  it('put the landmarks in the right towns', () => {
    const townAt = (p: number[]) => d.towns.find((t) => inArea(p, t.geom))?.name;
    expect(townAt(NIGHT_MARKET.line[0]!)).toBe('小桥大街街道');
    expect(townAt(NIGHT_MARKET.line[1]!)).toBe('小桥大街街道');
    expect(townAt(PERSISTENT_HOT_SPOTS[0]!.centre)).toBe('火车西站街道');
  });

  it('are small in the urban south-east and large in the west and north', () => {
    const km2 = Object.fromEntries(d.towns.map((t) => [t.name, area(t.geom) / 1e6]));
    for (const urban of townNames.slice(0, 4)) expect(km2[urban]).toBeLessThan(20);
    expect(km2['大堡子镇']).toBeGreaterThan(35);
    expect(km2['廿里铺镇']).toBeGreaterThan(25);
  });
});

describe('communities', () => {
  it('are the 69 real names in their towns plus 10 synthetic ones in the growth towns', () => {
    expect(d.communities).toHaveLength(79);
    const towns = unitsFile.towns as Record<string, string[]>;
    for (const t of d.towns) {
      const real = d.communities
        .filter((c) => c.townId === t.id && !c.synthetic)
        .map((c) => c.name);
      expect(real).toEqual(towns[t.name]);
    }
    const synthetic = d.communities.filter((c) => c.synthetic);
    expect(synthetic).toHaveLength(10);
    const growth = new Set(['马坊街道', '火车西站街道', '廿里铺镇']);
    for (const c of synthetic) {
      expect(growth.has(d.towns[c.townId - 1]!.name)).toBe(true);
      expect(c.name).toMatch(/社区$/);
      expect(c.kind).toBe('community');
      expect(c.code.slice(9)).toMatch(/^9\d\d$/);
    }
    expect(d.communities.some((c) => c.name.includes('虚拟'))).toBe(false);
  });

  it('have ids 1..79, unique 12-digit codes under their town, kinds by name', () => {
    expect(d.communities.map((c) => c.id)).toEqual(Array.from({ length: 79 }, (_, i) => i + 1));
    expect(new Set(d.communities.map((c) => c.code)).size).toBe(79);
    for (const c of d.communities) {
      expect(c.code).toMatch(/^\d{12}$/);
      expect(c.code.startsWith(d.towns[c.townId - 1]!.code)).toBe(true);
      expect(c.kind).toBe(c.name.endsWith('村') ? 'village' : 'community');
      expect(c.geometrySource).toBe('generated');
    }
    expect(d.communities.filter((c) => c.kind === 'village')).toHaveLength(38);
  });

  it('have plausible populations summing to about 418,000', () => {
    for (const c of d.communities) {
      const [lo, hi] = c.kind === 'community' ? [4000, 12000] : [1500, 5000];
      expect(c.population).toBeGreaterThanOrEqual(lo);
      expect(c.population).toBeLessThanOrEqual(hi);
      expect(Number.isInteger(c.population)).toBe(true);
    }
    const total = d.communities.reduce((s, c) => s + c.population, 0);
    expect(Math.abs(total - 418_000)).toBeLessThan(4_180);
  });

  it('tile their towns', () => {
    for (const t of d.towns) {
      expectTiling(
        d.communities.filter((c) => c.townId === t.id).map((c) => c.geom),
        t.geom,
      );
    }
  });

  it('have their centroid and an interior point inside their town', () => {
    for (const c of d.communities) {
      const town = d.towns[c.townId - 1]!.geom;
      expect(inArea(centerOfMass(c.geom).geometry.coordinates, town), c.name).toBe(true);
      const inner = pointOnFeature(c.geom).geometry.coordinates;
      expect(inArea(inner, c.geom) && inArea(inner, town)).toBe(true);
    }
  });

  it('grew from seeds inside their own polygon and town', () => {
    const layout = buildRegions(loadDistrict().geom, createRng('chengbei', 'regions'));
    expect(layout.communities).toEqual(d.communities);
    layout.seeds.forEach((seed, i) => {
      const c = layout.communities[i]!;
      expect(inArea(seed, c.geom), c.name).toBe(true);
      expect(inArea(seed, d.towns[c.townId - 1]!.geom)).toBe(true);
    });
  });

  it('are denser (smaller) in the urban towns', () => {
    const mean = (ids: number[]) =>
      d.communities.filter((c) => ids.includes(c.townId)).reduce((s, c) => s + area(c.geom), 0) /
      d.communities.filter((c) => ids.includes(c.townId)).length;
    expect(mean([1, 2, 3, 4])).toBeLessThan(mean([5, 6]) / 2);
  });
});

describe('geometries', () => {
  const all = () => [
    d.district.geom,
    ...d.towns.map((t) => t.geom),
    ...d.communities.map((c) => c.geom),
    ...d.zones.map((z) => z.geom),
    ...d.circles.map((c) => c.geom),
  ];

  it('are valid (Turf and our own check), counter-clockwise, rounded to 6 decimals', () => {
    for (const g of all()) {
      expect(booleanValid(g)).toBe(true);
      expect(kinks(g as Polygon).features).toHaveLength(0);
      expect(findAreaProblems(g)).toEqual([]);
      for (const p of positions(g)) {
        expect(hasSixDecimals(p[0]!) && hasSixDecimals(p[1]!)).toBe(true);
      }
    }
  });

  it('arterial roads run inside the district', () => {
    for (const road of ARTERIAL_ROADS) {
      const steps = Math.ceil(lineLengthMeters(road.coordinates) / 50);
      for (let i = 0; i <= steps; i++) {
        const { position } = pointAlongLine(road.coordinates, i / steps);
        expect(inArea(position, d.district.geom), `${road.name} at ${i * 50} m`).toBe(true);
      }
    }
  });
});
