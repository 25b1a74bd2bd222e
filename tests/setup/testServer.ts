/** Starts the real HTTP server on a loopback port over a test database, with a tRPC client. */
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import * as OTPAuth from 'otpauth';
import { EventSource } from 'eventsource';
import { TEST_PASSWORD } from './template';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app';
import { DEFAULT_AUTH } from '../../server/auth/auth';
import type { RateLimits } from '../../server/hardening';
import type { Basemap } from '../../server/basemap';
import type { AppRouter } from '../../server/router';
import type { RankingConfig } from '../../domain/rankingScore';
import { openTestDatabase, type TestDatabase } from './testDb';

export interface TestServer extends TestDatabase {
  app: FastifyInstance;
  /** http://127.0.0.1:PORT */
  url: string;
  /** signed in as `leader` (reads everything, edits nothing) */
  client: TRPCClient<AppRouter>;
  /** the leader's session cookie, for raw HTTP requests */
  cookie: string;
  /** a client with no session */
  anonymous: TRPCClient<AppRouter>;
  /** signs in through the API and returns a client carrying that session, and its cookie */
  login(username: string, password?: string): Promise<SignedIn>;
  close(): Promise<void>;
}

export interface SignedIn {
  client: TRPCClient<AppRouter>;
  cookie: string;
}

/** The test servers' accounts settings: a fixed secret, so a restarted server keeps the sessions. */
export const TEST_AUTH = { ...DEFAULT_AUTH, secret: 'test-only-cookie-secret-0123456789abcdef' };

/** A tRPC client for `url`, sending `cookie` and the header the server asks of its own client. */
export function clientFor(url: string, cookie?: string): TRPCClient<AppRouter> {
  const headers = () => ({ 'x-trpc-source': 'test', origin: url, ...(cookie ? { cookie } : {}) });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        // queries whose input is too long for a URL go by POST, as in the web client
        condition: (op) => LONG_INPUT.has(op.path),
        true: httpLink({ url: `${url}/trpc`, headers, methodOverride: 'POST' }),
        false: httpBatchLink({ url: `${url}/trpc`, headers }),
      }),
    ],
  });
}

/** The queries sent by POST. */
export const LONG_INPUT = new Set(['plan.evaluate']);

/** A client that also opens live streams (SSE), sending `cookie` with them. */
export function liveClientFor(url: string, cookie?: string): TRPCClient<AppRouter> {
  const headers = () => ({ 'x-trpc-source': 'test', origin: url, ...(cookie ? { cookie } : {}) });
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url: `${url}/trpc`,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) =>
              fetch(input, { ...init, headers: { ...init?.headers, ...headers() } }),
          }),
        }),
        false: httpBatchLink({ url: `${url}/trpc`, headers }),
      }),
    ],
  });
}

/** Signs in by POSTing to auth.login; returns the session cookie. */
export async function loginCookie(
  url: string,
  username: string,
  password = TEST_PASSWORD,
  totp?: string,
): Promise<string> {
  const res = await fetch(`${url}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-trpc-source': 'test', origin: url },
    body: JSON.stringify({ username, password, totp }),
  });
  if (!res.ok) throw new Error(`login as ${username} failed: ${res.status} ${await res.text()}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .filter((c) => c && !c.endsWith('='))
    .join('; ');
}

export async function startTestServer(
  opts: {
    clientDir?: string;
    basemap?: Basemap;
    ranking?: RankingConfig;
    now?: () => Date;
    limits?: RateLimits;
    auth?: Partial<typeof TEST_AUTH>;
  } = {},
): Promise<TestServer> {
  const tdb = await openTestDatabase();
  const app = await buildApp({
    db: tdb.db,
    logLevel: 'silent',
    clientDir: opts.clientDir ?? '/nonexistent',
    basemap: opts.basemap,
    ranking: opts.ranking,
    now: opts.now,
    auth: { ...TEST_AUTH, ...opts.auth },
    // tests sign in far more often than people do; tests/integration/hardening.test.ts checks the real limits
    limits: opts.limits ?? { login: 10_000, api: 100_000 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const addr = app.server.address();
  if (!addr || typeof addr !== 'object') throw new Error('server did not bind');
  const url = `http://127.0.0.1:${addr.port}`;
  const login = async (username: string, password?: string) => {
    const cookie = await loginCookie(url, username, password);
    return { client: clientFor(url, cookie), cookie };
  };
  const leader = await login('leader');
  return {
    ...tdb,
    app,
    url,
    client: leader.client,
    cookie: leader.cookie,
    anonymous: clientFor(url),
    login,
    close: async () => {
      // the HTTP server may have been closed already by the test
      await app.close().catch(() => undefined);
      await tdb.dispose();
    },
  };
}

/** An admin's session cookie: the second factor set up on the way, as an admin must. */
export async function adminCookie(s: TestServer): Promise<string> {
  const first = await s.login('admin');
  const { totpURI } = await first.client.auth.totpSetup.mutate({ password: TEST_PASSWORD });
  const totp = OTPAuth.URI.parse(totpURI) as OTPAuth.TOTP;
  await first.client.auth.totpVerify.mutate({ code: totp.generate() });
  // the next code: the one just used is spent
  return loginCookie(
    s.url,
    'admin',
    TEST_PASSWORD,
    totp.generate({ timestamp: Date.now() + 30_000 }),
  );
}
