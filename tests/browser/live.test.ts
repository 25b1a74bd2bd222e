/**
 * Live incidents on every screen: with the desk and the wall open, an incident a 110 feed sends
 * through the ingest route reaches both within 2 s (the wall's latest list shows it, the desk
 * says one new; the desk's window total and the wall's "today" count it, counted on the page
 * without waiting for the server) without the incident span being fetched again, and its
 * cancellation takes it away from both as fast.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { addIntegration } from '../../server/auth/tokens';
import { browserFixture } from '../setup/browserFixture';
import { openPage, shoot, waitForMap } from '../setup/page';
import { TEST_PASSWORD } from '../setup/template';

const ctx = browserFixture();
/** the most an incident may take from the feed's answer to the screens, figures included */
const LIVE_MS = 2_000;

const digits = (t: string) => Number(t.replace(/[^\d]/g, ''));

/** Requests for incident columns that `page` makes from now on. */
function spanFetches(page: Page) {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/incidents.arrow') seen.push(r.url());
  });
  return seen;
}

/**
 * Records in `page`, from now on, the moment (ms) `selector` is first present or absent, or
 * shows the number `digits`: a DOM observer sees it as it happens, however slowly the test
 * polls. Returns the reader of that moment (undefined until then).
 */
async function when(page: Page, selector: string, want: { present?: boolean; digits?: number }) {
  const key = JSON.stringify([selector, want]);
  await page.evaluate(
    ([key, selector, want]) => {
      const w = window as unknown as { __when?: Record<string, number> };
      const seen = (w.__when ??= {});
      const ok = () => {
        const el = document.querySelector(selector);
        if (want.present !== undefined) return (el !== null) === want.present;
        return el !== null && Number(el.textContent!.replace(/[^\d]/g, '')) === want.digits;
      };
      const observer = new MutationObserver(() => check());
      const check = () => {
        if (seen[key] !== undefined || !ok()) return;
        seen[key] = Date.now();
        observer.disconnect();
      };
      observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      check();
    },
    [key, selector, want] as const,
  );
  return () =>
    page.evaluate(
      (k) => (window as unknown as { __when?: Record<string, number> }).__when?.[k],
      key,
    );
}

/** Waits for each watched moment and checks that it came within `ms` of `since`. */
async function within(
  ms: number,
  since: number,
  watched: Promise<() => Promise<number | undefined>>[],
) {
  for (const read of await Promise.all(watched)) {
    await expect.poll(read, { timeout: 20_000 }).toBeDefined();
    const took = (await read())! - since;
    console.info(`live: on screen ${took} ms after the feed's answer`);
    expect(took).toBeLessThan(ms);
  }
}

it('shows an ingested incident on the desk and the wall within 2 s, and takes a cancellation away', async () => {
  const { s, browser } = ctx;
  const token = await addIntegration(s.db, { username: 'dispatch-110' });
  const [p] = await s.db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat
     FROM (SELECT ST_PointOnSurface(geom) AS p FROM communities ORDER BY id LIMIT 1) c`,
  );
  // five minutes before the end of the data: inside the desk's 30 days and the wall's latest
  // two days, in the span, never in the server clock's future
  const end = Date.parse((await s.client.system.health.query()).data.end!);
  const time = new Date(Math.floor(end / 1000) * 1000 - 5 * 60_000).toISOString();
  const send = async (status?: string) => {
    const res = await fetch(`${s.url}/api/incidents/ingest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify([
        { sourceId: 'JJ-LIVE-1', time, category: '交通', lon: p!.lon, lat: p!.lat, status },
      ]),
    });
    const answeredAt = Date.now();
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { outcome: string; id?: number }[] };
    expect(results[0]!.outcome).not.toBe('rejected');
    return { ...results[0]!, answeredAt };
  };

  const desk = await openPage(browser, `${s.url}/?at=101.683,36.694,11.3&w=30d&layers=heat`);
  // the wall polls once an hour here: what arrives sooner came by the stream
  const wall = await openPage(
    browser,
    `${s.url}/wall?rotate=3600&refresh=3600#device=wall:${TEST_PASSWORD}`,
    { width: 1920, height: 1080 },
    null,
  );
  await Promise.all([waitForMap(desk.page, 500), waitForMap(wall.page, 500)]);
  const total = desk.page.locator('[data-testid=kpi-total]');
  await total.waitFor({ timeout: 30_000 });
  const before = digits(await total.innerText());
  const todayCount = wall.page.locator('[data-testid=tile-today-count]');
  await expect
    .poll(async () => digits(await todayCount.innerText()), { timeout: 30_000 })
    .toBeGreaterThan(0);
  const todayBefore = digits(await todayCount.innerText());
  const latest = wall.page.locator('[data-testid=wall-latest] .roll li');
  await expect.poll(() => latest.count(), { timeout: 30_000 }).toBeGreaterThan(0);
  // what the windows want loaded has come (the margins load in the background)
  for (const p of [desk.page, wall.page])
    await p.waitForFunction(
      () =>
        (
          window as unknown as { __pingan: { incidents?: { settled(): boolean } } }
        ).__pingan.incidents?.settled(),
      null,
      { timeout: 60_000 },
    );
  const deskSpans = spanFetches(desk.page);
  const wallSpans = spanFetches(wall.page);

  // a new call: on both screens within 2 s of the feed's answer
  const created = await send();
  expect(created.outcome).toBe('created');
  const rowSelector = `[data-testid=wall-latest] li[data-id="${created.id}"]`;
  const row = wall.page.locator(rowSelector);
  await within(LIVE_MS, created.answeredAt, [
    when(wall.page, rowSelector, { present: true }),
    when(desk.page, '[data-testid=live-new]', { present: true }),
    when(desk.page, '[data-testid=kpi-total]', { digits: before + 1 }),
    when(wall.page, '[data-testid=tile-today-count]', { digits: todayBefore + 1 }),
  ]);
  expect(await desk.page.locator('[data-testid=live-new]').innerText()).toBe('1 条新警情');
  // it slides in above the roll, marked new
  expect(
    await wall.page.locator(`[data-testid=wall-latest-new] li[data-id="${created.id}"]`).count(),
  ).toBe(1);
  expect(await row.first().innerText()).toContain('交通');
  await shoot(wall.page, '[data-testid=wall]', 'live-wall-new');
  await shoot(desk.page, 'body', 'live-desk-new');

  // the same call again changes nothing: still counted once
  expect((await send()).outcome).toBe('unchanged');

  // cancelled: gone from both within 2 s
  const cancelled = await send('cancelled');
  expect(cancelled.outcome).toBe('updated');
  await within(LIVE_MS, cancelled.answeredAt, [
    when(wall.page, rowSelector, { present: false }),
    when(desk.page, '[data-testid=live-new]', { present: false }),
    when(desk.page, '[data-testid=kpi-total]', { digits: before }),
    when(wall.page, '[data-testid=tile-today-count]', { digits: todayBefore }),
  ]);
  expect(await desk.page.locator('[data-testid=live-new]').count()).toBe(0);
  // the map's incidents followed without fetching the span again
  expect(deskSpans).toEqual([]);
  expect(wallSpans).toEqual([]);
  expect(desk.errors).toEqual([]);
  expect(wall.errors).toEqual([]);
});
