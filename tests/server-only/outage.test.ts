/**
 * The server survives its PostgreSQL going away: requests fail fast with a clear 503 meanwhile,
 * health keeps answering, and everything works again once the database is back.
 * The database is reached through a loopback TCP relay that the test cuts and restores.
 */
import net from 'node:net';
import { TRPCClientError, type TRPCClient } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../server/app';
import { openServer, type Database } from '../../server/db/database';
import type { AppRouter } from '../../server/router';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';
import { clientFor, loginCookie } from '../setup/testServer';

class Relay {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  constructor(
    private target: { host: string; port: number },
    public port = 0,
  ) {}
  async up() {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
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
const warnings: string[] = [];

beforeAll(async () => {
  tdb = await openTestDatabase();
  const target = new URL(tdb.url!);
  relay = new Relay({ host: target.hostname, port: Number(target.port || 5432) });
  await relay.up();
  target.host = `127.0.0.1:${relay.port}`;
  db = openServer(target.toString(), (m) => warnings.push(m));
  app = await buildApp({ db, logLevel: 'silent', clientDir: '/nonexistent' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as net.AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
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
