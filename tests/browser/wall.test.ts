/**
 * The wall display at 1920×1080: it renders its tiles, ranking and list, rotates through its
 * views, turns amber with "data stale since" when the server goes away while keeping the last
 * picture, and resumes by itself when the server is back. Its figures never go blank: not when
 * the minute turns (each minute is a new window), nor through an outage, and they come back with
 * the server's next answer.
 */
import type { Browser, Page } from 'playwright-core';
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

/** The wall's figures that must never go blank while there is data, as the page records them. */
const FIGURES: [name: string, selector: string][] = [
  ['today', '[data-testid=tile-today] .value'],
  ['week', '[data-testid=tile-week] .value'],
  ['fraud', '[data-testid=tile-fraud] .value'],
  ['cameras', '[data-testid=tile-cameras] .value'],
  ['mulin', '[data-testid=tile-mulin] .value'],
  ['ranking', '[data-testid=wall-ranking] tbody'],
  ['latest', '[data-testid=wall-latest] ul'],
];

/**
 * Records in the page every moment a figure is blank ("—", empty, or a list without rows): at
 * every change of the wall's DOM and every 50 ms. Returns the reader of what was recorded.
 */
async function recordBlanks(page: Page) {
  await page.evaluate((figures) => {
    const w = window as unknown as { __blanks: string[] };
    w.__blanks = [];
    const check = () => {
      for (const [name, selector] of figures) {
        const el = document.querySelector(selector);
        const text = el?.textContent?.trim() ?? '';
        if (!el || text === '' || text === '—' || text.startsWith('—'))
          w.__blanks.push(`${name} at ${new Date().toISOString()}`);
      }
    };
    check();
    new MutationObserver(check).observe(document.querySelector('[data-testid=wall]')!, {
      subtree: true,
      childList: true,
      characterData: true,
    });
    setInterval(check, 50);
  }, FIGURES);
  return () => page.evaluate(() => (window as unknown as { __blanks: string[] }).__blanks);
}

it('never blanks its figures across minute boundaries and outages, and marks their age', async () => {
  // the page's clock on the last evening of the demo data, so that the wall's windows end at the
  // clock's minute: each minute asks new questions
  const { page, errors } = await openPage(
    browser,
    `${s.url}/wall?rotate=3600&refresh=5#device=wall:${TEST_PASSWORD}`,
    { width: 1920, height: 1080 },
    null,
    (p) => p.clock.install({ time: Date.parse('2026-06-30T20:50:20+08:00') }),
  );
  const pageNow = () => page.evaluate(() => Date.now());
  const MINUTE = 60_000;
  // the answers to the latest list, by the minute its window ends at
  const listed: { to: string; status: number }[] = [];
  page.on('response', (r) => {
    const m = decodeURIComponent(r.url()).match(/incidents\.list.*"to":"([^"]+)"/);
    if (m) listed.push({ to: m[1]!, status: r.status() });
  });
  const answeredFor = (minute: number) =>
    listed.some((l) => l.status === 200 && l.to === new Date(minute).toISOString());
  const fraud = page.locator('[data-testid=tile-fraud] .value');
  const latest = page.locator('[data-testid=wall-latest] li');
  await expect.poll(() => fraud.innerText(), { timeout: 60_000 }).toMatch(/^[▲▼]\d+\.\d\d%$/);
  await expect.poll(() => latest.count(), { timeout: 30_000 }).toBeGreaterThan(0);
  await expect
    .poll(() => page.locator('[data-testid=wall-ranking] tr').count(), { timeout: 30_000 })
    .toBe(8);
  await expect
    .poll(() => page.locator('[data-testid=tile-mulin] .value').innerText())
    .toMatch(/\//);
  await expect
    .poll(() => page.locator('[data-testid=tile-cameras] .value').innerText())
    .toMatch(/%/);
  const blanks = await recordBlanks(page);

  // a minute boundary with the server answering: the new minute's figures replace the old ones
  // once they have arrived, and nothing is blank in between
  let t = await pageNow();
  let next = Math.ceil(t / MINUTE) * MINUTE;
  await page.clock.setSystemTime(next - 1500);
  await expect.poll(() => answeredFor(next), { timeout: 30_000 }).toBe(true);
  await page.waitForTimeout(1500);
  expect(await blanks()).toEqual([]);
  expect(await page.locator('[data-testid=stale-age]').count()).toBe(0);

  // the server does not answer, across minute boundaries: the figures stay, with their age
  const unreachable = (url: URL) => /^\/(trpc|api)\//.test(url.pathname);
  await page.route(unreachable, (r) => r.abort());
  t = await pageNow();
  next = Math.ceil(t / MINUTE) * MINUTE;
  await page.clock.setSystemTime(next - 1500);
  const fraudAge = page.locator('[data-testid=tile-fraud] [data-testid=stale-age]');
  const latestAge = page.locator('[data-testid=wall-latest] [data-testid=stale-age]');
  await expect.poll(() => fraudAge.count(), { timeout: 30_000 }).toBe(1);
  await expect.poll(() => latestAge.count(), { timeout: 30_000 }).toBe(1);
  // three minutes later, still down: the marker says how old the figures are
  await page.clock.setSystemTime((await pageNow()) + 3 * MINUTE);
  await expect.poll(() => fraudAge.innerText(), { timeout: 15_000 }).toMatch(/^[34] 分钟前$/);
  await expect.poll(() => latestAge.innerText(), { timeout: 15_000 }).toMatch(/^[34] 分钟前$/);
  const freshness = page.locator('[data-testid=wall-freshness]');
  await expect.poll(() => freshness.innerText(), { timeout: 15_000 }).toMatch(/数据中断于.*分钟前/);
  expect(await freshness.getAttribute('class')).toContain('stale');
  expect(await page.locator('[data-testid=tile-fraud]').getAttribute('class')).toContain('stale');
  // every tile on the wall says it, not only these two
  await expect.poll(() => page.locator('[data-testid=stale-age]').count()).toBe(FIGURES.length);
  expect(await fraud.innerText()).toMatch(/^[▲▼]\d+\.\d\d%$/);
  expect(await latest.count()).toBeGreaterThan(0);
  await shoot(page, 'body', 'wall-stale-age');

  // the server answers again early in a minute: the figures come back with its next answers,
  // in this same minute, and the markers go
  t = await pageNow();
  const minute = Math.ceil(t / MINUTE) * MINUTE;
  await page.clock.setSystemTime(minute + 1000);
  // the new minute's questions are asked, and fail, before the server is back
  await page.waitForTimeout(7000);
  expect(answeredFor(minute)).toBe(false);
  await page.unroute(unreachable);
  await expect
    .poll(() => page.locator('[data-testid=stale-age]').count(), { timeout: 30_000 })
    .toBe(0);
  expect(answeredFor(minute)).toBe(true);
  expect(await pageNow()).toBeLessThan(minute + MINUTE);
  await expect
    .poll(() => freshness.getAttribute('class'), { timeout: 15_000 })
    .not.toContain('stale');
  expect(await freshness.innerText()).toContain('数据更新于');
  expect(await fraud.innerText()).toMatch(/^[▲▼]\d+\.\d\d%$/);
  expect(await blanks()).toEqual([]);
  // only the refused requests themselves were logged
  expect(errors.filter((e) => !/Failed to load resource|Failed to fetch/.test(e))).toEqual([]);
  await page.close();
}, 240_000);

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
