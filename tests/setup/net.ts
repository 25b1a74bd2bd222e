/** Small helpers for tests that start processes of their own (a proxy, a replica). */
import net from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** A square polygon of half-side `h` degrees around a point. */
export function square(x: number, y: number, h: number) {
  return {
    type: 'Polygon' as const,
    coordinates: [
      [
        [x - h, y - h],
        [x + h, y - h],
        [x + h, y + h],
        [x - h, y + h],
        [x - h, y - h],
      ] as [number, number][],
    ],
  };
}

/** A point inside the first of `table`'s areas (communities or towns) of the test data. */
export async function pointIn(
  db: { query<T>(text: string, params?: unknown[]): Promise<T[]> },
  table: 'communities' | 'towns',
): Promise<{ lon: number; lat: number }> {
  const [p] = await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat
     FROM (SELECT ST_PointOnSurface(geom) AS p FROM ${table} ORDER BY id LIMIT 1) a`,
  );
  return { lon: Number(p!.lon), lat: Number(p!.lat) };
}

/**
 * A patrol zone around a point of the first town, made through `zones.create` by a planner's
 * client: it either patrols ground no zone did or overlaps zones that do.
 */
export async function addZoneInFirstTown(
  db: { query<T>(text: string, params?: unknown[]): Promise<T[]> },
  planner: { zones: { create: { mutate(input: object): Promise<unknown> } } },
  name: string,
) {
  const c = await pointIn(db, 'towns');
  await planner.zones.create.mutate({
    geometry: square(c.lon, c.lat, 0.004),
    name,
    unit: '巡逻一组',
    shift: 'all',
  });
}

/** What any new zone changes of the saved plan's what-if figures. */
export const zoneFigures = (e: { saved: { unpatrolledKm2: number; overlapKm2: number } }) => [
  e.saved.unpatrolledKm2,
  e.saved.overlapKm2,
];
