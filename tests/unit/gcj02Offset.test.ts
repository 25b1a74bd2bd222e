import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { gcj02Offset } from '../../geo/gcj02Offset';
import { metresPerDegree } from '../../geo/heatGrid';

describe('gcj02Offset', () => {
  it('is about 170 m east and a few metres south in Chengbei', () => {
    const [dLon, dLat] = gcj02Offset([101.683, 36.694]);
    const m = metresPerDegree(36.694);
    expect(dLon * m.lon).toBeGreaterThan(150);
    expect(dLon * m.lon).toBeLessThan(190);
    expect(Math.abs(dLat * m.lat)).toBeLessThan(30);
  });
  it('is one offset for the whole district: within 20 m of the exact shift at its corners', () => {
    const [dLon, dLat] = gcj02Offset([101.683, 36.694]);
    const m = metresPerDegree(36.694);
    for (const corner of [
      [101.562, 36.63],
      [101.804, 36.63],
      [101.562, 36.758],
      [101.804, 36.758],
    ] as [number, number][]) {
      const [gLon, gLat] = gcoord.transform(corner, gcoord.WGS84, gcoord.GCJ02) as [number, number];
      const errLon = (corner[0] + dLon - gLon) * m.lon;
      const errLat = (corner[1] + dLat - gLat) * m.lat;
      expect(Math.hypot(errLon, errLat)).toBeLessThan(20);
    }
  });
  it('rejects positions off the globe', () => {
    expect(() => gcj02Offset([200, 36])).toThrow(/at\[0\] must be a longitude/);
  });
});
