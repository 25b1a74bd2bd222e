/**
 * Incidents live, over real HTTP SSE: each incident a feed creates, updates or cancels reaches
 * the open streams with its event id; a client that comes back with its last id is sent exactly
 * what it missed; concurrent batches reach a reader once each, in id order; the combined stream
 * carries plan changes and incidents and resumes both; a limited display gets only its kinds.
 * Streams at any position (at the head, resuming from far back, opened while batches are
 * written) are sent the same events, once, in order, and one client that reads nothing holds
 * back no other stream.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestAnswer } from '../../domain/ingest';
import { setLayers } from '../../server/auth/accounts';
import { addIntegration } from '../../server/auth/tokens';
import { LIVE_POLL_MS } from '../../server/routers/live';
import type { IncidentEvent } from '../../server/services/incidentEvents';
import type { PlanEvent } from '../../server/services/planEvents';
import { collect } from '../setup/liveStream';
import { startTestServer, type TestServer } from '../setup/testServer';

/** A combined stream's event, one by one as tests/setup/liveStream.ts takes messages apart. */
type LiveMessage = { kind: 'plan'; event: PlanEvent } | { kind: 'incident'; event: IncidentEvent };

let s: TestServer;
let tokens: string[];
let inside: { lon: number; lat: number };
const AT = '2026-06-30T02:00:00Z';

