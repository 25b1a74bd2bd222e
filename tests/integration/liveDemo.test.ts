/**
 * The live demo (DEMO_LIVE) sped up: simulated calls arrive through the feed's ingest path as
 * `demo-110`, exactly as its schedule says, move on through their statuses, one audit row per
 * batch; a restarted simulator sends the same calls again and duplicates nothing; stopping it
 * (or closing the app) leaves nothing running.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestAnswer } from '../../domain/ingest';
import { buildApp } from '../../server/app';
import { dataStatus } from '../../server/dataset/status';
import { callsBetween, createLiveModel, LIVE_SOURCE, type LiveModel } from '../../server/demo/live';
import { createRng } from '../../server/demo/random';
import { buildRegions } from '../../server/demo/regions';
import { loadDistrict } from '../../server/demo/sourceData';
import { categoryTable } from '../../server/services/ingest';
import { startLiveDemo } from '../../server/services/liveDemo';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';

const RATE = 600;
/** an evening after the test data's end (anchor 2026-06-30) */
const BASE = Date.parse('2026-07-01T19:00:00+08:00');

let t: TestDatabase;
let model: LiveModel;

/** A clock running from BASE at real speed that remembers its calls. */
function clock(start = BASE) {
  const t0 = performance.now();
  const c = {
    calls: 0,
    /** the first and the last instant it told */
    first: NaN,
    last: 0,
    now: () => {
      c.calls++;
      c.last = start + Math.round(performance.now() - t0);
      if (c.calls === 1) c.first = c.last;
      return c.last;
    },
  };
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, test: () => Promise<boolean>, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

const stored = () =>
  t.db
    .query<{ source_id: string; status: string; category: string }>(
      `SELECT source_id, status, category FROM incidents WHERE source = $1`,
      [LIVE_SOURCE],
    )
    .then((rows) => new Map(rows.map((r) => [r.source_id, r])));
const cancelledIds = () =>
  t.db
    .query<{ source_id: string }>(
      `SELECT source_id FROM incident_cancellations WHERE source = $1`,
      [LIVE_SOURCE],
    )
    .then((rows) => new Set(rows.map((r) => r.source_id)));
const auditRows = () =>
  t.db
    .query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'incidents.ingest' AND username = $1`,
      [LIVE_SOURCE],
    )
    .then((r) => r[0]!.n);

/** The stored calls and cancellations are exactly what the schedule says of [since, to). */
async function expectSchedule(since: number, to: number) {
  const calls = callsBetween(model, since, to);
  const want = new Map<string, string>();
  const wantCancelled = new Set<string>();
  for (const c of calls) {
    const step = c.steps.filter((s) => s.at < to).at(-1)!;
    if (step.status === 'cancelled') wantCancelled.add(c.sourceId);
    else want.set(c.sourceId, step.status);
  }
  const got = await stored();
  expect(new Map([...got].map(([k, r]) => [k, r.status]))).toEqual(want);
  expect(await cancelledIds()).toEqual(wantCancelled);
  return calls;
}

beforeAll(async () => {
  t = await openTestDatabase();
  const seed = (await dataStatus(t.db)).seed!;
  model = createLiveModel(
    seed,
    buildRegions(loadDistrict().geom, createRng(seed, 'regions')),
    RATE,
  );
});
afterAll(async () => {
  await t?.dispose();
});

describe('the live demo', () => {
  let since = 0;
  let firstTo = 0;
  const answers: IngestAnswer[] = [];

  it('sends the scheduled calls through ingest as demo-110 and moves them on', async () => {
    const c = clock();
    const live = startLiveDemo(t.db, categoryTable(), {
      rate: RATE,
      now: c.now,
      tickMs: 150,
      backfillMs: 5_000,
      onBatch: (a) => answers.push(a),
    });
    since = c.first - 5_000;
    expect(await live.started).toBe(true);
    await until('calls that moved on to closed', async () => {
      const rows = [...(await stored()).values()];
      return rows.length >= 15 && rows.some((r) => r.status === 'closed');
    });
    await live.stop();
    firstTo = c.last;
    // nothing runs any more: the clock is not read again, no batch is sent
    const calls = c.calls;
    const batches = answers.length;
    await sleep(500);
    expect(c.calls).toBe(calls);
    expect(answers.length).toBe(batches);

    const sent = await expectSchedule(since, firstTo);
    expect(sent.length).toBeGreaterThanOrEqual(15);
    const statuses = new Set([...(await stored()).values()].map((r) => r.status));
    expect(statuses.has('closed')).toBe(true);
    expect(answers.some((a) => a.counts.created > 0)).toBe(true);
    expect(answers.some((a) => a.counts.updated > 0)).toBe(true);
    expect(answers.every((a) => a.counts.rejected === 0 && a.counts.outside === 0)).toBe(true);
    // one audit row per batch, under the system actor demo-110
    expect(await auditRows()).toBe(answers.length);
    // each change an event: at least one created and one updated per call that moved on
    const [{ n } = { n: 0 }] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM incident_events e JOIN incidents i ON i.id = e.incident_id
       WHERE i.source = $1 AND e.action = 'updated'`,
      [LIVE_SOURCE],
    );
    expect(n).toBeGreaterThan(0);
  });

  it('restarted, sends the same calls again and duplicates none of them', async () => {
    const before = await stored();
    expect(before.size).toBeGreaterThan(0);
    const restart: IngestAnswer[] = [];
    // the clock goes on from where it stopped; the back-fill reaches back over the first run
    const c = clock(firstTo);
    const live = startLiveDemo(t.db, categoryTable(), {
      rate: RATE,
      now: c.now,
      tickMs: 150,
      backfillMs: firstTo - since + 2_000,
      onBatch: (a) => restart.push(a),
    });
    const since2 = c.first - (firstTo - since + 2_000);
    expect(await live.started).toBe(true);
    await until('a batch after the restart', async () => restart.length >= 3);
    await live.stop();

    // the first batch re-sent the calls already stored: none of them created again
    const first = restart[0]!;
    const again = first.results.filter((r) => before.has(r.sourceId!));
    expect(again.length).toBeGreaterThan(0);
    for (const r of again) expect(r.outcome, r.sourceId!).not.toBe('created');
    expect(again.filter((r) => r.outcome === 'unchanged').length).toBeGreaterThan(0);
    // and the whole is still exactly the schedule: each call once
    await expectSchedule(since2, c.last);
    const [{ n } = { n: 0 }] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM incidents WHERE source = $1`,
      [LIVE_SOURCE],
    );
    expect(n).toBe((await stored()).size);
  });

  it('never back-fills into the generated history', async () => {
    const end = Date.parse((await dataStatus(t.db)).coverageEnd!);
    const c = clock(end + 3_000);
    let batches = 0;
    const live = startLiveDemo(t.db, categoryTable(), {
      rate: RATE,
      now: c.now,
      tickMs: 150,
      backfillMs: 120_000,
      onBatch: () => batches++,
    });
    expect(await live.started).toBe(true);
    await until('a batch after the history', async () => batches > 0);
    await live.stop();
    const [r] = await t.db.query<{ before: number; after: number }>(
      `SELECT count(*) FILTER (WHERE time < $2)::int AS before,
              count(*) FILTER (WHERE time >= $2 AND time < $3)::int AS after
       FROM incidents WHERE source = $1`,
      [LIVE_SOURCE, new Date(end).toISOString(), new Date(c.last).toISOString()],
    );
    expect(r).toEqual({ before: 0, after: expect.any(Number) });
    // what the schedule holds in the two minutes before the history's end was not sent
    expect(callsBetween(model, end - 120_000, end).length).toBeGreaterThan(0);
  });

  it('runs with the app and stops when the app closes', async () => {
    const c = clock(BASE + 3_600_000);
    let batches = 0;
    const app = await buildApp({
      db: t.db,
      logLevel: 'silent',
      clientDir: '/nonexistent',
      now: () => new Date(c.now()),
      liveDemo: { rate: RATE, tickMs: 150, backfillMs: 0, onBatch: () => batches++ },
    });
    await app.ready();
    await until('a batch from the app', async () => batches > 0);
    await app.close();
    const calls = c.calls;
    await sleep(500);
    expect(c.calls).toBe(calls);
  });
});
