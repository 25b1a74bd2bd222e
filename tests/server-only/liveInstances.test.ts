/**
 * Two server instances on one PostgreSQL server: an incident ingested through one reaches the
 * live streams of the other well within the poll interval (a NOTIFY wakes it: each instance has
 * its own database connection pool and wake-ups, as separate processes would), also after its
 * LISTEN connection has been dropped, and a client that drops its stream for 30 s and comes back
 * to the other instance is sent what it missed, once. And the sign-in rate limit counts the
 * attempts made at both.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addIntegration } from '../../server/auth/tokens';
import { LIVE_POLL_MS } from '../../server/routers/live';
import type { IncidentEvent } from '../../server/services/incidentEvents';
import { closeInstances, startInstances, type Instance } from '../setup/instances';
import { collect } from '../setup/liveStream';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';

let tdb: TestDatabase;
let instances: Instance[] = [];
let token: string;
let inside: { lon: number; lat: number };

beforeAll(async () => {
  tdb = await openTestDatabase();
  instances = await startInstances(tdb.url!);
  token = await addIntegration(tdb.db, { username: 'dispatch-110' });
  const [p] = await tdb.db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat
     FROM (SELECT ST_PointOnSurface(geom) AS p FROM communities ORDER BY id LIMIT 1) c`,
  );
  inside = { lon: Number(p!.lon), lat: Number(p!.lat) };
});

afterAll(async () => {
  await closeInstances(instances);
  await tdb?.dispose();
});

async function ingest(url: string, sourceIds: string[]) {
  const res = await fetch(`${url}/api/incidents/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(
      sourceIds.map((sourceId) => ({
        sourceId,
        time: '2026-06-30T02:00:00Z',
        category: 'traffic',
        ...inside,
      })),
    ),
  });
  expect(res.status).toBe(200);
}

it('wakes the streams of the other instance at once (NOTIFY), not at its next poll', async () => {
  const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
  const onB = collect<IncidentEvent>(b.url, b.cookie, 'incidents');
  const onA = collect<IncidentEvent>(a.url, a.cookie, 'incidents');
  await Promise.all([onB.started, onA.started]);
  // let both streams settle into their wait for the next wake-up
  await new Promise((r) => setTimeout(r, 300));
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    await ingest(a.url, [`N-${k}`]);
    await Promise.all([onB.until(k + 1), onA.until(k + 1)]);
    expect(performance.now() - t0).toBeLessThan(LIVE_POLL_MS / 5);
  }
  expect(onB.events.map((e) => e.data.sourceId)).toEqual(['N-0', 'N-1', 'N-2']);
  expect(onB.events.map((e) => e.id)).toEqual(onA.events.map((e) => e.id));
  onA.stop();
  onB.stop();
});

it('opens the LISTEN connection again when it is dropped, and wakes the other instance at once', async () => {
  const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
  const onB = collect<IncidentEvent>(b.url, b.cookie, 'incidents');
  await onB.started;
  /** the backends that LISTEN for incident events (one per instance) */
  const listeners = async () =>
    (
      await tdb.db.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = current_database() AND query LIKE 'LISTEN %' ORDER BY pid`,
      )
    ).map((r) => r.pid);
  const before = await listeners();
  expect(before).toHaveLength(2);
  await tdb.db.query(`SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid`, [before]);
  // both instances listen again, on new connections, well before their next poll
  const t0 = performance.now();
  let after = await listeners();
  while (after.length < 2 || after.some((pid) => before.includes(pid))) {
    expect(performance.now() - t0).toBeLessThan(LIVE_POLL_MS);
    await new Promise((r) => setTimeout(r, 50));
    after = await listeners();
  }
  // let the wake-up that follows a new connection pass
  await new Promise((r) => setTimeout(r, 300));
  const seen = onB.events.length;
  for (let k = 0; k < 3; k++) {
    const t1 = performance.now();
    await ingest(a.url, [`T-${k}`]);
    await onB.until(seen + k + 1);
    expect(performance.now() - t1).toBeLessThan(LIVE_POLL_MS / 5);
  }
  onB.stop();
  expect(onB.events.slice(seen).map((e) => e.data.sourceId)).toEqual(['T-0', 'T-1', 'T-2']);
});

it('sends a client that stays away 30 s and comes back to the other instance what it missed, once', async () => {
  const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
  const first = collect<IncidentEvent>(a.url, a.cookie, 'incidents');
  await first.started;
  await ingest(b.url, ['R-1', 'R-2']);
  await first.until(2);
  first.stop();
  const last = first.events[1]!.id;
  // while it is away (30 s), batches through both instances, and one unchanged (no event)
  const away = performance.now();
  const sent: string[] = [];
  for (let k = 0; performance.now() - away < 30_000; k++) {
    const ids = k % 3 === 2 ? [`R-w${k}`] : [`R-w${k}-a`, `R-w${k}-b`];
    await ingest(k % 2 ? a.url : b.url, ids);
    sent.push(...ids);
    if (k === 4) await ingest(a.url, ['R-2']);
    await new Promise((r) => setTimeout(r, 1_000));
  }
  expect(performance.now() - away).toBeGreaterThanOrEqual(30_000);
  const missed = (
    await tdb.db.query<{ id: string }>(`SELECT id FROM incident_events WHERE id > $1 ORDER BY id`, [
      last,
    ])
  ).map((r) => String(r.id));
  expect(missed).toHaveLength(sent.length);
  const back = collect<IncidentEvent>(b.url, b.cookie, 'incidents', last);
  await back.until(sent.length);
  await ingest(a.url, ['R-6']);
  await back.until(sent.length + 1);
  await new Promise((r) => setTimeout(r, 500));
  back.stop();
  expect(back.events.map((e) => e.data.sourceId)).toEqual([...sent, 'R-6']);
  expect(back.events.slice(0, -1).map((e) => e.id)).toEqual(missed);
  const ids = [...first.events, ...back.events].map((e) => Number(e.id));
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual([...ids].sort((x, y) => x - y));
}, 90_000);

it('counts the sign-in limit across both instances (last: it locks this address out)', async () => {
  const attempt = (url: string) =>
    fetch(`${url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trpc-source': 'test', origin: url },
      body: JSON.stringify({ username: 'leader', password: 'not-the-password-at-all' }),
    });
  // the two sign-ins of the set-up count too: 10 a minute from one address in all
  const statuses: number[] = [];
  for (let k = 0; k < 9; k++) statuses.push((await attempt(instances[k % 2]!.url)).status);
  // each instance saw at most six: alone, neither would refuse
  expect(statuses.slice(0, 8).every((s) => s === 401)).toBe(true);
  expect(statuses[8]).toBe(429);
  const refused = await attempt(instances[1]!.url);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
});
