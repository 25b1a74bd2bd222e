/**
 * The server survives its PostgreSQL going away: requests fail fast with a clear 503 meanwhile,
 * health keeps answering, and everything works again once the database is back. A database that
 * goes silent (a network partition: no error, no answer) is found by a probe and given up on,
 * with 503s and no 500s at recovery; a statement running past the statement timeout is a 503 too.
 * The database is reached through a loopback TCP relay that the test cuts, silences and restores.
 */
import net from 'node:net';
import pg from 'pg';
import { TRPCClientError, type TRPCClient } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { IngestAnswer } from '../../domain/ingest';
import { buildApp } from '../../server/app';
import { addIntegration } from '../../server/auth/tokens';
import { openServer, type Database } from '../../server/db/database';
import type { AppRouter } from '../../server/router';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';
import { clientFor, loginCookie } from '../setup/testServer';

class Relay {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  /** silent: connections are accepted and kept, and nothing passes either way */
  private silent = false;
  /** the text of a statement that cuts every connection before it reaches the database */
  private cutAt: string | null = null;
  constructor(
    private target: { host: string; port: number },
    public port = 0,
  ) {}
  async up() {
    this.server = net.createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => client.destroy());
      if (this.silent) return;
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      // before the pipe, so that the statement never passes
      client.on('data', (chunk: Buffer) => {
        if (this.cutAt && chunk.includes(this.cutAt)) {
          this.cutAt = null;
          for (const s of this.sockets) s.destroy();
        }
      });
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }
  /** The next statement carrying `text` cuts every connection, mid-transaction. */
  cutOn(text: string) {
    this.cutAt = text;
  }
  /** Everything in flight and to come goes unanswered, without any error. */
  silence() {
    this.silent = true;
    for (const s of this.sockets) {
      s.unpipe();
      s.pause();
    }
  }
  /** Back: new connections pass again; the silenced ones end. */
  restore() {
    this.silent = false;
    for (const s of this.sockets) s.destroy();
  }
  async down() {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = null;
  }
}

let tdb: TestDatabase;
let relay: Relay;
let db: Database;
let app: FastifyInstance;
let client: TRPCClient<AppRouter>;
let url: string;
const warnings: string[] = [];

