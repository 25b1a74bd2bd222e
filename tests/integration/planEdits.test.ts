/**
 * Saving the patrol plan over real HTTP: zones and posts created, updated, deleted and restored
 * with versions; history kept; concurrent editors never lose an acknowledged edit and are
 * refused only for a real conflict; bad input stores nothing; other clients hear of every saved
 * change live, and their stream ends with their session.
 */
import type { inferRouterInputs } from '@trpc/server';
import type { TRPCClient } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../server/router';
import type { PlanEvent } from '../../server/services/planEvents';
import { setDisabled } from '../../server/auth/accounts';
import { square } from '../setup/net';
import { liveClientFor, startTestServer, type TestServer } from '../setup/testServer';

type Area = inferRouterInputs<AppRouter>['zones']['create']['geometry'];

let s: TestServer;
let planner: TRPCClient<AppRouter>;
let town: number;
beforeAll(async () => {
  s = await startTestServer();
  planner = (await s.login('planner')).client;
  town = (await planner.auth.me.query()).areas.towns[0]!;
});
afterAll(async () => {
  await s?.close();
});

const code = (e: unknown) => (e as { data?: { code?: string } }).data?.code;
const refused = (p: Promise<unknown>) => p.then(() => null).catch((e: unknown) => e as Error);

/** A small square (side `d` degrees) around a point well inside the planner's town. */
async function squareInTown(d = 0.004): Promise<{ geometry: Area; center: [number, number] }> {
  const [c] = await s.db.query<{ x: number; y: number }>(
    `SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(ST_Buffer(geom, -0.01)) AS p FROM towns WHERE id = $1) a`,
    [town],
  );
  const [x, y] = [Number(c!.x), Number(c!.y)];
  const h = d / 2;
  return {
    center: [x, y],
    geometry: square(x, y, h),
  };
}

/** A point inside the district but outside the planner's town. */
async function pointOutsideTown(): Promise<[number, number]> {
  const [c] = await s.db.query<{ x: number; y: number }>(
    `SELECT ST_X(p) AS x, ST_Y(p) AS y FROM (SELECT ST_PointOnSurface(geom) AS p FROM towns WHERE id <> $1 ORDER BY id LIMIT 1) a`,
    [town],
  );
  return [Number(c!.x), Number(c!.y)];
}

const zoneRow = async (id: number) =>
  (
    await s.db.query<{ version: number; name: string; unit: string; geom: string }>(
      `SELECT version, name, unit, ST_AsText(geom) AS geom FROM patrol_zones WHERE id = $1`,
      [id],
    )
  )[0];

const auditRows = (object: string) =>
  s.db.query<{ action: string; outcome: string; detail: { before: unknown; after: unknown } }>(
    `SELECT action, outcome, detail FROM audit_log WHERE object = $1 ORDER BY id`,
    [object],
  );

