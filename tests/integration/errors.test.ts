/**
 * Bad input and failures answer clearly and say nothing of the database: a NUL character or an
 * id past 2³¹ − 1 is a 400 naming the field (also for anonymous sign-in), a value the database
 * refuses as data is a 400 without its words, an unexpected error is "internal error (id …)"
 * with the details in the log under that id, and the log never carries cookies, tokens or
 * authorization headers, also while the database fails.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../server/app';
import { INT4_MAX } from '../../server/inputs';
import { DatabaseUnavailableError } from '../../server/db/database';
import { backend, openTestDatabase, type TestDatabase } from '../setup/testDb';
import { clientFor, loginCookie, TEST_AUTH } from '../setup/testServer';

let t: TestDatabase;
let app: FastifyInstance;
let url: string;
let leaderCookie: string;
let plannerCookie: string;
const logLines: string[] = [];
const logText = () => logLines.join('');

beforeAll(async () => {
  t = await openTestDatabase();
  app = await buildApp({
    db: t.db,
    logLevel: 'info',
    logStream: { write: (line) => void logLines.push(line) },
    clientDir: '/nonexistent',
    auth: TEST_AUTH,
    limits: { login: 10_000, api: 100_000 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  leaderCookie = await loginCookie(url, 'leader');
  plannerCookie = await loginCookie(url, 'planner');
});
afterAll(async () => {
  await app?.close();
  await t?.dispose();
});

interface TrpcAnswer {
  status: number;
  error?: {
    message: string;
    data: {
      code: string;
      httpStatus: number;
      fields?: { field: string; message: string }[];
      errorId?: string;
    };
  };
}

/** One tRPC call over raw HTTP (JSON as sent, NUL characters included). */
async function call(
  path: string,
  input: unknown,
  opts: { cookie?: string; method?: 'GET' | 'POST'; headers?: Record<string, string> } = {},
): Promise<TrpcAnswer> {
  const method = opts.method ?? 'POST';
  const headers: Record<string, string> = {
    'x-trpc-source': 'test',
    origin: url,
    ...(opts.cookie ? { cookie: opts.cookie } : {}),
    ...opts.headers,
  };
  const res =
    method === 'POST'
      ? await fetch(`${url}/trpc/${path}`, {
          method,
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify(input),
        })
      : await fetch(`${url}/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`, {
          headers,
        });
  const body = (await res.json()) as { error?: TrpcAnswer['error'] };
  return { status: res.status, error: body.error };
}

function expectBadField(a: TrpcAnswer, field: string, message: RegExp) {
  expect(a.status, JSON.stringify(a.error)).toBe(400);
  expect(a.error?.data.code).toBe('BAD_REQUEST');
  expect(a.error?.data.fields).toContainEqual({ field, message: expect.stringMatching(message) });
  expect(a.error?.message).toContain(field);
  expect(a.error?.message).not.toMatch(/postgres|sql|0x00|invalid byte sequence|\bUTF8\b/i);
}

