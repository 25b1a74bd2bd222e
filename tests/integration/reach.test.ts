/**
 * "135" reach and the protection circles' figures over real HTTP: shares grow with the time
 * threshold and the speed, isochrones nest, moving a post changes reach the right way, and the
 * circles' incident counts match an independent count of the Arrow points.
 */
import { area, booleanPointInPolygon } from '@turf/turf';
import { tableFromIPC } from 'apache-arrow';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

const END = '2026-07-01T00:00:00+08:00';

describe('reach', () => {
  it('covers more with more time and more speed', async () => {
    const base = await s.client.reach.summary.query();
    expect(base.thresholds.map((t) => t.minutes)).toEqual([1, 3, 5]);
    expect(base.model.method).toMatch(/straight-line distance × detour/);
    expect(base.incidents.count).toBeGreaterThan(3000);
    for (const k of ['areaShare', 'populationShare', 'incidentShare'] as const) {
      const [a, b, c] = base.thresholds.map((t) => t[k]) as [number, number, number];
      expect(a).toBeGreaterThan(0);
      expect(a).toBeLessThan(b);
      expect(b).toBeLessThan(c);
      expect(c).toBeLessThanOrEqual(1 + 1e-9);
    }
    // people and incidents sit near the posts more than the land does
    expect(base.thresholds[1]!.populationShare).toBeGreaterThan(base.thresholds[1]!.areaShare);
    const fast = await s.client.reach.summary.query({ speedKmh: 60 });
    for (let i = 0; i < 3; i++)
      expect(fast.thresholds[i]!.areaShare).toBeGreaterThan(base.thresholds[i]!.areaShare);
    const twisty = await s.client.reach.summary.query({ detour: 2 });
    expect(twisty.thresholds[1]!.areaShare).toBeLessThan(base.thresholds[1]!.areaShare);
  });

  it('draws nested isochrones inside the district', async () => {
    const iso = await s.client.reach.isochrones.query();
    expect(iso.features.map((f) => f.properties.minutes)).toEqual([1, 3, 5]);
    const areas = iso.features.map((f) => area(f as Feature<Polygon | MultiPolygon>));
    expect(areas[0]!).toBeLessThan(areas[1]!);
    expect(areas[1]!).toBeLessThan(areas[2]!);
    const district = (await s.client.regions.district.query()).features[0]!;
    expect(areas[2]!).toBeLessThanOrEqual(area(district) * 1.001);
  });

  // changes the posts: after the read-only tests
  it('loses reach where a post moves away, and gets it back when it returns', async () => {
    const before = await s.client.reach.summary.query();
    const [post] = await s.db.query<{ id: number; geom: string }>(
      `SELECT id, ST_AsText(geom) AS geom FROM patrol_units WHERE kind = 'post' ORDER BY id LIMIT 1`,
    );
    // far outside the district: that post now reaches nothing there
    await s.db.query(
      `UPDATE patrol_units SET geom = ST_SetSRID(ST_MakePoint(100.0, 35.0), 4326) WHERE id = $1`,
      [post!.id],
    );
    const away = await s.client.reach.summary.query();
    for (let i = 0; i < 3; i++)
      expect(away.thresholds[i]!.areaShare).toBeLessThanOrEqual(before.thresholds[i]!.areaShare);
    expect(away.thresholds[0]!.areaShare).toBeLessThan(before.thresholds[0]!.areaShare);
    await s.db.query(`UPDATE patrol_units SET geom = ST_GeomFromText($2, 4326) WHERE id = $1`, [
      post!.id,
      post!.geom,
    ]);
    const back = await s.client.reach.summary.query();
    expect(back.thresholds[0]!.areaShare).toBeCloseTo(before.thresholds[0]!.areaShare, 9);
  });
});

describe('protection circles', () => {
  it('gives each ring its incidents, density, camera coverage and 3-minute reach', async () => {
    const window = { from: '2026-06-24T00:00:00+08:00', to: END };
    const stats = await s.client.circles.stats.query(window);
    expect(stats.map((r) => r.ring)).toEqual(['outer', 'middle', 'inner']);
    for (const r of stats) {
      expect(r.perKm2).toBeCloseTo(r.incidents / r.areaKm2, 9);
      for (const share of [r.cameraCoverage, r.reach3Share]) {
        expect(share).toBeGreaterThanOrEqual(0);
        expect(share).toBeLessThanOrEqual(1 + 1e-9);
      }
    }
    // the inner ring is built around key sites, where cameras concentrate
    const inner = stats.find((r) => r.ring === 'inner')!;
    const outer = stats.find((r) => r.ring === 'outer')!;
    expect(inner.cameraCoverage).toBeGreaterThan(outer.cameraCoverage);

    // an independent count: the window's points from the Arrow route, tested against each ring
    const bytes = new Uint8Array(
      await (
        await fetch(`${s.url}/api/incidents.arrow?${new URLSearchParams(window)}`, {
          headers: { cookie: s.cookie },
        })
      ).arrayBuffer(),
    );
    const table = tableFromIPC(bytes);
    const lon = table.getChild('lon')!.toArray() as Float32Array;
    const lat = table.getChild('lat')!.toArray() as Float32Array;
    const circles = await s.client.circles.list.query();
    for (const r of stats) {
      const ring = circles.features.find(
        (f) => (f.properties as { ring: string }).ring === r.ring,
      )! as Feature<MultiPolygon>;
      let n = 0;
      for (let i = 0; i < table.numRows; i++)
        if (booleanPointInPolygon([lon[i]!, lat[i]!], ring)) n++;
      // float32 positions can fall either side of a ring's edge: allow a handful
      expect(Math.abs(n - r.incidents), `${r.ring}: ${n} vs ${r.incidents}`).toBeLessThanOrEqual(
        Math.max(3, r.incidents * 0.01),
      );
    }
  });

  it('names a bad window', async () => {
    await expect(s.client.circles.stats.query({ from: END, to: '2026-06-01' })).rejects.toThrow(
      /to: must be after from/,
    );
  });
});
