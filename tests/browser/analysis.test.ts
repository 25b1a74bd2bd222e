/**
 * The red/black list and the analyses in real Chromium: the lists and their order come from
 * the API, the period switch and the formula, a community's place on its card, and the
 * analysis panel's figures with the hot spots drawn on the map; a period comparison's swipe and
 * its change by community against the server's counts.
 */
import { describe, expect, it } from 'vitest';
import { HOTSPOT } from '../../domain/analysis';
import { browserFixture } from '../setup/browserFixture';
import { countPixels, openPage, shoot, waitForMap } from '../setup/page';

const fx = browserFixture();
const VIEW = 'at=101.72,36.67,12.2&w=30d';

const names = (page: import('playwright-core').Page, sel: string) =>
  page
    .locator(`${sel} tr td:nth-child(2)`)
    .evaluateAll((tds) => tds.map((td) => td.childNodes[0]?.textContent?.trim() ?? ''));

describe('red/black list', () => {
  it('shows the month’s red and black lists in the API’s order, switches period, and places a community', async () => {
    const { page, errors } = await openPage(fx.browser, `${fx.s.url}/?${VIEW}&panel=rankings`);
    await waitForMap(page);
    const api = await fx.s.client.rankings.communities.query({ period: 'month' });
    const nameOf = (id: number) => api.communities.find((c) => c.communityId === id)!.name;
    await expect.poll(() => page.locator('[data-testid=red-row]').count()).toBe(5);
    expect(await names(page, '[data-testid=red-list]')).toEqual(api.red.map(nameOf));
    expect(await names(page, '[data-testid=black-list]')).toEqual(api.black.map(nameOf));
    expect(await page.locator('[data-testid=rankings] h2').innerText()).toContain('2026-06');
    // which month it ranks and against what: June whole, against May whole
    const said = await page.locator('[data-testid=rank-period]').innerText();
    expect(said).toContain('排名时段：2026-06（整月）');
    expect(said).toContain('环比对照：2026-05（整月）');
    // the data end with June: no month in progress to offer
    expect(await page.locator('[data-testid=rank-pick]').count()).toBe(0);
    // praise in gold, shame in black: never the risk red
    const gold = await page
      .locator('.list-badge.red')
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(gold).toBe('rgb(232, 197, 71)');
    const black = await page
      .locator('.list-badge.black')
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(black).toBe('rgb(10, 10, 10)');
    // the formula with the weights in force
    await page.locator('[data-testid=rank-formula] summary').click();
    const formula = await page.locator('[data-testid=rank-formula]').innerText();
    expect(formula).toContain('得分 = Σ 权重 × 指标分');
    expect(formula).toContain(`×${api.weights.incidentRate}`);
    await shoot(page, '.side.right', 'rankings-month');

    // the quarter, in the URL too
    await page.getByRole('button', { name: '季比' }).click();
    await expect
      .poll(() => page.locator('[data-testid=rankings] h2').innerText())
      .toContain('2026-Q2');
    const quarter = await fx.s.client.rankings.communities.query({ period: 'quarter' });
    await expect
      .poll(() => names(page, '[data-testid=red-list]'))
      .toEqual(
        quarter.red.map((id) => quarter.communities.find((c) => c.communityId === id)!.name),
      );
    await expect.poll(() => new URL(page.url()).searchParams.get('rank')).toBe('quarter');

    // a community's place on its card
    await page.locator('[data-testid=red-row]').first().click();
    const rankLine = page.locator('[data-testid=community-rank]');
    await expect.poll(() => rankLine.innerText()).toMatch(/名次 1\/79/);
    expect(await rankLine.innerText()).toContain('红榜');
    expect(await page.locator('[data-testid=community-card] h2').innerText()).toContain(
      quarter.communities[0]!.name,
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('analysis panel', () => {
  it('shows spikes, Gi* classes and reach as the API computes them, and draws the hot spots', async () => {
    const { page, errors } = await openPage(
      fx.browser,
      `${fx.s.url}/?${VIEW}&layers=towns,communities&panel=analysis`,
    );
    await waitForMap(page);
    const range = {
      from: '2026-06-01T00:00:00+08:00',
      to: '2026-07-01T00:00:00+08:00',
    };
    const [spikes, hot, reach] = await Promise.all([
      fx.s.client.hotspots.spikes.query(range),
      fx.s.client.hotspots.gistar.query({ ...range, ...HOTSPOT }),
      fx.s.client.reach.summary.query(),
    ]);
    await expect
      .poll(() => page.locator('[data-testid=analysis-spikes] tbody tr').count())
      .toBe(spikes.filter((r) => r.flag).length);
    await expect
      .poll(() => page.locator('[data-testid=gistar-hot99]').innerText())
      .toBe(hot.byClass.hot99.toLocaleString('zh-CN'));
    expect(hot.byClass.hot99).toBeGreaterThan(0);
    // the method sentence states the setting the figures were computed with
    expect(await page.locator('[data-testid=analysis-hotspots]').innerText()).toContain(
      `${HOTSPOT.cellMeters}米网格计数，${HOTSPOT.bandMeters}米距离带`,
    );
    const three = reach.thresholds.find((t) => t.minutes === 3)!;
    await expect
      .poll(() => page.locator('[data-testid=reach-3]').innerText())
      .toContain(`${(three.areaShare * 100).toFixed(1)}%`);
    expect(await page.locator('[data-testid=analysis-reach]').innerText()).toContain(
      '绕行系数1.35',
    );
    expect(await page.locator('[data-testid=analysis-circles] tbody tr').count()).toBe(3);
    await expect
      .poll(() => page.locator('[data-testid=district-coverage]').innerText())
      .toMatch(/\d+\.\d%/);

    const magenta = (r: number, g: number, b: number) => r > 140 && b > 110 && g < 100;
    const before = countPixels(await shoot(page, '[data-testid=map]', 'hotspots-off'), magenta);
    await page.getByLabel('在地图上显示').check();
    await expect
      .poll(
        async () => countPixels(await shoot(page, '[data-testid=map]', 'hotspots-on'), magenta),
        {
          timeout: 20_000,
        },
      )
      .toBeGreaterThan(before + 2000);
    expect(new URL(page.url()).searchParams.get('layers')).toContain('hotspots');
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe('period comparison', () => {
  it('compares June with May: the swipe divider moves, and the change table agrees with the server', async () => {
    const { page, errors } = await openPage(
      fx.browser,
      `${fx.s.url}/?at=101.72,36.67,12.2&w=2026-06-01..2026-07-01&layers=towns,communities&cmp=previous:swipe`,
    );
    await waitForMap(page, 0);

    // the swipe: the divider moves by keyboard and by dragging, and cuts the map over it
    const divider = page.getByTestId('swipe-divider');
    await divider.focus();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    await expect.poll(() => divider.getAttribute('aria-valuenow')).toBe('60');
    const box = (await page.getByTestId('compare-stage').boundingBox())!;
    const handle = (await divider.boundingBox())!;
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => Number(await divider.getAttribute('aria-valuenow'))).toBe(30);
    expect(
      await page.locator('.compare-pane.base').evaluate((el) => getComputedStyle(el).clipPath),
    ).toMatch(/^inset\(0(px)? 70%/);

    // the difference, turned on at the header's control
    await page.getByTestId('compare-difference').click();
    // (the address follows the view after the map's work of the change, debounced)
    await expect
      .poll(() => new URL(page.url()).searchParams.get('cmp'), { timeout: 10_000 })
      .toBe('previous:difference');
    await page.getByTestId('change-legend').waitFor();

    // the server's counts per community for June and the whole of May
    const count = (from: string, to: string) =>
      fx.s.client.incidents.summary.query({ from, to, groupBy: 'community' });
    const [june, may] = await Promise.all([
      count('2026-06-01T00:00:00+08:00', '2026-07-01T00:00:00+08:00'),
      count('2026-05-01T00:00:00+08:00', '2026-06-01T00:00:00+08:00'),
    ]);
    const n = (rows: typeof june, id: string) => rows.find((r) => r.key === id)?.count ?? 0;
    const ids = [...new Set([...june, ...may].map((r) => r.key))];
    const largest = Math.max(...ids.map((id) => Math.abs(n(june, id) - n(may, id))));
    expect(largest).toBeGreaterThan(0);

    const top = page.locator('[data-testid=change-table] tbody tr').first();
    await top.waitFor();
    const id = (await top.getAttribute('data-community'))!;
    const cells = (await top.locator('td').allInnerTexts()).map((s) => s.replace(/,/g, ''));
    expect(cells[0]).toBe(
      june.find((r) => r.key === id)?.name ?? may.find((r) => r.key === id)?.name,
    );
    expect(Number(cells[1])).toBe(n(june, id));
    expect(Number(cells[2])).toBe(n(may, id));
    expect(Math.abs(n(june, id) - n(may, id))).toBe(largest);
    // a row selects its community
    await top.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('community')).toBe(id);

    expect(errors).toEqual([]);
    await page.close();
  }, 20_000);
});
