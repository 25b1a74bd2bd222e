/**
 * Accounts, sessions and permissions over real HTTP: every procedure declares its permission,
 * nothing answers without a session but health and login, each role gets exactly what its
 * permissions allow (the whole router × role matrix), camera positions are need-to-know,
 * the lockout (with a moved clock), idle and absolute timeouts, logout and disabling.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can, ROLES, type Permission, type Role } from '../../domain/policy';
import { setDisabled } from '../../server/auth/accounts';
import { addIntegration } from '../../server/auth/tokens';
import { appRouter } from '../../server/router';
import { categoryTable, ingestIncidents } from '../../server/services/ingest';
import { LOGIN_REFUSED } from '../../server/routers/auth';
import { TEST_PASSWORD } from '../setup/template';
import * as OTPAuth from 'otpauth';
import { clientFor, loginCookie, startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
let clock = Date.parse('2026-07-01T09:00:00+08:00');
beforeAll(async () => {
  s = await startTestServer({ now: () => new Date(clock) });
  // one incident from a feed, so that the incident streams have an event to send
  const [at] = await s.db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM incidents ORDER BY id LIMIT 1`,
  );
  const fed = await ingestIncidents(
    s.db,
    'test-feed',
    [{ sourceId: 'S-1', time: '2026-06-30T12:00:00+08:00', category: 'traffic', ...at }],
    { categories: categoryTable(), now: clock },
  );
  expect(fed.results[0]!.outcome).toBe('created');
});
afterAll(async () => {
  await s?.close();
});

interface Proc {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  permission: Permission | undefined;
}

const procedures: Proc[] = Object.entries(
  appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: Proc['type']; meta?: { permission?: Permission } } }
  >,
).map(([path, p]) => ({ path, type: p._def.type, permission: p._def.meta?.permission }));

/**
 * Opens a subscription (SSE) from the first event on and returns the HTTP status of its first
 * answer: a stream answers 200 and sends errors in the stream, with their status.
 */
async function subscribe(path: string, headers: Record<string, string>): Promise<number> {
  const stop = new AbortController();
  // from the first event on (the combined stream's id names where it stands in both)
  const from = path === 'live.all' ? 'p0.i0' : '0';
  const input = encodeURIComponent(JSON.stringify({ lastEventId: from }));
  const res = await fetch(`${s.url}/trpc/${path}?input=${input}`, { headers, signal: stop.signal });
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`${path}: the stream ended before its first message`);
      text += value;
      const error = /event: serialized-error\ndata: (.*)\n/.exec(text);
      if (error) return (JSON.parse(error[1]!) as { data: { httpStatus: number } }).data.httpStatus;
      if (/^id: [\w.]+\n/m.test(text)) return res.status;
    }
  } finally {
    stop.abort();
  }
}

/**
 * Calls a procedure over HTTP with no input, with a session cookie or an API token
 * ('Bearer …'); returns the HTTP status.
 */
