/**
 * The desk on the demo data for a browser benchmark: an embedded database seeded with the demo
 * (anchor 2026-06-30) in `dir`, the server serving the built client from `clientDir`, and the
 * leader's session cookies, as a signed-in user opening the dashboard has them.
 */
import path from 'node:path';
import { buildApp } from '../server/app';
import { openEmbedded } from '../server/db/database';
import { prepareDatabase } from '../server/db/open';

export interface DemoDesk {
  base: string;
  cookies: { name: string; value: string; url: string }[];
  close(): Promise<void>;
}

export async function startDemoDesk(dir: string, clientDir: string): Promise<DemoDesk> {
  const db = await openEmbedded(path.join(dir, 'db'));
  const password = 'bench-only-passphrase-2026';
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
  const signIn = await fetch(`${base}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-trpc-source': 'bench', origin: base },
    body: JSON.stringify({ username: 'leader', password }),
  });
  if (!signIn.ok) {
    await close();
    throw new Error(`demo desk: sign-in failed (HTTP ${signIn.status})`);
  }
  const cookies = signIn.headers.getSetCookie().map((c) => {
    const [name, ...value] = c.split(';')[0]!.split('=');
    return { name: name!, value: value.join('='), url: base };
  });
  return { base, cookies, close };
}
