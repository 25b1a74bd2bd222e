/**
 * zones.update over real HTTP: a planner edits inside their town, a stale version is a conflict,
 * anything outside their areas is FORBIDDEN, bad geometry is refused with its reason and where,
 * winding is fixed silently; nothing refused changes what is stored, and saves are audited.
 */
import type { Polygon } from 'geojson';
import type { inferRouterInputs } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TRPCClient } from '@trpc/client';
import type { AppRouter } from '../../server/router';
import { startTestServer, type TestServer } from '../setup/testServer';

type ZoneGeometry = NonNullable<inferRouterInputs<AppRouter>['zones']['update']['geometry']>;

let s: TestServer;
let planner: TRPCClient<AppRouter>;
let town: number;
beforeAll(async () => {
  s = await startTestServer();
  planner = (await s.login('planner')).client;
  town = (await planner.auth.me.query()).areas.towns[0]!;
});
afterAll(async () => {
  await s?.close();
});

interface Stored {
  id: number;
  version: number;
  geom: string;
  name: string;
}

const stored = async (id: number) =>
  (
    await s.db.query<Stored>(
      `SELECT id, version, ST_AsText(geom) AS geom, name FROM patrol_zones WHERE id = $1`,
      [id],
    )
  )[0]!;

/** A zone of a town, and its geometry shrunk a little (still inside the town). */
async function zoneIn(inTown: boolean) {
  const [z] = await s.db.query<{ id: number; version: number; g: string }>(
    `SELECT z.id, z.version, ST_AsGeoJSON(ST_Buffer(z.geom, -0.0004), 7) AS g
     FROM patrol_zones z WHERE ${inTown ? '' : 'NOT '}ST_CoveredBy(z.geom, ST_Buffer((SELECT geom FROM towns WHERE id = $1), 0.00001))
     ORDER BY z.id LIMIT 1`,
    [town],
  );
  return { id: z!.id, version: z!.version, geometry: JSON.parse(z!.g) as ZoneGeometry };
}

const code = (e: unknown) => (e as { data?: { code?: string } }).data?.code;

