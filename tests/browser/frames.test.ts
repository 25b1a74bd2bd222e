/**
 * A window change within what is loaded, as playback and scrubbing make them through the store,
 * is a filter range on the GPU: the heat and the points keep their data and deck.gl writes no
 * attribute buffer, the heat still shows the new window, and the map draws the change in its very
 * next frame.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserFixture } from '../setup/browserFixture';
import { ATTRIBUTE_WRITES, WATCH_ATTRIBUTES } from '../setup/deckAttributes';
import { diffShare, openPage, shoot, waitForMap } from '../setup/page';

const ctx = browserFixture();

/**
 * Thirty-day windows a day apart, then windows of other lengths (the test data ends 2026-06-30),
 * all with their margins within what the first window loads (2026-01-01..2026-07-01 and 92 days
 * on either side: client/data/incidentLoad.ts).
 */
const WINDOWS = [
  { from: '2026-05-01', to: '2026-05-31' },
  { from: '2026-05-02', to: '2026-06-01' },
  { from: '2026-05-03', to: '2026-06-02' },
  { from: '2026-05-04', to: '2026-06-03' },
  { from: '2026-06-20', to: '2026-06-27' },
  { from: '2026-04-01', to: '2026-06-30' },
  { from: '2026-06-29', to: '2026-06-30' },
];

/** The data object deck.gl holds for a layer now. */
const DATA_OF = (id: string) =>
  `window.__map.__deck.layerManager.getLayers().find((l) => l.id === '${id}')?.props.data`;

/** Waits until the page has loaded all it wants for its window. */
const settled = (page: Page) =>
  page.waitForFunction(
    () =>
      (
        window as unknown as { __pingan: { incidents?: { settled(): boolean } } }
      ).__pingan.incidents?.settled(),
    null,
    { timeout: 60_000 },
  );

/** Sets the window through the store, as the timeline does, and waits for two frames. */
async function setWindow(page: Page, w: { from: string; to: string }) {
  await page.evaluate(`(async () => {
    window.__pingan.view.getState().setWindow(${JSON.stringify(w)});
    for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
  })()`);
}

describe('window changes', () => {
  for (const [what, search, ids] of [
    [
      'heat',
      'at=101.745,36.665,13&w=2026-01-01..2026-07-01&layers=heat,communities',
      ['incident-heat'],
    ],
    [
      'points',
      'at=101.745,36.665,15&w=2026-01-01..2026-07-01&layers=points,communities',
      ['incident-points'],
    ],
  ] as const)
    it(`keep the ${what} layer's data and write no attribute buffer`, async () => {
      const { page, errors } = await openPage(ctx.browser, `${ctx.s.url}/?${search}`);
      await waitForMap(page);
      await settled(page);
      // the last chunk loaded reaches the layers at the page's next render: the data as drawn
      // once they keep it across a few frames, kept in the page to compare identities there
      const same = `[${ids.map(DATA_OF).join(', ')}].every((d, i) => d === window.__firstData[i])`;
      for (let i = 0; i < 20; i++) {
        await page.evaluate(`window.__firstData = [${ids.map(DATA_OF).join(', ')}]`);
        await page.waitForTimeout(300);
        await page.evaluate(
          'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))',
        );
        if (await page.evaluate(same)) break;
      }
      await page.evaluate(WATCH_ATTRIBUTES);
      for (const w of WINDOWS) await setWindow(page, w);
      expect(await page.evaluate(`window.__firstData.every((d) => d !== undefined)`)).toBe(true);
      expect(await page.evaluate(same)).toBe(true);
      expect(await page.evaluate(ATTRIBUTE_WRITES)).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    });

  it('shows the heat of the new window, drawn in the next frame after the store update', async () => {
    const { page, errors } = await openPage(
      ctx.browser,
      `${ctx.s.url}/?at=101.745,36.665,13&w=30d&layers=heat`,
    );
    await waitForMap(page);
    await setWindow(page, { from: '2026-06-01', to: '2026-07-01' });
    const month = await shoot(page, '[data-testid=map]', 'frames-heat-june');
    // the map's frames, counted by its render event; one animation frame after the update the
    // map has drawn it (deck.gl's own frame would ask for the repaint only in the frame after)
    const drawn = (await page.evaluate(`(async () => {
      const map = window.__map;
      let renders = 0;
      map.on('render', () => renders++);
      await new Promise((r) => requestAnimationFrame(r));
      await new Promise((r) => requestAnimationFrame(r));
      const before = renders;
      window.__pingan.view.getState().setWindow({ from: '2026-06-29', to: '2026-06-30' });
      await new Promise((r) => requestAnimationFrame(r));
      return renders - before;
    })()`)) as number;
    expect(drawn).toBeGreaterThan(0);
    await page.waitForTimeout(500);
    const day = await shoot(page, '[data-testid=map]', 'frames-heat-one-day');
    expect(diffShare(month, day)).toBeGreaterThan(0.01);
    // and back: the same window draws the same heat again
    await setWindow(page, { from: '2026-06-01', to: '2026-07-01' });
    await page.waitForTimeout(500);
    const again = await shoot(page, '[data-testid=map]', 'frames-heat-june-again');
    expect(diffShare(month, again)).toBeLessThan(0.005);
    expect(errors).toEqual([]);
    await page.close();
  });
});
