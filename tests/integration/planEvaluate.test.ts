/**
 * plan.evaluate and plan.suggest over real HTTP: the draft's figures against the saved plan,
 * checked against PostGIS computing the same things its own way; nothing is saved.
 */
import type { inferRouterInputs } from '@trpc/server';
import type { TRPCClient } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOTSPOT } from '../../domain/analysis';
import type { AppRouter } from '../../server/router';
import { startTestServer, type TestServer } from '../setup/testServer';

type Area = inferRouterInputs<AppRouter>['zones']['create']['geometry'];

let s: TestServer;
let planner: TRPCClient<AppRouter>;
let zones: { id: number; geometry: Area }[];
let posts: { id: number; position: [number, number] }[];
beforeAll(async () => {
  s = await startTestServer();
  planner = (await s.login('planner')).client;
  const z = await s.client.zones.list.query();
  zones = z.features.map((f) => ({ id: f.properties.id as number, geometry: f.geometry as Area }));
  const p = await s.client.posts.list.query();
  posts = p.features
    .filter((f) => f.properties.kind === 'post' && f.properties.status !== 'off_duty')
    .map((f) => ({
      id: f.properties.id as number,
      position: (f.geometry as unknown as { coordinates: [number, number] }).coordinates,
    }));
});
afterAll(async () => {
  await s?.close();
});

/** The last 30 days of data, as the procedures default to. */
async function window() {
  const [r] = await s.db.query<{ last: Date }>('SELECT max(time) AS last FROM incidents');
  const to = new Date(new Date(r!.last).getTime() + 1000);
  return { from: new Date(to.getTime() - 30 * 86_400_000).toISOString(), to: to.toISOString() };
}

/** Incidents of the window within `radius` metres (geodesic) of any of `sites` or a car. */
async function withinSql(sites: [number, number][], radius: number) {
  const w = await window();
  const [r] = await s.db.query<{ n: number }>(
    `WITH u AS (SELECT ST_SetSRID(ST_MakePoint(x, y), 4326) AS geom FROM unnest($3::float8[], $4::float8[]) t(x, y)
                UNION ALL SELECT geom FROM patrol_units WHERE kind = 'car' AND status <> 'off_duty')
     SELECT count(*)::int AS n FROM incidents i
     WHERE i.time >= $1 AND i.time < $2
       AND EXISTS (SELECT 1 FROM u WHERE ST_DWithin(u.geom::geography, i.geom::geography, $5))`,
    [w.from, w.to, sites.map((p) => p[0]), sites.map((p) => p[1]), radius],
  );
  return r!.n;
}

