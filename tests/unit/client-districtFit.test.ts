/**
 * The desk's first view: a link with a camera keeps it, one without (or with a malformed one)
 * fits the district, whose extent covers all its polygons.
 */
import type { FeatureCollection } from 'geojson';
import { describe, expect, it } from 'vitest';
import { extentOfAreas } from '../../client/map/useDistrictFit';
import { cameraOfSearch } from '../../client/state/view';

describe('the first view', () => {
  it('takes the camera of a link that has one, and only a valid one', () => {
    expect(cameraOfSearch('?at=101.683,36.694,11.3&w=30d')).toEqual({
      lon: 101.683,
      lat: 36.694,
      zoom: 11.3,
    });
    expect(cameraOfSearch('?w=30d&layers=heat')).toBeNull();
    expect(cameraOfSearch('?at=101.683,36.694')).toBeNull();
    expect(cameraOfSearch('?at=101.683,,11')).toBeNull();
    expect(cameraOfSearch('?at=101.683,95,11')).toBeNull();
  });

  it('fits the extent of every polygon of the district, and of none when it has none', () => {
    const ring = (x0: number, y0: number, x1: number, y1: number) => [
      [x0, y0],
      [x1, y0],
      [x1, y1],
      [x0, y1],
      [x0, y0],
    ];
    const fc: FeatureCollection = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          properties: {},
          geometry: { type: 'Polygon', coordinates: [ring(101.6, 36.65, 101.7, 36.7)] },
        },
        {
          type: 'Feature',
          properties: {},
          geometry: {
            type: 'MultiPolygon',
            coordinates: [[ring(101.75, 36.6, 101.8, 36.62)], [ring(101.56, 36.7, 101.58, 36.76)]],
          },
        },
      ],
    };
    expect(extentOfAreas(fc)).toEqual([101.56, 36.6, 101.8, 36.76]);
    expect(extentOfAreas({ type: 'FeatureCollection', features: [] })).toBeUndefined();
  });
});
