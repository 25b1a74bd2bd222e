/**
 * A wall display shows only the layers its configuration allows: the server refuses the data of
 * the others (not only the client hiding them), and the configuration is checked when set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLayers } from '../../server/auth/accounts';
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
    expect((await arrow(wall.cookie)).status).toBe(403);
    // the refusals are in the audit trail
    const [denied] = await s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE username = 'wall' AND outcome = 'denied' AND action = 'cameras.list'`,
    );
    expect(denied!.n).toBe(1);

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
