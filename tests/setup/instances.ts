/** Server instances of the app on one server database, each with its own connections. */
import type net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app';
import { openServer, type Database } from '../../server/db/database';
import { loginCookie, TEST_AUTH } from './testServer';

export interface Instance {
  db: Database;
  app: FastifyInstance;
  url: string;
  /** the leader's session cookie on it */
  cookie: string;
}

/** Starts `n` instances on the database at `url`, each listening on a loopback port. */
export async function startInstances(url: string, n = 2): Promise<Instance[]> {
  const out: Instance[] = [];
  for (let k = 0; k < n; k++) {
    const db = openServer(url, () => {});
    const app = await buildApp({
      db,
      logLevel: 'silent',
      clientDir: '/nonexistent',
      auth: TEST_AUTH,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const at = `http://127.0.0.1:${(app.server.address() as net.AddressInfo).port}`;
    out.push({ db, app, url: at, cookie: await loginCookie(at, 'leader') });
  }
  return out;
}

export async function closeInstances(instances: Instance[]) {
  for (const i of instances) {
    await i.app.close().catch(() => undefined);
    await i.db.close().catch(() => undefined);
  }
}
