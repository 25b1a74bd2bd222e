/**
 * Views as extents: fitting an extent to a map of any size and reading the shown extent back
 * gives an area that holds it and is tight on one axis; padding moves the extent into the room
 * left free.
 */
import { describe, expect, it } from 'vitest';
import {
  extentContains,
  extentOfCamera,
  fitExtent,
  mercatorX,
  mercatorY,
  projectPoint,
  uniformPadding,
  type Extent,
} from '../../geo/viewExtent';

/** Chengbei District's extent. */
const DISTRICT: Extent = [101.562, 36.63, 101.804, 36.758];
const SIZES = [
  { width: 796, height: 588 },
  { width: 1366, height: 768 },
  { width: 3840, height: 2160 },
  { width: 600, height: 1200 },
];

describe('fitting an extent', () => {
  it('shows all of it at any size, tight on one axis', () => {
    for (const size of SIZES) {
      const shown = extentOfCamera(fitExtent(DISTRICT, size), size);
      expect(extentContains(shown, DISTRICT, 1e-9), JSON.stringify(size)).toBe(true);
      // tight: on one axis the extent spans the whole map (to a thousandth)
      const share = (e: Extent) => ({
        x: (mercatorX(e[2]) - mercatorX(e[0])) / (mercatorX(shown[2]) - mercatorX(shown[0])),
        y: (mercatorY(e[1]) - mercatorY(e[3])) / (mercatorY(shown[1]) - mercatorY(shown[3])),
      });
      const { x, y } = share(DISTRICT);
      expect(Math.max(x, y)).toBeCloseTo(1, 3);
      expect(Math.min(x, y)).toBeLessThanOrEqual(1 + 1e-9);
    }
  });

  it('keeps the padding clear, and centres the extent in the room left', () => {
    const size = { width: 1366, height: 768 };
    const padding = { top: 20, right: 200, bottom: 40, left: 20 };
    const cam = fitExtent(DISTRICT, size, padding);
    const [x0, y0] = projectPoint(cam, size, [DISTRICT[0], DISTRICT[3]]);
    const [x1, y1] = projectPoint(cam, size, [DISTRICT[2], DISTRICT[1]]);
    expect(x0).toBeGreaterThanOrEqual(20 - 1e-6);
    expect(y0).toBeGreaterThanOrEqual(20 - 1e-6);
    expect(x1).toBeLessThanOrEqual(1366 - 200 + 1e-6);
    expect(y1).toBeLessThanOrEqual(768 - 40 + 1e-6);
    // tight on the height, centred across the width that is left
    expect(y0).toBeCloseTo(20, 6);
    expect(y1).toBeCloseTo(728, 6);
    expect((x0 + x1) / 2).toBeCloseTo((20 + 1166) / 2, 6);
  });

  it('reads back the camera it was given (the extent of a camera fits to that camera)', () => {
    const camera = { lon: 101.683, lat: 36.694, zoom: 11.35 };
    const size = { width: 1366, height: 768 };
    const back = fitExtent(extentOfCamera(camera, size), size);
    expect(back.lon).toBeCloseTo(camera.lon, 9);
    expect(back.lat).toBeCloseTo(camera.lat, 9);
    expect(back.zoom).toBeCloseTo(camera.zoom, 9);
  });

  it('shows the same area on a screen four times larger, two zoom levels further in', () => {
    const small = fitExtent(DISTRICT, { width: 960, height: 540 });
    const large = fitExtent(DISTRICT, { width: 3840, height: 2160 });
    expect(large.zoom - small.zoom).toBeCloseTo(2, 9);
    expect(large.lon).toBeCloseTo(small.lon, 9);
  });

  it('leaves a map whose padding takes all the room a pixel to fit into', () => {
    const cam = fitExtent(DISTRICT, { width: 100, height: 100 }, uniformPadding(60));
    expect(Number.isFinite(cam.zoom)).toBe(true);
  });
});
