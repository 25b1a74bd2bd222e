/**
 * The size of the server's incident cells for a map zoom: about CELL_PIXELS CSS pixels on a
 * MapLibre map at the district's latitude, within the sizes the server accepts.
 */
import { describe, expect, it } from 'vitest';
import {
  CELL_PIXELS,
  cellMetersForZoom,
  MAX_CELL_METERS,
  MIN_CELL_METERS,
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
