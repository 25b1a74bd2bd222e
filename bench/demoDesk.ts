/**
 * The desk for a browser benchmark: the demo data (anchor 2026-06-30) in an embedded database in
 * `dir`, or a server database (one filled by the scale part keeps its incidents; the demo accounts
 * are made sure of), the server serving the built client from `clientDir`, and the leader's
 * session cookies, as a signed-in user opening the dashboard has them.
 */
import path from 'node:path';
import { buildApp } from '../server/app';
import { openEmbedded, openServer, type Database } from '../server/db/database';
import { prepareDatabase } from '../server/db/open';
import { signIn } from './scale';

export interface DemoDesk {
  base: string;
  db: Database;
  cookies: { name: string; value: string; url: string }[];
  close(): Promise<void>;
}

export async function startDemoDesk(
  dir: string,
  clientDir: string,
  opts: { databaseUrl?: string; password?: string } = {},
): Promise<DemoDesk> {
  const db = opts.databaseUrl
    ? openServer(opts.databaseUrl, () => {})
    : await openEmbedded(path.join(dir, 'db'));
  const password = opts.password ?? 'bench-only-passphrase-2026';
  await prepareDatabase(
    db,
    { demo: true, seed: 'chengbei', anchor: '2026-06-30', demoPassword: password },
    () => {},
  );
  const app = await buildApp({ db, logLevel: 'silent', clientDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const close = async () => {
    await app.close();
    await db.close();
  };
  try {
    const cookies = (await signIn(base, 'leader', password)).split('; ').map((c) => {
      const [name, ...value] = c.split('=');
      return { name: name!, value: value.join('='), url: base };
    });
    return { base, db, cookies, close };
  } catch (err) {
    await close();
    throw err;
  }
}
