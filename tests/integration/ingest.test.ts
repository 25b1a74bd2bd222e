/**
 * A 110 dispatch feed sends incidents through POST /api/incidents/ingest (JSON or NDJSON) and
 * incidents.ingest, with an integration account's API token: each record is created, updated,
 * unchanged or rejected with its field and reason; a replayed batch changes nothing; a
 * cancellation takes the incident out of every count; each change writes one event.
 */
import gcoord from 'gcoord';
import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SUBCATEGORY_LABELS, type IngestAnswer } from '../../domain/ingest';
import { DEFAULT_SUBCATEGORY, INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import { SUBCATEGORY_CODES } from '../../server/demo/incidentMix';
import { addIntegration } from '../../server/auth/tokens';
import type { AppRouter } from '../../server/router';
import { TEST_PASSWORD } from '../setup/template';
import {
  adminCookie,
  clientFor,
  loginCookie,
  startTestServer,
  type TestServer,
} from '../setup/testServer';

let s: TestServer;
let token: string;
/** a point inside a community of the district, and one far outside the district */
let inside: { lon: number; lat: number; community: number };
const OUTSIDE = { lon: 87.6, lat: 43.8 };
/** the last day of the test data (its anchor is 2026-06-30) */
const DAY = { from: '2026-06-29T16:00:00Z', to: '2026-06-30T16:00:00Z' };
const AT = '2026-06-30T02:00:00Z';

beforeAll(async () => {
  s = await startTestServer();
  token = await addIntegration(s.db, { username: 'dispatch-110' });
  const [p] = await s.db.query<{ lon: number; lat: number; id: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat, id
     FROM (SELECT id, ST_PointOnSurface(geom) AS p FROM communities ORDER BY id LIMIT 1) c`,
  );
  inside = { lon: Number(p!.lon), lat: Number(p!.lat), community: p!.id };
});
afterAll(async () => {
  await s?.close();
});

const post = (body: string, opts: { token?: string; type?: string; cookie?: string } = {}) =>
  fetch(`${s.url}/api/incidents/ingest`, {
    method: 'POST',
    headers: {
      'content-type': opts.type ?? 'application/json',
      ...(opts.cookie ? { cookie: opts.cookie } : {}),
      ...(opts.token !== '' ? { authorization: `Bearer ${opts.token ?? token}` } : {}),
    },
    body,
  });

async function ingest(records: unknown[]): Promise<IngestAnswer> {
  const res = await post(JSON.stringify(records));
  expect(res.status).toBe(200);
  return (await res.json()) as IngestAnswer;
}

const record = (sourceId: string, extra: Record<string, unknown> = {}) => ({
  sourceId,
  time: AT,
  category: '交通',
  lon: inside.lon,
  lat: inside.lat,
  ...extra,
});

const count = async () =>
  (await s.client.incidents.summary.query({ ...DAY, groupBy: 'category' })).reduce(
    (n, r) => n + r.count,
    0,
  );
const eventCount = async () =>
  (await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM incident_events`))[0]!.n;
const events = (id: number) =>
  s.db
    .query<{ action: string }>(
      `SELECT action FROM incident_events WHERE incident_id = $1 ORDER BY id`,
      [id],
    )
    .then((rows) => rows.map((r) => r.action));

/** A client calling tRPC with an API token and no cookie, as a feed would. */
const tokenClient = (t: string) =>
  createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${s.url}/trpc`, headers: { authorization: `Bearer ${t}` } })],
  });

describe('ingest', () => {
  it('creates incidents, and a replayed batch changes nothing', async () => {
    const before = await count();
    const eventsBefore = await eventCount();
    const batch = [
      record('A-1', { category: '刑事', subcategory: 'theft', address: '城北区朝阳东路 1 号' }),
      record('A-2', { category: 'traffic', status: 'dispatched' }),
      record('A-3', { time: Date.parse(AT) + 60_000, linkedSourceId: 'A-1' }),
    ];
    const first = await ingest(batch);
    expect(first.results.map((r) => [r.sourceId, r.outcome])).toEqual([
      ['A-1', 'created'],
      ['A-2', 'created'],
      ['A-3', 'created'],
    ]);
    expect(first.counts).toMatchObject({ created: 3, updated: 0, unchanged: 0, rejected: 0 });
    const ids = first.results.map((r) => r.id!);
    expect(new Set(ids).size).toBe(3);
    expect(await count()).toBe(before + 3);
    expect(await eventCount()).toBe(eventsBefore + 3);
    expect(await events(ids[0]!)).toEqual(['created']);
    const a1 = await s.client.incidents.get.query({ id: ids[0]! });
    expect(a1).toMatchObject({ category: 'criminal', subcategory: 'theft', status: 'open' });
    expect(a1.communityId).toBe(inside.community);
    const [stored] = await s.db.query<Record<string, unknown>>(
      `SELECT source, source_id, address, linked_source_id, outside FROM incidents WHERE id = $1`,
      [ids[2]],
    );
    expect(stored).toEqual({
      source: 'dispatch-110',
      source_id: 'A-3',
      address: null,
      linked_source_id: 'A-1',
      outside: false,
    });

    const again = await ingest(batch);
    expect(again.results.map((r) => [r.sourceId, r.outcome, r.id])).toEqual([
      ['A-1', 'unchanged', ids[0]],
      ['A-2', 'unchanged', ids[1]],
      ['A-3', 'unchanged', ids[2]],
    ]);
    expect(await count()).toBe(before + 3);
    expect(await eventCount()).toBe(eventsBefore + 3);
  });

  it('creates a call once when several batches carrying it arrive together', async () => {
    const batch = Array.from({ length: 200 }, (_, i) => record(`M-${i}`));
    const answers = await Promise.all(Array.from({ length: 4 }, () => ingest(batch)));
    const created = answers.map((a) => a.counts.created);
    expect(created.reduce((x, y) => x + y)).toBe(200);
    expect(created.filter((n) => n > 0)).toEqual([200]);
    const [n] = await s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM incidents WHERE source_id LIKE 'M-%'`,
    );
    expect(n!.n).toBe(200);
  });

  it('updates a call through its statuses and a corrected position', async () => {
    const [created] = (await ingest([record('B-1')])).results;
    const id = created!.id!;
    for (const status of ['dispatched', 'on_scene', 'closed']) {
      const [r] = (await ingest([record('B-1', { status })])).results;
      expect(r).toMatchObject({ sourceId: 'B-1', outcome: 'updated', id });
      expect((await s.client.incidents.get.query({ id })).status).toBe(status);
    }
    const moved = { lon: inside.lon + 0.0005, lat: inside.lat - 0.0003 };
    const [r] = (await ingest([record('B-1', { status: 'closed', ...moved })])).results;
    expect(r).toMatchObject({ outcome: 'updated', id });
    const got = await s.client.incidents.get.query({ id });
    expect(got.lon).toBeCloseTo(moved.lon, 6);
    expect(got.lat).toBeCloseTo(moved.lat, 6);
    expect(await events(id)).toEqual(['created', 'updated', 'updated', 'updated', 'updated']);
    // two records of one call in one batch: the later one stands
    const both = await ingest([record('B-2'), record('B-2', { status: 'dispatched' })]);
    expect(both.results.map((x) => x.outcome)).toEqual(['created', 'updated']);
    expect((await s.client.incidents.get.query({ id: both.results[1]!.id! })).status).toBe(
      'dispatched',
    );
  });

  it('never moves a status back: a late record changes nothing, and says why', async () => {
    const [created] = (await ingest([record('S-1', { status: 'closed', address: '最后的地址' })]))
      .results;
    const id = created!.id!;
    const eventsBefore = await eventCount();
    // an 'open' record of the call, late, with another address and position
    const [late] = (
      await ingest([
        record('S-1', { status: 'open', address: '较早的地址', lon: inside.lon + 0.001 }),
      ])
    ).results;
    expect(late).toMatchObject({ sourceId: 'S-1', outcome: 'unchanged', id, field: 'status' });
    expect(late!.reason).toMatch(/"open" is behind the stored "closed"/);
    const got = await s.client.incidents.get.query({ id });
    expect(got.status).toBe('closed');
    expect(got.lon).toBeCloseTo(inside.lon, 6);
    const [stored] = await s.db.query<{ address: string }>(
      `SELECT address FROM incidents WHERE id = $1`,
      [id],
    );
    expect(stored!.address).toBe('最后的地址');
    expect(await eventCount()).toBe(eventsBefore);
    // within one batch too: dispatched after on_scene is late; closed after it goes on
    const batch = await ingest([
      record('S-2', { status: 'on_scene' }),
      record('S-2', { status: 'dispatched' }),
      record('S-3', { status: 'dispatched' }),
      record('S-3', { status: 'dispatched', address: '更正的地址' }),
    ]);
    expect(batch.results.map((r) => [r.outcome, r.field ?? null])).toEqual([
      ['created', null],
      ['unchanged', 'status'],
      ['created', null],
      ['updated', null],
    ]);
    expect((await s.client.incidents.get.query({ id: batch.results[0]!.id! })).status).toBe(
      'on_scene',
    );
    const [s2] = (await ingest([record('S-2', { status: 'closed' })])).results;
    expect(s2).toMatchObject({ outcome: 'updated', id: batch.results[0]!.id });
  });

  it("gives a call without a subcategory its category's catch-all, and maps labels", async () => {
    const answer = await ingest([
      record('D-1', { category: '治安' }),
      record('D-2', { category: '刑事', subcategory: '盗窃' }),
      record('D-3', { category: '交通', subcategory: '其他' }),
      record('D-4', { category: '求助', subcategory: '高空抛物' }),
      record('D-5', { category: 'other', subcategory: 'constructor' }),
      record('D-6', { category: 'fire' }),
    ]);
    const subcategories = await s.db.query<{ source_id: string; subcategory: string }>(
      `SELECT source_id, subcategory FROM incidents WHERE id = ANY($1::int[]) ORDER BY source_id`,
      [answer.results.map((r) => r.id!)],
    );
    expect(subcategories.map((r) => [r.source_id, r.subcategory])).toEqual([
      ['D-1', 'public_order_other'],
      ['D-2', 'theft'],
      ['D-3', 'traffic_other'],
      ['D-4', '高空抛物'],
      ['D-5', 'constructor'],
      ['D-6', 'fire_other'],
    ]);
    // the catch-alls filter like any subcategory code
    const rows = await s.client.incidents.summary.query({
      ...DAY,
      groupBy: 'subcategory',
      subcategories: ['public_order_other'],
    });
    expect(rows.map((r) => [r.key, r.count])).toEqual([['public_order_other', 1]]);
    // every label maps to a subcategory the data knows, and each catch-all is its own code
    for (const code of Object.values(DEFAULT_SUBCATEGORY_LABELS))
      expect(SUBCATEGORY_CODES).toContain(code);
    expect(new Set(Object.values(DEFAULT_SUBCATEGORY)).size).toBe(INCIDENT_CATEGORIES.length);
  });

  it('takes a cancelled call out of every count, once', async () => {
    const before = await count();
    const [created] = (await ingest([record('C-1')])).results;
    expect(await count()).toBe(before + 1);
    const [cancelled] = (await ingest([record('C-1', { status: 'cancelled' })])).results;
    expect(cancelled).toMatchObject({ outcome: 'updated', id: created!.id });
    expect(await count()).toBe(before);
    await expect(s.client.incidents.get.query({ id: created!.id! })).rejects.toMatchObject({
      data: { code: 'NOT_FOUND' },
    });
    expect(await events(created!.id!)).toEqual(['created', 'removed']);
    const eventsBefore = await eventCount();
    // sent again, or a later record of the call: nothing changes
    const again = await ingest([
      record('C-1', { status: 'cancelled' }),
      record('C-1', { status: 'closed' }),
    ]);
    expect(again.results.map((r) => r.outcome)).toEqual(['unchanged', 'unchanged']);
    expect(await count()).toBe(before);
    expect(await eventCount()).toBe(eventsBefore);
  });

  it('rejects each bad record with its field and reason, and lands the others', async () => {
    const before = await count();
    const future = new Date(Date.now() + 10 * 60_000).toISOString();
    const answer = await ingest([
      record('D-ok-1'),
      record('D-cat', { category: '不存在' }),
      { time: AT, category: '交通', lon: inside.lon, lat: inside.lat },
      record('D-time', { time: undefined }),
      record('D-nan', { lon: Number.NaN }),
      record('D-lat', { lat: 95 }),
      record('D-lon', { lon: 'east' }),
      record('D-future', { time: future }),
      record('D-early', { time: '2019-01-01T00:00:00Z' }),
      record('D-status', { status: 'lost' }),
      record('D-crs', { crs: 'utm' }),
      'not a record',
      record('D-ok-2', { category: 'fire' }),
    ]);
    const byId = answer.results.map((r) => [r.sourceId, r.outcome, r.field]);
    expect(byId).toEqual([
      ['D-ok-1', 'created', undefined],
      ['D-cat', 'rejected', 'category'],
      [null, 'rejected', 'sourceId'],
      ['D-time', 'rejected', 'time'],
      // NaN travels as null in JSON: a missing longitude
      ['D-nan', 'rejected', 'lon'],
      ['D-lat', 'rejected', 'lat'],
      ['D-lon', 'rejected', 'lon'],
      ['D-future', 'rejected', 'time'],
      ['D-early', 'rejected', 'time'],
      ['D-status', 'rejected', 'status'],
      ['D-crs', 'rejected', 'crs'],
      [null, 'rejected', '(record)'],
      ['D-ok-2', 'created', undefined],
    ]);
    const reason = (i: number) => answer.results[i]!.reason;
    expect(reason(1)).toMatch(/"不存在" is neither a category code/);
    expect(reason(2)).toBe('is missing');
    expect(reason(5)).toMatch(/95 is not a latitude/);
    expect(reason(7)).toMatch(/more than 5 minutes in the future/);
    expect(reason(8)).toMatch(/before the stored data begin/);
    expect(answer.counts).toMatchObject({ created: 2, rejected: 11 });
    expect(await count()).toBe(before + 2);
  });

  it('stores a position outside the district flagged, and counts it apart', async () => {
    const before = await count();
    const [r] = (await ingest([record('E-out', OUTSIDE)])).results;
    expect(r).toMatchObject({ outcome: 'created', field: 'position' });
    expect(r!.reason).toMatch(/outside the district/);
    const [row] = await s.db.query<{ outside: boolean; community_id: number | null }>(
      `SELECT outside, community_id FROM incidents WHERE id = $1`,
      [r!.id],
    );
    expect(row).toEqual({ outside: true, community_id: null });
    expect(await count()).toBe(before);
  });

  it('converts GCJ-02 and BD-09 positions to WGS84', async () => {
    const wgs: [number, number] = [inside.lon, inside.lat];
    const gcj = gcoord.transform(wgs, gcoord.WGS84, gcoord.GCJ02);
    const bd = gcoord.transform(wgs, gcoord.WGS84, gcoord.BD09);
    const answer = await ingest([
      record('F-gcj', { lon: gcj[0], lat: gcj[1], crs: 'gcj02' }),
      record('F-bd', { lon: bd[0], lat: bd[1], crs: 'bd09' }),
      record('F-cgcs', { crs: 'cgcs2000' }),
    ]);
    for (const r of answer.results) {
      expect(r.outcome).toBe('created');
      const [p] = await s.db.query<{ m: number }>(
        `SELECT ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography) AS m
         FROM incidents WHERE id = $1`,
        [r.id, wgs[0], wgs[1]],
      );
      expect(Number(p!.m)).toBeLessThan(1);
    }
    // the offset is real: taken as WGS84, the GCJ-02 position lies hundreds of metres away
    const [far] = await s.db.query<{ m: number }>(
      `SELECT ST_Distance(ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography,
                          ST_SetSRID(ST_MakePoint($3, $4), 4326)::geography) AS m`,
      [gcj[0], gcj[1], wgs[0], wgs[1]],
    );
    expect(Number(far!.m)).toBeGreaterThan(100);
  });

  it('takes NDJSON, and refuses more than 5,000 records', async () => {
    const ndjson = [record('G-1'), record('G-2', { category: '求助' })]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const res = await post(`${ndjson}\n`, { type: 'application/x-ndjson' });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as IngestAnswer;
    expect(answer.results.map((r) => [r.sourceId, r.outcome])).toEqual([
      ['G-1', 'created'],
      ['G-2', 'created'],
    ]);
    const bad = await post(`${ndjson}\n{not json`, { type: 'application/x-ndjson' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/line 3 is not a JSON/);

    const many = Array.from({ length: 5001 }, (_, i) => record(`H-${i}`));
    const tooMany = await post(JSON.stringify(many));
    expect(tooMany.status).toBe(413);
    expect(((await tooMany.json()) as { error: string }).error).toMatch(
      /5001 records: at most 5000 a request/,
    );
    await expect(
      tokenClient(token).incidents.ingest.mutate({ records: many }),
    ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    const [none] = await s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM incidents WHERE source_id LIKE 'H-%'`,
    );
    expect(none!.n).toBe(0);
  });

  it('takes the same records through tRPC', async () => {
    const answer = await tokenClient(token).incidents.ingest.mutate({
      records: [record('I-1'), record('I-2', { category: '??' })],
    });
    expect(answer.results.map((r) => r.outcome)).toEqual(['created', 'rejected']);
    expect(answer.counts).toMatchObject({ created: 1, rejected: 1 });
  });

  it('writes one audit row per batch, with the counts', async () => {
    const [{ last } = { last: 0 }] = await s.db.query<{ last: number }>(
      `SELECT coalesce(max(id), 0)::int AS last FROM audit_log`,
    );
    await ingest([record('J-1'), record('J-2'), record('J-3', { lat: 100 })]);
    await tokenClient(token).incidents.ingest.mutate({ records: [record('J-4')] });
    const rows = await s.db.query<{
      action: string;
      outcome: string;
      username: string;
      detail: unknown;
    }>(`SELECT action, outcome, username, detail FROM audit_log WHERE id > $1 ORDER BY id`, [last]);
    expect(rows.map((r) => [r.action, r.outcome, r.username])).toEqual([
      ['incidents.ingest', 'ok', 'dispatch-110'],
      ['incidents.ingest', 'ok', 'dispatch-110'],
    ]);
    const detail = (r: unknown) => (typeof r === 'string' ? JSON.parse(r) : r) as object;
    expect(detail(rows[0]!.detail)).toMatchObject({
      source: 'dispatch-110',
      counts: { created: 2, rejected: 1 },
    });
    expect(detail(rows[1]!.detail)).toMatchObject({ counts: { created: 1 } });
  });
});

describe('integration accounts', () => {
  it('a token is good for ingest only', async () => {
    const feed = tokenClient(token);
    await expect(feed.incidents.list.query({ ...DAY })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    await expect(feed.auth.me.query()).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
    const arrow = await fetch(`${s.url}/api/incidents.arrow?from=2026-06-01&to=2026-07-01`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(arrow.status).toBe(403);
    // a wrong token, or none
    expect((await post('[]', { token: 'x'.repeat(43) })).status).toBe(401);
    expect((await post('[]', { token: '' })).status).toBe(401);
    await expect(
      tokenClient('wrong').incidents.ingest.mutate({ records: [] }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });

  it('refuses a session of any other role', async () => {
    const planner = await s.login('planner');
    const res = await post('[]', { token: '', cookie: planner.cookie });
    expect(res.status).toBe(403);
    await expect(
      planner.client.incidents.ingest.mutate({ records: [record('K-1')] }),
    ).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect((await post('[]', { token: '', cookie: s.cookie })).status).toBe(403);
    // nor may an integration account sign in on the page: it has no password
    await expect(loginCookie(s.url, 'dispatch-110', TEST_PASSWORD)).rejects.toThrow(/401/);
  });

  it('an admin adds one and revokes its tokens', async () => {
    const admin = clientFor(s.url, await adminCookie(s));
    const { token: feedToken } = await admin.users.addIntegration.mutate({ username: 'feed-2' });
    expect(feedToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // only its hash is stored
    const [stored] = await s.db.query<{ token_hash: string }>(
      `SELECT t.token_hash FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.username = 'feed-2'`,
    );
    expect(stored!.token_hash).not.toContain(feedToken);
    expect((await post(JSON.stringify([record('L-1')]), { token: feedToken })).status).toBe(200);
    // the same sourceId from another source is another call
    const [other] = (await ingest([record('L-1')])).results;
    expect(other!.outcome).toBe('created');
    await expect(
      admin.users.add.mutate({ username: 'feed-3', password: TEST_PASSWORD, role: 'integration' }),
    ).rejects.toThrow(/no password/);

    // the list tells it from people: its token's state, and when it was last used
    const listed = async (username: string) =>
      (await admin.users.list.query()).find((u) => u.username === username)!;
    const active = await listed('feed-2');
    expect(active).toMatchObject({ role: 'integration', token: 'active' });
    expect(active.lastUsedAt).not.toBeNull();
    expect(Date.parse(String(active.lastUsedAt))).toBeGreaterThanOrEqual(
      Date.parse(String(active.tokenIssuedAt)),
    );
    expect(await listed('analyst')).toMatchObject({
      token: null,
      tokenIssuedAt: null,
      lastUsedAt: null,
    });
    expect(await admin.users.revokeToken.mutate({ username: 'feed-2' })).toEqual({
      revoked: 1,
      token: null,
    });
    expect((await listed('feed-2')).token).toBe('revoked');
    const refused = await post(JSON.stringify([record('L-2')]), { token: feedToken });
    expect(refused.status).toBe(401);
    const { token: fresh } = await admin.users.revokeToken.mutate({
      username: 'feed-2',
      reissue: true,
    });
    expect((await post('[]', { token: fresh! })).status).toBe(200);
    expect((await listed('feed-2')).token).toBe('active');
    const audited = await s.db.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE object = 'user:feed-2' ORDER BY id`,
    );
    expect(audited.map((r) => r.action)).toEqual([
      'users.addIntegration',
      'users.revokeToken',
      'users.revokeToken',
    ]);
  });
});
