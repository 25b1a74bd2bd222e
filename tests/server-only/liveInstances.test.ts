/**
 * Two server instances on one PostgreSQL server: an incident ingested through one reaches the
 * live streams of the other well within the poll interval (a NOTIFY wakes it: each instance has
 * its own database connection pool and wake-ups, as separate processes would), and a client
 * that drops its stream and comes back to the other instance is sent what it missed, once.
 */
import type net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { addIntegration } from '../../server/auth/tokens';
import { openServer, type Database } from '../../server/db/database';
import { LIVE_POLL_MS } from '../../server/routers/live';
import type { IncidentEvent } from '../../server/services/incidentEvents';
import { collect } from '../setup/liveStream';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';
import { loginCookie, TEST_AUTH } from '../setup/testServer';

let tdb: TestDatabase;
const instances: { db: Database; app: FastifyInstance; url: string; cookie: string }[] = [];
let token: string;
let inside: { lon: number; lat: number };

beforeAll(async () => {
  tdb = await openTestDatabase();
  for (let k = 0; k < 2; k++) {
    const db = openServer(tdb.url!, () => {});
    const app = await buildApp({
      db,
      logLevel: 'silent',
      clientDir: '/nonexistent',
      auth: TEST_AUTH,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
    instances.push({ db, app, url, cookie: await loginCookie(url, 'leader') });
  }
  token = await addIntegration(tdb.db, { username: 'dispatch-110' });
  const [p] = await tdb.db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat
     FROM (SELECT ST_PointOnSurface(geom) AS p FROM communities ORDER BY id LIMIT 1) c`,
  );
  inside = { lon: Number(p!.lon), lat: Number(p!.lat) };
});

afterAll(async () => {
  for (const i of instances) {
    await i.app.close().catch(() => undefined);
    await i.db.close().catch(() => undefined);
  }
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

it('sends a client that comes back to the other instance what it missed, once', async () => {
  const [a, b] = instances as [(typeof instances)[0], (typeof instances)[0]];
  const first = collect<IncidentEvent>(a.url, a.cookie, 'incidents');
  await first.started;
  await ingest(b.url, ['R-1', 'R-2']);
  await first.until(2);
  first.stop();
  // while it is away, batches through both instances
  await ingest(a.url, ['R-3']);
  await ingest(b.url, ['R-4', 'R-5']);
  await ingest(a.url, ['R-2']); // unchanged: no event
  const back = collect<IncidentEvent>(b.url, b.cookie, 'incidents', first.events[1]!.id);
  await back.until(3);
  await ingest(a.url, ['R-6']);
  await back.until(4);
  await new Promise((r) => setTimeout(r, 500));
  back.stop();
  expect(back.events.map((e) => e.data.sourceId)).toEqual(['R-3', 'R-4', 'R-5', 'R-6']);
  const ids = [...first.events, ...back.events].map((e) => Number(e.id));
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids).toEqual([...ids].sort((x, y) => x - y));
});
