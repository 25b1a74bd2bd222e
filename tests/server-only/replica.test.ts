/**
 * Heavy reads on a streaming replica (READ_DATABASE_URL): a real standby of the test server made
 * with pg_basebackup -R (tests/setup/replica.sh). The summaries are read from the replica (with
 * its replay paused, a new incident is not in them), from the primary once the replica is
 * further behind than allowed or stopped (and the health answer says so), and from the replica
 * again once it has caught up or is back.
 */
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { addIntegration } from '../../server/auth/tokens';
import { readRoute, type ReadRoute, type ReadsStatus } from '../../server/db/readReplica';
import { freePort } from '../setup/net';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';
import { loginCookie, TEST_AUTH } from '../setup/testServer';

const SCRIPT = fileURLToPath(new URL('../setup/replica.sh', import.meta.url));
const dir = path.join(os.tmpdir(), `pingan-replica-${process.pid}`);
const replicaSh = (...args: string[]) => execFileSync('bash', [SCRIPT, ...args, dir]);

/** The replica may be this far behind: room enough for other tests' writes on a busy server. */
const MAX_LAG_MS = 4_000;

let tdb: TestDatabase;
let reads: ReadRoute;
let app: FastifyInstance;
let url: string;
let cookie: string;
let token: string;
let replicaUrl: string;
let inside: { lon: number; lat: number };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs SQL on the replica itself. */
async function onReplica(sql: string) {
  const c = new pg.Client({ connectionString: replicaUrl });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  tdb = await openTestDatabase();
  token = await addIntegration(tdb.db, { username: 'dispatch-110' });
  const [p] = await tdb.db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat
     FROM (SELECT ST_PointOnSurface(geom) AS p FROM communities ORDER BY id LIMIT 1) c`,
  );
  inside = { lon: Number(p!.lon), lat: Number(p!.lat) };
  // the standby holds every database of the server, this test's too
  const port = await freePort();
  execFileSync('bash', [SCRIPT, 'create', dir, String(port)], { stdio: 'inherit' });
  const u = new URL(tdb.url!);
  u.port = String(port);
  replicaUrl = u.toString();
  reads = readRoute(tdb.db, replicaUrl, { maxLagMs: MAX_LAG_MS, checkMs: 150 });
  app = await buildApp({
    db: tdb.db,
    reads,
    logLevel: 'silent',
    clientDir: '/nonexistent',
    auth: TEST_AUTH,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
  cookie = await loginCookie(url, 'leader');
}, 120_000);

afterAll(async () => {
  await app?.close().catch(() => undefined);
  await reads?.close().catch(() => undefined);
  try {
    replicaSh('remove');
  } catch {
    // already gone
  }
  await tdb?.dispose();
});

const WINDOW = { from: '2026-06-30T00:00:00Z', to: '2026-07-01T00:00:00Z' };

/** The day's incidents as incidents.summary counts them, and where reads went, per health. */
async function dayCount(): Promise<number> {
  const input = encodeURIComponent(JSON.stringify({ ...WINDOW, groupBy: 'category' }));
  const res = await fetch(`${url}/trpc/incidents.summary?input=${input}`, { headers: { cookie } });
  expect(res.status).toBe(200);
  const rows = ((await res.json()) as { result: { data: { count: number }[] } }).result.data;
  return rows.reduce((n, r) => n + r.count, 0);
}

async function health(): Promise<ReadsStatus> {
  const res = await fetch(`${url}/trpc/system.health`);
  return ((await res.json()) as { result: { data: { reads: ReadsStatus } } }).result.data.reads;
}

async function until(what: (s: ReadsStatus) => boolean, timeoutMs = 20_000) {
  const t0 = Date.now();
  for (;;) {
    const s = await health();
    if (what(s)) return s;
    if (Date.now() - t0 > timeoutMs) throw new Error(`reads stayed ${JSON.stringify(s)}`);
    await sleep(100);
  }
}

/**
 * Once the replica is back within the lag allowed, reads go to it again, and the incidents
 * written meanwhile reach its answers as it replays them: `count` within a few seconds.
 */
async function backOnReplica(count: number) {
  const back = await until((s) => s.replica === 'ok');
  expect(back.readsFrom).toBe('replica');
  const t0 = Date.now();
  while ((await dayCount()) !== count && Date.now() - t0 < MAX_LAG_MS + 5_000) await sleep(100);
  expect(await dayCount()).toBe(count);
  expect((await health()).readsFrom).toBe('replica');
}

let ingested = 0;
async function ingestOne() {
  const res = await fetch(`${url}/api/incidents/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify([
      { sourceId: `R-${++ingested}`, time: '2026-06-30T02:00:00Z', category: 'traffic', ...inside },
    ]),
  });
  expect(res.status).toBe(200);
}

it('reads from the replica, and from the primary while it is too far behind', async () => {
  // caught up (other tests write to the same server meanwhile), so that the pause below leaves
  // nearly all the lag allowed before reads move to the primary
  await until((s) => s.replica === 'ok' && s.readsFrom === 'replica' && (s.lagS ?? 0) < 0.5);
  const before = await dayCount();
  await onReplica('SELECT pg_wal_replay_pause()');
  await ingestOne();
  // written on the primary, not yet replayed: the replica's answer does not have it
  expect(await dayCount()).toBe(before);
  const lagging = await until((s) => s.replica === 'lagging');
  expect(lagging.readsFrom).toBe('primary');
  // more than allowed, shown to a tenth of a second (4.04 s reads 4)
  expect(lagging.lagS).toBeGreaterThanOrEqual(MAX_LAG_MS / 1000);
  expect(await dayCount()).toBe(before + 1);
  await onReplica('SELECT pg_wal_replay_resume()');
  await backOnReplica(before + 1);
});

it('falls back to the primary while the replica is stopped, and returns to it when it is back', async () => {
  const before = await dayCount();
  replicaSh('stop');
  const away = await until((s) => s.replica === 'away');
  expect(away.readsFrom).toBe('primary');
  await ingestOne();
  expect(await dayCount()).toBe(before + 1);
  replicaSh('start');
  await backOnReplica(before + 1);
});