beforeAll(async () => {
  s = await startTestServer();
  tokens = [
    await addIntegration(s.db, { username: 'dispatch-a' }),
    await addIntegration(s.db, { username: 'dispatch-b' }),
  ];
  const [p] = await s.db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat
     FROM (SELECT ST_PointOnSurface(geom) AS p FROM communities ORDER BY id LIMIT 1) c`,
  );
  inside = { lon: Number(p!.lon), lat: Number(p!.lat) };
});
afterAll(async () => {
  await s?.close();
});

async function ingest(records: unknown[], token = tokens[0]!): Promise<IngestAnswer> {
  const res = await fetch(`${s.url}/api/incidents/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(records),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as IngestAnswer;
}

const record = (sourceId: string, extra: Record<string, unknown> = {}) => ({
  sourceId,
  time: AT,
  category: 'traffic',
  ...inside,
  ...extra,
});

/** The event ids written after `after`, in order, as the table has them. */
const tableIds = async (after: number) =>
  (
    await s.db.query<{ id: string }>(`SELECT id FROM incident_events WHERE id > $1 ORDER BY id`, [
      after,
    ])
  ).map((r) => String(r.id));

describe('live.incidents', () => {
  it('sends each created, updated and removed incident, and what a client missed', async () => {
    const stream = collect<IncidentEvent>(s.url, s.cookie, 'incidents');
    await stream.started;
    const [created] = (await ingest([record('L-1')])).results;
    await stream.until(1);
    const first = stream.events[0]!;
    expect(first.data).toMatchObject({ action: 'created', id: created!.id, sourceId: 'L-1' });
    const got = await s.client.incidents.get.query({ id: created!.id! });
    expect(got).toMatchObject({ sourceId: 'L-1', outside: false, status: 'open' });
    expect(first.data).toMatchObject({ incident: got });

    await ingest([record('L-1', { status: 'dispatched' })]);
    await stream.until(2);
    expect(stream.events[1]!.data).toMatchObject({
      action: 'updated',
      id: created!.id,
      incident: { status: 'dispatched', sourceId: 'L-1' },
    });
    await ingest([record('L-1', { status: 'cancelled' })]);
    await stream.until(3);
    expect(stream.events[2]!.data).toEqual({
      action: 'removed',
      id: created!.id,
      sourceId: 'L-1',
      at: expect.any(String) as string,
    });
    stream.stop();
    const ids = stream.events.map((e) => e.id);
    expect(ids.map(Number)).toEqual([...ids.map(Number)].sort((a, b) => a - b));

    // a client that saw the first event is sent exactly the two after it (the incident as it
    // is now: removed since, so the update carries none)
    const again = collect<IncidentEvent>(s.url, s.cookie, 'incidents', first.id);
    await again.until(2);
    await new Promise((r) => setTimeout(r, 300));
    again.stop();
    expect(again.events.map((e) => e.id)).toEqual(ids.slice(1));
    expect(again.events.map((e) => e.data)).toMatchObject([
      { action: 'updated', id: created!.id, sourceId: 'L-1', incident: null },
      { action: 'removed', id: created!.id, sourceId: 'L-1' },
    ]);
  });

  it('sends every event of concurrent batches once, in id order', async () => {
    const [{ n: start }] = (await s.db.query<{ n: string }>(
      `SELECT coalesce(max(id), 0) AS n FROM incident_events`,
    )) as [{ n: string }];
    const stream = collect<IncidentEvent>(s.url, s.cookie, 'incidents');
    await stream.started;
    const batches = Array.from({ length: 12 }, (_, b) =>
      Array.from({ length: 25 }, (_, k) => record(`C-${b}-${k}`)),
    );
    // two sources: their batches are not serialised by the per-source lock
    const answers = await Promise.all(batches.map((batch, b) => ingest(batch, tokens[b % 2])));
    expect(answers.every((a) => a.counts.created === 25)).toBe(true);
    const expected = await tableIds(Number(start));
    expect(expected).toHaveLength(300);
    await stream.until(300);
    await new Promise((r) => setTimeout(r, 300));
    stream.stop();
    expect(stream.events.map((e) => e.id)).toEqual(expected);
    const ids = answers.flatMap((a) => a.results.map((r) => r.id));
    expect(new Set(stream.events.map((e) => e.data.id))).toEqual(new Set(ids));
  });

  it('sends streams at different positions the same sequence, once, in order', async () => {
    const [{ n: start }] = (await s.db.query<{ n: string }>(
      `SELECT coalesce(max(id), 0) AS n FROM incident_events`,
    )) as [{ n: string }];
    const older = await tableIds(0);
    // from the first event ever (a catch-up read of its own), from the middle, and at the head
    const positions = [undefined, '0', older[Math.floor(older.length / 2)], older.at(-3)];
    const streams = positions.flatMap((from) =>
      [0, 1, 2].map(() => ({
        from,
        s: collect<IncidentEvent>(s.url, s.cookie, 'incidents', from),
      })),
    );
    await Promise.all(streams.map((x) => x.s.started));
    const batches = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: 20 }, (_, k) => record(`F-${b}-${k}`)),
    );
    // more streams open while the batches are written
    const writing = Promise.all(batches.map((batch, b) => ingest(batch, tokens[b % 2])));
    const late = [older.at(-1), String(start)].map((from) => ({
      from,
      s: collect<IncidentEvent>(s.url, s.cookie, 'incidents', from),
    }));
    await writing;
    const all = [...streams, ...late];
    const expected = await tableIds(0);
    const fresh = await tableIds(Number(start));
    expect(fresh).toHaveLength(160);
    for (const { from, s: stream } of all) {
      const want = from === undefined ? fresh : await tableIds(Number(from));
      await stream.until(want.length);
    }
    await new Promise((r) => setTimeout(r, 300));
    for (const { from, s: stream } of all) {
      stream.stop();
      const ids = stream.events.map((e) => e.id);
      const want = from === undefined ? fresh : expected.filter((id) => Number(id) > Number(from));
      expect(ids).toEqual(want);
      // several events a message where they were read together
      expect(stream.messages.count).toBeLessThanOrEqual(ids.length);
    }
    // the streams at the head were sent the same events, alike
    const heads = streams.filter((x) => x.from === undefined).map((x) => x.s.events);
    for (const h of heads) expect(h).toEqual(heads[0]);
    // a catch-up from the first event: fewer messages than events
    const fromStart = streams.find((x) => x.from === '0')!.s;
    expect(fromStart.messages.count).toBeLessThan(fromStart.events.length / 10);
  });

  it('keeps sending to the others while one client reads nothing, which then catches up', async () => {
    const [{ n: start }] = (await s.db.query<{ n: string }>(
      `SELECT coalesce(max(id), 0) AS n FROM incident_events`,
    )) as [{ n: string }];
    // a client that opens the stream and then does not read it
    const stop = new AbortController();
    const input = encodeURIComponent(JSON.stringify({ lastEventId: String(start) }));
    const res = await fetch(`${s.url}/trpc/live.incidents?input=${input}`, {
      headers: { cookie: s.cookie, 'x-trpc-source': 'test', origin: s.url },
      signal: stop.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    try {
      const stream = collect<IncidentEvent>(s.url, s.cookie, 'incidents');
      await stream.started;
      for (let k = 0; k < 10; k++) {
        const t0 = performance.now();
        const answer = await ingest(
          Array.from({ length: 50 }, (_, j) =>
            record(`S-${k}-${j}`, { address: '址'.repeat(200) }),
          ),
        );
        expect(answer.counts.created).toBe(50);
        await stream.until((k + 1) * 50);
        expect(performance.now() - t0).toBeLessThan(LIVE_POLL_MS / 2);
      }
      stream.stop();
      const want = await tableIds(Number(start));
      expect(stream.events.map((e) => e.id)).toEqual(want);
      // the silent client, read at last: everything, once, in order
      const got: string[] = [];
      let text = '';
      while (got.length < want.length) {
        const { value, done } = await reader.read();
        if (done) break;
        text += value;
        const cut = text.lastIndexOf('\n\n');
        if (cut < 0) continue;
        for (const m of text.slice(0, cut).matchAll(/^data: (\[.*\])$/gm))
          got.push(...(JSON.parse(m[1]!) as { eventId: number }[]).map((e) => String(e.eventId)));
        text = text.slice(cut + 2);
      }
      expect(got).toEqual(want);
    } finally {
      stop.abort();
    }
  });

  it('refuses an event id it did not send', async () => {
    const bad = collect(s.url, s.cookie, 'incidents', 'p1.i2');
    await expect(bad.failed).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    bad.stop();
  });
});

