/** The MLPS password switches: rotation (a password past its age must be changed first) and complexity. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../setup/template';
import { loginCookie, startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ auth: { passwordMaxAgeDays: 90, passwordComplexity: true } });
});
afterAll(async () => {
  await s?.close();
});

const code = (e: unknown) => (e as { data?: { code?: string } }).data?.code;

it('makes a user whose password is past its age change it before anything else', async () => {
  await s.db.query(
    `UPDATE users SET password_changed_at = now() - interval '91 days' WHERE username = 'analyst'`,
  );
  const { client, cookie } = await s.login('analyst');
  expect((await client.auth.me.query()).passwordExpired).toBe(true);
  const denied = await client.regions.towns.query().catch((e: unknown) => e);
  expect(code(denied)).toBe('FORBIDDEN');
  expect((denied as Error).message).toMatch(/password has expired/);

  // the new one must pass the policy, complexity switched on
  const weak = await client.auth.changePassword
    .mutate({ current: TEST_PASSWORD, next: 'another-long-passphrase' })
    .catch((e: unknown) => e);
  expect((weak as Error).message).toMatch(/next: must contain upper and lower case letters/);
  const wrong = await client.auth.changePassword
    .mutate({ current: 'not-the-password', next: 'Another-long-passphrase-9' })
    .catch((e: unknown) => e);
  expect((wrong as Error).message).toMatch(/current: is not right/);

  // the change goes through the session's own cookie
  const res = await fetch(`${s.url}/trpc/auth.changePassword`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-trpc-source': 'test', origin: s.url, cookie },
    body: JSON.stringify({ current: TEST_PASSWORD, next: 'Another-long-passphrase-9' }),
  });
  expect(res.status).toBe(200);
  await expect(loginCookie(s.url, 'analyst', TEST_PASSWORD)).rejects.toThrow(/401/);
  const fresh = await s.login('analyst', 'Another-long-passphrase-9');
  expect((await fresh.client.auth.me.query()).passwordExpired).toBe(false);
  expect((await fresh.client.regions.towns.query()).features).toHaveLength(6);
});
