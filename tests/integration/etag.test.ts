/**
 * The Arrow file is kept by the browser and revalidated: it carries an ETag from the incidents'
 * data version and the request's parameters, `Cache-Control: private, no-cache`, and a request
 * naming that ETag in If-None-Match gets 304 with no body and without reading the incidents. An
 * ingested incident gives the window a new ETag; what is memoised from the data (the saved
 * plan's figures) follows a plan edit.
 */
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addIntegration } from '../../server/auth/tokens';
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

async function ingest(sourceId: string) {
  const res = await fetch(`${s.url}/api/incidents/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify([
      { sourceId, time: '2026-06-30T02:00:00Z', category: 'traffic', ...inside },
    ]),
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
