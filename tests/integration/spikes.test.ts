/** Spikes per community: the Poisson z of the window against the period before, flagged at |z| ≥ 3. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

const WINDOW = { from: '2026-06-23T00:00:00+08:00', to: '2026-07-01T00:00:00+08:00' };
const BEFORE = { from: '2026-06-15T00:00:00+08:00', to: WINDOW.from };

it('scores every community by z = 2(√current − √previous) over the two periods', async () => {
  const rows = await s.client.hotspots.spikes.query(WINDOW);
  expect(rows).toHaveLength(79);
  const [cur, prev] = await Promise.all([
    s.client.incidents.summary.query({ ...WINDOW, groupBy: 'community' }),
    s.client.incidents.summary.query({ ...BEFORE, groupBy: 'community' }),
  ]);
  const count = (list: { key: string; count: number }[], id: number) =>
    list.find((r) => r.key === String(id))?.count ?? 0;
  for (const r of rows) {
    expect(r.current).toBe(count(cur, r.communityId));
    expect(r.previous).toBe(count(prev, r.communityId));
    expect(r.z).toBeCloseTo(2 * (Math.sqrt(r.current) - Math.sqrt(r.previous)), 9);
    expect(r.flag).toBe(r.z >= 3 ? 'up' : r.z <= -3 ? 'down' : null);
  }
  for (let i = 1; i < rows.length; i++) expect(rows[i]!.z).toBeLessThanOrEqual(rows[i - 1]!.z);
});

it('flags a community whose incidents jump', async () => {
  const quiet = (await s.client.hotspots.spikes.query(WINDOW)).find(
    (r) => r.flag === null && r.previous < 30,
  )!;
  // 60 more incidents in the window, at the community's own centre
  await s.db.query(
    `INSERT INTO incidents (time, category, subcategory, status, community_id, geom)
     SELECT $2::timestamptz + (k || ' minutes')::interval, 'public_order', 'fight', 'closed', c.id, ST_PointOnSurface(c.geom)
     FROM communities c, generate_series(1, 60) k WHERE c.id = $1`,
    [quiet.communityId, '2026-06-25T10:00:00+08:00'],
  );
  const after = (await s.client.hotspots.spikes.query(WINDOW)).find(
    (r) => r.communityId === quiet.communityId,
  )!;
  expect(after.current).toBe(quiet.current + 60);
  expect(after.flag).toBe('up');
  expect(after.z).toBeGreaterThanOrEqual(3);
});

it('finds Gi* hot spots at 99% where incidents cluster, and FDR only removes', async () => {
  const q = { ...WINDOW, cellMeters: 200, bandMeters: 400 };
  const raw = await s.client.hotspots.gistar.query(q);
  const fdr = await s.client.hotspots.gistar.query({ ...q, fdr: true });
  // the district at 200 m is a few thousand cells
  expect(raw.cells).toBeGreaterThan(2500);
  expect(raw.byClass.hot99).toBeGreaterThan(0);
  for (const c of raw.hotspots) {
    expect(c.class).not.toBe('none');
    if (c.class === 'hot99') expect(c.z).toBeGreaterThanOrEqual(2.576);
    if (c.class.startsWith('cold')) expect(c.z).toBeLessThan(0);
  }
  // with the correction a cell can only lose significance, never gain it
  const rawKeys = new Set(raw.hotspots.map((c) => `${c.lon},${c.lat}`));
  for (const c of fdr.hotspots) expect(rawKeys.has(`${c.lon},${c.lat}`)).toBe(true);
  expect(fdr.hotspots.length).toBeLessThanOrEqual(raw.hotspots.length);
  // the hottest cell holds many incidents
  expect(raw.hotspots[0]!.count).toBeGreaterThan(10);
  await expect(s.client.hotspots.gistar.query({ ...q, bandMeters: 100 })).rejects.toThrow(
    /bandMeters: must be at least cellMeters/,
  );
});
