/**
 * The wall display at 1920×1080: it renders its tiles, ranking and list, rotates through its
 * views, turns amber with "data stale since" when the server goes away while keeping the last
 * picture, and resumes by itself when the server is back.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { buildApp } from '../../server/app';
import { launchBrowser } from '../setup/browser';
import { openPage, shoot, waitForMap } from '../setup/page';
import { TEST_PASSWORD } from '../setup/template';
import { startTestServer, TEST_AUTH, type TestServer } from '../setup/testServer';

let s: TestServer;
let browser: Browser;

beforeAll(async () => {
  s = await startTestServer({ clientDir: inject('clientDir') });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

const digits = (t: string) => Number(t.replace(/[^\d]/g, ''));

it('renders at 1920×1080, rotates, shows stale data when the server goes away, and resumes', async () => {
  // the wall signs in with its device token, once, from the address's fragment
  const { page, errors } = await openPage(
    browser,
    `${s.url}/wall?rotate=8&refresh=5#device=wall:${TEST_PASSWORD}`,
    { width: 1920, height: 1080 },
    null,
  );
  await waitForMap(page);
  // signed in, and the token no longer in the address bar
  expect(page.url()).not.toContain('device=');
  // KPI tiles with figures; the studio's totals are the demo data's facts
  await expect
    .poll(() => page.locator('[data-testid=tile-mulin] .value').innerText())
    .toMatch(/1,163\s*\/\s*2,465/);
  expect(digits(await page.locator('[data-testid=tile-week] .value').innerText())).toBeGreaterThan(
    100,
  );
  // the board beside the map alternates with the views: the incident ranking on odd views
  // (1/4, 3/4), the red/black list on even ones
  const board = async () => {
    const n = Number(
      (await page.locator('[data-testid=wall-view-index]').innerText()).match(/(\d)\/4/)![1],
    );
    if (n % 2 === 1)
      return `ranking ${await page.locator('[data-testid=wall-ranking] tr').count()}`;
    const b = page.locator('[data-testid=wall-redblack]');
    const red = await b.locator('[data-testid=wall-red-list] tr').count();
    const black = await b.locator('[data-testid=wall-black-list] tr').count();
    const label = red ? await b.locator('h2').innerText() : '';
    return `red ${red} black ${black} ${label.includes('2026-06') ? 'June' : label}`;
  };
  const boardOk = /^ranking 8$|^red 5 black 5 June$/;
  // the first red/black list builds the camera sectors: give it time
  await expect.poll(board, { timeout: 40_000 }).toMatch(boardOk);
  expect(await page.locator('[data-testid=wall-latest] li').count()).toBeGreaterThan(0);
  // fresh while the server answers (software WebGL on two cores can hold the page's timers back
  // for a moment, so the answer is awaited rather than read once)
  await expect
    .poll(() => page.locator('[data-testid=wall-freshness]').innerText(), { timeout: 20_000 })
    .toContain('数据更新于');
  // big enough to read from across a room
  const numeral = await page
    .locator('[data-testid=tile-week] .value')
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(numeral).toBeGreaterThanOrEqual(64);
  await shoot(page, 'body', 'wall-view-1');

  // rotation: the next view, with its own title, within the rotation period
  const indexOf = async () =>
    Number((await page.locator('[data-testid=wall-view-index]').innerText()).match(/(\d)\/4/)![1]);
  const title = () => page.locator('[data-testid=wall-view-title]').innerText();
  const i0 = await indexOf();
  const t0 = await title();
  await expect.poll(indexOf, { timeout: 15_000 }).toBe((i0 % 4) + 1);
  expect(await title()).not.toBe(t0);
  // the first red/black list builds the camera sectors: give it time
  await expect.poll(board, { timeout: 40_000 }).toMatch(boardOk);
  await page.waitForTimeout(2500);
  await shoot(page, 'body', 'wall-view-2');
  expect(errors).toEqual([]);

  // the server goes away: the wall keeps its picture and says since when the data is stale
  const port = new URL(s.url).port;
  await s.app.close();
  const freshness = page.locator('[data-testid=wall-freshness]');
  await expect.poll(() => freshness.innerText(), { timeout: 30_000 }).toContain('数据中断于');
  expect(await freshness.getAttribute('class')).toContain('stale');
  expect(await page.locator('[data-testid=tile-mulin] .value').innerText()).toMatch(/1,163/);
  await shoot(page, 'body', 'wall-stale');

  // it comes back: the wall resumes by itself
  const again = await buildApp({
    db: s.db,
    logLevel: 'silent',
    clientDir: inject('clientDir'),
    auth: TEST_AUTH,
    limits: { login: 10_000, api: 100_000 },
  });
  await again.listen({ port: Number(port), host: '127.0.0.1' });
  try {
    await expect.poll(() => freshness.innerText(), { timeout: 30_000 }).toContain('数据更新于');
    expect(await freshness.getAttribute('class')).not.toContain('stale');
  } finally {
    await again.close();
  }
  // while the server was away only the failed requests themselves were logged
  expect(
    errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|Failed to fetch/.test(e)),
  ).toEqual([]);
  await page.close();
});
