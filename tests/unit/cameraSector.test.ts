import { area, bearing as turfBearing, booleanClockwise, booleanValid, distance } from '@turf/turf';
import type { Feature, FeatureCollection, GeoJSON, Point, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { cameraSector, type CameraSectorInput } from '../../geo/cameraSector';
import { goldenCases } from '../golden';

const XINING = { lon: 101.7654, lat: 36.6502 };

/** Golden adapter: a Point Feature or FeatureCollection of cameras → a FeatureCollection of sectors. */
function sectorsOf(input: GeoJSON): FeatureCollection<Polygon> {
  const cameras: Feature[] =
    input.type === 'FeatureCollection' ? input.features : input.type === 'Feature' ? [input] : [];
  if (cameras.length === 0) throw new Error(`expected camera Point features, got a ${input.type}`);
  return {
    type: 'FeatureCollection',
    features: cameras.map((f) => {
      if (f.geometry.type !== 'Point') throw new Error(`expected a Point, got ${f.geometry.type}`);
      const [lon, lat] = (f.geometry as Point).coordinates as [number, number];
      const { bearing, fov, rangeM, steps } = (f.properties ?? {}) as Record<string, number>;
      return cameraSector({ lon, lat, bearing: bearing!, fov: fov!, rangeM: rangeM! }, { steps });
    }),
  };
}

function ringOf(sector: Feature<Polygon>): Position[] {
  return sector.geometry.coordinates[0]!;
}

/** Arc vertices in ring order: every vertex but the camera (slice) or the closing repeat (circle). */
function arcOf(sector: Feature<Polygon>): Position[] {
  const ring = ringOf(sector);
  return sector.properties!.fov === 360 ? ring.slice(0, -1) : ring.slice(1, -1);
}

/** Smallest angle between two bearings, in degrees (0..180). */
function angleBetween(a: number, b: number): number {
  const d = (((a - b) % 360) + 360) % 360;
  return Math.min(d, 360 - d);
}

describe('cameraSector golden files', () => {
  goldenCases('cameraSector', sectorsOf);
});

describe('cameraSector', () => {
  const camera: CameraSectorInput = { ...XINING, bearing: 350, fov: 60, rangeM: 50 };
  const centre: Position = [XINING.lon, XINING.lat];

  it('starts and ends a slice at the camera and keeps the inputs as properties', () => {
    const sector = cameraSector(camera);
    const ring = ringOf(sector);
    expect(ring[0]).toEqual(centre);
    expect(ring.at(-1)).toEqual(centre);
    expect(sector.properties).toEqual({ bearing: 350, fov: 60, rangeM: 50 });
  });

  it('puts every arc vertex at the range from the camera', () => {
    for (const c of [camera, { ...camera, fov: 360, rangeM: 150 }, { ...camera, rangeM: 5000 }]) {
      for (const p of arcOf(cameraSector(c))) {
        expect(Math.abs(distance(centre, p, { units: 'meters' }) - c.rangeM)).toBeLessThan(0.5);
      }
    }
  });

  it('centres the arc on the heading, also across north', () => {
    for (const b of [0, 10, 90, 180, 350, 360]) {
      const arc = arcOf(cameraSector({ ...camera, bearing: b }));
      expect(arc.length % 2).toBe(1);
      const middle = arc[(arc.length - 1) / 2]!;
      expect(angleBetween(turfBearing(centre, middle), b)).toBeLessThan(0.5);
      // the arc stays within fov/2 of the heading: it does not go the long way round
      for (const p of arc) {
        expect(angleBetween(turfBearing(centre, p), b)).toBeLessThan(30 + 0.5);
      }
    }
  });

  it('runs the arc from bearing + fov/2 down to bearing − fov/2', () => {
    const arc = arcOf(cameraSector(camera)); // 350 ± 30: from 20° to 320°
    expect(angleBetween(turfBearing(centre, arc[0]!), 20)).toBeLessThan(0.5);
    expect(angleBetween(turfBearing(centre, arc.at(-1)!), 320)).toBeLessThan(0.5);
  });

  it('covers fov/360 of the disc', () => {
    for (const [fov, rangeM] of [
      [1, 40],
      [30, 15],
      [60, 50],
      [120, 80],
      [270, 500],
      [360, 120],
      [360, 5000],
    ] as const) {
      const expected = (fov / 360) * Math.PI * rangeM * rangeM;
      const got = area(cameraSector({ ...camera, fov, rangeM }));
      expect(Math.abs(got - expected) / expected).toBeLessThan(0.02);
    }
  });

  it('makes valid, closed, counter-clockwise polygons for any heading and field of view', () => {
    for (let b = 0; b < 360; b += 7) {
      for (const fov of [0.5, 30, 60, 90, 179, 180, 181, 300, 359, 360]) {
        for (const rangeM of [15, 1000]) {
          const sector = cameraSector({ ...camera, bearing: b, fov, rangeM });
          const ring = ringOf(sector);
          const label = `bearing ${b}, fov ${fov}, range ${rangeM}`;
          expect(ring[0], label).toEqual(ring.at(-1));
          expect(booleanValid(sector), label).toBe(true);
          expect(booleanClockwise(ring), label).toBe(false);
        }
      }
    }
  });

  it('draws a dome as a circle of 64 vertices without a centre vertex', () => {
    const ring = ringOf(cameraSector({ ...camera, fov: 360, rangeM: 120 }));
    expect(ring).toHaveLength(65);
    expect(ring).not.toContainEqual(centre);
  });

  it('spends arc vertices in proportion to the field of view', () => {
    const arcLength = (fov: number) => arcOf(cameraSector({ ...camera, fov })).length;
    expect(arcLength(60)).toBe(13); // one vertex per 5°
    expect(arcLength(120)).toBe(25);
    expect(arcLength(30)).toBe(7);
    expect(arcLength(1)).toBe(5); // at least 4 on the arc, odd so one lies on the heading
    expect(arcOf(cameraSector(camera, { steps: 3 }))).toHaveLength(4);
    expect(ringOf(cameraSector({ ...camera, fov: 360 }, { steps: 8 }))).toHaveLength(9);
  });

  it('treats a heading of 360 as 0', () => {
    expect(ringOf(cameraSector({ ...camera, bearing: 360 }))).toEqual(
      ringOf(cameraSector({ ...camera, bearing: 0 })),
    );
  });

  it('rounds coordinates to 7 decimals', () => {
    for (const [x, y] of ringOf(cameraSector({ ...camera, lon: 101.123456789 }))) {
      expect(Math.round(x! * 1e7) / 1e7).toBe(x);
      expect(Math.round(y! * 1e7) / 1e7).toBe(y);
    }
  });

  it('names the bad argument and its value', () => {
    expect(() => cameraSector({ ...camera, lon: NaN })).toThrow(/camera\.lon .*got NaN/);
    expect(() => cameraSector({ ...camera, lat: 91 })).toThrow(/camera\.lat .*got 91/);
    expect(() => cameraSector({ ...camera, bearing: -1 })).toThrow(/camera\.bearing .*got -1/);
    expect(() => cameraSector({ ...camera, bearing: 361 })).toThrow(/camera\.bearing .*got 361/);
    expect(() => cameraSector({ ...camera, fov: 0 })).toThrow(/camera\.fov .*got 0/);
    expect(() => cameraSector({ ...camera, fov: 400 })).toThrow(/camera\.fov .*got 400/);
    expect(() => cameraSector({ ...camera, rangeM: -5 })).toThrow(/camera\.rangeM .*got -5/);
    expect(() => cameraSector({ ...camera, rangeM: 0 })).toThrow(/camera\.rangeM .*got 0/);
    expect(() => cameraSector({ ...camera, rangeM: 5001 })).toThrow(/camera\.rangeM .*got 5001/);
    expect(() => cameraSector(camera, { steps: 0 })).toThrow(/options\.steps .*got 0/);
    expect(() => cameraSector(camera, { steps: 2.5 })).toThrow(/options\.steps .*got 2.5/);
    expect(() => cameraSector({ ...camera, fov: 360 }, { steps: 2 })).toThrow(
      /options\.steps .*got 2/,
    );
    expect(() => cameraSector(null as unknown as CameraSectorInput)).toThrow(
      /camera must be an object, got null/,
    );
  });
});
