import { area } from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { unionAreas } from '../../geo/unionAreas';

const square = (x: number, y: number, d = 0.01): Polygon => ({
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

describe('unionAreas', () => {
  it('joins neighbours into one polygon with their summed area', () => {
    const u = unionAreas([square(101.7, 36.6), square(101.71, 36.6)]);
    expect(u.type).toBe('Polygon');
    expect(area(u)).toBeCloseTo(area(square(101.7, 36.6)) + area(square(101.71, 36.6)), -2);
  });
  it('keeps apart what does not touch', () => {
    expect(unionAreas([square(101.7, 36.6), square(101.75, 36.6)]).type).toBe('MultiPolygon');
  });
  it('says what it was uniting when there is nothing', () => {
    expect(() => unionAreas([], 'zone')).toThrow(/no zone to unite/);
  });
});
