/**
 * Every read procedure over real HTTP against a seeded test database (embedded or server,
 * by vitest project), checked against the demo data's known facts and against each other.
 */
import { TRPCClientError } from '@trpc/client';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

// the test data's anchor is 2026-06-30: incidents run to 2026-07-01T00:00+08:00
const END = '2026-07-01T00:00:00+08:00';
const LAST30 = { from: '2026-06-01T00:00:00+08:00', to: END };

async function expectBadRequest(p: Promise<unknown>, field: string) {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TRPCClientError);
  const e = err as Error & { data?: { code?: string; fields?: { field: string }[] } };
  expect(e.data?.code).toBe('BAD_REQUEST');
  expect(e.message).toContain(field);
  return e;
}

describe('system', () => {
  it('reports health and the data it serves', async () => {
    const h = await s.client.system.health.query();
    expect(h.status).toBe('ok');
    expect(h.database).toBe(s.backend);
    expect(h.data.anchor).toBe('2026-06-30');
    expect(new Date(h.data.end!).toISOString()).toBe(new Date(END).toISOString());
  });
});

describe('regions', () => {
  it('serves the district, 6 towns and 79 villages/communities', async () => {
    const [district, towns, communities] = await Promise.all([
      s.client.regions.district.query(),
      s.client.regions.towns.query(),
      s.client.regions.communities.query(),
    ]);
    expect(district.features).toHaveLength(1);
    expect(district.features[0]!.geometry.type).toBe('MultiPolygon');
    expect(towns.features.map((f) => f.properties.name).sort()).toEqual(
      ['大堡子镇', '小桥大街街道', '朝阳街道', '火车西站街道', '马坊街道', '廿里铺镇'].sort(),
    );
    expect(communities.features).toHaveLength(79);
    const props = communities.features.map((f) => f.properties);
    expect(props.filter((p) => p.synthetic)).toHaveLength(10);
    expect(new Set(props.map((p) => p.code)).size).toBe(79);
    for (const p of props) {
      expect(Object.keys(p).sort()).toEqual(
        [
          'code',
          'geometrySource',
          'id',
          'kind',
          'name',
          'population',
          'synthetic',
          'townId',
          'townName',
        ].sort(),
      );
      expect(p.geometrySource).toBe('generated');
      expect(['village', 'community']).toContain(p.kind);
      expect(p.population).toBeGreaterThan(0);
    }
    const townNames = new Map(towns.features.map((f) => [f.properties.id, f.properties.name]));
    for (const p of props) expect(p.townName).toBe(townNames.get(p.townId));
    expect(props.find((p) => p.name === '朝阳社区')?.townName).toBe('朝阳街道');
  });
});