describe('plan.evaluate', () => {
  it('gives the saved figures for both sides when nothing is drafted', async () => {
    const r = await s.client.plan.evaluate.query({});
    expect(r.draft).toEqual(r.saved);
    const w = await window();
    const [n] = await s.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM incidents WHERE time >= $1 AND time < $2',
      [w.from, w.to],
    );
    expect(r.window.count).toBe(n!.n);
    expect(r.saved.reach.map((t) => t.minutes)).toEqual([1, 3, 5]);
    // the 3-minute share agrees with PostGIS's geodesic distances
    const three = r.saved.reach.find((t) => t.minutes === 3)!;
    const sql = await withinSql(
      posts.map((p) => p.position),
      1481.48,
    );
    expect(Math.abs(three.incidentShare * r.window.count - sql)).toBeLessThanOrEqual(
      Math.max(3, sql * 0.002),
    );
    expect(r.communities).toHaveLength(79);
  });

  it('counts as hot the cells the map draws: the same Gi* over the same window', async () => {
    const r = await s.client.plan.evaluate.query({});
    const map = await s.client.hotspots.gistar.query({
      from: r.window.from,
      to: r.window.to,
      ...HOTSPOT,
    });
    const hot = map.hotspots.filter((c) => c.class.startsWith('hot'));
    expect(hot.length).toBeGreaterThan(100);
    expect(r.saved.hotspotCells.total).toBe(hot.length);
    // covered: the map's hot cells whose centre a saved zone holds, as PostGIS finds them
    const [c] = await s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM unnest($1::float8[], $2::float8[]) t(x, y)
       WHERE EXISTS (SELECT 1 FROM patrol_zones z
                     WHERE ST_Intersects(z.geom, ST_SetSRID(ST_MakePoint(t.x, t.y), 4326)))`,
      [hot.map((h) => h.lon), hot.map((h) => h.lat)],
    );
    expect(c!.n).toBeGreaterThan(0);
    expect(r.saved.hotspotCells.covered).toBe(c!.n);
  });

  it('counts the incidents left outside when a zone is dropped, and draws what is left unpatrolled', async () => {
    const w = await window();
    // the zone whose removal leaves the most incidents outside every other zone
    const [best] = await s.db.query<{ id: number; lost: number }>(
      `SELECT z.id, count(*)::int AS lost FROM patrol_zones z JOIN incidents i ON ST_Intersects(z.geom, i.geom)
       WHERE i.time >= $1 AND i.time < $2
         AND NOT EXISTS (SELECT 1 FROM patrol_zones o WHERE o.id <> z.id AND ST_Intersects(o.geom, i.geom))
       GROUP BY z.id ORDER BY lost DESC, z.id LIMIT 1`,
      [w.from, w.to],
    );
    expect(best).toBeDefined();
    const draft = zones.filter((z) => z.id !== best!.id);
    const r = await s.client.plan.evaluate.query({ zones: draft });
    expect(r.saved.incidentsInZones - r.draft.incidentsInZones).toBeGreaterThanOrEqual(
      best!.lost - 2,
    );
    expect(r.saved.incidentsInZones - r.draft.incidentsInZones).toBeLessThanOrEqual(best!.lost + 2);
    expect(r.draft.unpatrolledKm2).toBeGreaterThan(r.saved.unpatrolledKm2 + 0.01);
    expect(r.draft.unpatrolled?.type).toBe('MultiPolygon');
    // posts untouched: reach unchanged
    expect(r.draft.reach).toEqual(r.saved.reach);
    const changed = r.communities.filter((c) => c.draft.zoneShare !== c.saved.zoneShare);
    expect(changed.length).toBeGreaterThan(0);
    for (const c of changed) expect(c.draft.zoneShare).toBeLessThan(c.saved.zoneShare);
    // nothing was saved
    expect((await s.client.zones.list.query()).features).toHaveLength(zones.length);
  });

  it('shows reach falling when the posts are drafted far from the incidents', async () => {
    const corner = await s.db.query<{ x: number; y: number }>(
      `SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointN(ST_ExteriorRing(ST_GeometryN(geom, 1)), 1) AS p FROM district) a`,
    );
    const far: [number, number] = [Number(corner[0]!.x), Number(corner[0]!.y)];
    const r = await s.client.plan.evaluate.query({
      posts: posts.map((p) => ({ id: p.id, position: far })),
    });
    const three = (f: typeof r.saved) => f.reach.find((t) => t.minutes === 3)!;
    expect(three(r.draft).incidentShare).toBeLessThan(three(r.saved).incidentShare);
    expect(three(r.draft).populationShare).toBeLessThan(three(r.saved).populationShare);
    const sql = await withinSql([far], 1481.48);
    expect(Math.abs(three(r.draft).incidentShare * r.window.count - sql)).toBeLessThanOrEqual(
      Math.max(3, sql * 0.002),
    );
    expect(r.draft.incidentsInZones).toBe(r.saved.incidentsInZones);
  });

  it('counts as overlap only zones of the same shift, or with one on all day', async () => {
    const g = zones[0]!.geometry;
    const overlap = async (a: 'day' | 'night' | 'all', b: 'day' | 'night' | 'all') =>
      (
        await s.client.plan.evaluate.query({
          zones: [
            { geometry: g, shift: a },
            { geometry: g, shift: b },
          ],
        })
      ).draft.overlapKm2;
    const [{ km2 }] = (await s.db.query<{ km2: number }>(
      `SELECT ST_Area(geom::geography) / 1e6 AS km2 FROM patrol_zones WHERE id = $1`,
      [zones[0]!.id],
    )) as [{ km2: number }];
    expect(await overlap('day', 'night')).toBe(0);
    expect(await overlap('day', 'day')).toBeCloseTo(Number(km2), 2);
    expect(await overlap('all', 'night')).toBeCloseTo(Number(km2), 2);
  });

  it('counts the ground a shift leaves to no zone as unpatrolled', async () => {
    const kept = await s.db.query<{ id: number; shift: 'day' | 'all' }>(
      `SELECT id, shift FROM patrol_zones WHERE shift <> 'night'`,
    );
    const shiftOf = new Map(kept.map((k) => [k.id, k.shift]));
    const [{ km2 }] = (await s.db.query<{ km2: number }>(
      `SELECT ST_Area(ST_Difference(d.geom, (SELECT ST_Union(geom) FROM patrol_zones WHERE shift = 'all'))::geography) / 1e6 AS km2
       FROM district d`,
    )) as [{ km2: number }];
    // without the night zones, the night has only the all-day zones
    const r = await s.client.plan.evaluate.query({
      zones: zones
        .filter((z) => shiftOf.has(z.id))
        .map((z) => ({ geometry: z.geometry, shift: shiftOf.get(z.id) })),
    });
    expect(r.draft.unpatrolledKm2).toBeGreaterThan(1);
    expect(r.draft.unpatrolledKm2).toBeCloseTo(Number(km2), 1);
  });

  it('refuses a bad draft zone, naming which', async () => {
    const err: Error & { data?: { code?: string } } = await s.client.plan.evaluate
      .query({
        zones: [
          zones[0]!,
          {
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [101.7, 36.6],
                  [101.71, 36.61],
                  [101.7, 36.6],
                ],
              ],
            },
          },
        ],
      })
      .then(() => new Error('accepted'))
      .catch((e: unknown) => e as Error & { data?: { code?: string } });
    expect(err.data?.code).toBe('BAD_REQUEST');
    expect(err.message).toMatch(/^zones\.1\.geometry/);
  });
});

describe('plan.suggest', () => {
  it('places K more posts inside the planner’s area and brings more incidents within reach', async () => {
    const r = await planner.plan.suggest.query({ mode: 'add', k: 3 });
    expect(r.posts).toHaveLength(3);
    expect(r.gain).toBeGreaterThan(0);
    expect(r.after.covered - r.before.covered).toBe(r.gain);
    const town = (await planner.auth.me.query()).areas.towns[0]!;
    for (const p of r.posts) {
      const [inside] = await s.db.query<{ ok: boolean }>(
        `SELECT ST_Intersects(geom, ST_SetSRID(ST_MakePoint($2, $3), 4326)) AS ok FROM towns WHERE id = $1`,
        [town, p.position[0], p.position[1]],
      );
      expect(inside!.ok).toBe(true);
    }
    // the figures are what PostGIS counts for the same layout
    const after = await withinSql(
      [...posts.map((p) => p.position), ...r.posts.map((p) => p.position)],
      r.radiusM,
    );
    expect(Math.abs(r.after.covered - after)).toBeLessThanOrEqual(Math.max(3, after * 0.002));
  });

  it('moves only the planner’s own posts, never to a worse layout', async () => {
    const r = await planner.plan.suggest.query({ mode: 'move' });
    expect(r.after.covered).toBeGreaterThanOrEqual(r.before.covered);
    const town = (await planner.auth.me.query()).areas.towns[0]!;
    const mine = await s.db.query<{ id: number }>(
      `SELECT u.id FROM patrol_units u, towns t WHERE t.id = $1 AND u.kind = 'post'
         AND u.status <> 'off_duty' AND ST_Intersects(u.geom, t.geom) ORDER BY u.id`,
      [town],
    );
    expect(r.posts.map((p) => p.id)).toEqual(mine.map((m) => m.id));
    const kept = await planner.plan.suggest.query({ mode: 'move', keep: [mine[0]!.id] });
    expect(kept.posts.map((p) => p.id)).toEqual(mine.slice(1).map((m) => m.id));
  });

  it('is for planners: a leader may not ask', async () => {
    await expect(s.client.plan.suggest.query({ mode: 'add', k: 1 })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
  });
});
