/**
 * Camera coverage from PostGIS over real HTTP: shares per community, agreement with an
 * independent Turf computation, what the 654 infill cameras changed, the gaps, the key sites,
 * and that offline cameras cover nothing (which also proves the cache follows the camera set).
 */
import { area, bbox, booleanIntersects, featureCollection, intersect, union } from '@turf/turf';
import type { Feature, MultiPolygon, Point, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cameraSector } from '../../geo/cameraSector';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

type Area = Feature<Polygon | MultiPolygon>;

describe('coverage', () => {
  it('gives every community its area, covered area and ratio', async () => {
    const rows = await s.client.coverage.byCommunity.query();
    expect(rows).toHaveLength(79);
    for (const r of rows) {
      expect(r.ratio).toBeGreaterThanOrEqual(0);
      expect(r.ratio).toBeLessThanOrEqual(1 + 1e-9);
      expect(r.coveredM2).toBeLessThanOrEqual(r.areaM2 * (1 + 1e-9));
      expect(r.ratio).toBeCloseTo(r.coveredM2 / r.areaM2, 9);
    }
    // the district is about 129 km² (our boundary, simplified); the communities tile it
    const total = rows.reduce((a, r) => a + r.areaM2, 0) / 1e6;
    expect(total).toBeGreaterThan(110);
    expect(total).toBeLessThan(150);
    // urban communities are far better covered than rural villages
    const best = Math.max(...rows.map((r) => r.ratio));
    expect(best).toBeGreaterThan(0.3);
  });

  it('agrees with an independent Turf computation within 0.5 percentage points', async () => {
    const [rows, cams, comms] = await Promise.all([
      s.client.coverage.byCommunity.query(),
      s.client.cameras.list.query({ status: 'online' }),
      s.client.regions.communities.query(),
    ]);
    // the best covered, a middling one and a poorly covered one
    const sorted = [...rows].sort((a, b) => b.ratio - a.ratio);
    const picks = [
      sorted[0]!,
      sorted[1]!,
      sorted[Math.floor(sorted.length / 2)]!,
      sorted[sorted.length - 5]!,
    ];
    for (const pick of picks) {
      const community = comms.features.find(
        (f) => f.properties.id === pick.communityId,
      )! as unknown as Area;
      const [w, so, e, n] = bbox(community);
      const margin = 0.003;
      const sectors = (
        cams.features as unknown as Feature<
          Point,
          { bearing: number; fov: number; rangeM: number }
        >[]
      )
        .filter((f) => {
          const [x, y] = f.geometry.coordinates as [number, number];
          return x > w - margin && x < e + margin && y > so - margin && y < n + margin;
        })
        .map((f) => {
          const [lon, lat] = f.geometry.coordinates as [number, number];
          return cameraSector({ lon, lat, ...f.properties });
        })
        .filter((sec) => booleanIntersects(sec, community));
      let covered = 0;
      if (sectors.length) {
        const merged = sectors.length === 1 ? sectors[0]! : union(featureCollection(sectors))!;
        const inside = intersect(featureCollection([community, merged as Area]));
        covered = inside ? area(inside) : 0;
      }
      const turfRatio = covered / area(community);
      expect(
        Math.abs(turfRatio - pick.ratio),
        `${pick.name}: turf ${turfRatio} vs PostGIS ${pick.ratio}`,
      ).toBeLessThan(0.005);
    }
  });

  it('shows what the 654 infill cameras added', async () => {
    const rows = await s.client.coverage.infill.query();
    expect(rows).toHaveLength(79);
    for (const r of rows) expect(r.ratioWithout).toBeLessThanOrEqual(r.ratio + 1e-9);
    const gained = rows.filter((r) => r.ratio - r.ratioWithout > 0.001);
    expect(gained.length).toBeGreaterThan(20);
    const covered = (k: 'ratio' | 'ratioWithout') => rows.reduce((a, r) => a + r[k] * r.areaM2, 0);
    expect(covered('ratio')).toBeGreaterThan(covered('ratioWithout') * 1.1);
  });

  it('returns the uncovered parts, which with the covered part make up the community', async () => {
    const rows = await s.client.coverage.byCommunity.query();
    const c = [...rows].sort((a, b) => b.ratio - a.ratio)[2]!;
    const gaps = await s.client.coverage.gaps.query({ communityId: c.communityId });
    expect(gaps.features.length).toBeGreaterThan(0);
    for (const g of gaps.features) expect(g.properties.communityId).toBe(c.communityId);
    const gapArea = gaps.features.reduce((a, g) => a + g.properties.areaM2, 0);
    expect(Math.abs(gapArea + c.coveredM2 - c.areaM2) / c.areaM2).toBeLessThan(0.001);
    const big = await s.client.coverage.gaps.query({ communityId: c.communityId, minAreaM2: 5000 });
    expect(big.features.length).toBeLessThanOrEqual(gaps.features.length);
    for (const g of big.features) expect(g.properties.areaM2).toBeGreaterThanOrEqual(5000);
  });

  it('rates the key sites by how much of their surroundings cameras see', async () => {
    const sites = await s.client.coverage.sites.query({ bufferM: 50 });
    expect(sites.length).toBeGreaterThanOrEqual(50);
    for (const x of sites) {
      expect(x.ratio).toBeGreaterThanOrEqual(0);
      expect(x.ratio).toBeLessThanOrEqual(1 + 1e-9);
      expect(x.kind).not.toBe('checkpoint');
    }
    for (let i = 1; i < sites.length; i++)
      expect(sites[i]!.ratio).toBeGreaterThanOrEqual(sites[i - 1]!.ratio);
  });

  it('rejects bad input with the field named', async () => {
    await expect(s.client.coverage.gaps.query({ communityId: -3 })).rejects.toThrow(/communityId/);
    await expect(s.client.coverage.sites.query({ bufferM: 0 })).rejects.toThrow(/bufferM/);
  });

  // last: it changes the camera set
  it('counts offline cameras as covering nothing, and recomputes when the cameras change', async () => {
    const before = await s.client.coverage.byCommunity.query();
    expect(before.some((r) => r.ratio > 0)).toBe(true);
    await s.db.query(`UPDATE cameras SET status = 'offline'`);
    const after = await s.client.coverage.byCommunity.query();
    for (const r of after) expect(r.ratio).toBe(0);
    await s.db.query(`UPDATE cameras SET status = 'online'`);
    const back = await s.client.coverage.byCommunity.query();
    expect(back.reduce((a, r) => a + r.coveredM2, 0)).toBeGreaterThan(
      before.reduce((a, r) => a + r.coveredM2, 0),
    );
  });
});
