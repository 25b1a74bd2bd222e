/**
 * The Arrow file is kept by the browser and revalidated: it carries an ETag from the incidents'
 * data version and the request's parameters, `Cache-Control: private, no-cache`, and a request
 * naming that ETag in If-None-Match gets 304 with no body and without reading the incidents. An
 * ingested incident gives the window a new ETag; what is memoised from the data (the saved
 * plan's figures) follows a plan edit. The history of the incidents (what lies before today)
 * keeps its version while a feed sends today's calls, so that summaries of past days memoised
 * on it outlive them, and follows a call of a past day.
 */
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addIntegration } from '../../server/auth/tokens';
import type { Queryable } from '../../server/db/database';
import { dataVersions, startOfToday } from '../../server/services/dataVersions';
import { summary } from '../../server/services/incidents';
import { MEMO_SPACES, memo, memoStats } from '../../server/services/memo';
import { DAY_MS } from '../../domain/time';
import { addZoneInFirstTown, pointIn, zoneFigures } from '../setup/net';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
let token: string;
let inside: { lon: number; lat: number };

const WINDOW = { from: '2026-06-01T00:00:00+08:00', to: '2026-07-01T00:00:00+08:00' };

beforeAll(async () => {
  s = await startTestServer();
  token = await addIntegration(s.db, { username: 'dispatch-110' });
  inside = await pointIn(s.db, 'communities');
});
afterAll(async () => {
  await s?.close();
});

const arrow = (params: Record<string, string>, ifNoneMatch?: string) =>
  fetch(`${s.url}/api/incidents.arrow?${new URLSearchParams(params)}`, {
    headers: { cookie: s.cookie, ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}) },
  });

