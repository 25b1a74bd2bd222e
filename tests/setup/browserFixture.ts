/** The server and browser a browser test file shares across its tests. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { launchBrowser } from './browser';
import { startTestServer, type TestServer } from './testServer';

/**
 * A test file's server (over its own database, serving the built client) and Chromium, started
 * before its tests and closed after them. Read `.s` and `.browser` inside the tests.
 */
export function browserFixture() {
  const ctx = {} as { s: TestServer; browser: Browser };
  beforeAll(async () => {
    ctx.s = await startTestServer({ clientDir: inject('clientDir') });
    ctx.browser = await launchBrowser();
  });
  afterAll(async () => {
    await ctx.browser?.close();
    await ctx.s?.close();
  });
  return ctx;
}
