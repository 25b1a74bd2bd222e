/**
 * Two instances behind nginx (Debian's), with the proxying of deploy/nginx/pingan-proxy.conf: a
 * user signs in through the proxy and is served by both instances with the one session; a plan
 * edit made on either instance reaches a live stream opened through the proxy at once (no
 * buffering); the sign-in rate limit counts the attempts made through the proxy at both, per
 * client address as the proxy forwards it (TRUST_PROXY). The TLS site of deploy/nginx/pingan.conf
 * (with a certificate made here) speaks HTTP/2: a client signs in, gets the Arrow file and its
 * 304, and reads a live stream over one connection, and the instances see https. And the backup
 * scripts of deploy/ restore a database as it was.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { openServer, type Database } from '../../server/db/database';
import { LIVE_POLL_MS } from '../../server/routers/live';
import { collect } from '../setup/liveStream';
import { adminQuery, databaseUrl } from '../setup/serverAdmin';
import { freePort, pointIn, square } from '../setup/net';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';
import { TEST_PASSWORD } from '../setup/template';
import { loginCookie, TEST_AUTH } from '../setup/testServer';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'pingan-proxy-'));

let tdb: TestDatabase;
let nginx: ChildProcess;
let proxy: string;
/** the TLS site (HTTP/2), its certificate, and the plain site that sends browsers there */
let tls: string;
let ca: string;
let redirect: string;
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

/**
 * deploy/nginx/pingan.conf as an operator installs it, with this test's instances, ports,
 * certificate and the proxying's path: each part replaced must be there.
 */
function deployedSite(tlsPort: number, redirectPort: number): string {
  let conf = readFileSync(path.join(ROOT, 'deploy/nginx/pingan.conf'), 'utf8');
  const swap = (from: RegExp | string, to: string) => {
    expect(conf, `deploy/nginx/pingan.conf holds ${String(from)}`).toMatch(from);
    conf = conf.replace(from, to);
  };
  swap('127.0.0.1:3001', instances[0]!.url.replace('http://', ''));
  swap('127.0.0.1:3002', instances[1]!.url.replace('http://', ''));
  swap(/listen 80;/, `listen 127.0.0.1:${redirectPort};`);
  swap(/listen 443 ssl http2;/, `listen 127.0.0.1:${tlsPort} ssl http2;`);
  // no IPv6 here
  swap(/\n\s*listen \[::\]:[^\n]*/g, '');
  swap(/ssl_certificate \S+;/, `ssl_certificate ${path.join(dir, 'fullchain.pem')};`);
  swap(/ssl_certificate_key \S+;/, `ssl_certificate_key ${path.join(dir, 'privkey.pem')};`);
  swap(
    'include snippets/pingan-proxy.conf;',
    `include ${path.join(ROOT, 'deploy/nginx/pingan-proxy.conf')};`,
  );
  return conf;
}

beforeAll(async () => {
  tdb = await openTestDatabase();
  const port = await freePort();
  proxy = `http://127.0.0.1:${port}`;
  const tlsPort = await freePort();
  tls = `https://127.0.0.1:${tlsPort}`;
  const redirectPort = await freePort();
  redirect = `http://127.0.0.1:${redirectPort}`;
  // a self-signed certificate for the proxy's address: the client trusts it as its CA
  execFileSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    path.join(dir, 'privkey.pem'),
    '-out',
    path.join(dir, 'fullchain.pem'),
  ]);
  ca = readFileSync(path.join(dir, 'fullchain.pem'), 'utf8');
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
      // as deployed: TLS=on (Secure cookies, HSTS) behind the proxy
      auth: { ...TEST_AUTH, secure: true },
      trustProxy: '127.0.0.1',
      publicOrigins: [proxy, tls],
    });
    // what the instance makes of a request: the scheme and client the proxy tells it
    app.get('/test/seen', async (req) => ({ protocol: req.protocol, ip: req.ip }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
    instances.push({ db, app, url, served });
  }
  // the deployment's TLS site, with this test's instances, ports and certificate
  writeFileSync(path.join(dir, 'pingan.conf'), deployedSite(tlsPort, redirectPort));
  // and the proxying alone on plain HTTP, for the tests that do not need TLS
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
  include ${path.join(dir, 'pingan.conf')};
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

/** One request on an HTTP/2 session: status, headers and body. */
function h2(
  session: http2.ClientHttp2Session,
  method: string,
  target: string,
  headers: Record<string, string> = {},
  body?: unknown,
) {
  return new Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: Buffer }>(
    (resolve, reject) => {
      const req = session.request({
        ':method': method,
        ':path': target,
        ...(body === undefined
          ? {}
          : { 'content-type': 'application/json', 'x-trpc-source': 'test', origin: tls }),
        ...headers,
      });
      const chunks: Buffer[] = [];
      let head: http2.IncomingHttpHeaders = {};
      req.on('response', (h) => (head = h));
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () =>
        resolve({ status: Number(head[':status']), headers: head, body: Buffer.concat(chunks) }),
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    },
  );
}