describe('live.all', () => {
  /** A position well inside the planner's town. */
  async function postPosition(townId: number): Promise<[number, number]> {
    const [c] = await s.db.query<{ x: number; y: number }>(
      `SELECT ST_X(p) AS x, ST_Y(p) AS y
       FROM (SELECT ST_PointOnSurface(ST_Buffer(geom, -0.01)) AS p FROM towns WHERE id = $1) a`,
      [townId],
    );
    return [Number(c!.x), Number(c!.y)];
  }

  it('carries plan changes and incidents, and resumes both from one id', async () => {
    const planner = (await s.login('planner')).client;
    const town = (await planner.auth.me.query()).areas.towns[0]!;
    const stream = collect<LiveMessage>(s.url, s.cookie, 'all');
    await stream.started;
    const post = await planner.posts.create.mutate({
      position: await postPosition(town),
      name: '直播岗',
    });
    await stream.until(1);
    const [a] = (await ingest([record('M-1')])).results;
    await stream.until(2);
    await planner.posts.update.mutate({ id: post.id, version: 1, name: '直播岗二' });
    await stream.until(3);
    await ingest([record('M-1', { status: 'on_scene' })]);
    await stream.until(4);
    stream.stop();
    expect(stream.events.map((e) => e.data)).toMatchObject([
      { kind: 'plan', event: { kind: 'post', action: 'create', id: post.id } },
      { kind: 'incident', event: { action: 'created', id: a!.id, sourceId: 'M-1' } },
      { kind: 'plan', event: { kind: 'post', action: 'update', id: post.id, version: 2 } },
      { kind: 'incident', event: { action: 'updated', incident: { status: 'on_scene' } } },
    ]);
    for (const e of stream.events) expect(e.id).toMatch(/^p\d+\.i\d+$/);

    // from the first message's id: the plan update and both incident events, nothing twice
    const again = collect<LiveMessage>(s.url, s.cookie, 'all', stream.events[0]!.id);
    await again.until(3);
    await new Promise((r) => setTimeout(r, 300));
    again.stop();
    expect(again.events.map((e) => e.data)).toMatchObject([
      { kind: 'plan', event: { action: 'update', id: post.id } },
      { kind: 'incident', event: { action: 'created', id: a!.id } },
      { kind: 'incident', event: { action: 'updated', id: a!.id } },
    ]);
    expect(again.events.at(-1)!.id).toBe(stream.events.at(-1)!.id);
  });

  it('sends a limited display only the kinds its layers carry, or refuses it', async () => {
    const wall = await s.login('wall');
    const planner = (await s.login('planner')).client;
    const town = (await planner.auth.me.query()).areas.towns[0]!;
    try {
      await setLayers(s.db, 'wall', ['zones', 'circles']);
      const plansOnly = collect<LiveMessage>(s.url, wall.cookie, 'all');
      await plansOnly.started;
      await ingest([record('D-1')]);
      await planner.posts.create.mutate({ position: await postPosition(town), name: '墙岗' });
      await plansOnly.until(1);
      await new Promise((r) => setTimeout(r, 500));
      plansOnly.stop();
      expect(plansOnly.events.map((e) => e.data.kind)).toEqual(['plan']);

      await setLayers(s.db, 'wall', ['points']);
      const incidentsOnly = collect<LiveMessage>(s.url, wall.cookie, 'all');
      await incidentsOnly.started;
      await planner.posts.create.mutate({ position: await postPosition(town), name: '墙岗二' });
      await ingest([record('D-2')]);
      await incidentsOnly.until(1);
      await new Promise((r) => setTimeout(r, 500));
      incidentsOnly.stop();
      expect(incidentsOnly.events.map((e) => e.data.kind)).toEqual(['incident']);

      await setLayers(s.db, 'wall', ['circles']);
      const refused = collect(s.url, wall.cookie, 'all');
      await expect(refused.failed).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
      refused.stop();
      const refusedIncidents = collect(s.url, wall.cookie, 'incidents');
      await expect(refusedIncidents.failed).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
      refusedIncidents.stop();
    } finally {
      await setLayers(s.db, 'wall', null);
    }
  });
});