describe('incidents', () => {
  it('groups the same incidents the same total whichever way they are counted', async () => {
    const [byCat, byCommunity, byTown, byDay, heat] = await Promise.all([
      s.client.incidents.summary.query({ ...LAST30, groupBy: 'category' }),
      s.client.incidents.summary.query({ ...LAST30, groupBy: 'community' }),
      s.client.incidents.summary.query({ ...LAST30, groupBy: 'town' }),
      s.client.incidents.summary.query({ ...LAST30, groupBy: 'day' }),
      s.client.incidents.heat.query({ ...LAST30, cellMeters: 250 }),
    ]);
    const sum = (rows: { count: number }[]) => rows.reduce((a, r) => a + r.count, 0);
    const total = sum(byCat);
    // about 70,000 a year: a 30-day window holds thousands
    expect(total).toBeGreaterThan(3000);
    expect(total).toBeLessThan(9000);
    expect(sum(byCommunity)).toBe(total);
    expect(sum(byTown)).toBe(total);
    expect(sum(byDay)).toBe(total);
    expect(sum(heat.cells)).toBe(total);
    expect(byDay.map((r) => r.key)).toHaveLength(30);
    expect(byDay[0]!.key).toBe('2026-06-01');
    expect(byDay[29]!.key).toBe('2026-06-30');
    for (const r of byCat) expect(INCIDENT_CATEGORIES).toContain(r.key);
    expect(byCat[0]!.key).toBe('assistance'); // 40% of calls
    expect(byCommunity[0]!.name).toBeTruthy();
  });

  it('counts hours as local hour starts, zeros included', async () => {
    const rows = await s.client.incidents.summary.query({
      from: '2026-06-30T00:00:00+08:00',
      to: END,
      groupBy: 'hour',
    });
    expect(rows).toHaveLength(24);
    expect(rows[0]!.key).toBe('2026-06-30T00:00+08:00');
    expect(rows[23]!.key).toBe('2026-06-30T23:00+08:00');
  });

  it('filters by category, community and bounding box', async () => {
    const all = await s.client.incidents.summary.query({ ...LAST30, groupBy: 'category' });
    const traffic = await s.client.incidents.summary.query({
      ...LAST30,
      groupBy: 'category',
      categories: ['traffic'],
    });
    expect(traffic).toEqual(all.filter((r) => r.key === 'traffic'));
    const byCommunity = await s.client.incidents.summary.query({ ...LAST30, groupBy: 'community' });
    const top = byCommunity[0]!;
    const page = await s.client.incidents.list.query({
      ...LAST30,
      communityId: Number(top.key),
      limit: 500,
    });
    expect(page.items.every((i) => i.communityId === Number(top.key))).toBe(true);
    const box: [number, number, number, number] = [101.74, 36.64, 101.77, 36.67];
    const heat = await s.client.incidents.heat.query({ ...LAST30, cellMeters: 500, bbox: box });
    for (const c of heat.cells) {
      // cell centres lie within half a cell of the box
      expect(c.lon).toBeGreaterThan(box[0] - 0.006);
      expect(c.lon).toBeLessThan(box[2] + 0.006);
    }
    const boxed = heat.cells.reduce((a, c) => a + c.count, 0);
    const total = all.reduce((a, r) => a + r.count, 0);
    expect(boxed).toBeGreaterThan(0);
    expect(boxed).toBeLessThan(total);
  });

  it('pages through a window newest first with no gaps or repeats', async () => {
    const window = { from: '2026-06-29T00:00:00+08:00', to: END };
    const total = (
      await s.client.incidents.summary.query({ ...window, groupBy: 'category' })
    ).reduce((a, r) => a + r.count, 0);
    const seen = new Set<number>();
    let cursor: string | undefined;
    let last = Infinity;
    let pages = 0;
    do {
      const page = await s.client.incidents.list.query({ ...window, limit: 97, cursor });
      for (const item of page.items) {
        expect(seen.has(item.id)).toBe(false);
        seen.add(item.id);
        const t = Date.parse(item.time);
        expect(t).toBeLessThanOrEqual(last);
        last = t;
        expect(t).toBeGreaterThanOrEqual(Date.parse(window.from));
        expect(t).toBeLessThan(Date.parse(window.to));
      }
      cursor = page.nextCursor ?? undefined;
      pages++;
    } while (cursor);
    expect(seen.size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 97) || 1);
  });

  it('returns one incident with its community', async () => {
    const page = await s.client.incidents.list.query({ ...LAST30, limit: 1 });
    const item = page.items[0]!;
    const one = await s.client.incidents.get.query({ id: item.id });
    // the list's item, and where it came from (none: the demo's history) and whether it lies outside
    expect(one).toEqual({ ...item, sourceId: null, outside: false });
    expect(one.communityName).toBeTruthy();
    await expect(s.client.incidents.get.query({ id: 2_000_000_000 })).rejects.toThrow(
      /no incident/,
    );
  });

  it('shows telecom fraud down 35.31% year on year', async () => {
    const count = async (from: string, to: string) =>
      (
        await s.client.incidents.summary.query({
          from,
          to,
          groupBy: 'subcategory',
          categories: ['criminal'],
        })
      ).find((r) => r.key === 'fraud')?.count ?? 0;
    const last = await count('2025-07-01T00:00:00+08:00', END);
    const prev = await count('2024-07-01T00:00:00+08:00', '2025-07-01T00:00:00+08:00');
    expect(prev).toBeGreaterThan(500);
    expect(((prev - last) / prev) * 100).toBeCloseTo(35.31, 0);
    expect(Math.abs(((prev - last) / prev) * 100 - 35.31)).toBeLessThanOrEqual(0.5);
  });
});

