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
