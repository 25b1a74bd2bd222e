/**
 * Sign-in, sessions, rate limits, CSRF and headers as an outside tester attacks them over real
 * HTTP: logins hidden in batches behind other procedures and decoy cookies, parallel guesses, the
 * right password during a lock, a replayed second-factor code, idle sessions and their live
 * streams, decoy cookies and health-first batches against the API limit, Origin against the
 * configured public origins, frame headers, and the audit rows of each refusal.
 */
import { request } from 'node:http';
import type { FastifyInstance } from 'fastify';
import * as OTPAuth from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app';
import { argon, MAX_FAILURES } from '../../server/auth/signin';
import type { RateLimits } from '../../server/hardening';
import { LOGIN_REFUSED } from '../../server/routers/auth';
import { TEST_PASSWORD } from '../setup/template';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';
import { clientFor, liveClientFor, loginCookie, TEST_AUTH } from '../setup/testServer';

interface Served extends TestDatabase {
  app: FastifyInstance;
  url: string;
  close(): Promise<void>;
}

/** The real server on a loopback port over this file's own database copy. */
async function serve(
  opts: { limits?: RateLimits; now?: () => Date; publicOrigins?: string[] } = {},
): Promise<Served> {
  const tdb = await openTestDatabase();
  const app = await buildApp({
    db: tdb.db,
    logLevel: 'silent',
    clientDir: '/nonexistent',
    auth: TEST_AUTH,
    now: opts.now,
    limits: opts.limits ?? { login: 10_000, api: 100_000 },
    publicOrigins: opts.publicOrigins,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr !== 'object') throw new Error('server did not bind');
  return {
    ...tdb,
    app,
    url: `http://127.0.0.1:${addr.port}`,
    close: async () => {
      await app.close().catch(() => undefined);
      await tdb.dispose();
    },
  };
}

interface Answer {
  status: number;
  body: unknown;
  cookie: string | null;
}

/** A raw HTTP call to `path` (under /trpc) as the application's own client would make it. */
async function call(
  s: Served,
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const res = await fetch(`${s.url}/trpc/${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      'x-trpc-source': 'test',
      origin: s.url,
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text ? (JSON.parse(text) as unknown) : null,
    cookie: res.headers.get('set-cookie'),
  };
}

const login = (s: Served, username: string, password: string, headers?: Record<string, string>) =>
  call(s, 'auth.login', { body: { username, password }, headers });

/** The error code of a tRPC answer (the first call's, for a batch). */
function code(a: Answer): string | undefined {
  const b = (Array.isArray(a.body) ? a.body[0] : a.body) as {
    error?: { data?: { code?: string } };
  } | null;
  return b?.error?.data?.code;
}
function message(a: Answer): string | undefined {
  const b = (Array.isArray(a.body) ? a.body[0] : a.body) as { error?: { message?: string } } | null;
  return b?.error?.message;
}

/** A cookie that looks like a session cookie but was not signed by this server. */
const decoy = (i: number) =>
  `pingan.session_token=${encodeURIComponent(`decoy${i}token.${Buffer.alloc(32, i).toString('base64')}`)}`;

async function failedLogins(s: Served, username: string) {
  const [r] = await s.db.query<{ n: number; locked: Date | null }>(
    `SELECT failed_logins AS n, locked_until AS locked FROM users WHERE username = $1`,
    [username],
  );
  return r!;
}

async function auditRows(s: Served, since: number, action: string) {
  return s.db.query<{ outcome: string; username: string | null; detail: Record<string, unknown> }>(
    `SELECT outcome, username, detail FROM audit_log WHERE id > $1 AND action = $2 ORDER BY id`,
    [since, action],
  );
}
async function lastAuditId(s: Served) {
  const [r] = await s.db.query<{ id: string | null }>(`SELECT max(id)::text AS id FROM audit_log`);
  return Number(r?.id ?? 0);
}

describe('rate limits', () => {
  let s: Served;
  let leader: string;
  let leaderAgain: string;
  let analyst: string;
  beforeAll(async () => {
    // 10 sign-ins a minute per address, 60 API calls a minute per user
    s = await serve({ limits: { login: 10, api: 60 } });
    // three sign-ins of the ten, and three calls of the address's API budget
    leader = await loginCookie(s.url, 'leader');
    leaderAgain = await loginCookie(s.url, 'leader');
    analyst = await loginCookie(s.url, 'analyst');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('counts logins hidden in a batch behind another procedure, with a decoy cookie, and runs none of them', async () => {
    const since = await lastAuditId(s);
    const guess = { username: 'planner', password: 'a-guessed-password' };
    const answers: Answer[] = [];
    // six more attempts from this address: by POST and by GET, each behind system.health
    for (let i = 0; i < 3; i++)
      answers.push(
        await call(s, 'system.health,auth.login?batch=1', {
          body: { 0: {}, 1: guess },
          headers: { cookie: decoy(i), 'x-forwarded-for': `10.0.0.${i}` },
        }),
      );
    for (let i = 3; i < 6; i++)
      answers.push(
        await call(
          s,
          `system.health,auth.login?batch=1&input=${encodeURIComponent(JSON.stringify({ 1: guess }))}`,
          { headers: { cookie: decoy(i) } },
        ),
      );
    for (const a of answers) {
      expect(a.status).toBe(400);
      expect(code(a)).toBe('BAD_REQUEST');
      expect(message(a)).toMatch(/auth\.login cannot be batched: send it alone/);
    }
    // the tenth, alone, runs; the eleventh is refused before it runs
    expect((await login(s, 'planner', 'a-guessed-password', { cookie: decoy(99) })).status).toBe(
      401,
    );
    const refused = await login(s, 'planner', TEST_PASSWORD, { cookie: decoy(100) });
    expect(refused.status).toBe(429);
    expect(code(refused)).toBe('TOO_MANY_REQUESTS');
    expect(message(refused)).toMatch(/at most 10 a minute from one address/);
    expect(refused.cookie).toBeNull();
    // a batch of guesses plus the right password does not get through either
    const batch = await call(s, 'auth.login,auth.login?batch=1', {
      body: { 0: guess, 1: { username: 'planner', password: TEST_PASSWORD } },
    });
    expect(batch.status).toBe(429);
    expect(batch.cookie).toBeNull();

    // only the one lone attempt had its password looked at
    expect((await failedLogins(s, 'planner')).n).toBe(1);
    const rows = await auditRows(s, since, 'auth.login');
    expect(rows.filter((r) => r.outcome === 'failed')).toHaveLength(1);
    expect(rows.filter((r) => /in a batch/.test(String(r.detail.reason)))).toHaveLength(6);
    const limited = rows.filter((r) => /rate limit/.test(String(r.detail.reason)));
    // the first refusal of the window is recorded, not each one
    expect(limited).toHaveLength(1);
    expect(limited[0]).toMatchObject({ outcome: 'denied', detail: { path: '/trpc/auth.login' } });
  });

  it('keys anonymous calls by address, whatever decoy cookie they carry, health-first batches included', async () => {
    const since = await lastAuditId(s);
    const statuses: number[] = [];
    for (let i = 0; i < 60 && !statuses.includes(429); i++) {
      const path = i % 2 ? 'regions.towns' : 'system.health,regions.towns?batch=1';
      statuses.push((await call(s, path, { headers: { cookie: decoy(i) } })).status);
    }
    // the address had spent part of its 60 calls on the sign-ins above; each decoy got nothing more
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.length).toBeLessThan(60);
    // a cookie signed with another secret is a decoy too
    const token = decodeURIComponent(/pingan\.session_token=([^;]*)/.exec(leader)![1]!).split(
      '.',
    )[0];
    const forgedCookie = `pingan.session_token=${encodeURIComponent(`${token}.${Buffer.alloc(32, 1).toString('base64')}`)}`;
    const forged = await call(s, 'regions.towns', { headers: { cookie: forgedCookie } });
    expect(forged.status).toBe(429);
    // health alone is never limited (walls and monitors poll it)
    expect((await call(s, 'system.health')).status).toBe(200);
    expect((await call(s, 'system.health,system.health?batch=1&input=%7B%7D')).status).toBe(200);
    // signed-in users have budgets of their own
    expect((await call(s, 'regions.towns', { headers: { cookie: analyst } })).status).toBe(200);
    const rows = await auditRows(s, since, 'request.rate_limit');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ outcome: 'denied', username: null });
  });

  it('counts every call of a batch against the user, across their sessions', async () => {
    const twenty = Array.from({ length: 20 }, () => 'regions.towns').join(',');
    const batch = (cookie: string) =>
      call(s, `${twenty}?batch=1&input=%7B%7D`, { headers: { cookie } });
    // the leader's 60 calls: three batches of 20, from either of their sessions
    expect((await batch(leader)).status).toBe(200);
    expect((await batch(leaderAgain)).status).toBe(200);
    expect((await batch(leader)).status).toBe(200);
    const over = await batch(leaderAgain);
    expect(over.status).toBe(429);
    expect(over.body).toHaveLength(20);
    expect(code(over)).toBe('TOO_MANY_REQUESTS');
    // health first changes nothing
    const healthFirst = await call(s, 'system.health,regions.towns?batch=1&input=%7B%7D', {
      headers: { cookie: leader },
    });
    expect(healthFirst.status).toBe(429);
    // a decoy cookie next to the real one does not open a fresh budget either
    expect(
      (await call(s, 'regions.towns', { headers: { cookie: `${leader}; ${decoy(7)}` } })).status,
    ).toBe(429);
    // the analyst is not affected
    expect((await call(s, 'regions.towns', { headers: { cookie: analyst } })).status).toBe(200);
  });
});

describe('sign-in', () => {
  let s: Served;
  let clock = Date.now();
  beforeAll(async () => {
    s = await serve({ now: () => new Date(clock) });
  });
  afterAll(async () => {
    await s?.close();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('checks no more than five passwords of 30 parallel guesses and batches, then refuses the right one', async () => {
    const since = await lastAuditId(s);
    const guesses = Array.from({ length: 30 }, (_, i) =>
      login(s, 'planner', `wrong-password-${i}`),
    );
    const batches = Array.from({ length: 3 }, () =>
      call(s, `${Array.from({ length: 19 }, () => 'auth.login').join(',')}?batch=1`, {
        body: Object.fromEntries(
          Array.from({ length: 19 }, (_, i) => [
            i,
            { username: 'planner', password: i === 18 ? TEST_PASSWORD : `wrong-${i}` },
          ]),
        ),
      }),
    );
    const answers = await Promise.all([...guesses, ...batches]);
    for (const a of answers.slice(0, 30)) {
      expect(a.status).toBe(401);
      expect(message(a)).toBe(LOGIN_REFUSED);
    }
    for (const a of answers.slice(30)) expect(a.status).toBe(400);
    const state = await failedLogins(s, 'planner');
    expect(state.n).toBe(30);
    expect(state.locked).not.toBeNull();
    const reasons = (await auditRows(s, since, 'auth.login')).map((r) => r.detail.reason);
    expect(reasons.filter((r) => r === 'wrong password')).toHaveLength(MAX_FAILURES);
    expect(reasons.filter((r) => r === 'locked')).toHaveLength(30 - MAX_FAILURES);

    // the right password during the lock is refused, and does not lift it
    const right = await login(s, 'planner', TEST_PASSWORD);
    expect(right.status).toBe(401);
    expect(right.cookie).toBeNull();
    expect((await failedLogins(s, 'planner')).locked).not.toBeNull();
    clock += 11 * 60_000;
    expect((await login(s, 'planner', TEST_PASSWORD)).status).toBe(200);
    expect(await failedLogins(s, 'planner')).toEqual({ n: 0, locked: null });
    clock = Date.now();
  });

  it('does the same work for an unknown user as for a wrong password', async () => {
    const verify = vi.spyOn(argon, 'verify');
    const statements: string[] = [];
    const query = s.db.query.bind(s.db);
    vi.spyOn(s.db, 'query').mockImplementation((text: string, params?: unknown[]) => {
      statements.push(text.replace(/\s+/g, ' ').trim());
      return query(text, params);
    });
    const work = async (username: string) => {
      verify.mockClear();
      statements.length = 0;
      const a = await login(s, username, 'not-the-password-1');
      expect(a.status).toBe(401);
      expect(message(a)).toBe(LOGIN_REFUSED);
      return { verifications: verify.mock.calls.length, statements: [...statements] };
    };
    const unknown = await work('nobody-here');
    const wrong = await work('analyst');
    expect(unknown.verifications).toBe(1);
    expect(wrong.verifications).toBe(1);
    expect(wrong.statements).toEqual(unknown.statements);
    // the attempt was counted in the same statement for the real user (and matched no row for the other)
    expect(wrong.statements.filter((q) => /^UPDATE users/.test(q))).toHaveLength(1);
    vi.restoreAllMocks();
    await loginCookie(s.url, 'analyst');
  });

  it('accepts a second-factor code once', async () => {
    const first = clientFor(s.url, await loginCookie(s.url, 'admin'));
    const { totpURI } = await first.auth.totpSetup.mutate({ password: TEST_PASSWORD });
    const totp = OTPAuth.URI.parse(totpURI) as OTPAuth.TOTP;
    const setup = totp.generate();
    await first.auth.totpVerify.mutate({ code: setup });
    const withCode = (c: string) =>
      call(s, 'auth.login', { body: { username: 'admin', password: TEST_PASSWORD, totp: c } });
    // the code that turned the factor on does not sign in
    const replayedSetup = await withCode(setup);
    expect(replayedSetup.status).toBe(401);
    expect(replayedSetup.cookie).toBeNull();
    // the next step's code (accepted a step early) signs in once, and only once
    const next = totp.generate({ timestamp: Date.now() + 30_000 });
    const ok = await withCode(next);
    expect(ok.status).toBe(200);
    expect(ok.cookie).toMatch(/pingan\.session_token=/);
    const again = await withCode(next);
    expect(again.status).toBe(401);
    expect(again.cookie).toBeNull();
    const [row] = await auditRows(s, (await lastAuditId(s)) - 1, 'auth.login');
    expect(row?.detail.reason).toBe('wrong or already used second-factor code');
  });

  it('ends a session unused for the idle time, slides it with each use, and ends its live stream', async () => {
    clock = Date.now();
    const cookie = await loginCookie(s.url, 'leader');
    const me = () => call(s, 'auth.me', { headers: { cookie } }).then((a) => a.status);
    expect(await me()).toBe(200);
    // used every 20 minutes: still open after 40
    clock += 20 * 60_000;
    expect(await me()).toBe(200);
    clock += 20 * 60_000;
    expect(await me()).toBe(200);
    // then 31 minutes unused (the default SESSION_IDLE_MINUTES is 30)
    clock += 31 * 60_000;
    expect(await me()).toBe(401);
    const token = decodeURIComponent(cookie.split('=')[1]!.split(';')[0]!).split('.')[0];
    expect(await s.db.query(`SELECT 1 FROM sessions WHERE token = $1`, [token])).toHaveLength(0);

    // a live stream does not keep its session alive: it ends when the session idles out
    clock = Date.now();
    const analyst = await loginCookie(s.url, 'analyst');
    const client = liveClientFor(s.url, analyst);
    let sub: { unsubscribe(): void } | undefined;
    const ended = new Promise<unknown>((resolve, reject) => {
      const started = () => {
        clock += 31 * 60_000;
      };
      sub = client.live.changes.subscribe(undefined, {
        onStarted: started,
        onError: resolve,
        onComplete: () => reject(new Error('the stream completed without an error')),
      });
    });
    await expect(ended).resolves.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
    sub?.unsubscribe();
    clock = Date.now();
  });
});

describe('CSRF and headers', () => {
  let s: Served;
  const PUBLIC = 'https://pingan.example.gov.cn';
  beforeAll(async () => {
    s = await serve({ publicOrigins: [PUBLIC] });
  });
  afterAll(async () => {
    await s?.close();
  });

  /** POST with a chosen Host header (fetch does not let one set it). */
  function rawPost(path: string, headers: Record<string, string>, body: string) {
    const { port } = new URL(s.url);
    return new Promise<number>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: `/trpc/${path}`, method: 'POST', headers },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('accepts changes only from the configured public origins, never by the Host header', async () => {
    const since = await lastAuditId(s);
    const body = JSON.stringify({ username: 'leader', password: TEST_PASSWORD });
    const json = { 'content-type': 'application/json', 'x-trpc-source': 'test' };
    // the listen address is not a public origin when PUBLIC_ORIGIN names another
    const own = await login(s, 'leader', TEST_PASSWORD);
    expect(own.status).toBe(403);
    expect(message(own)).toMatch(/PUBLIC_ORIGIN/);
    // an attacker's page whose Host and Origin agree is refused
    expect(
      await rawPost(
        'auth.login',
        { ...json, host: 'evil.example', origin: 'http://evil.example' },
        body,
      ),
    ).toBe(403);
    // the public origin is accepted, whatever Host the proxy passes
    expect(
      await rawPost('auth.login', { ...json, host: 'internal:3000', origin: PUBLIC }, body),
    ).toBe(200);
    const rows = await auditRows(s, since, 'request.csrf');
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows[0]).toMatchObject({ outcome: 'denied', detail: { reason: 'cross-origin' } });
    // repeated refusals of one address and reason make one row a minute, not one each
    for (let i = 0; i < 5; i++) await login(s, 'leader', TEST_PASSWORD);
    expect((await auditRows(s, since, 'request.csrf')).length).toBe(rows.length);
  });

  it('forbids framing the same way in both headers', async () => {
    const res = await fetch(`${s.url}/trpc/system.health`);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('the default public origin', () => {
  let s: Served;
  beforeAll(async () => {
    s = await serve();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('is the listen address, and its localhost name', async () => {
    const { port } = new URL(s.url);
    for (const origin of [s.url, `http://localhost:${port}`])
      expect((await login(s, 'leader', TEST_PASSWORD, { origin })).status, origin).toBe(200);
    for (const origin of [`http://127.0.0.1:${Number(port) + 1}`, `https://127.0.0.1:${port}`])
      expect((await login(s, 'leader', TEST_PASSWORD, { origin })).status, origin).toBe(403);
  });
});