it('serves the TLS site over HTTP/2: sign-in, the Arrow file and a live stream on one connection', async () => {
  const session = http2.connect(tls, { ca });
  try {
    await new Promise<void>((resolve, reject) => {
      session.once('connect', () => resolve());
      session.once('error', reject);
    });
    expect(session.alpnProtocol).toBe('h2');
    const login = async (username: string) => {
      const res = await h2(
        session,
        'POST',
        '/trpc/auth.login',
        {},
        {
          username,
          password: TEST_PASSWORD,
        },
      );
      expect(res.status).toBe(200);
      const set = [res.headers['set-cookie'] ?? []].flat();
      // the instance was told it is served over TLS: its session cookie is Secure
      const token = set.find((c) => c.includes('session_token='))!;
      expect(token).toMatch(/^__Secure-/);
      expect(token).toMatch(/;\s*Secure/i);
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      return set
        .map((c) => c.split(';')[0] ?? '')
        .filter((c) => c && !c.endsWith('='))
        .join('; ');
    };
    // (the leader's account is locked by the sign-in attempts above)
    const viewer = await login('analyst');
    const planner = await login('planner');

    // each instance sees https and the client's address, from the proxy's headers only
    for (const i of instances) i.served.length = 0;
    for (let k = 0; k < 4; k++) {
      const seen = await h2(session, 'GET', '/test/seen');
      expect(JSON.parse(seen.body.toString())).toEqual({
        protocol: 'https',
        ip: '127.0.0.1',
      });
    }
    for (const i of instances) expect(i.served).toContain('/test/seen');

    // the Arrow file, and 304 to its ETag
    const q = `/api/incidents.arrow?${new URLSearchParams({
      from: '2026-06-01T00:00:00+08:00',
      to: '2026-07-01T00:00:00+08:00',
    })}`;
    const file = await h2(session, 'GET', q, { cookie: viewer });
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
    expect(tableFromIPC(new Uint8Array(file.body)).numRows).toBe(
      Number(file.headers['x-incident-count']),
    );
    const etag = String(file.headers.etag);
    expect(etag).toMatch(/^W\/"/);
    const again = await h2(session, 'GET', q, { cookie: viewer, 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.byteLength).toBe(0);

    // a live stream on the same connection; a plan edit made meanwhile reaches it
    const stream = session.request({
      ':method': 'GET',
      ':path': '/trpc/live.changes',
      accept: 'text/event-stream',
      cookie: viewer,
    });
    stream.setEncoding('utf8');
    let text = '';
    const waiters: { until: (t: string) => boolean; resolve: () => void }[] = [];
    stream.on('data', (c: string) => {
      text += c;
      for (const w of [...waiters]) if (w.until(text)) w.resolve();
    });
    const until = (f: (t: string) => boolean) =>
      f(text)
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ until: f, resolve }));
    const head = await new Promise<http2.IncomingHttpHeaders>((r) => stream.once('response', r));
    expect(head[':status']).toBe(200);
    expect(String(head['content-type'])).toMatch(/^text\/event-stream/);
    await until((t) => t.length > 0);
    await sleep(300);
    const c = await pointIn(tdb.db, 'towns');
    const made = await h2(
      session,
      'POST',
      '/trpc/zones.create',
      { cookie: planner },
      {
        geometry: square(c.lon, c.lat, 0.0015),
        name: '加密代理测试',
        unit: '巡逻一组',
        shift: 'night',
      },
    );
    expect(made.status).toBe(200);
    const id = (JSON.parse(made.body.toString()) as { result: { data: { id: number } } }).result
      .data.id;
    await until((t) => new RegExp(`"id":${id}\\b`).test(t));
    expect(text).toMatch(/"action":"create"/);
    stream.close();
  } finally {
    session.close();
  }
});

it('sends plain HTTP on to the TLS site', async () => {
  const res = await fetch(`${redirect}/desk?x=1`, { redirect: 'manual' });
  expect(res.status).toBe(301);
  expect(res.headers.get('location')).toBe('https://127.0.0.1/desk?x=1');
});
