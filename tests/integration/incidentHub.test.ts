/**
 * The incident hub on its own: one read per wake-up, batches contiguous and in id order, the
 * same batch (one array) for every stream standing where it starts, the rest of a batch for one
 * standing inside it, and a read of its own from the table for a stream behind the kept window.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import { incidentsChanged, recordIncidentEvents } from '../../server/services/incidentEvents';
import { IncidentHub } from '../../server/services/incidentHub';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await openTestDatabase();
});
afterAll(async () => {
  await tdb?.dispose();
});

/** Writes `n` events in one transaction (as one feed batch does); returns their ids. */
async function write(n: number, first: number) {
  await tdb.db.transaction((tx) =>
    recordIncidentEvents(
      tx,
      Array.from({ length: n }, (_, k) => [first + k, 'removed'] as [number, 'removed']),
    ),
  );
  incidentsChanged(tdb.db);
}

const ids = async (after: number) =>
  (
    await tdb.db.query<{ id: string }>(`SELECT id FROM incident_events WHERE id > $1 ORDER BY id`, [
      after,
    ])
  ).map((r) => Number(r.id));

/** Everything after `from`, one batch at a time, as a stream takes it. */
async function drain(hub: IncidentHub, from: number, joined = false) {
  const got: number[] = [];
  let at = from;
  for (;;) {
    const b = await hub.after(at, joined);
    if (!b) return got;
    expect(b.after).toBe(at);
    expect(b.events.map((e) => e.eventId)).toEqual(
      [...b.events.map((e) => e.eventId)].sort((x, y) => x - y),
    );
    expect(b.events.at(-1)!.eventId).toBe(b.last);
    got.push(...b.events.map((e) => e.eventId));
    at = b.last;
  }
}

it('shares batches, slices one, and reads a stream behind the window from the table', async () => {
  await write(5, 1000);
  const hub = new IncidentHub(tdb.db, 60_000, 2);
  const start = await hub.head();
  expect(start).toBe((await ids(0)).at(-1));
  expect(await hub.after(start, true)).toBeNull();

  for (let k = 0; k < 4; k++) {
    await write(3, 2000 + 10 * k);
    await hub.refresh();
  }
  const fresh = await ids(start);
  expect(fresh).toHaveLength(12);
  expect(hub.isPast(start)).toBe(true);
  // only the two latest batches are kept: the two before them are read from the table
  const behind = fresh[5]!;
  const a = await hub.after(behind, true);
  const b = await hub.after(behind, true);
  expect(a).toBe(b);
  expect(a!.events.map((e) => e.eventId)).toEqual(fresh.slice(6, 9));
  // inside a batch: the rest of it
  const inside = await hub.after(fresh[7]!, true);
  expect(inside!.events.map((e) => e.eventId)).toEqual([fresh[8]]);
  // behind the window: its own read, up to the hub's head and no further
  expect(await drain(hub, 0, true)).toEqual(await ids(0));
  expect(await drain(hub, start, true)).toEqual(fresh);
  expect(await drain(hub, fresh[1]!, true)).toEqual(fresh.slice(2));
  // a stream that resumes reads from the table until it reaches the head, even within the window
  const resumed = await hub.after(behind, false);
  expect(resumed).not.toBe(a);
  expect(resumed!.events.map((e) => e.eventId)).toEqual(fresh.slice(6));
});

it('reads once for wake-ups that come while it reads, and misses none of them', async () => {
  // the database as the hub sees it, counting its reads of new events (woken by hand here)
  let reads = 0;
  const counted = Object.create(tdb.db) as Database;
  counted.query = <T>(text: string, params?: unknown[]) => {
    if (text.includes('FROM incident_events WHERE id >')) reads++;
    return tdb.db.query<T>(text, params);
  };
  counted.listen = undefined;
  const hub = new IncidentHub(counted, 60_000);
  const start = await hub.head();
  await write(2, 3000);
  await Promise.all(Array.from({ length: 20 }, () => hub.refresh()));
  // the first read, one more for the wake-ups during it, and one each that found nothing more
  expect(reads).toBeLessThanOrEqual(4);
  // batches written while it reads, each with its wake-up
  await Promise.all(
    Array.from({ length: 6 }, (_, k) => write(4, 4000 + 10 * k).then(() => hub.refresh())),
  );
  await hub.refresh();
  expect(await drain(hub, start, true)).toEqual(await ids(start));
});
