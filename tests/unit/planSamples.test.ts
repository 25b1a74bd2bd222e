/** The counting behind plan.evaluate: points in zones (with overlaps) and nearest distances. */
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { approxDistanceMeters } from '../../geo/approxDistanceMeters';
import { nearestDistances } from '../../geo/nearestDistances';
import { zoneSampleStats } from '../../geo/zoneSampleStats';

const square = (x: number, y: number, d: number): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, y],
      [x + d, y],
      [x + d, y + d],
      [x, y + d],
      [x, y],
    ],
  ],
});

describe('zoneSampleStats', () => {
  it('counts each point once however many zones hold it, and the overlaps apart', () => {
    const pts = { lon: [0.5, 1.5, 1.2, 5], lat: [0.5, 0.5, 0.5, 5], group: [1, 1, 2, 2] };
    const r = zoneSampleStats(pts, [square(0, 0, 1.3), square(1, 0, 1)]);
    expect(r.inside).toBe(3);
    expect(r.insideTwice).toBe(1);
    expect([...r.depth]).toEqual([1, 1, 2, 0]);
    expect(r.byGroup.get(1)).toEqual([2, 2]);
    expect(r.byGroup.get(2)).toEqual([2, 1]);
  });

  it('respects holes, and finds nothing without zones', () => {
    const holed: Polygon = {
      type: 'Polygon',
      coordinates: [square(0, 0, 4).coordinates[0]!, square(1, 1, 2).coordinates[0]!.reverse()],
    };
    expect(zoneSampleStats({ lon: [2, 0.5], lat: [2, 0.5] }, [holed]).inside).toBe(1);
    expect(zoneSampleStats({ lon: [2], lat: [2] }, []).inside).toBe(0);
  });

  it('says what is wrong with its input', () => {
    expect(() => zoneSampleStats({ lon: [1, 2], lat: [1] }, [])).toThrow(/same length/);
    expect(() =>
      zoneSampleStats({ lon: [1], lat: [1] }, [{ type: 'Point' } as unknown as Polygon]),
    ).toThrow(/zone 0 is not a Polygon/);
  });
});

describe('nearestDistances', () => {
  it('gives the distance to the nearest site, as approxDistanceMeters measures it', () => {
    const sites = [
      [101.7, 36.6],
      [101.8, 36.7],
      [101.75, 36.62],
    ];
    const pts = { lon: [101.71, 101.79, 101.6], lat: [36.61, 36.69, 36.5] };
    const d = nearestDistances(pts, sites);
    for (let k = 0; k < 3; k++) {
      const want = Math.min(
        ...sites.map((s) => approxDistanceMeters([pts.lon[k]!, pts.lat[k]!], s)),
      );
      expect(d[k]).toBeCloseTo(want, 6);
    }
    expect(d[0]).toBeGreaterThan(1000);
    expect(d[0]).toBeLessThan(1500);
  });

  it('is Infinity without sites and refuses a bad site', () => {
    expect([...nearestDistances({ lon: [1], lat: [1] }, [])]).toEqual([Infinity]);
    expect(() => nearestDistances({ lon: [1], lat: [1] }, [[NaN, 1]])).toThrow(/site 0/);
  });
});
