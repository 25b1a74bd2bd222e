/**
 * The server the ingest benchmark (bench/ingest.ts) measures, in a process of its own so that
 * its memory is the server's alone: opens the database named on the command line (a directory:
 * embedded; a postgres:// URL: the server) and fills it with the demo data. With `seed` it then
 * ends (so that the server measured next starts on a filled database, as a deployment does);
 * with `serve` it adds an integration account, listens on 127.0.0.1 and tells its parent the
 * port, the API token and sample points inside the district, and answers `memory` (after a full
 * collection) and `stop`.
 */
import { buildApp } from '../server/app';
import { addIntegration } from '../server/auth/tokens';
import { openEmbedded, openServer } from '../server/db/database';
import { prepareDatabase } from '../server/db/open';

export type ServerMessage =
  | { kind: 'seeded'; ms: number }
  | { kind: 'ready'; port: number; token: string; points: [number, number][] }
  | { kind: 'memory'; rss: number; heapUsed: number }
  | { kind: 'failed'; message: string };
export type ParentMessage = { kind: 'memory' } | { kind: 'stop' };

const [mode, target, password, seed] = process.argv.slice(2) as [
  'seed' | 'serve',
  string,
  string,
  string,
];
const send = (m: ServerMessage) => process.send!(m);

try {
  const db = /^postgres(ql)?:\/\//.test(target)
    ? await openServer(target, () => {})
    : await openEmbedded(target);
  const t0 = performance.now();
  await prepareDatabase(
    db,
    {
      demo: true,
      seed: 'chengbei',
      anchor: '2026-06-30',
      incidents: seed === 'demo' ? undefined : Number(seed),
      demoPassword: password,
    },
    () => {},
  );
  if (mode === 'seed') {
    send({ kind: 'seeded', ms: performance.now() - t0 });
    await db.close();
    process.exit(0);
  }
  const token = await addIntegration(db, { username: `bench-feed-${process.pid}` });
  // fixed sample points inside the district, spread over it
  const rows = await db.query<{ x: number; y: number }>(
    `SELECT ST_X(p.geom) AS x, ST_Y(p.geom) AS y
     FROM district d, ST_Dump(ST_GeneratePoints(d.geom, 2000, 1)) p`,
  );
  const app = await buildApp({
    db,
    logLevel: 'silent',
    clientDir: '/nonexistent',
    // a feed posting several times a second and a hundred desks signing in
    limits: { login: 10_000, api: 1_000_000 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  send({
    kind: 'ready',
    port: (app.server.address() as { port: number }).port,
    token,
    points: rows.map((r) => [Number(r.x), Number(r.y)]),
  });
  process.on('message', async (m: ParentMessage) => {
    if (m.kind === 'memory') {
      // twice: a first pass may only queue finalisers
      global.gc?.();
      global.gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      send({ kind: 'memory', rss, heapUsed });
    } else if (m.kind === 'stop') {
      await app.close();
      await db.close();
      process.exit(0);
    }
  });
} catch (err) {
  send({ kind: 'failed', message: (err as Error).stack ?? String(err) });
  process.exit(1);
}
