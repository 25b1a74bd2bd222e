/**
 * Two server instances on one PostgreSQL database, each with its own connections and caches (as
 * separate processes would have): a write through one is seen by the other's cached answers at
 * once, since those are keyed by the data versions stored with the data. A plan edit on one
 * changes the other's what-if figures of the saved plan; an ingest on one gives the other's
 * Arrow file a new ETag and the new incident; the other's data span follows.
 */
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { addIntegration } from '../../server/auth/tokens';
import { closeInstances, startInstances, type Instance } from '../setup/instances';
import { addZoneInFirstTown, pointIn, zoneFigures } from '../setup/net';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';
import { clientFor, loginCookie } from '../setup/testServer';

let tdb: TestDatabase;
let instances: Instance[] = [];
let token: string;

const WINDOW = { from: '2026-06-01T00:00:00+08:00', to: '2026-07-01T00:00:00+08:00' };

beforeAll(async () => {
  tdb = await openTestDatabase();
  instances = await startInstances(tdb.url!);
  token = await addIntegration(tdb.db, { username: 'dispatch-110' });
});

afterAll(async () => {
  await closeInstances(instances);
  await tdb?.dispose();
});

const pair = () => instances as [(typeof instances)[0], (typeof instances)[0]];

it("changes the other instance's what-if figures of the saved plan with a plan edit", async () => {
  const [a, b] = pair();
  const evaluate = () => clientFor(b.url, b.cookie).plan.evaluate.query({});
  const first = await evaluate();
  // memoised on b now
  expect((await evaluate()).saved).toEqual(first.saved);
  const planner = clientFor(a.url, await loginCookie(a.url, 'planner'));
  await addZoneInFirstTown(tdb.db, planner, '两实例缓存');
  expect(zoneFigures(await evaluate())).not.toEqual(zoneFigures(first));
});

it("gives the other instance's Arrow file a new ETag with an ingest, and its data span", async () => {
  const [a, b] = pair();
  const arrow = (ifNoneMatch?: string) =>
    fetch(`${b.url}/api/incidents.arrow?${new URLSearchParams(WINDOW)}`, {
      headers: { cookie: b.cookie, ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}) },
    });
  const first = await arrow();
  const count = Number(first.headers.get('x-incident-count'));
  await first.arrayBuffer();
  const etag = first.headers.get('etag')!;
  expect((await arrow(etag)).status).toBe(304);
  const spanOnB = async () =>
    (await clientFor(b.url, b.cookie).system.health.query()).data.end ?? '';
  const end = await spanOnB();

  // through a: a call in the window, and one after the data's end
  const place = await pointIn(tdb.db, 'communities');
  const at = new Date(Date.parse(end) + 60_000).toISOString();
  const res = await fetch(`${a.url}/api/incidents/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify([
      { sourceId: 'TWO-1', time: '2026-06-30T02:00:00Z', category: 'traffic', ...place },
      { sourceId: 'TWO-2', time: at, category: 'traffic', ...place },
    ]),
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { counts: { created: number } }).counts.created).toBe(2);

  const after = await arrow(etag);
  expect(after.status).toBe(200);
  expect(after.headers.get('etag')).not.toBe(etag);
  await after.arrayBuffer();
  expect(Number(after.headers.get('x-incident-count'))).toBe(
    count + (Date.parse(at) < Date.parse(WINDOW.to) ? 2 : 1),
  );
  // health answers from memory and reads the versions again in the background (about a second)
  await vi.waitFor(
    async () => expect(Date.parse(await spanOnB())).toBeGreaterThan(Date.parse(at)),
    {
      timeout: 10_000,
      interval: 200,
    },
  );
});
