/**
 * The desk view in real Chromium against the real server on a test database: the map draws,
 * layers and the window change the picture, a community opens its card, the URL carries the
 * view, and nothing logs an error.
 */
import { pointOnFeature } from '@turf/turf';
import type { Feature } from 'geojson';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser } from '../setup/browser';
import {
  countPixels,
  diffShare,
  isBoundary,
  isHeat,
  openPage,
  shoot,
  waitForMap,
} from '../setup/page';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
let browser: Browser;
// a fixed view of the whole district, 30 days ending with the test data (anchor 2026-06-30)
const VIEW = 'at=101.683,36.694,11.3&w=30d';

beforeAll(async () => {
  s = await startTestServer({ clientDir: inject('clientDir') });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await s?.close();
});

describe('desk view', () => {
  it('draws the heat and the boundaries, and switching the heat off removes it', async () => {
    const { page, errors } = await openPage(
      browser,
      `${s.url}/?${VIEW}&layers=heat,towns,communities`,
    );
    await waitForMap(page);
    const withHeat = await shoot(page, '[data-testid=map]', 'desk-heat-on');
    const heat = countPixels(withHeat, isHeat);
    const lines = countPixels(withHeat, isBoundary);
    expect(heat, 'hot pixels of the heatmap').toBeGreaterThan(500);
    expect(lines, 'pixels of the district outline').toBeGreaterThan(1500);

    await page.locator('input[data-layer=heat]').uncheck();
    await page.waitForTimeout(1200);
    const without = await shoot(page, '[data-testid=map]', 'desk-heat-off');
    expect(countPixels(without, isHeat)).toBeLessThan(heat / 20);
    expect(countPixels(without, isBoundary)).toBeGreaterThan(lines * 0.8);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('changes the heat when the window changes, without refetching the incidents', async () => {
    const { page, errors } = await openPage(browser, `${s.url}/?${VIEW}&layers=heat`);
    await waitForMap(page);
    const before = await shoot(page, '[data-testid=map]', 'desk-window-30d');
    const arrowRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/incidents.arrow')) arrowRequests.push(r.url());
    });
    await page.locator('[data-testid=window-picker] select').selectOption('today');
    await page.waitForTimeout(1500);
    const after = await shoot(page, '[data-testid=map]', 'desk-window-today');
    expect(diffShare(before, after)).toBeGreaterThan(0.01);
    expect(arrowRequests).toEqual([]);
    // the KPI total follows the window: one day holds far fewer incidents than thirty
    const total = Number(
      (await page.locator('[data-testid=kpi-total]').innerText()).replace(/[^\d]/g, ''),
    );
    expect(total).toBeGreaterThan(50);
    expect(total).toBeLessThan(500);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a community card on click, with its incidents in the window', async () => {
    const communities = await s.client.regions.communities.query();
    const target = communities.features.find((f) => f.properties.name === '朝阳社区')!;
    const [lon, lat] = pointOnFeature(target as Feature).geometry.coordinates as [number, number];
    const { page, errors } = await openPage(
      browser,
      `${s.url}/?at=${lon},${lat},13.5&w=30d&layers=communities`,
    );
    await waitForMap(page);
    const point = await page.evaluate(
      ([x, y]) =>
        (
          window as unknown as { __map: { project(p: [number, number]): { x: number; y: number } } }
        ).__map.project([x, y]),
      [lon, lat] as [number, number],
    );
    const box = (await page.locator('[data-testid=map]').boundingBox())!;
    // hover first, as a person does: deck.gl picks on the pointer it has seen move
    await page.mouse.move(box.x + point.x, box.y + point.y);
    await page.waitForTimeout(300);
    await page.mouse.click(box.x + point.x, box.y + point.y);
    const card = page.locator('[data-testid=community-card]');
    await card.waitFor({ timeout: 10_000 });
    await expect.poll(() => card.innerText()).toContain('朝阳社区');
    expect(await card.innerText()).toContain('朝阳街道');
    const expected = (
      await s.client.incidents.summary.query({
        from: '2026-06-01T00:00:00+08:00',
        to: '2026-07-01T00:00:00+08:00',
        groupBy: 'category',
        communityId: target.properties.id,
      })
    ).reduce((a, r) => a + r.count, 0);
    await expect
      .poll(async () =>
        Number(
          (await page.locator('[data-testid=community-total]').innerText()).replace(/[^\d]/g, ''),
        ),
      )
      .toBe(expected);
    // its camera coverage, as the coverage API computes it
    const cov = (await s.client.coverage.infill.query()).find(
      (r) => r.communityId === target.properties.id,
    )!;
    await expect
      .poll(() => page.locator('[data-testid=community-coverage]').innerText(), { timeout: 30_000 })
      .toContain(`${(cov.ratio * 100).toFixed(1)}%`);
    await shoot(page, 'body', 'desk-community-card');
    // the selection is in the URL
    await expect.poll(() => page.url()).toContain(`community=${target.properties.id}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows incidents as points when zoomed in, and opens one on click', async () => {
    const page1 = await s.client.incidents.list.query({
      from: '2026-06-01T00:00:00+08:00',
      to: '2026-07-01T00:00:00+08:00',
      limit: 1,
    });
    const inc = page1.items[0]!;
    const { page, errors } = await openPage(
      browser,
      `${s.url}/?at=${inc.lon},${inc.lat},16&w=30d&layers=points`,
    );
    await waitForMap(page);
    const shot = await shoot(page, '[data-testid=map]', 'desk-points');
    // category-coloured dots are drawn
    expect(
      countPixels(shot, (r, g, b) => Math.max(r, g, b) - Math.min(r, g, b) > 60),
    ).toBeGreaterThan(50);
    const point = await page.evaluate(
      ([x, y]) =>
        (
          window as unknown as { __map: { project(p: [number, number]): { x: number; y: number } } }
        ).__map.project([x, y]),
      [inc.lon, inc.lat] as [number, number],
    );
    const box = (await page.locator('[data-testid=map]').boundingBox())!;
    await page.mouse.move(box.x + point.x, box.y + point.y);
    await page.waitForTimeout(300);
    await page.mouse.click(box.x + point.x, box.y + point.y);
    const details = page.locator('[data-testid=incident-details]');
    await details.waitFor({ timeout: 10_000 });
    // the newest incident of the window sits on top of any others at that spot
    await expect.poll(() => details.innerText()).toContain('#');
    const id = Number((await details.innerText()).match(/#(\d+)/)![1]);
    const clicked = await s.client.incidents.get.query({ id });
    expect(Math.abs(clicked.lon - inc.lon)).toBeLessThan(0.0003);
    expect(Math.abs(clicked.lat - inc.lat)).toBeLessThan(0.0003);
    await expect.poll(() => details.innerText()).toContain(clicked.communityName!);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reopens the same view from a copied link, and switches to English', async () => {
    const { page, errors } = await openPage(browser, `${s.url}/?${VIEW}`);
    await waitForMap(page);
    await page.locator('input[data-layer=cameras]').check();
    await page.locator('input[data-layer=heat]').uncheck();
    await page.locator('[data-testid=window-picker] select').selectOption('7d');
    await page.getByRole('button', { name: 'EN' }).click();
    await expect.poll(() => page.url()).toContain('lang=en');
    const link = page.url();
    expect(link).toContain('w=7d');

    const again = await openPage(browser, link);
    await waitForMap(again.page);
    expect(await again.page.locator('input[data-layer=cameras]').isChecked()).toBe(true);
    expect(await again.page.locator('input[data-layer=heat]').isChecked()).toBe(false);
    expect(await again.page.locator('[data-testid=window-picker] select').inputValue()).toBe('7d');
    expect(await again.page.locator('h1').innerText()).toContain("Ping'an Map");
    await shoot(again.page, 'body', 'desk-english-cameras');
    expect([...errors, ...again.errors]).toEqual([]);
    await page.close();
    await again.page.close();
  });
  it('opens on the whole district at any screen size, with the legend beside it', async () => {
    // the district's outline, projected by the map itself: its screen bbox must lie in the map's
    // own area (which no panel covers), fill it on one axis, and stay clear of the legend
    const district = await s.client.regions.district.query();
    const coords = district.features.flatMap((f) => {
      const g = f.geometry as { type: string; coordinates: unknown };
      const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as number[][][][];
      return polys.flatMap((p) => p[0]!);
    });
    const { page, errors } = await openPage(
      browser,
      `${s.url}/?w=30d&layers=heat,towns,communities`,
      { width: 1366, height: 768 },
    );
    await waitForMap(page, 500);
    type R = { x: number; y: number; width: number; height: number };
    const overlap = (a: R, b: R) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    for (const size of [
      { width: 1366, height: 768 },
      { width: 3840, height: 2160 },
    ]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(800);
      const m = await page.evaluate((pts) => {
        type P = { x: number; y: number };
        const map = (window as unknown as { __map: { project(ll: number[]): P } }).__map;
        const xy = pts.map((p) => map.project(p));
        const rect = (sel: string) => {
          const r = document.querySelector(sel)!.getBoundingClientRect();
          return { x: r.x, y: r.y, width: r.width, height: r.height };
        };
        const mapRect = rect('[data-testid=map]');
        const xs = xy.map((p) => p.x + mapRect.x);
        const ys = xy.map((p) => p.y + mapRect.y);
        const x = Math.min(...xs);
        const y = Math.min(...ys);
        return {
          district: { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y },
          map: mapRect,
          legend: rect('[data-testid=legend]'),
          panels: ['.desk > header', '.side.left', '.side.right', '.timeline'].map(rect),
        };
      }, coords);
      const { district: d, map } = m;
      for (const p of m.panels)
        expect(overlap(p, map), `a panel over the map at ${size.width}`).toBe(false);
      expect(d.x).toBeGreaterThanOrEqual(map.x);
      expect(d.y).toBeGreaterThanOrEqual(map.y);
      expect(d.x + d.width).toBeLessThanOrEqual(map.x + map.width);
      expect(d.y + d.height).toBeLessThanOrEqual(map.y + map.height);
      // fitted, not merely inside: it fills most of the map's width or height
      expect(Math.max(d.width / map.width, d.height / map.height)).toBeGreaterThan(0.7);
      expect(overlap(m.legend, d), `the legend over the district at ${size.width}`).toBe(false);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws an arrow on the map with the slide tools, its head where the mouse let go', async () => {
    const { page, errors } = await openPage(browser, `${s.url}/?${VIEW}&layers=towns`);
    await waitForMap(page, 300);
    type Store = { getState(): { setEditing(on: boolean): void; annotations: unknown[] } };
    type Win = {
      __pingan: { annotations: Store };
      __map: {
        unproject(p: [number, number]): { lng: number; lat: number };
        getCenter(): { lng: number; lat: number };
      };
    };
    await page.evaluate(() =>
      (window as unknown as Win).__pingan.annotations.getState().setEditing(true),
    );
    await page.locator('[data-testid=annot-tool-arrow]').click();
    const box = (await page.locator('[data-testid=map]').boundingBox())!;
    const centre = () => page.evaluate(() => (window as unknown as Win).__map.getCenter());
    const before = await centre();
    await page.mouse.move(box.x + 300, box.y + 420);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++) await page.mouse.move(box.x + 300 + i * 40, box.y + 420 - i * 30);
    await page.mouse.up();
    const drawn = await page.evaluate(
      () => (window as unknown as Win).__pingan.annotations.getState().annotations,
    );
    const released = await page.evaluate(() =>
      (window as unknown as Win).__map.unproject([500, 270]),
    );
    expect(drawn).toHaveLength(1);
    const a = drawn[0] as { kind: string; geometry: { type: string; coordinates: number[][] } };
    expect(a.kind).toBe('arrow');
    expect(a.geometry.type).toBe('LineString');
    const tip = a.geometry.coordinates.at(-1)!;
    expect(Math.abs(tip[0]! - released.lng)).toBeLessThan(1e-5);
    expect(Math.abs(tip[1]! - released.lat)).toBeLessThan(1e-5);
    // the drag drew and did not pan the map
    expect(await centre()).toEqual(before);
    expect(errors).toEqual([]);
    await page.close();
  });
});
