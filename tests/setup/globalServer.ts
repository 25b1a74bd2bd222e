/** Builds the migrated, seeded template database on the real server once; test files clone it. */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openServer } from '../../server/db/database';
import { prepareDatabase } from '../../server/db/open';
import { ROOT, TEST_ANCHOR, TEST_PASSWORD, TEST_SEED, templateKey } from './template';
import { adminQuery, databaseUrl } from './serverAdmin';

export default async function setup(project: TestProject) {
  // one template per checkout: several checkouts may test against one server at once
  const checkout = createHash('sha256').update(ROOT).digest('hex').slice(0, 6);
  const name = `pingan_tpl_${checkout}_${templateKey()}`;
  const exists = await adminQuery<{ ok: boolean }>(
    `SELECT true AS ok FROM pg_database WHERE datname = $1`,
    [name],
  );
  const ready =
    exists.length > 0 &&
    (await (async () => {
      const c = new pg.Client({ connectionString: databaseUrl(name) });
      await c.connect();
      try {
        const r = await c.query(`SELECT value FROM app_meta WHERE key = 'data.source'`);
        return r.rowCount === 1;
      } catch {
        return false;
      } finally {
        await c.end();
      }
    })());
  if (!ready) {
    await adminQuery(`DROP DATABASE IF EXISTS ${name}`);
    await adminQuery(`CREATE DATABASE ${name}`);
    const log = (m: string) => console.log(`[test db server] ${m}`);
    const db = openServer(databaseUrl(name), log);
    await prepareDatabase(
      db,
      { demo: true, seed: TEST_SEED, anchor: TEST_ANCHOR, demoPassword: TEST_PASSWORD },
      log,
    );
    await db.close();
  }
  // this checkout's templates of earlier schemas or generators are of no more use
  const stale = await adminQuery<{ datname: string }>(
    `SELECT datname FROM pg_database
      WHERE (datname LIKE $1 OR datname ~ '^pingan_tpl_[0-9a-f]{12}$') AND datname <> $2`,
    [`pingan\\_tpl\\_${checkout}\\_%`, name],
  );
  for (const { datname } of stale)
    await adminQuery(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  project.provide('serverTemplate', name);
}
