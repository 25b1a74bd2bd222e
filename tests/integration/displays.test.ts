/**
 * A wall display shows only the layers its configuration allows: the server refuses the data of
 * the others (not only the client hiding them), and the configuration is checked when set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLayers } from '../../server/auth/accounts';
import { LAYER_RULES, layerAllows, MAP_LAYERS } from '../../domain/policy';
import { appRouter } from '../../server/router';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

const arrow = (cookie: string) =>
  fetch(`${s.url}/api/incidents.arrow?from=2026-06-01&to=2026-07-01`, { headers: { cookie } });

describe('display layers', () => {
  it('refuses a limited display the data of the layers it may not show, at once', async () => {
    const wall = await s.login('wall');
    // not limited: everything its role reads
    expect((await wall.client.auth.me.query()).layers).toBeNull();
    await expect(wall.client.cameras.list.query({})).resolves.toMatchObject({
      type: 'FeatureCollection',
    });

    await setLayers(s.db, 'wall', ['heat', 'circles']);
    expect((await wall.client.auth.me.query()).layers).toEqual(['heat', 'circles']);
    const refused = await wall.client.cameras.list
      .query({})
      .then(() => new Error('accepted'))
      .catch((e: unknown) => e as Error);
    expect(refused).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(refused.message).toMatch(/not configured to show cameras\.list/);
    await expect(wall.client.zones.list.query()).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    await expect(wall.client.circles.list.query()).resolves.toMatchObject({
      type: 'FeatureCollection',
    });
    // boundaries and indicators are not layers a display can lose
    await expect(wall.client.regions.towns.query()).resolves.toBeDefined();
    expect((await arrow(wall.cookie)).status).toBe(200);

    await setLayers(s.db, 'wall', ['circles']);
    const refusedArrow = await arrow(wall.cookie);
    expect(refusedArrow.status).toBe(403);
    expect(await refusedArrow.json()).toEqual({
      error: 'this display is not configured to show incidents on the map',
    });
    // the refusals are in the audit trail
    for (const action of ['cameras.list', 'incidents.arrow']) {
      const [denied] = await s.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM audit_log WHERE username = 'wall' AND outcome = 'denied' AND action = $1`,
        [action],
      );
      expect(denied!.n, action).toBe(1);
    }

    await setLayers(s.db, 'wall', null);
    expect((await arrow(wall.cookie)).status).toBe(200);
  });

  it('checks a configuration when it is set: known layers, displays only', async () => {
    await expect(setLayers(s.db, 'wall', ['heat', 'nonsense'])).rejects.toThrow(
      /layers: unknown nonsense/,
    );
    await expect(setLayers(s.db, 'leader', ['heat'])).rejects.toThrow(/only a display is limited/);
    await expect(setLayers(s.db, 'nobody', ['heat'])).rejects.toThrow(/no user "nobody"/);
    const [row] = await s.db.query<{ layers: string | null }>(
      `SELECT layers FROM users WHERE username = 'wall'`,
    );
    expect(row!.layers).toBeNull();
  });

  it('leaves other roles unlimited whatever is stored for them', async () => {
    await s.db.query(`UPDATE users SET layers = '["heat"]' WHERE username = 'leader'`);
    const leader = await s.login('leader');
    expect((await leader.client.auth.me.query()).layers).toBeNull();
    await expect(leader.client.cameras.list.query({})).resolves.toBeDefined();
    await s.db.query(`UPDATE users SET layers = NULL WHERE username = 'leader'`);
  });
});

describe('the table of what each procedure carries', () => {
  it('names every procedure of the API, and nothing that is not one', () => {
    const procedures = Object.keys(appRouter._def.procedures).sort();
    const missing = procedures.filter((p) => !Object.hasOwn(LAYER_RULES, p));
    expect(missing, 'procedures missing from LAYER_RULES in domain/policy.ts').toEqual([]);
    const stale = Object.keys(LAYER_RULES).filter(
      (p) => !p.startsWith('/') && !procedures.includes(p),
    );
    expect(stale, 'LAYER_RULES entries that are no procedure').toEqual([]);
    for (const rule of Object.values(LAYER_RULES))
      if (typeof rule === 'object')
        for (const l of 'any' in rule ? rule.any : rule.all) expect(MAP_LAYERS).toContain(l);
  });

  it('refuses a limited display anything the table does not name', () => {
    const every = [...MAP_LAYERS];
    expect(layerAllows(every, 'zones.export')).toBe(false);
    expect(layerAllows(every, '/api/zones.geojson')).toBe(false);
    expect(layerAllows(every, 'toString')).toBe(false);
    expect(layerAllows(every, 'users.list')).toBe(false);
    // not limited: the table does not apply (the role's permissions do)
    expect(layerAllows(null, 'zones.export')).toBe(true);
  });
});

describe('a display limited to heat and circles', () => {
  let wall: Awaited<ReturnType<TestServer['login']>>;
  let zoneId: number;
  let postId: number;
  let incidentId: number;
  const refused = async (call: () => Promise<unknown>, path: string) => {
    const err = await call().then(
      () => new Error('accepted'),
      (e: unknown) => e as Error,
    );
    expect(err, path).toMatchObject({ data: { code: 'FORBIDDEN' } });
    expect(err.message).toContain(`not configured to show ${path}`);
  };

  beforeAll(async () => {
    wall = await s.login('wall');
    const [z] = await s.db.query<{ id: number }>('SELECT id FROM patrol_zones ORDER BY id LIMIT 1');
    const [p] = await s.db.query<{ id: number }>(
      `SELECT id FROM patrol_units WHERE kind = 'post' ORDER BY id LIMIT 1`,
    );
    const [i] = await s.db.query<{ id: number }>('SELECT id FROM incidents ORDER BY id LIMIT 1');
    [zoneId, postId, incidentId] = [z!.id, p!.id, Number(i!.id)];
    await setLayers(s.db, 'wall', ['heat', 'circles']);
  });
  afterAll(async () => {
    await setLayers(s.db, 'wall', null);
  });

  it('gets no zone shapes: zones.history, plan.evaluate', async () => {
    await refused(() => wall.client.zones.history.query({ id: zoneId }), 'zones.history');
    await refused(() => wall.client.plan.evaluate.query({}), 'plan.evaluate');
  });

  it('gets no post positions: posts.history', async () => {
    await refused(() => wall.client.posts.history.query({ id: postId }), 'posts.history');
  });

  it('gets no incident points: incidents.list, incidents.get', async () => {
    const window = { from: '2026-06-01', to: '2026-07-01' };
    await refused(() => wall.client.incidents.list.query(window), 'incidents.list');
    await refused(() => wall.client.incidents.get.query({ id: incidentId }), 'incidents.get');
    // the counts stay: they are indicators, not points
    await expect(
      wall.client.incidents.summary.query({ ...window, groupBy: 'category' }),
    ).resolves.toBeDefined();
  });

  it('gets no site names: sites.list, coverage.sites', async () => {
    await refused(() => wall.client.sites.list.query(), 'sites.list');
    await refused(() => wall.client.coverage.sites.query({ bufferM: 50 }), 'coverage.sites');
  });

  it('gets each once its layers are configured', async () => {
    await setLayers(s.db, 'wall', ['zones']);
    await expect(wall.client.zones.history.query({ id: zoneId })).resolves.not.toHaveLength(0);
    // a draft is measured against the saved zones and the posts: both layers are needed
    await refused(() => wall.client.plan.evaluate.query({}), 'plan.evaluate');
    await refused(() => wall.client.posts.history.query({ id: postId }), 'posts.history');
    await setLayers(s.db, 'wall', ['zones', 'posts', 'points']);
    await expect(wall.client.plan.evaluate.query({})).resolves.toHaveProperty('saved');
    await expect(wall.client.posts.history.query({ id: postId })).resolves.not.toHaveLength(0);
    await expect(wall.client.incidents.get.query({ id: incidentId })).resolves.toBeDefined();
    await setLayers(s.db, 'wall', ['heat', 'circles']);
  });
});