async function call(p: Proc, credential?: string): Promise<number> {
  const headers: Record<string, string> = { 'x-trpc-source': 'test', origin: s.url };
  if (credential?.startsWith('Bearer ')) headers.authorization = credential;
  else if (credential) headers.cookie = credential;
  if (p.type === 'subscription') return subscribe(p.path, headers);
  const res =
    p.type === 'mutation'
      ? await fetch(`${s.url}/trpc/${p.path}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: '{}',
        })
      : await fetch(`${s.url}/trpc/${p.path}`, { headers });
  await res.arrayBuffer();
  return res.status;
}

describe('permissions', () => {
  it('has a permission declared on every procedure', () => {
    expect(procedures.length).toBeGreaterThan(25);
    const missing = procedures.filter((p) => !p.permission).map((p) => p.path);
    expect(missing).toEqual([]);
    // only health and login are open
    expect(
      procedures
        .filter((p) => p.permission === 'public')
        .map((p) => p.path)
        .sort(),
    ).toEqual(['auth.login', 'system.health']);
  });

  it('answers UNAUTHORIZED to every call without a session, except health and login', async () => {
    for (const p of procedures) {
      const status = await call(p);
      if (p.permission === 'public') expect(status, p.path).not.toBe(401);
      else expect(status, p.path).toBe(401);
    }
    const arrow = await fetch(`${s.url}/api/incidents.arrow?from=2026-06-01&to=2026-07-01`);
    expect(arrow.status).toBe(401);
  });

  it('gives each role exactly what its permissions allow, across the whole router', async () => {
    for (const role of ROLES.filter((r) => r !== 'admin') as Role[]) {
      const username = role === 'display' ? 'wall' : role;
      // an integration account has no password: it sends an API token
      const cookie =
        role === 'integration'
          ? `Bearer ${await addIntegration(s.db, { username })}`
          : await loginCookie(s.url, username);
      for (const p of procedures) {
        if (p.path === 'auth.logout' || p.path === 'auth.logoutEverywhere') continue;
        const status = await call(p, cookie);
        if (p.permission && can(role, p.permission))
          expect(status, `${role} ${p.path}`).not.toBe(403);
        else expect(status, `${role} ${p.path}`).toBe(403);
        expect(status, `${role} ${p.path}`).not.toBe(401);
      }
    }
    // every procedure of the router for every role: it grows with the router
  }, 180_000);

  it('keeps an admin without a second factor to their own session until they set one up', async () => {
    const cookie = await loginCookie(s.url, 'admin');
    for (const p of procedures) {
      if (p.path === 'auth.logout' || p.path === 'auth.logoutEverywhere') continue;
      const status = await call(p, cookie);
      if (p.permission === 'public' || p.permission === 'session')
        expect(status, p.path).not.toBe(403);
      else expect(status, p.path).toBe(403);
    }
  });

  it('sends no camera position to a role without the permission, and nothing is cached', async () => {
    const analyst = await s.login('analyst');
    await expect(analyst.client.cameras.list.query({})).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    await expect(analyst.client.coverage.gaps.query({})).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    // what the analyst may read carries no camera coordinates
    const sites = await analyst.client.coverage.sites.query({ bufferM: 50 });
    expect(JSON.stringify(sites)).not.toMatch(/"coordinates"/);
    const res = await fetch(`${s.url}/trpc/regions.towns`, {
      headers: { cookie: analyst.cookie },
    });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('tells who is signed in, with role and areas', async () => {
    const planner = await s.login('planner');
    const me = await planner.client.auth.me.query();
    expect(me.username).toBe('planner');
    expect(me.role).toBe('planner');
    expect(me.areas.towns).toHaveLength(1);
    const leader = await s.client.auth.me.query();
    expect(leader).toMatchObject({ username: 'leader', role: 'leader' });
  });
});

describe('sign-in', () => {
  const attempt = (username: string, password: string) =>
    fetch(`${s.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-trpc-source': 'test', origin: s.url },
      body: JSON.stringify({ username, password }),
    }).then(async (r) => ({
      status: r.status,
      message: ((await r.json()) as { error: { message: string } }).error?.message,
      cookie: r.headers.get('set-cookie'),
    }));

  it('answers an unknown user exactly as a wrong password', async () => {
    const unknown = await attempt('nobody', 'whatever-password-1');
    const wrong = await attempt('analyst', 'whatever-password-1');
    expect(unknown).toEqual(wrong);
    expect(wrong.status).toBe(401);
    expect(wrong.message).toBe(LOGIN_REFUSED);
    expect(wrong.cookie).toBeNull();
  });

  it('locks an account for ten minutes after five failures in a row', async () => {
    // analyst failed once above; the count starts again after a success
    await loginCookie(s.url, 'analyst');
    for (let i = 0; i < 5; i++)
      expect((await attempt('analyst', `wrong-password-${i}`)).status).toBe(401);
    const locked = await attempt('analyst', TEST_PASSWORD);
    expect(locked.status).toBe(401);
    expect(locked.message).toBe(LOGIN_REFUSED);
    clock += 9 * 60_000;
    expect((await attempt('analyst', TEST_PASSWORD)).status).toBe(401);
    clock += 2 * 60_000;
    expect((await attempt('analyst', TEST_PASSWORD)).status).toBe(200);
  });

  it('refuses four failures then a success without locking', async () => {
    for (let i = 0; i < 4; i++) await attempt('leader', `wrong-password-${i}`);
    expect((await attempt('leader', TEST_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i++) await attempt('leader', `wrong-password-${i}`);
    expect((await attempt('leader', TEST_PASSWORD)).status).toBe(200);
  });
});

describe('sessions', () => {
  const me = (cookie: string) =>
    fetch(`${s.url}/trpc/auth.me`, { headers: { cookie } }).then((r) => r.status);

  it('ends at logout', async () => {
    const { client, cookie } = await s.login('leader');
    expect(await me(cookie)).toBe(200);
    await client.auth.logout.mutate();
    expect(await me(cookie)).toBe(401);
  });

  it('ends when unused for the idle time, and after the absolute lifetime however used', async () => {
    const idle = await s.login('leader');
    await s.db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 second'
       WHERE token = split_part($1, '.', 1)`,
      [decodeURIComponent(idle.cookie.split('=')[1]!)],
    );
    expect(await me(idle.cookie)).toBe(401);

    const old = await s.login('leader');
    expect(await me(old.cookie)).toBe(200);
    // signed in 12 hours and a minute before the server's clock, though used a moment ago
    await s.db.query(
      `UPDATE sessions SET created_at = $2::timestamptz - interval '12 hours 1 minute'
       WHERE token = split_part($1, '.', 1)`,
      [decodeURIComponent(old.cookie.split('=')[1]!), new Date(clock).toISOString()],
    );
    expect(await me(old.cookie)).toBe(401);
  });

  it('ends every session of a user who is disabled, at once', async () => {
    const a = await s.login('planner');
    const b = await s.login('planner');
    expect(await me(a.cookie)).toBe(200);
    await setDisabled(s.db, 'planner', true);
    expect(await me(a.cookie)).toBe(401);
    expect(await me(b.cookie)).toBe(401);
    await expect(s.login('planner')).rejects.toThrow(/401/);
    await setDisabled(s.db, 'planner', false);
    expect(await me((await s.login('planner')).cookie)).toBe(200);
  });
});

describe('second factor and audit trail', () => {
  it('lets an admin set up TOTP, then requires the code, and shows the audit trail', async () => {
    const first = await s.login('admin');
    await expect(first.client.audit.list.query({ limit: 5 })).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    await expect(
      first.client.auth.totpSetup.mutate({ password: 'not-the-password' }),
    ).rejects.toThrow(/password: is not right/);
    const { totpURI, backupCodes } = await first.client.auth.totpSetup.mutate({
      password: TEST_PASSWORD,
    });
    expect(totpURI).toMatch(/^otpauth:\/\/totp\//);
    expect(backupCodes.length).toBeGreaterThan(5);
    const totp = OTPAuth.URI.parse(totpURI) as OTPAuth.TOTP;
    const setupCode = totp.generate();
    await first.client.auth.totpVerify.mutate({ code: setupCode });

    // from now on the password alone is not enough
    await expect(s.login('admin')).rejects.toThrow(/6-digit code/);
    // the code that turned the factor on is used up: the next step's code (accepted a step early)
    const next = () => totp.generate({ timestamp: Date.now() + 30_000 });
    await expect(loginCookie(s.url, 'admin', TEST_PASSWORD, setupCode)).rejects.toThrow(/401/);
    const cookie = await loginCookie(s.url, 'admin', TEST_PASSWORD, next());
    const admin = clientFor(s.url, cookie);
    expect((await admin.auth.me.query()).twoFactorEnabled).toBe(true);

    // the trail: one row per audited call, with who, what, outcome and address
    const before = (await admin.audit.list.query({ limit: 1 })).items[0]!.id;
    await attemptLogin('leader', 'a-wrong-password-1');
    const analyst = await s.login('analyst');
    await expect(analyst.client.cameras.list.query({})).rejects.toThrow();
    await analyst.client.auth.logout.mutate();
    const rows = (await admin.audit.list.query({ limit: 50 })).items.filter((r) => r.id > before);
    // newest first; audit.list itself is a query, not audited
    expect(rows.map((r) => [r.action, r.outcome, r.username])).toEqual([
      ['auth.logout', 'ok', 'analyst'],
      ['cameras.list', 'denied', 'analyst'],
      ['auth.login', 'ok', 'analyst'],
      ['auth.login', 'failed', 'leader'],
    ]);
    for (const r of rows) {
      expect(r.ip).toBe('127.0.0.1');
      expect(Date.parse(r.at)).toBeGreaterThan(Date.now() - 60_000);
    }
    expect(rows[3]!.detail).toEqual({ reason: 'wrong password' });
    expect((await admin.audit.verify.query()).ok).toBe(true);

    // an admin cannot lock themselves out (so one admin always stays enabled)
    await expect(
      admin.users.setDisabled.mutate({ username: 'admin', disabled: true }),
    ).rejects.toThrow(/you may not disable yourself/);
    expect((await admin.users.list.query()).find((u) => u.username === 'admin')?.disabled).toBe(
      false,
    );
  });
});

function attemptLogin(username: string, password: string) {
  return fetch(`${s.url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-trpc-source': 'test', origin: s.url },
    body: JSON.stringify({ username, password }),
  }).then((r) => r.status);
}
