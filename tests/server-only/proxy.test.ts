/**
 * Two instances behind nginx (Debian's), with the proxying of deploy/nginx/pingan-proxy.conf: a
 * user signs in through the proxy and is served by both instances with the one session; a plan
 * edit made on either instance reaches a live stream opened through the proxy at once (no
 * buffering); the sign-in rate limit counts the attempts made through the proxy at both, per
 * client address as the proxy forwards it (TRUST_PROXY). And the backup scripts of deploy/
 * restore a database as it was.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { openServer, type Database } from '../../server/db/database';
import { LIVE_POLL_MS } from '../../server/routers/live';
import { collect } from '../setup/liveStream';
import { adminQuery, databaseUrl } from '../setup/serverAdmin';
import { freePort, square } from '../setup/net';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';
import { TEST_PASSWORD } from '../setup/template';
import { loginCookie, TEST_AUTH } from '../setup/testServer';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'pingan-proxy-'));

let tdb: TestDatabase;
let nginx: ChildProcess;
let proxy: string;
const instances: { db: Database; app: FastifyInstance; url: string; served: string[] }[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A tRPC mutation sent to `base` as a browser on the public origin would send it. */
const post = (base: string, procedure: string, body: unknown, cookie?: string) =>
  fetch(`${base}/trpc/${procedure}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-trpc-source': 'test',
      origin: proxy,
      ...(cookie ? { cookie } : {}),
    },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  tdb = await openTestDatabase();
  const port = await freePort();
  proxy = `http://127.0.0.1:${port}`;
  for (let k = 0; k < 2; k++) {
    const db = openServer(tdb.url!, () => {});
    const served: string[] = [];
    const app = await buildApp({
      db,
      logLevel: 'info',
      // what each instance served, from its own request log
      logStream: {
        write: (line) => {
          const m = /"url":"([^"]+)"/.exec(line);
          if (m && line.includes('incoming request')) served.push(m[1]!);
        },
      },
      clientDir: '/nonexistent',
      auth: TEST_AUTH,
      trustProxy: '127.0.0.1',
      publicOrigins: [proxy],
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
    instances.push({ db, app, url, served });
  }
  // the deployment's proxying, with this test's instances as the upstream
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream pingan {
    ${instances.map((i) => `server ${i.url.replace('http://', '')};`).join('\n    ')}
    keepalive 8;
  }
  server {
    listen 127.0.0.1:${port};
    include ${path.join(ROOT, 'deploy/nginx/pingan-proxy.conf')};
  }
}
`,
  );
  nginx = spawn('nginx', ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'inherit' });
  for (let k = 0; ; k++) {
    const ok = await fetch(`${proxy}/trpc/system.health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (k > 100) throw new Error('nginx did not start');
    await sleep(100);
  }
}, 60_000);

afterAll(async () => {
  nginx?.kill('SIGTERM');
  for (const i of instances) {
    await i.app.close().catch(() => undefined);
    await i.db.close().catch(() => undefined);
  }
  await tdb?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

it('serves one signed-in user from both instances through the proxy', async () => {
  const cookie = await loginCookie(proxy, 'leader');
  for (const i of instances) i.served.length = 0;
  for (let k = 0; k < 12; k++) {
    const res = await fetch(`${proxy}/trpc/auth.me`, { headers: { cookie } });
    expect(res.status).toBe(200);
    const me = (await res.json()) as { result: { data: { username: string } } };
    expect(me.result.data.username).toBe('leader');
  }
  for (const i of instances)
    expect(i.served.filter((u) => u.startsWith('/trpc/auth.me')).length).toBeGreaterThan(0);
});

it('sends a plan edit made on either instance to a stream opened through the proxy at once', async () => {
  const viewer = await loginCookie(proxy, 'leader');
  const stream = collect<unknown>(proxy, viewer, 'changes');
  await stream.started;
  await sleep(300);
  // a small square inside the planner's town (the first town)
  const [c] = await tdb.db.query<{ x: number; y: number }>(
    `SELECT ST_X(p) AS x, ST_Y(p) AS y
     FROM (SELECT ST_PointOnSurface(geom) AS p FROM towns ORDER BY id LIMIT 1) t`,
  );
  const [x, y] = [Number(c!.x), Number(c!.y)];
  for (const [k, i] of instances.entries()) {
    // straight to the instance (as if through another proxy: the origin is the public one)
    const planner = await post(i.url, 'auth.login', {
      username: 'planner',
      password: TEST_PASSWORD,
    }).then((r) =>
      r.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; '),
    );
    const d = 0.002 + k * 0.001;
    const t0 = performance.now();
    const made = await post(
      i.url,
      'zones.create',
      {
        geometry: square(x, y, d),
        name: `代理测试${k}`,
        unit: '巡逻一组',
        shift: 'day',
      },
      planner,
    );
    expect(made.status).toBe(200);
    await stream.until(k + 1);
    // at once: not held in a proxy buffer until more arrives, nor left for a poll
    expect(performance.now() - t0).toBeLessThan(LIVE_POLL_MS / 3);
  }
  stream.stop();
});

it('counts sign-in attempts through the proxy at both instances, per forwarded address', async () => {
  const attempt = (from: string) =>
    fetch(`${proxy}/trpc/auth.login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-trpc-source': 'test',
        origin: proxy,
        // the client's address as an outer proxy says it; nginx appends its own peer
        'x-forwarded-for': from,
      },
      body: JSON.stringify({ username: 'leader', password: 'not-the-password-at-all' }),
    }).then((r) => r.status);
  for (const i of instances) i.served.length = 0;
  const statuses: number[] = [];
  for (let k = 0; k < 11; k++) statuses.push(await attempt('203.0.113.7'));
  expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
  expect(statuses[10]).toBe(429);
  // another client behind the same proxy is not refused with it
  expect(await attempt('203.0.113.8')).toBe(401);
  // the attempts went to both
  for (const i of instances)
    expect(i.served.filter((u) => u.startsWith('/trpc/auth.login')).length).toBeGreaterThan(0);
});

it('backs a server database up and restores it as it was (deploy/backup.sh, restore.sh)', async () => {
  const file = path.join(dir, 'pingan.dump');
  const env = { ...process.env, DATABASE_URL: tdb.url! };
  const count = async (db: Database) =>
    (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents'))[0]!.n;
  const before = await count(tdb.db);
  execFileSync('bash', [path.join(ROOT, 'deploy/backup.sh'), file], { env });
  await tdb.db.query('DELETE FROM incidents WHERE id % 2 = 0');
  expect(await count(tdb.db)).toBeLessThan(before);
  const name = `pingan_t_restore_${process.pid}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  try {
    execFileSync('bash', [path.join(ROOT, 'deploy/restore.sh'), file], {
      env: { ...env, DATABASE_URL: databaseUrl(name) },
    });
    const restored = openServer(databaseUrl(name), () => {});
    expect(await count(restored)).toBe(before);
    await restored.close();
  } finally {
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
});
