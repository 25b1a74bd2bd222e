import { describe, expect, it } from 'vitest';
import { reachRadiusMeters } from '../../geo/reachRadius';

describe('reachRadiusMeters', () => {
  it('gives the "135" distances of the domain notes at 40 km/h with a 1.35 detour', () => {
    expect(reachRadiusMeters(1, 40, 1.35)).toBeCloseTo(493.8, 1);
    expect(reachRadiusMeters(3, 40, 1.35)).toBeCloseTo(1481.5, 1);
    // 5 minutes at 50 km/h on the periphery: about 3 km
    expect(reachRadiusMeters(5, 50, 1.35)).toBeCloseTo(3086.4, 1);
  });
  it('grows with time and speed and shrinks with the detour', () => {
    expect(reachRadiusMeters(3, 40, 1.35)).toBeGreaterThan(reachRadiusMeters(1, 40, 1.35));
    expect(reachRadiusMeters(3, 50, 1.35)).toBeGreaterThan(reachRadiusMeters(3, 40, 1.35));
    expect(reachRadiusMeters(3, 40, 1.5)).toBeLessThan(reachRadiusMeters(3, 40, 1.35));
  });
  it('rejects impossible inputs', () => {
    expect(() => reachRadiusMeters(-1, 40, 1.35)).toThrow(/minutes must be ≥ 0/);
    expect(() => reachRadiusMeters(1, 0, 1.35)).toThrow(/speedKmh must be > 0/);
    expect(() => reachRadiusMeters(1, 40, 0.9)).toThrow(/detour must be ≥ 1/);
  });
});
