/** A heavy query must not hold up other requests: health answers while it runs. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

it('answers system.health while a heavy query is still running', async () => {
  let heavyDone = false;
  // a deliberately slow query on either database, whatever plan the statistics lead to: a
  // distance for every pair (ST_Distance uses no index), millions of them
  const heavy = s.db
    .query(
      `SELECT count(*) FROM incidents a CROSS JOIN incidents b
       WHERE a.id % 47 = 0 AND b.id % 43 = 0 AND ST_Distance(a.geom, b.geom) < 0.003`,
    )
    .then(() => {
      heavyDone = true;
    });
  // give the query time to start
  await new Promise((r) => setTimeout(r, 200));
  expect(heavyDone).toBe(false);
  const t0 = performance.now();
  const health = await s.client.system.health.query();
  const latency = performance.now() - t0;
  expect(health.status).toBe('ok');
  // the answer came back while the heavy query still held the database
  expect(heavyDone, `health took ${latency.toFixed(0)} ms`).toBe(false);
  await heavy;
});