describe('NUL characters', () => {
  it('are refused in anonymous sign-in, naming the field', async () => {
    expectBadField(
      await call('auth.login', { username: 'lea\u0000der', password: 'x' }),
      'username',
      /NUL/,
    );
    expectBadField(
      await call('auth.login', { username: 'leader', password: 'pass\u0000word' }),
      'password',
      /NUL/,
    );
  });

  it('are refused in queries and mutations, nested or not, naming the path', async () => {
    expectBadField(
      await call(
        'incidents.list',
        { from: '2026-06-01', to: '2026-07-01', cursor: 'ab\u0000' },
        { cookie: leaderCookie, method: 'GET' },
      ),
      'cursor',
      /NUL/,
    );
    expectBadField(
      await call(
        'coverage.byCommunity',
        { withoutBatch: '\u0000' },
        { cookie: leaderCookie, method: 'GET' },
      ),
      'withoutBatch',
      /NUL/,
    );
    const square = [
      [
        [101.78, 36.64],
        [101.781, 36.64],
        [101.781, 36.641],
        [101.78, 36.64],
      ],
    ];
    expectBadField(
      await call(
        'zones.create',
        {
          geometry: { type: 'Polygon', coordinates: square },
          name: '巡区\u0000',
          unit: 'u',
          shift: 'day',
        },
        { cookie: plannerCookie },
      ),
      'name',
      /NUL/,
    );
    expectBadField(
      await call(
        'zones.create',
        {
          geometry: { type: 'Polygon\u0000', coordinates: square },
          name: 'a',
          unit: 'u',
          shift: 'day',
        },
        { cookie: plannerCookie },
      ),
      'geometry.type',
      /NUL/,
    );
    const [{ n }] = (await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM patrol_zones WHERE name LIKE '巡区%' OR name = 'a'`,
    )) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('are refused on the Arrow route, naming the parameter', async () => {
    const res = await fetch(
      `${url}/api/incidents.arrow?from=2026-06-01&to=2026-07-01&categories=theft%00`,
      { headers: { cookie: leaderCookie } },
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; fields: { field: string }[] };
    expect(body.fields).toEqual([{ field: 'categories', message: expect.stringMatching(/NUL/) }]);
  });
});

describe('integers out of range', () => {
  it('answers 400 naming the field for an id of 2³¹ or more', async () => {
    expect(INT4_MAX).toBe(2 ** 31 - 1);
    expectBadField(
      await call('incidents.get', { id: 2 ** 31 }, { cookie: leaderCookie, method: 'GET' }),
      'id',
      /at most|from 1 to 2147483647/,
    );
    expectBadField(
      await call('zones.history', { id: 2 ** 40 }, { cookie: leaderCookie, method: 'GET' }),
      'id',
      /2147483647/,
    );
    expectBadField(
      await call('zones.update', { id: 1, version: 2 ** 31, name: 'x' }, { cookie: plannerCookie }),
      'version',
      /2147483647/,
    );
    expectBadField(
      await call(
        'incidents.summary',
        { from: '2026-06-01', to: '2026-07-01', groupBy: 'category', communityId: 2 ** 31 },
        { cookie: leaderCookie, method: 'GET' },
      ),
      'communityId',
      /2147483647/,
    );
    // the largest id is a valid one that finds nothing
    const none = await call(
      'incidents.get',
      { id: INT4_MAX },
      { cookie: leaderCookie, method: 'GET' },
    );
    expect(none.status).toBe(404);
  });

  it('answers 400 without the database’s words for a value it refuses as data', async () => {
    // a cursor that decodes, carrying an id past any integer column
    const cursor = Buffer.from('2026-06-01T00:00:00Z|99999999999999999999').toString('base64url');
    const a = await call(
      'incidents.list',
      { from: '2026-06-01', to: '2026-07-01', cursor },
      { cookie: leaderCookie, method: 'GET' },
    );
    expect(a.status).toBe(400);
    expect(a.error?.message).toBe(
      'invalid input: a value is out of range or not valid for its field',
    );
  });
});

describe('unexpected errors', () => {
  it('answer a generic message with an id; the details are in the log under it', async () => {
    await t.db.query('ALTER TABLE disputes RENAME TO disputes_elsewhere');
    let a: TrpcAnswer;
    try {
      a = await call('disputes.summary', {}, { cookie: leaderCookie, method: 'GET' });
    } finally {
      await t.db.query('ALTER TABLE disputes_elsewhere RENAME TO disputes');
    }
    expect(a.status).toBe(500);
    expect(a.error?.data.code).toBe('INTERNAL_SERVER_ERROR');
    expect(a.error?.message).toMatch(/^internal error \(id [0-9a-f]{12}\)$/);
    const id = a.error!.data.errorId!;
    expect(a.error?.message).toContain(id);
    expect(a.error?.message).not.toMatch(/disputes/);
    expect(JSON.stringify(a)).not.toMatch(/relation|does not exist|select|42P01/i);
    // the log has the database's own words, under the same id
    const entry = logLines.find((l) => l.includes(id) && l.includes('"level":50'));
    expect(entry).toBeDefined();
    expect(entry).toMatch(/relation \\?"disputes\\?" does not exist/);
    expect(entry).toContain('disputes.summary');
  });
});

describe('the log', () => {
  it('carries no cookie, session token or authorization header, also while the database fails', async () => {
    const token = /session_token=([^;]+)/.exec(leaderCookie)![1]!;
    const tokenId = decodeURIComponent(token).split('.')[0]!;
    expect(tokenId.length).toBeGreaterThan(10);
    const secret = 'Bearer sekrit-api-key-0123456789';
    const client = clientFor(url, leaderCookie);
    await client.regions.towns.query();
    // what the accounts library logs by itself goes to standard error
    const stderr: string[] = [];
    const spies = [
      vi
        .spyOn(console, 'error')
        .mockImplementation((...a: unknown[]) => void stderr.push(a.map(String).join(' '))),
      vi
        .spyOn(console, 'warn')
        .mockImplementation((...a: unknown[]) => void stderr.push(a.map(String).join(' '))),
      vi
        .spyOn(console, 'log')
        .mockImplementation((...a: unknown[]) => void stderr.push(a.map(String).join(' '))),
    ];
    // the session lookup fails inside the accounts library and the route
    await t.db.query('ALTER TABLE sessions RENAME TO sessions_elsewhere');
    try {
      const a = await call('regions.towns', undefined, {
        cookie: leaderCookie,
        method: 'GET',
        headers: { authorization: secret },
      });
      expect(a.status).toBeGreaterThanOrEqual(500);
      expect(JSON.stringify(a)).not.toContain(tokenId);
      const arrow = await fetch(`${url}/api/incidents.arrow?from=2026-06-01&to=2026-07-01`, {
        headers: { cookie: leaderCookie, authorization: secret },
      });
      expect(arrow.status).toBeGreaterThanOrEqual(500);
      expect(await arrow.text()).not.toContain(tokenId);
    } finally {
      await t.db.query('ALTER TABLE sessions_elsewhere RENAME TO sessions');
      for (const spy of spies) spy.mockRestore();
    }
    // the library's own report is there, without the statement's parameters
    expect(stderr.join('\n')).toMatch(/better-auth.*sessions/);
    expect(stderr.join('\n')).not.toContain(tokenId);
    // a failure was logged, and nothing of the cookie or the header with it
    expect(logText()).toMatch(/"level":50/);
    expect(logText()).not.toContain(tokenId);
    expect(logText()).not.toContain('sekrit');
    expect(logText()).not.toMatch(/session_token=/);
  });

  it('redacts cookies and authorization headers wherever a request is logged', () => {
    const before = logLines.length;
    app.log.info(
      { headers: { cookie: 'pingan.session_token=abc', authorization: 'Bearer xyz' } },
      'a request',
    );
    const line = logLines.slice(before).join('');
    expect(line).toContain('(redacted)');
    expect(line).not.toContain('abc');
    expect(line).not.toContain('xyz');
  });
});

// the embedded database only: the server's own timeouts are in tests/server-only/outage.test.ts
// (defined only where it runs, so that the server project counts no skipped test)
if (backend() === 'embedded')
  describe('the embedded database’s deadline', () => {
    it('stops waiting for a query past its deadline with 503, and goes on afterwards', async () => {
      t.db.setQueryDeadline!(300);
      try {
        const err = await t.db.query('SELECT pg_sleep(1.5)').then(
          () => null,
          (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(DatabaseUnavailableError);
        expect((err as Error).message).toMatch(/no answer within 300 ms/);
        // the statement could not be interrupted: a request meanwhile is answered 503 too
        const a = await call('disputes.summary', {}, { cookie: leaderCookie, method: 'GET' });
        expect(a.status).toBe(503);
      } finally {
        t.db.setQueryDeadline!(0);
      }
      // once it is done, everything answers again
      const [r] = await t.db.query<{ x: number }>('SELECT 1 AS x');
      expect(r!.x).toBe(1);
    });
  });