beforeAll(async () => {
  tdb = await openTestDatabase();
  const target = new URL(tdb.url!);
  relay = new Relay({ host: target.hostname, port: Number(target.port || 5432) });
  await relay.up();
  target.host = `127.0.0.1:${relay.port}`;
  // a short statement timeout, so that the test does not wait long for it; a query timeout past
  // the test's own: only the probe of a silent server can end those waits in time
  db = openServer(target.toString(), (m) => warnings.push(m), {
    statementMs: 1000,
    queryMs: 120_000,
    connectMs: 1000,
  });
  app = await buildApp({ db, logLevel: 'silent', clientDir: '/nonexistent' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as net.AddressInfo).port;
  url = `http://127.0.0.1:${port}`;
  client = clientFor(url, await loginCookie(url, 'leader'));
});

afterAll(async () => {
  await app?.close();
  await db?.close().catch(() => undefined);
  await relay?.down();
  await tdb?.dispose();
});

it('fails fast with 503 while the database is away and recovers when it is back', async () => {
  expect((await client.regions.towns.query()).features).toHaveLength(6);

  await relay.down();
  const t0 = performance.now();
  const err = await client.regions.towns.query().then(
    () => null,
    (e: unknown) => e,
  );
  const failedIn = performance.now() - t0;
  expect(err).toBeInstanceOf(TRPCClientError);
  const e = err as TRPCClientError<AppRouter>;
  expect(e.data?.code).toBe('SERVICE_UNAVAILABLE');
  expect(e.data?.httpStatus).toBe(503);
  expect(e.message).toMatch(/database is unavailable/);
  // fast: well inside the pool's 3 s connection timeout (a refused connection fails at once)
  expect(failedIn, `failed after ${failedIn.toFixed(0)} ms`).toBeLessThan(3000);
  expect((await client.system.health.query()).status).toBe('ok');

  await relay.up();
  expect((await client.regions.towns.query()).features).toHaveLength(6);
  expect((await client.regions.communities.query()).features).toHaveLength(79);
});

it('gives up on a silent database with 503s, and answers again at recovery without 500s', async () => {
  expect((await client.regions.towns.query()).features).toHaveLength(6);
  relay.silence();
  const codes = await Promise.all(
    Array.from({ length: 4 }, () =>
      client.regions.communities.query().then(
        () => 'ok',
        (e: unknown) => (e as TRPCClientError<AppRouter>).data?.code,
      ),
    ),
  );
  expect(codes).toEqual(Array(4).fill('SERVICE_UNAVAILABLE'));
  expect((await client.system.health.query()).status).toBe('ok');

  relay.restore();
  // answers come back once a probe gets through; until then 503, never 500
  const seen = new Set<string | undefined>();
  await vi.waitFor(
    async () => {
      const codes = await Promise.all(
        Array.from({ length: 3 }, () =>
          client.regions.towns.query().then(
            () => 'ok',
            (e: unknown) => (e as TRPCClientError<AppRouter>).data?.code,
          ),
        ),
      );
      for (const c of codes) seen.add(c);
      expect(codes).toEqual(['ok', 'ok', 'ok']);
    },
    { timeout: 20_000, interval: 200 },
  );
  seen.delete('ok');
  seen.delete('SERVICE_UNAVAILABLE');
  expect([...seen]).toEqual([]);
  expect((await client.regions.towns.query()).features).toHaveLength(6);
});

it('answers 503 for a statement that runs past the statement timeout', async () => {
  // another session holds the table: the query waits on its lock until the timeout cancels it
  const holder = new pg.Client({ connectionString: tdb.url });
  await holder.connect();
  try {
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE disputes IN ACCESS EXCLUSIVE MODE');
    const err = await client.disputes.summary.query({}).then(
      () => null,
      (e: unknown) => e as TRPCClientError<AppRouter>,
    );
    expect(err?.data?.code).toBe('SERVICE_UNAVAILABLE');
    expect(err?.message).toMatch(/took too long/);
    expect(err?.message).not.toMatch(/cancel|statement|57014/);
  } finally {
    await holder.query('ROLLBACK');
    await holder.end();
  }
  await expect(client.disputes.summary.query({})).resolves.toHaveProperty('registered');
});

it('leaves nothing of an ingest batch cut by an outage, and a retry lands it once', async () => {
  const token = await addIntegration(tdb.db, { username: 'dispatch-110' });
  const [p] = await tdb.db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat
     FROM (SELECT ST_PointOnSurface(geom) AS p FROM communities ORDER BY id LIMIT 1) c`,
  );
  const records = Array.from({ length: 300 }, (_, i) => ({
    sourceId: `OUT-${i}`,
    time: '2026-06-30T02:00:00Z',
    category: i % 2 ? '交通' : 'criminal',
    lon: Number(p!.lon),
    lat: Number(p!.lat),
  }));
  const send = () =>
    fetch(`${url}/api/incidents/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(records),
    });
  const stored = async () =>
    (
      await tdb.db.query<{ incidents: number; events: number }>(
        `SELECT (SELECT count(*)::int FROM incidents WHERE source_id LIKE 'OUT-%') AS incidents,
                (SELECT count(*)::int FROM incident_events) AS events`,
      )
    )[0]!;
  const before = await stored();
  expect(before.incidents).toBe(0);

  // the incidents are written; the connection goes before their events are
  relay.cutOn('INSERT INTO incident_events');
  const cut = await send();
  expect(cut.status).toBe(503);
  expect(await cut.json()).toEqual({ error: 'the database is unavailable; try again shortly' });
  expect(await stored()).toEqual(before);

  // the sender retries until the database answers: each record lands once
  let answer: IngestAnswer | undefined;
  await vi.waitFor(
    async () => {
      const res = await send();
      expect(res.status).toBe(200);
      answer = (await res.json()) as IngestAnswer;
    },
    { timeout: 20_000, interval: 250 },
  );
  expect(answer!.counts).toMatchObject({ created: 300, rejected: 0 });
  expect(await stored()).toEqual({ incidents: 300, events: before.events + 300 });
  const again = (await (await send()).json()) as IngestAnswer;
  expect(again.counts).toMatchObject({ unchanged: 300 });
  expect(await stored()).toEqual({ incidents: 300, events: before.events + 300 });
});