describe('bulk incidents as Arrow', () => {
  it('streams the window as typed columns, at most 18 bytes an incident', async () => {
    const q = new URLSearchParams(LAST30).toString();
    const res = await fetch(`${s.url}/api/incidents.arrow?${q}`, { headers: { cookie: s.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const bytes = new Uint8Array(await res.arrayBuffer());
    const table = tableFromIPC(bytes);
    const total = (
      await s.client.incidents.summary.query({ ...LAST30, groupBy: 'category' })
    ).reduce((a, r) => a + r.count, 0);
    expect(table.numRows).toBe(total);
    expect(bytes.byteLength / table.numRows).toBeLessThanOrEqual(18);
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'id',
      'lon',
      'lat',
      'time',
      'category',
    ]);
    const lon = table.getChild('lon')!.toArray() as Float32Array;
    const lat = table.getChild('lat')!.toArray() as Float32Array;
    const time = table.getChild('time')!.toArray() as Uint32Array;
    const from = Date.parse(LAST30.from) / 1000;
    const to = Date.parse(LAST30.to) / 1000;
    for (let i = 0; i < table.numRows; i++) {
      expect(lon[i]).toBeGreaterThan(101.55);
      expect(lon[i]).toBeLessThan(101.81);
      expect(lat[i]).toBeGreaterThan(36.62);
      expect(lat[i]).toBeLessThan(36.77);
      expect(time[i]).toBeGreaterThanOrEqual(from);
      expect(time[i]).toBeLessThan(to);
      if (i) expect(time[i]).toBeGreaterThanOrEqual(time[i - 1]!);
    }
    // categories decode to the same counts as the summary
    const counts = new Map<string, number>();
    for (const c of table.getChild('category')!)
      counts.set(c as string, (counts.get(c as string) ?? 0) + 1);
    const byCat = await s.client.incidents.summary.query({ ...LAST30, groupBy: 'category' });
    for (const r of byCat) expect(counts.get(r.key)).toBe(r.count);
    // a point from the stream is the incident of that id
    const id = (table.getChild('id')!.toArray() as Int32Array)[0]!;
    const one = await s.client.incidents.get.query({ id });
    expect(one.lon).toBeCloseTo(lon[0]!, 4);
    expect(Date.parse(one.time) / 1000).toBe(time[0]);
  });

  it('filters by category', async () => {
    const q = new URLSearchParams({ ...LAST30, categories: 'fire,traffic' }).toString();
    const table = tableFromIPC(
      new Uint8Array(
        await (
          await fetch(`${s.url}/api/incidents.arrow?${q}`, { headers: { cookie: s.cookie } })
        ).arrayBuffer(),
      ),
    );
    const cats = new Set<string>();
    for (const c of table.getChild('category')!) cats.add(c as string);
    expect([...cats].sort()).toEqual(['fire', 'traffic']);
  });

  it('gives the incidents of an area alone, each inside it, as many as the database counts', async () => {
    const area = [101.74, 36.64, 101.77, 36.66] as const;
    const arrowOf = async (bbox: string) => {
      const q = new URLSearchParams({ ...LAST30, bbox }).toString();
      return fetch(`${s.url}/api/incidents.arrow?${q}`, { headers: { cookie: s.cookie } });
    };
    const res = await arrowOf(area.join(','));
    expect(res.status).toBe(200);
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    const [{ n }] = (await s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM incidents
       WHERE time >= $1 AND time < $2 AND NOT outside
         AND geom && ST_MakeEnvelope($3, $4, $5, $6, 4326)`,
      [LAST30.from, LAST30.to, ...area],
    )) as [{ n: number }];
    expect(n).toBeGreaterThan(50);
    expect(table.numRows).toBe(n);
    const lon = table.getChild('lon')!.toArray() as Float32Array;
    const lat = table.getChild('lat')!.toArray() as Float32Array;
    for (let i = 0; i < table.numRows; i++) {
      expect(lon[i]).toBeGreaterThanOrEqual(Math.fround(area[0]) - 1e-6);
      expect(lon[i]).toBeLessThanOrEqual(Math.fround(area[2]) + 1e-6);
      expect(lat[i]).toBeGreaterThanOrEqual(Math.fround(area[1]) - 1e-6);
      expect(lat[i]).toBeLessThanOrEqual(Math.fround(area[3]) + 1e-6);
    }
    // two areas of the same four numbers in other places are two files: two ETags
    const one = await arrowOf('36.6,36.7,36.8,36.9');
    const two = await arrowOf('36.7,36.6,36.9,36.8');
    expect([one.status, two.status]).toEqual([200, 200]);
    expect(one.headers.get('etag')).not.toBe(two.headers.get('etag'));
    // not an area: the field and the problem
    for (const bad of ['101.74,36.64,101.77', '101.77,36.64,101.74,36.66', 'a,b,c,d', ',,,'])
      expect(((await (await arrowOf(bad)).json()) as { error: string }).error).toMatch(
        /^invalid query: bbox/,
      );
  });

  it('rejects a bad query with the field and the problem', async () => {
    const res = await fetch(
      `${s.url}/api/incidents.arrow?from=yesterday&to=${encodeURIComponent(END)}`,
      { headers: { cookie: s.cookie } },
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; fields: { field: string }[] };
    expect(body.fields[0]!.field).toBe('from');
    expect(body.error).toMatch(/from: must be an ISO 8601 time/);
    const bad = await fetch(
      `${s.url}/api/incidents.arrow?${new URLSearchParams({ ...LAST30, categories: 'arson' })}`,
      { headers: { cookie: s.cookie } },
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/categories/);
  });
});

describe('disputes', () => {
  it('reports the 睦邻 studio totals: 2,465 registered, 1,163 resolved', async () => {
    const mulin = await s.client.disputes.summary.query({ studio: 'mulin' });
    expect(mulin.registered).toBe(2465);
    expect(mulin.resolved).toBe(1163);
    expect(Object.values(mulin.byRisk).reduce((a, b) => a + b, 0)).toBe(2465);
    const all = await s.client.disputes.summary.query({});
    expect(all.registered).toBeGreaterThan(mulin.registered + 1000);
    const recent = await s.client.disputes.summary.query({ studio: 'mulin', from: '2026-01-01' });
    expect(recent.registered).toBeGreaterThan(0);
    expect(recent.registered).toBeLessThan(mulin.registered);
  });
});

describe('map layers', () => {
  it('serves the cameras, 654 of them in the infill batch', async () => {
    const all = await s.client.cameras.list.query();
    const infill = await s.client.cameras.list.query({ batch: 'sharp-eyes-infill' });
    expect(infill.features).toHaveLength(654);
    expect(all.features.length).toBeGreaterThan(2300);
    const p = all.features[0]!.properties as Record<string, unknown>;
    for (const k of ['id', 'kind', 'bearing', 'fov', 'rangeM', 'status', 'batch'])
      expect(p).toHaveProperty(k);
    const offline = all.features.filter(
      (f) => (f.properties as { status: string }).status === 'offline',
    );
    expect(offline.length / all.features.length).toBeGreaterThan(0.005);
    expect(offline.length / all.features.length).toBeLessThan(0.1);
  });

  it('serves the three circles, key sites, zones and posts', async () => {
    const [circles, sites, zones, posts] = await Promise.all([
      s.client.circles.list.query(),
      s.client.sites.list.query(),
      s.client.zones.list.query(),
      s.client.posts.list.query(),
    ]);
    expect(circles.features.map((f) => (f.properties as { ring: string }).ring)).toEqual([
      'outer',
      'middle',
      'inner',
    ]);
    const kinds = sites.features.map((f) => (f.properties as { kind: string }).kind);
    expect(kinds.filter((k) => k === 'checkpoint').length).toBeGreaterThanOrEqual(10);
    expect(kinds.filter((k) => k !== 'checkpoint').length).toBeGreaterThanOrEqual(50);
    const zoneTowns = new Set(
      zones.features.map((f) => (f.properties as { townId: number }).townId),
    );
    expect(zoneTowns.size).toBe(6);
    const unitKinds = posts.features.map((f) => (f.properties as { kind: string }).kind);
    expect(unitKinds.filter((k) => k === 'car')).toHaveLength(18);
    expect(unitKinds.filter((k) => k === 'joint_patrol')).toHaveLength(3);
    expect(unitKinds.filter((k) => k === 'post').length).toBeGreaterThanOrEqual(18);
  });
});

describe('input validation', () => {
  it('names the field and the problem', async () => {
    await expectBadRequest(
      s.client.incidents.summary.query({ from: 'last week', to: END, groupBy: 'day' }),
      'from: must be an ISO 8601 time',
    );
    await expectBadRequest(
      s.client.incidents.summary.query({ from: END, to: LAST30.from, groupBy: 'day' }),
      'to: must be after from',
    );
    const e = await expectBadRequest(
      s.client.incidents.list.query({ ...LAST30, limit: 501 }),
      'limit',
    );
    expect(e.data?.fields?.[0]?.field).toBe('limit');
    await expectBadRequest(
      s.client.incidents.heat.query({
        ...LAST30,
        cellMeters: 250,
        categories: ['arson' as 'fire'],
      }),
      'categories.0',
    );
    await expectBadRequest(
      s.client.incidents.heat.query({
        ...LAST30,
        cellMeters: 250,
        bbox: [101.8, 36.6, 101.7, 36.7],
      }),
      'bbox: must be [west, south, east, north]',
    );
    await expectBadRequest(
      s.client.incidents.list.query({ ...LAST30, cursor: 'garbage' }),
      'cursor',
    );
    await expectBadRequest(
      s.client.incidents.summary.query({ from: '2025-01-01', to: END, groupBy: 'hour' }),
      "groupBy: 'hour' needs a window of at most 92 days",
    );
    await expectBadRequest(s.client.disputes.summary.query({ studio: 'Mu Lin!' }), 'studio');
  });
});