describe('zones', () => {
  it('creates a zone inside the planner’s town, with its history and audit row', async () => {
    const { geometry } = await squareInTown();
    const r = await planner.zones.create.mutate({
      geometry,
      name: '试验巡区',
      unit: '巡逻三组',
      shift: 'night',
    });
    expect(r.version).toBe(1);
    const list = await s.client.zones.list.query();
    const f = list.features.find((x) => x.properties.id === r.id);
    expect(f?.properties).toMatchObject({ name: '试验巡区', unit: '巡逻三组', shift: 'night' });
    expect(f?.properties.townId).toBe(town);
    const h = await s.client.zones.history.query({ id: r.id });
    expect(h.map((e) => [e.version, e.action, e.by])).toEqual([[1, 'create', 'planner']]);
    const audit = await auditRows(`zone:${r.id}`);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'zones.create', outcome: 'ok' });
    expect(audit[0]!.detail.after).toMatchObject({ version: 1, name: '试验巡区' });
  });

  it('refuses a new zone outside the planner’s town or the district, storing nothing', async () => {
    const [x, y] = await pointOutsideTown();
    const outside: Area = {
      type: 'Polygon',
      coordinates: [
        [
          [x, y],
          [x + 0.002, y],
          [x + 0.002, y + 0.002],
          [x, y],
        ],
      ],
    };
    const count = async () =>
      Number((await s.db.query<{ n: string }>('SELECT count(*) AS n FROM patrol_zones'))[0]!.n);
    const before = await count();
    const e1 = await refused(
      planner.zones.create.mutate({ geometry: outside, name: 'x', unit: 'x', shift: 'day' }),
    );
    expect(code(e1)).toBe('FORBIDDEN');
    const bowtie: Area = {
      type: 'Polygon',
      coordinates: [
        [
          [x, y],
          [x + 0.002, y + 0.002],
          [x + 0.002, y],
          [x, y + 0.002],
          [x, y],
        ],
      ],
    };
    const e2 = await refused(
      planner.zones.create.mutate({ geometry: bowtie, name: 'x', unit: 'x', shift: 'day' }),
    );
    expect(code(e2)).toBe('BAD_REQUEST');
    expect(e2!.message).toMatch(/edge 1 and polygon 0 ring 0 edge 3: cross/);
    const e3 = await refused(
      planner.zones.create.mutate({
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [y, x],
              [y + 0.01, x],
              [y, x + 0.01],
              [y, x],
            ],
          ],
        },
        name: 'x',
        unit: 'x',
        shift: 'day',
      }),
    );
    expect(code(e3)).toBe('BAD_REQUEST');
    expect(e3!.message).toMatch(/swapped latitude and longitude/);
    expect(await count()).toBe(before);
  });

  it('deletes only the version the caller saw, and restores a deleted zone under its id', async () => {
    const { geometry } = await squareInTown(0.003);
    const z = await planner.zones.create.mutate({
      geometry,
      name: '待删巡区',
      unit: '巡逻四组',
      shift: 'all',
    });
    await planner.zones.update.mutate({ id: z.id, version: 1, unit: '巡逻五组' });
    const stale = await refused(planner.zones.delete.mutate({ id: z.id, version: 1 }));
    expect(code(stale)).toBe('CONFLICT');
    expect(stale!.message).toMatch(/now version 2, yours 1/);
    expect(await zoneRow(z.id)).toMatchObject({ version: 2, unit: '巡逻五组' });

    await planner.zones.delete.mutate({ id: z.id, version: 2 });
    expect(await zoneRow(z.id)).toBeUndefined();
    const h = await s.client.zones.history.query({ id: z.id });
    expect(h.map((e) => [e.version, e.action])).toEqual([
      [3, 'delete'],
      [2, 'update'],
      [1, 'create'],
    ]);
    // a restore must name the deletion's version: nothing newer is overwritten unseen
    const unseen = await refused(planner.zones.restore.mutate({ id: z.id, version: 2, to: 1 }));
    expect(code(unseen)).toBe('CONFLICT');
    const r = await planner.zones.restore.mutate({ id: z.id, version: 3, to: 1 });
    expect(r).toEqual({ id: z.id, version: 4 });
    expect(await zoneRow(z.id)).toMatchObject({ version: 4, unit: '巡逻四组', name: '待删巡区' });
    const h2 = await s.client.zones.history.query({ id: z.id });
    expect(h2[0]).toMatchObject({ version: 4, action: 'restore', by: 'planner' });
  });

  it('restores an old geometry of a zone that still exists', async () => {
    const { geometry } = await squareInTown(0.002);
    const z = await planner.zones.create.mutate({
      geometry,
      name: '复原巡区',
      unit: '巡逻六组',
      shift: 'day',
    });
    const first = (await zoneRow(z.id))!.geom;
    const moved = structuredClone(geometry);
    if (moved.type === 'Polygon') moved.coordinates[0]![2]![0]! += 0.001;
    await planner.zones.update.mutate({ id: z.id, version: 1, geometry: moved });
    expect((await zoneRow(z.id))!.geom).not.toBe(first);
    await planner.zones.restore.mutate({ id: z.id, version: 2, to: 1 });
    expect(await zoneRow(z.id)).toMatchObject({ version: 3, geom: first });
    const audit = await auditRows(`zone:${z.id}`);
    expect(audit.map((a) => a.action)).toEqual(['zones.create', 'zones.update', 'zones.restore']);
    expect(audit[2]!.detail).toMatchObject({ before: { version: 2 }, after: { version: 3 } });
  });

  it('keeps every acknowledged edit of N concurrent editors and refuses only real conflicts', async () => {
    const { geometry } = await squareInTown(0.0025);
    const z = await planner.zones.create.mutate({
      geometry,
      name: '并发巡区',
      unit: 'u0',
      shift: 'day',
    });
    const clients = await Promise.all(
      [0, 1, 2, 3].map(async () => (await s.login('planner')).client),
    );
    const rounds = 5;
    const acknowledged: { unit: string; version: number }[] = [];
    const conflicts: { sent: number }[] = [];
    await Promise.all(
      clients.map(async (c, i) => {
        for (let j = 0; j < rounds; j++) {
          const seen = (await c.zones.history.query({ id: z.id }))[0]!.version;
          const unit = `c${i}-r${j}`;
          try {
            const r = await c.zones.update.mutate({ id: z.id, version: seen, unit });
            acknowledged.push({ unit, version: r.version! });
          } catch (e) {
            expect(code(e)).toBe('CONFLICT');
            conflicts.push({ sent: seen });
          }
        }
      }),
    );
    expect(acknowledged.length + conflicts.length).toBe(clients.length * rounds);
    expect(acknowledged.length).toBeGreaterThan(0);
    const h = await s.client.zones.history.query({ id: z.id });
    const updates = h.filter((e) => e.action === 'update');
    // each acknowledged edit is in the history under the version it was given, and only those
    expect(updates.map((e) => [e.version, e.unit]).sort()).toEqual(
      acknowledged.map((a) => [a.version, a.unit]).sort(),
    );
    // versions follow one another: nothing was overwritten
    expect(updates.map((e) => e.version).sort((a, b) => a - b)).toEqual(
      acknowledged.map((_, k) => k + 2),
    );
    // a refusal means someone else had saved the version the refused editor had seen
    for (const c of conflicts)
      expect(acknowledged.some((a) => a.version === c.sent + 1)).toBe(true);
    const last = acknowledged.reduce((a, b) => (b.version > a.version ? b : a));
    expect(await zoneRow(z.id)).toMatchObject({ version: last.version, unit: last.unit });
  });
});

