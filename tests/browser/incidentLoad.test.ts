/**
 * The desk loads the incidents of the window it shows, not the whole span: its first Arrow
 * request asks for the window's days alone, the margin around it follows in the background, a
 * window change within what is loaded asks nothing more, and a window far away fetches its own
 * days. A year's window, screenshotted, draws its heat. A range the loaded incidents do not hold
 * (last year's, compared), zoomed in, shows the points of the area around the view.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../domain/time';
import { browserFixture } from '../setup/browserFixture';
import { countPixels, isHeat, openPage, shoot, waitForMap } from '../setup/page';
import { pointsArea } from '../../domain/incidentLoad';

const ctx = browserFixture();

interface Win {
  __pingan: {
    incidents: { settled(): boolean };
    view: { getState(): { setWindow(w: { from: string; to: string } | { preset: string }): void } };
  };
}

/** The [from, to) (epoch ms) of every Arrow request `page` makes from now on, and its area. */
function arrowRequests(page: Page) {
  const seen: { from: number; to: number; bbox?: number[] }[] = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.pathname !== '/api/incidents.arrow') return;
    const bbox = u.searchParams.get('bbox');
    seen.push({
      from: Date.parse(u.searchParams.get('from')!),
      to: Date.parse(u.searchParams.get('to')!),
      ...(bbox ? { bbox: bbox.split(',').map(Number) } : {}),
    });
  });
  return seen;
}

const settled = (page: Page) =>
  page.waitForFunction(() => (window as unknown as Win).__pingan.incidents?.settled(), null, {
    timeout: 60_000,
  });

const day = (d: string) => Date.parse(`${d}T00:00:00+08:00`);

describe('loading what the desk shows', () => {
  it('asks first for the window alone, then its margin, and nothing more within it', async () => {
    let seen: { from: number; to: number }[] = [];
    // the test data end with 2026-06-30: the last 30 days are June
    const { page, errors } = await openPage(
      ctx.browser,
      `${ctx.s.url}/?at=101.683,36.694,11.3&w=30d&layers=heat`,
      undefined,
      undefined,
      async (p) => {
        seen = arrowRequests(p);
      },
    );
    await waitForMap(page);
    await settled(page);
    const june = { from: day('2026-06-01'), to: day('2026-07-01') };
    expect(seen[0], 'the first request: the window alone').toEqual(june);
    // the margin (the window's length on each side), in the background, the days after first
    expect(seen.slice(1)).toEqual([
      { from: june.to, to: june.to + 30 * DAY_MS },
      { from: june.from - 30 * DAY_MS, to: june.from },
    ]);

    const more = arrowRequests(page);
    const setWindow = (w: { from: string; to: string } | { preset: string }) =>
      page.evaluate((w) => (window as unknown as Win).__pingan.view.getState().setWindow(w), w);
    await page.locator('[data-testid=window-picker] select').selectOption('7d');
    // 11 days: their margin of 11 days on each side is loaded too
    await setWindow({ from: '2026-05-25', to: '2026-06-05' });
    await page.waitForTimeout(1500);
    await settled(page);
    expect(more, 'windows within what is loaded').toEqual([]);

    // a window far from what is loaded: its own days first
    await setWindow({ from: '2025-01-01', to: '2025-01-08' });
    await settled(page);
    expect(more[0]).toEqual({ from: day('2025-01-01'), to: day('2025-01-08') });
    expect(more.every((r) => r.from >= day('2024-12-25') && r.to <= day('2025-01-15'))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("draws a year's window", async () => {
    const { page, errors } = await openPage(
      ctx.browser,
      `${ctx.s.url}/?at=101.683,36.694,11.3&w=2025-07-01..2026-07-01&layers=heat,towns,communities`,
    );
    await waitForMap(page);
    await settled(page);
    await page.waitForTimeout(1500);
    const img = await shoot(page, 'body', 'desk-year-window');
    expect(countPixels(img, isHeat), 'hot pixels of the heatmap').toBeGreaterThan(500);
    const heap = await page.evaluate(
      () =>
        (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize,
    );
    console.log(`JS heap with a 12-month window: ${heap ? Math.round(heap / 1e6) : '?'} MB`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows, zoomed in, the points around the view of a range the loaded incidents do not hold', async () => {
    let seen: { from: number; to: number; bbox?: number[] }[] = [];
    // June set against last June: the compared map draws June 2025, far from what is loaded
    const centre = { lon: 101.745, lat: 36.665 };
    const { page, errors } = await openPage(
      ctx.browser,
      `${ctx.s.url}/?at=${centre.lon},${centre.lat},15&w=2026-06-01..2026-07-01&layers=points,communities&cmp=lastYear:split`,
      undefined,
      undefined,
      async (p) => {
        seen = arrowRequests(p);
      },
    );
    await waitForMap(page);
    const lastJune = { from: day('2025-06-01'), to: day('2025-07-01') };
    await expect
      .poll(() => seen.find((r) => r.bbox && r.from === lastJune.from), { timeout: 30_000 })
      .toBeTruthy();
    const asked = seen.filter((r) => r.bbox);
    // last June's alone, never this June's (the loaded columns hold it), for the area around
    // the view: no more than that area (a pan within it would ask nothing)
    expect(asked.every((r) => r.from === lastJune.from && r.to === lastJune.to)).toBe(true);
    const size = page.viewportSize()!;
    expect(asked[0]!.bbox).toEqual(pointsArea(centre, 15, size));
    await page.waitForTimeout(1500);
    const pane = await shoot(page, '.compare-pane.base', 'compare-area-points');
    // category-coloured dots are drawn on the compared map
    expect(
      countPixels(pane, (r, g, b) => Math.max(r, g, b) - Math.min(r, g, b) > 60),
    ).toBeGreaterThan(50);
    expect(errors).toEqual([]);
    await page.close();
  });
});
