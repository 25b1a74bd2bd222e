/**
 * The size of the server's incident cells for a map zoom: about CELL_PIXELS CSS pixels on a
 * MapLibre map at the district's latitude, within the sizes the server accepts; and the area
 * whose points a zoomed-in map loads where its window is drawn from cells.
 */
import { describe, expect, it } from 'vitest';
import {
  CELL_PIXELS,
  cellMetersForZoom,
  MAX_CELL_METERS,
  MIN_CELL_METERS,
  pointsArea,
} from '../../domain/incidentLoad';
import { GRID_REFERENCE_LAT } from '../../geo/heatGrid';
import { metresPerPixel } from '../../geo/metresPerPixel';

describe('cell sizes by zoom', () => {
  it('measures CELL_PIXELS CSS pixels at each whole zoom of the district', () => {
    for (let zoom = 9; zoom <= 16; zoom++) {
      const px = cellMetersForZoom(zoom) / metresPerPixel(GRID_REFERENCE_LAT, zoom);
      expect(px, `zoom ${zoom}`).toBeCloseTo(CELL_PIXELS, 0);
    }
    // a fractional zoom takes its whole level's cells: one answer for a zoom level
    expect(cellMetersForZoom(12.9)).toBe(cellMetersForZoom(12));
    expect(cellMetersForZoom(12)).toBe(368);
  });

  it('halves with each zoom level in, within the sizes the server accepts', () => {
    expect(cellMetersForZoom(12) / cellMetersForZoom(13)).toBeCloseTo(2, 1);
    expect(cellMetersForZoom(0)).toBe(MAX_CELL_METERS);
    expect(cellMetersForZoom(22)).toBe(MIN_CELL_METERS);
  });
});

describe('metres per pixel', () => {
  it('is the web-mercator ground resolution of 512-pixel tiles', () => {
    // at the equator, zoom 0: the equator's length over one 512-pixel tile
    expect(metresPerPixel(0, 0)).toBeCloseTo(40_075_016.686 / 512, 6);
    expect(metresPerPixel(60, 3)).toBeCloseTo(40_075_016.686 / 512 / 8 / 2, 6);
  });
});

describe('the area of the points', () => {
  const viewport = { width: 1600, height: 900 };
  /** The view's extent at a centre and zoom (MapLibre, 512-pixel tiles). */
  const view = (lon: number, lat: number, zoom: number) => {
    const w = (viewport.width * 360) / (512 * 2 ** zoom) / 2;
    const h = (((viewport.height * 360) / (512 * 2 ** zoom)) * Math.cos((lat * Math.PI) / 180)) / 2;
    return [lon - w, lat - h, lon + w, lat + h];
  };
  const holds = (a: number[], b: number[]) =>
    a[0]! <= b[0]! && a[1]! <= b[1]! && a[2]! >= b[2]! && a[3]! >= b[3]!;

  it('holds the whole view, for views anywhere across the district and zooms', () => {
    for (let zoom = 14; zoom <= 18; zoom += 0.5)
      for (let lon = 101.6; lon < 101.85; lon += 0.0037)
        for (let lat = 36.62; lat < 36.78; lat += 0.0029) {
          const area = pointsArea({ lon, lat }, zoom, viewport);
          // up to the rounding of its corners to a millionth of a degree
          const v = view(lon, lat, zoom).map((x, i) => x + (i < 2 ? 1e-6 : -1e-6));
          expect(holds(area, v), `${lon},${lat} at ${zoom}`).toBe(true);
        }
  });

  it('is the same area for small pans, and at most four views large', () => {
    const a = pointsArea({ lon: 101.7612, lat: 36.6531 }, 15, viewport);
    const b = pointsArea({ lon: 101.7613, lat: 36.6532 }, 15, viewport);
    expect(b).toEqual(a);
    const v = view(101.7612, 36.6531, 15);
    expect((a[2] - a[0]) / (v[2]! - v[0]!)).toBeCloseTo(2, 3);
    // its rows measured at the whole degree nearer the equator: a little taller than the view
    const rows = (a[3] - a[1]) / (v[3]! - v[1]!);
    expect(rows).toBeGreaterThanOrEqual(2);
    expect(rows).toBeLessThan(2.05);
  });
});