describe('posts', () => {
  it('creates, moves and deletes a post with versions, and refuses cars and bad positions', async () => {
    const { center } = await squareInTown();
    const p = await planner.posts.create.mutate({ position: center, name: '试验岗亭' });
    expect(p.version).toBe(1);
    const moved: [number, number] = [center[0] + 0.001, center[1]];
    const u = await planner.posts.update.mutate({ id: p.id, version: 1, position: moved });
    expect(u.version).toBe(2);
    const list = await s.client.posts.list.query();
    const f = list.features.find((x) => x.properties.id === p.id)!;
    expect(f.geometry).toMatchObject({ type: 'Point' });
    expect((f.geometry as { coordinates: number[] }).coordinates[0]).toBeCloseTo(moved[0], 6);
    expect(f.properties).toMatchObject({ kind: 'post', version: 2, name: '试验岗亭' });

    expect(
      code(await refused(planner.posts.update.mutate({ id: p.id, version: 1, name: 'x' }))),
    ).toBe('CONFLICT');
    const [car] = await s.db.query<{ id: number; version: number }>(
      `SELECT id, version FROM patrol_units WHERE kind = 'car' LIMIT 1`,
    );
    const carErr = await refused(
      s.client.posts.update.mutate({ id: car!.id, version: car!.version, name: 'x' }),
    );
    // a leader may not edit at all; an admin-level editor gets the reason for a car
    expect(code(carErr)).toBe('FORBIDDEN');
    const carByPlanner = await refused(
      planner.posts.update.mutate({ id: car!.id, version: car!.version, name: 'x' }),
    );
    expect(code(carByPlanner)).toBe('BAD_REQUEST');
    expect(carByPlanner!.message).toMatch(/is a car, not a post/);
    // a joint patrol's geometry is its route, not a point: refused the same way, never a 500
    const [route] = await s.db.query<{ id: number; version: number }>(
      `SELECT id, version FROM patrol_units WHERE GeometryType(geom) <> 'POINT' LIMIT 1`,
    );
    for (const attempt of [
      planner.posts.update.mutate({ id: route!.id, version: route!.version, name: 'x' }),
      planner.posts.delete.mutate({ id: route!.id, version: route!.version }),
    ]) {
      const err = await refused(attempt);
      expect(code(err)).toBe('BAD_REQUEST');
      expect(err!.message).toMatch(/not a post; only posts are planned/);
    }
    const swapped = await refused(
      planner.posts.update.mutate({ id: p.id, version: 2, position: [center[1], center[0]] }),
    );
    expect(swapped!.message).toMatch(/swapped latitude and longitude/);
    const outside = await refused(
      planner.posts.update.mutate({ id: p.id, version: 2, position: await pointOutsideTown() }),
    );
    expect(code(outside)).toBe('FORBIDDEN');
    const far = await refused(
      planner.posts.create.mutate({ position: [100.5, 36.2], name: '远处' }),
    );
    expect(far!.message).toMatch(/outside the district/);

    await planner.posts.delete.mutate({ id: p.id, version: 2 });
    const h = await s.client.posts.history.query({ id: p.id });
    expect(h.map((e) => e.action)).toEqual(['delete', 'update', 'create']);
  });
});

