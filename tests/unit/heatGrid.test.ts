import { describe, expect, it } from 'vitest';
import { cellCentre, heatGrid, metresPerDegree } from '../../geo/heatGrid';

describe('metresPerDegree', () => {
  it('matches the WGS84 ellipsoid at the equator and at Xining', () => {
    expect(metresPerDegree(0).lon).toBeCloseTo(111_319.5, 0);
    expect(metresPerDegree(0).lat).toBeCloseTo(110_574.3, 0);
    // at 36.69°N a degree of longitude is about 89.4 km, of latitude about 110.96 km
    expect(metresPerDegree(36.69).lon / 1000).toBeCloseTo(89.39, 1);
    expect(metresPerDegree(36.69).lat / 1000).toBeCloseTo(110.96, 1);
  });
  it('rejects latitudes off the globe', () => {
    expect(() => metresPerDegree(91)).toThrow(/lat must be in \[-90, 90\]/);
  });
});

describe('heatGrid', () => {
  it('makes cells of the asked size on the ground', () => {
    const g = heatGrid(250);
    const m = metresPerDegree(36.69);
    expect(g.dLon * m.lon).toBeCloseTo(250, 6);
    expect(g.dLat * m.lat).toBeCloseTo(250, 6);
  });
  it('puts cell centres half a cell from the origin', () => {
    const g = heatGrid(100);
    const [lon, lat] = cellCentre(g, 0, 0);
    expect(lon - g.lon0).toBeCloseTo(g.dLon / 2, 12);
    expect(lat - g.lat0).toBeCloseTo(g.dLat / 2, 12);
  });
  it('rejects a non-positive size', () => {
    expect(() => heatGrid(0)).toThrow(/cellMeters must be a positive number/);
  });
});