async function ingest(sourceId: string, time = '2026-06-30T02:00:00Z') {
  const res = await fetch(`${s.url}/api/incidents/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify([{ sourceId, time, category: 'traffic', ...inside }]),
  });
  expect(res.status).toBe(200);
}

describe('the Arrow file and its ETag', () => {
  it('answers 304 with no body to the ETag it gave, and a new file to another', async () => {
    const first = await arrow(WINDOW);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[^"]+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    const rows = tableFromIPC(new Uint8Array(await first.arrayBuffer())).numRows;
    expect(rows).toBeGreaterThan(1000);

    const again = await arrow(WINDOW, etag);
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('private, no-cache');
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    // among others, and as a strong validator (If-None-Match compares weakly)
    expect((await arrow(WINDOW, `"nope", ${etag.slice(2)}`)).status).toBe(304);
    // another ETag, or none: the file
    const other = await arrow(WINDOW, 'W/"0-not-this-one"');
    expect(other.status).toBe(200);
    expect(tableFromIPC(new Uint8Array(await other.arrayBuffer())).numRows).toBe(rows);
  });

  it('gives each window and set of categories its own ETag, the same for the same set', async () => {
    const tag = async (p: Record<string, string>) => {
      const res = await arrow(p);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      return res.headers.get('etag');
    };
    const all = await tag(WINDOW);
    const shorter = await tag({ ...WINDOW, from: '2026-06-15T00:00:00+08:00' });
    const two = await tag({ ...WINDOW, categories: 'traffic,criminal' });
    expect(new Set([all, shorter, two]).size).toBe(3);
    expect(await tag({ ...WINDOW, categories: 'criminal, traffic' })).toBe(two);
    // the same instants written otherwise
    expect(await tag({ from: '2026-05-31T16:00:00.000Z', to: '2026-06-30T16:00:00Z' })).toBe(all);
    // a window the browser holds is not answered for another
    expect((await arrow({ ...WINDOW, categories: 'traffic' }, all!)).status).toBe(200);
  });

  it('answers 304 without reading the incidents', async () => {
    const first = await arrow(WINDOW);
    await first.arrayBuffer();
    const etag = first.headers.get('etag')!;
    // the incidents cannot be read meanwhile: a revalidation does not need them
    await s.db.exec('ALTER TABLE incidents RENAME TO incidents_away');
    try {
      expect((await arrow(WINDOW, etag)).status).toBe(304);
      const unreadable = await arrow(WINDOW, 'W/"0-not-this-one"');
      expect(unreadable.status).toBeGreaterThanOrEqual(500);
      await unreadable.arrayBuffer();
    } finally {
      await s.db.exec('ALTER TABLE incidents_away RENAME TO incidents');
    }
    expect((await arrow(WINDOW, etag)).status).toBe(304);
  });

  it('gives the window a new ETag, and the new incident, once an incident is ingested', async () => {
    const before = await arrow(WINDOW);
    const rows = tableFromIPC(new Uint8Array(await before.arrayBuffer())).numRows;
    const etag = before.headers.get('etag')!;
    await ingest('ETAG-1');
    const after = await arrow(WINDOW, etag);
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    expect(tableFromIPC(new Uint8Array(await after.arrayBuffer())).numRows).toBe(rows + 1);
    // the same record again changes nothing: the ETag stays
    const now = after.headers.get('etag')!;
    await ingest('ETAG-1');
    expect((await arrow(WINDOW, now)).status).toBe(304);
  });
});

describe('memoised results follow the data', () => {
  it('evaluates the saved plan as edited, not as first memoised', async () => {
    const evaluate = () => s.client.plan.evaluate.query({});
    const first = await evaluate();
    expect((await evaluate()).saved).toEqual(first.saved);
    const planner = await s.login('planner');
    await addZoneInFirstTown(s.db, planner.client, '缓存测试');
    expect(zoneFigures(await evaluate())).not.toEqual(zoneFigures(first));
  });
});

describe('the history of the incidents', () => {
  it("keeps its version while today's calls come in, and changes with a call of a past day", async () => {
    const v0 = await dataVersions(s.db);
    const now = new Date(Math.max(Date.now() - 60_000, startOfToday())).toISOString();
    await ingest('H-TODAY', now);
    const v1 = await dataVersions(s.db);
    expect(v1.incidents).not.toBe(v0.incidents);
    expect(v1.history).toBe(v0.history);
    // the same call again, unchanged: nothing written, no version moves
    await ingest('H-TODAY', now);
    expect(await dataVersions(s.db)).toEqual(v1);
    // a call of a past day
    await ingest('H-PAST', '2026-06-29T03:00:00Z');
    const v2 = await dataVersions(s.db);
    expect(v2.history).not.toBe(v1.history);
    // today's call corrected into a past day: its new time is history
    await ingest('H-TODAY', '2026-06-28T03:00:00Z');
    const v3 = await dataVersions(s.db);
    expect(v3.history).not.toBe(v2.history);
    // and back into today: its old time was
    await ingest('H-TODAY', now);
    expect((await dataVersions(s.db)).history).not.toBe(v3.history);
  });

  it("memoises a summary of past days, counting a past day's new call once it comes", async () => {
    // the statements counting incidents that reach the database
    let counted = 0;
    const db: Queryable = {
      orm: s.db.orm,
      query: (text, params) => {
        if (/count\(\*\)/.test(text)) counted++;
        return s.db.query(text, params);
      },
    };
    const past = {
      from: new Date('2026-05-01T00:00:00+08:00'),
      to: new Date('2026-07-01T00:00:00+08:00'),
    };
    const days = () => summary(db, { ...past, groupBy: 'day' });
    const first = await days();
    expect(counted).toBe(1);
    expect(await days()).toEqual(first);
    expect(counted).toBe(1);
    // a call of today: the past days' answer stands, without counting again
    await ingest('M-TODAY', new Date(Math.max(Date.now() - 60_000, startOfToday())).toISOString());
    expect(await days()).toEqual(first);
    expect(counted).toBe(1);
    // a call of one of those days: counted again, with it
    await ingest('M-PAST', '2026-06-15T03:00:00Z');
    const after = await days();
    expect(counted).toBe(2);
    const day = (rows: typeof first) => rows.find((r) => r.key === '2026-06-15')!.count;
    expect(day(after)).toBe(day(first) + 1);
    // a window that reaches into today is never memoised
    const recent = {
      from: new Date(startOfToday() - 40 * DAY_MS),
      to: new Date(startOfToday() + DAY_MS),
    };
    await summary(db, { ...recent, groupBy: 'day' });
    await summary(db, { ...recent, groupBy: 'day' });
    expect(counted).toBe(4);
  });

  it('keeps the summaries apart from the costly results: many windows push none of those out', async () => {
    const db: Queryable = { orm: s.db.orm, query: (text, params) => s.db.query(text, params) };
    let made = 0;
    const costly = () =>
      memo(db, ['plan'], 'costly', async () => {
        made++;
        return { figures: [1, 2, 3] };
      });
    await costly();
    // more windows of past days than the costly results' space holds
    const windows = MEMO_SPACES.results.maxEntries + 12;
    for (let d = 0; d < windows; d++)
      await summary(db, {
        from: new Date(Date.parse('2026-01-01T00:00:00+08:00') + d * DAY_MS),
        to: new Date(Date.parse('2026-03-01T00:00:00+08:00') + d * DAY_MS),
        groupBy: 'category',
      });
    expect(memoStats(db, 'summaries').entries).toBe(windows);
    await costly();
    expect(made).toBe(1);
  });
});