describe('live updates', () => {
  /** Collects a stream's events until `n` have arrived; resolves with them. */
  function listen(cookie: string, n: number, lastEventId?: string) {
    const client = liveClientFor(s.url, cookie);
    const events: { id: string; data: PlanEvent }[] = [];
    let fail: (e: unknown) => void = () => {};
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve, reject) => {
      done = resolve;
      fail = reject;
    });
    const started = new Promise<void>((resolve) => {
      const sub = client.live.changes.subscribe(lastEventId ? { lastEventId } : undefined, {
        onStarted: () => resolve(),
        onData: (e) => {
          events.push(e as { id: string; data: PlanEvent });
          if (events.length >= n) done();
        },
        onError: (e) => fail(e),
        onComplete: () => fail(new Error('the stream completed')),
      });
      void finished.finally(() => sub.unsubscribe()).catch(() => sub.unsubscribe());
    });
    return { events, started, finished };
  }

  it('tells another client of each saved change, and sends what it missed when it comes back', async () => {
    const watcher = listen(s.cookie, 2);
    await watcher.started;
    const { geometry } = await squareInTown(0.0015);
    const z = await planner.zones.create.mutate({
      geometry,
      name: '直播巡区',
      unit: 'u',
      shift: 'day',
    });
    await planner.zones.update.mutate({ id: z.id, version: 1, shift: 'night' });
    await watcher.finished;
    expect(watcher.events.map((e) => e.data)).toMatchObject([
      { kind: 'zone', action: 'create', id: z.id, version: 1, by: 'planner' },
      { kind: 'zone', action: 'update', id: z.id, version: 2 },
    ]);
    // a client that saw the first event only is sent the second when it reconnects
    const again = listen(s.cookie, 1, watcher.events[0]!.id);
    await again.finished;
    expect(again.events[0]!.id).toBe(watcher.events[1]!.id);
  });

  it('ends the stream when its session ends (logout, or the user disabled)', async () => {
    const mine = await s.login('planner');
    const stream = listen(mine.cookie, 1000);
    await stream.started;
    await mine.client.auth.logout.mutate();
    await expect(stream.finished).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });

    const analyst = await s.login('analyst');
    const second = listen(analyst.cookie, 1000);
    await second.started;
    // what users.setDisabled does for an admin (who would need a second factor here)
    await setDisabled(s.db, 'analyst', true);
    await expect(second.finished).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    await setDisabled(s.db, 'analyst', false);
  });
});

describe('shutting down', () => {
  it('cuts open live streams instead of waiting for them, so that the server can stop', async () => {
    const client = liveClientFor(s.url, s.cookie);
    const started = new Promise<void>((resolve) => {
      client.live.changes.subscribe(undefined, { onStarted: () => resolve() });
    });
    await started;
    // without cutting the stream, close() would wait for it and the test would time out
    await s.app.close();
    const res = await fetch(`${s.url}/trpc/system.health`).catch((e: unknown) => e);
    expect(res).toBeInstanceOf(Error);
  });
});
