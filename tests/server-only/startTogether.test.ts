/**
 * Two instances started at once on an empty server database: the schema is migrated once, the
 * demo data stored once and the demo accounts made once, and both instances go on to serve it
 * (before, the second died on a duplicate key). Each instance has its own connection pool, as
 * separate processes would.
 */
import { afterAll, expect, it } from 'vitest';
import { DEMO_USERS } from '../../server/auth/accounts';
import { openServer } from '../../server/db/database';
import { prepareDatabase } from '../../server/db/open';
import { adminQuery, databaseUrl } from '../setup/serverAdmin';

const name = `pingan_t_start_${process.pid}_${Date.now().toString(36)}`;

afterAll(async () => {
  await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
});

it('two instances starting together on an empty database migrate and seed it once', async () => {
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = databaseUrl(name);
  const logs: string[][] = [[], []];
  const dbs = [0, 1].map(() => openServer(url, () => {}));
  try {
    const statuses = await Promise.all(
      dbs.map((db, k) =>
        prepareDatabase(
          db,
          {
            demo: true,
            seed: 'chengbei',
            anchor: '2026-06-30',
            incidents: 3_000,
            demoPassword: 'start-together-pw',
          },
          (m) => logs[k]!.push(m),
        ),
      ),
    );
    // both serve the same data
    expect(statuses[0]).toEqual(statuses[1]);
    const [counts] = await dbs[1]!.query<{
      district: number;
      incidents: number;
      users: number;
      migrations: number;
    }>(
      `SELECT (SELECT count(*)::int FROM district) AS district,
              (SELECT count(*)::int FROM incidents) AS incidents,
              (SELECT count(*)::int FROM users) AS users,
              (SELECT count(*)::int FROM drizzle.__drizzle_migrations) AS migrations`,
    );
    expect(counts!.district).toBe(1);
    expect(counts!.incidents).toBe(3_000);
    expect(counts!.users).toBe(DEMO_USERS.length);
    // one of them stored the data (the other found it stored, or waited for it)
    expect(logs.filter((l) => l.some((m) => m.startsWith('demo data stored')))).toHaveLength(1);
    // each migration applied once, by one or the other (they take turns, migration by migration)
    const applied = logs.flatMap((l) => l.map((m) => /applied (\d+) migration/.exec(m)?.[1]));
    expect(applied.reduce((sum, n) => sum + Number(n ?? 0), 0)).toBe(counts!.migrations);
    for (const db of dbs) {
      const [u] = await db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM users WHERE username = 'leader'`,
      );
      expect(u!.n).toBe(1);
    }
  } finally {
    await Promise.all(dbs.map((db) => db.close()));
  }
}, 180_000);
