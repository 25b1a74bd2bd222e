/**
 * HTTP hardening over real HTTP: security headers, CSRF defence (cross-origin, header-less and
 * form-encoded mutations fail and change nothing), rate limits answering TOO_MANY_REQUESTS, and
 * body and batch size limits.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../setup/template';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
// a built client: the page and a content-hashed asset
const clientDir = mkdtempSync(path.join(os.tmpdir(), 'pingan-client-'));
beforeAll(async () => {
  writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>t</title>');
  mkdirSync(path.join(clientDir, 'assets'));
  writeFileSync(path.join(clientDir, 'assets', 'index-Ab12Cd34.js'), 'export {};');
  // the real limits: 10 sign-ins a minute per address, and a small API budget to reach quickly
  s = await startTestServer({ limits: { login: 10, api: 60 }, clientDir });
});
afterAll(async () => {
  await s?.close();
  rmSync(clientDir, { recursive: true, force: true });
});

describe('headers', () => {
  it('sends the security headers, and no HSTS over plain HTTP', async () => {
    const res = await fetch(`${s.url}/trpc/system.health`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('strict-transport-security')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});

describe('static files', () => {
  it('lets browsers keep the hashed assets and revalidate the page', async () => {
    const asset = await fetch(`${s.url}/assets/index-Ab12Cd34.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const page of ['/', '/wall']) {
      const res = await fetch(`${s.url}${page}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control') ?? '').not.toContain('immutable');
    }
  });
});

describe('CSRF', () => {
  const logout = (cookie: string, headers: Record<string, string>, body = '{}') =>
    fetch(`${s.url}/trpc/auth.logout`, { method: 'POST', headers: { cookie, ...headers }, body });
  const me = (cookie: string) =>
    fetch(`${s.url}/trpc/auth.me`, { headers: { cookie } }).then((r) => r.status);

  it('refuses cross-origin, header-less and form-encoded mutations, changing nothing', async () => {
    const { cookie } = await s.login('leader');
    const json = { 'content-type': 'application/json' };
    const cases: [string, Record<string, string>, string?][] = [
      ['cross-origin', { ...json, 'x-trpc-source': 'x', origin: 'https://evil.example' }],
      ['no Origin', { ...json, 'x-trpc-source': 'x' }],
      ['no x-trpc-source', { ...json, origin: s.url }],
      [
        'form-encoded',
        {
          'content-type': 'application/x-www-form-urlencoded',
          'x-trpc-source': 'x',
          origin: s.url,
        },
        'a=1',
      ],
    ];
    for (const [name, headers, body] of cases) {
      const res = await logout(cookie, headers, body);
      expect(res.status, name).toBe(403);
      const err = (await res.json()) as { error: { data: { code: string }; message: string } };
      expect(err.error.data.code, name).toBe('FORBIDDEN');
      // still signed in: the logout did not happen
      expect(await me(cookie), name).toBe(200);
    }
    // the same call from the application itself works
    const ok = await logout(cookie, { ...json, 'x-trpc-source': 'x', origin: s.url });
    expect(ok.status).toBe(200);
    expect(await me(cookie)).toBe(401);
  });
});

describe('limits', () => {
  it('answers TOO_MANY_REQUESTS past the API budget of a user', async () => {
    const { client } = await s.login('analyst');
    let refused: unknown = null;
    for (let i = 0; i < 70 && !refused; i++)
      refused = await client.regions.towns.query().then(
        () => null,
        (e: unknown) => e,
      );
    expect((refused as { data?: { code?: string } }).data?.code).toBe('TOO_MANY_REQUESTS');
    expect((refused as Error).message).toMatch(/at most 60 a minute/);
    // another user has a budget of their own
    expect((await s.client.regions.towns.query()).features).toHaveLength(6);
  });

  it('refuses the 11th sign-in of a minute from one address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await fetch(`${s.url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-trpc-source': 'x', origin: s.url },
        body: JSON.stringify({ username: 'planner', password: TEST_PASSWORD }),
      });
      statuses.push(res.status);
      if (res.status === 429) {
        const body = (await res.json()) as { error: { data: { code: string } } };
        expect(body.error.data.code).toBe('TOO_MANY_REQUESTS');
      } else await res.arrayBuffer();
    }
    // the server's own startup signed in once already
    expect(statuses.filter((x) => x === 200).length).toBeLessThanOrEqual(9);
    expect(statuses.at(-1)).toBe(429);
  });

  it('refuses a body over 2 MB and a batch of more than 20 calls', async () => {
    const big = await fetch(`${s.url}/trpc/zones.update`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-trpc-source': 'x',
        origin: s.url,
        cookie: s.cookie,
      },
      body: JSON.stringify({ pad: 'x'.repeat(2.1 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    const paths = Array.from({ length: 21 }, () => 'system.health').join(',');
    const batch = await fetch(`${s.url}/trpc/${paths}?batch=1&input={}`);
    expect(batch.status).toBe(400);
  });
});