describe('zones.update', () => {
  it('saves a planner’s edit inside their town, bumps the version and audits before and after', async () => {
    const z = await zoneIn(true);
    const before = await stored(z.id);
    const r = await planner.zones.update.mutate({ ...z, unit: '巡逻一组' });
    expect(r.version).toBe(before.version + 1);
    const after = await stored(z.id);
    expect(after.geom).not.toBe(before.geom);
    const [row] = await s.db.query<{
      username: string;
      object: string;
      outcome: string;
      detail: {
        before: { version: number; areaKm2: number };
        after: { version: number; unit: string; areaKm2: number };
      };
    }>(
      `SELECT username, object, outcome, detail FROM audit_log WHERE action = 'zones.update' ORDER BY id DESC LIMIT 1`,
    );
    expect(row).toMatchObject({ username: 'planner', object: `zone:${z.id}`, outcome: 'ok' });
    expect(row!.detail.before.version).toBe(before.version);
    expect(row!.detail.after).toMatchObject({ version: before.version + 1, unit: '巡逻一组' });
    expect(row!.detail.after.areaKm2).toBeLessThan(row!.detail.before.areaKm2);
  });

  it('refuses a stale version with CONFLICT and keeps the newer save', async () => {
    const z = await zoneIn(true);
    await planner.zones.update.mutate(z);
    const now = await stored(z.id);
    const err = await planner.zones.update.mutate(z).catch((e: unknown) => e);
    expect(code(err)).toBe('CONFLICT');
    expect((err as Error).message).toMatch(/version: .*now version \d+, yours \d+/);
    expect(await stored(z.id)).toEqual(now);
  });

  it('keeps a planner out of other towns, and other towns’ zones', async () => {
    const other = await zoneIn(false);
    const before = await stored(other.id);
    const err = await planner.zones.update.mutate(other).catch((e: unknown) => e);
    expect(code(err)).toBe('FORBIDDEN');
    expect((err as Error).message).toMatch(/inside your assigned towns/);
    expect(await stored(other.id)).toEqual(before);

    // their own zone moved onto another town
    const own = await zoneIn(true);
    const mine = await stored(own.id);
    const moved = await planner.zones.update
      .mutate({ ...own, version: mine.version, geometry: other.geometry })
      .catch((e: unknown) => e);
    expect(code(moved)).toBe('FORBIDDEN');
    expect(await stored(own.id)).toEqual(mine);
    // an admin-level role is not needed for reading, but leaders may not edit at all
    expect(code(await s.client.zones.update.mutate(own).catch((e: unknown) => e))).toBe(
      'FORBIDDEN',
    );
  });

  it('refuses bad geometry with the reason and where, storing nothing', async () => {
    const z = await zoneIn(true);
    const cur = await stored(z.id);
    const base = { id: z.id, version: cur.version };
    const [x, y] = [101.75, 36.66];
    const cases: [string, unknown, RegExp][] = [
      [
        'self-intersection',
        {
          type: 'Polygon',
          coordinates: [
            [
              [x, y],
              [x + 0.01, y + 0.01],
              [x + 0.01, y],
              [x, y + 0.01],
              [x, y],
            ],
          ],
        },
        /geometry: polygon 0 ring 0 edge \d and polygon 0 ring 0 edge \d: cross/,
      ],
      [
        'too few points',
        {
          type: 'Polygon',
          coordinates: [
            [
              [x, y],
              [x + 0.01, y],
              [x, y],
            ],
          ],
        },
        /fewer than 4 positions/,
      ],
      [
        'swapped coordinates',
        {
          type: 'Polygon',
          coordinates: [
            [
              [y, x],
              [y, x + 0.01],
              [y + 0.01, x + 0.01],
              [y, x],
            ],
          ],
        },
        /off the globe: swapped latitude and longitude\?/,
      ],
      [
        'not a number',
        {
          type: 'Polygon',
          coordinates: [
            [
              [x, y],
              [x + 0.01, null],
              [x, y + 0.01],
              [x, y],
            ],
          ],
        },
        /geometry\.coordinates/,
      ],
      [
        'too many vertices',
        {
          type: 'Polygon',
          coordinates: [
            [
              ...Array.from({ length: 10_050 }, (_, i) => {
                const a = (i / 10_050) * 2 * Math.PI;
                return [x + 0.005 * Math.cos(a), y + 0.005 * Math.sin(a)];
              }),
              [x + 0.005, y],
            ],
          ],
        },
        /at most 10000/,
      ],
      [
        'outside the district',
        {
          type: 'Polygon',
          coordinates: [
            [
              [101.2, 36.2],
              [101.21, 36.2],
              [101.21, 36.21],
              [101.2, 36.2],
            ],
          ],
        },
        /outside the district/,
      ],
    ];
    for (const [name, geometry, reason] of cases) {
      const err = await planner.zones.update
        .mutate({ ...base, geometry } as never)
        .catch((e: unknown) => e);
      expect(code(err), name).toBe('BAD_REQUEST');
      expect((err as Error).message, name).toMatch(reason);
      expect(await stored(z.id), name).toEqual(cur);
    }
  });

  it('fixes a clockwise ring silently', async () => {
    const z = await zoneIn(true);
    const g = z.geometry;
    const clockwise: Polygon =
      g.type === 'Polygon'
        ? { type: 'Polygon', coordinates: g.coordinates.map((r) => [...r].reverse()) }
        : { type: 'Polygon', coordinates: g.coordinates[0]!.map((r) => [...r].reverse()) };
    const r = await planner.zones.update.mutate({
      ...z,
      geometry: clockwise as ZoneGeometry,
    });
    expect(r.version).toBe(z.version + 1);
    const [{ ccw }] = (await s.db.query<{ ccw: boolean }>(
      `SELECT ST_IsPolygonCCW(geom) AS ccw FROM patrol_zones WHERE id = $1`,
      [z.id],
    )) as [{ ccw: boolean }];
    expect(ccw).toBe(true);
  });
});
