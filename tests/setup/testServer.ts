/** Starts the real HTTP server on a loopback port over a test database, with a tRPC client. */
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app';
import type { Basemap } from '../../server/basemap';
import { readMeta } from '../../server/db/open';
import type { AppRouter } from '../../server/router';
import type { RankingConfig } from '../../server/services/rankingScore';
import { openTestDatabase, type TestDatabase } from './testDb';

export interface TestServer extends TestDatabase {
  app: FastifyInstance;
  /** http://127.0.0.1:PORT */
  url: string;
  client: TRPCClient<AppRouter>;
  close(): Promise<void>;
}

export async function startTestServer(
  opts: { clientDir?: string; basemap?: Basemap; ranking?: RankingConfig } = {},
): Promise<TestServer> {
  const tdb = await openTestDatabase();
  const app = await buildApp({
    db: tdb.db,
    meta: await readMeta(tdb.db),
    logLevel: 'silent',
    clientDir: opts.clientDir ?? '/nonexistent',
    basemap: opts.basemap,
    ranking: opts.ranking,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr !== 'object') throw new Error('server did not bind');
  const url = `http://127.0.0.1:${addr.port}`;
  const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: `${url}/trpc` })] });
  return {
    ...tdb,
    app,
    url,
    client,
    close: async () => {
      // the HTTP server may have been closed already by the test
      await app.close().catch(() => undefined);
      await tdb.dispose();
    },
  };
}
