/**
 * Leaders' briefings in real Chromium against the real server: a leader makes a briefing of
 * three slides from the desk (each its own window and layers; one with an arrow drawn on the map,
 * one comparing the year with the last), finds it after a reload, moves a slide, and presents it
 * with the keyboard; each slide shows its own window, layers, drawings, comparison and picture.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { browserFixture } from '../setup/browserFixture';
import { diffShare, openPage, shoot, waitForMap } from '../setup/page';

const fx = browserFixture();

type Win = {
  __pingan: {
    view: { getState(): { setCamera(c: object): void; setComparison(c: object | null): void } };
    annotations: {
      getState(): {
        setEditing(on: boolean): void;
        setAnnotations(a: unknown[]): void;
        annotations: { kind: string }[];
      };
    };
  };
};

/** Adds the desk's view as a slide: to a new briefing `briefing`, or to the one offered. */
async function addSlide(page: Page, title: string, briefing?: string) {
  await page.locator('[data-testid=add-slide]').click();
  const form = page.locator('[data-testid=add-slide-form]');
  await form.waitFor();
  if (briefing) {
    await form.locator('[data-testid=add-slide-target]').selectOption('new');
    await form.locator('[data-testid=add-slide-new-title]').fill(briefing);
  }
  const offered = await form.locator('[data-testid=add-slide-title]').inputValue();
  await form.locator('[data-testid=add-slide-title]').fill(title);
  await form.locator('[data-testid=add-slide-submit]').click();
  await page.locator('[data-testid=add-slide-done]').waitFor();
  await page.locator('[data-testid=add-slide-done] button').click();
  return offered;
}

const slideTitles = (page: Page) =>
  page
    .locator('[data-testid=slide-title]')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));

/** Waits until the presenter shows slide `index` (0-based) and its map has drawn it. */
async function presented(page: Page, index: number) {
  await page.waitForFunction(
    (i) => {
      const el = document.querySelector('[data-testid=presenting]') as HTMLElement | null;
      return el?.dataset.slide === String(i) && el.dataset.waiting === 'false';
    },
    index,
    { timeout: 60_000 },
  );
  // the fly to the slide's camera (1.6 s), until deck.gl has stopped drawing new frames
  await page.waitForTimeout(1700);
  await page.waitForFunction(
    () =>
      new Promise<boolean>((done) => {
        const w = window as unknown as { __deckFrames?: number };
        const before = w.__deckFrames ?? 0;
        setTimeout(() => done((w.__deckFrames ?? 0) === before), 500);
      }),
    null,
    { timeout: 30_000 },
  );
  return {
    drawings: await page.evaluate(() =>
      (window as unknown as Win).__pingan.annotations.getState().annotations.map((a) => a.kind),
    ),
    compared: await page.locator('[data-testid=change-legend]').count(),
    title: await page.locator('[data-testid=present-title] h1').innerText(),
    window: await page.locator('[data-testid=present-window]').innerText(),
    legend: await page.locator('[data-testid=legend]').innerText(),
    map: await shoot(page, '[data-testid=map]', `briefing-present-${index + 1}`),
  };
}

describe('briefings', () => {
  it('makes three slides on the desk, keeps them, reorders them, and presents them', async () => {
    const { page, errors } = await openPage(
      fx.browser,
      `${fx.s.url}/?at=101.683,36.694,11.3&w=30d&layers=heat,towns,communities`,
      { width: 1366, height: 768 },
      'leader',
    );
    await waitForMap(page);
    // 1: the heat of 30 days, into a new briefing; the title offered says what the view shows
    const offered = await addSlide(page, '全区警情热力', '十一月汇报');
    expect(offered).toMatch(/^近30天 · 警情热力、村\/社区、街道\/镇$/);
    // 2: seven days, the heat off, the circles and cameras on
    await page.locator('[data-testid=window-picker] select').selectOption('7d');
    await page.locator('input[data-layer=heat]').uncheck();
    await page.locator('input[data-layer=circles]').check();
    await page.locator('input[data-layer=cameras]').check();
    // with an arrow drawn on the map, as the slide tools draw it
    await page.evaluate(() =>
      (window as unknown as Win).__pingan.annotations.getState().setEditing(true),
    );
    await page.locator('[data-testid=annot-tool-arrow]').click();
    const box = (await page.locator('[data-testid=map]').boundingBox())!;
    await page.mouse.move(box.x + 250, box.y + 350);
    await page.mouse.down();
    for (let i = 1; i <= 5; i++) await page.mouse.move(box.x + 250 + i * 40, box.y + 350 - i * 30);
    await page.mouse.up();
    await page.evaluate(() =>
      (window as unknown as Win).__pingan.annotations.getState().setEditing(false),
    );
    await addSlide(page, '三级防护圈与摄像头');
    await page.evaluate(() =>
      (window as unknown as Win).__pingan.annotations.getState().setAnnotations([]),
    );
    // 3: this year's heat, nearer in
    await page.locator('[data-testid=window-picker] select').selectOption('year');
    await page.locator('input[data-layer=circles]').uncheck();
    await page.locator('input[data-layer=cameras]').uncheck();
    await page.locator('input[data-layer=heat]').check();
    await page.evaluate(() =>
      (window as unknown as Win).__pingan.view
        .getState()
        .setCamera({ lon: 101.74, lat: 36.66, zoom: 12.6 }),
    );
    // against the same dates last year, as a map of the change
    await page.locator('[data-testid=compare-control]').waitFor();
    await page.evaluate(() =>
      (window as unknown as Win).__pingan.view
        .getState()
        .setComparison({ against: 'lastYear', mode: 'difference' }),
    );
    await page.locator('[data-testid=change-legend]').waitFor();
    await addSlide(page, '本年热力（城区）');

    // the briefing survives a page load and is listed with its three slides
    await page.goto(`${fx.s.url}/briefings`);
    const row = page.locator('[data-testid=briefing-list] tr', { hasText: '十一月汇报' });
    await row.waitFor();
    expect(await row.locator('td.num').first().innerText()).toMatch(/^3/);
    await shoot(page, 'body', 'briefing-list');
    await row.locator('a.briefing-title-link').click();
    await page.locator('[data-testid=slide]').nth(2).waitFor();
    expect(await slideTitles(page)).toEqual([
      '全区警情热力',
      '三级防护圈与摄像头',
      '本年热力（城区）',
    ]);
    const windows = await page.locator('[data-testid=slide-window]').allInnerTexts();
    expect(windows.map((w) => w.replace(/^.*: /, ''))).toEqual(['近30天', '近7天', '本年']);

    // the first slide moves down one, by its keyboard-reachable button, and stays there
    await page.locator('[data-testid=slide-down]').first().focus();
    await page.keyboard.press('Enter');
    // the focus moves with the slide: Enter again would move it on
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('下移 2');
    await page.locator('[data-testid=save-status][data-state=saved]').waitFor();
    await page.reload();
    await page.locator('[data-testid=slide]').nth(2).waitFor();
    const order = ['三级防护圈与摄像头', '全区警情热力', '本年热力（城区）'];
    expect(await slideTitles(page)).toEqual(order);
    await shoot(page, 'body', 'briefing-slides');

    // presenting: every slide its own title, window, legend and picture
    await page.locator('[data-testid=present]').click();
    await page.waitForURL(/\/present$/);
    const shown = [await presented(page, 0)];
    await page.keyboard.press('ArrowRight');
    shown.push(await presented(page, 1));
    await page.keyboard.press('PageDown');
    shown.push(await presented(page, 2));
    expect(shown.map((s) => s.title)).toEqual(order);
    expect(shown.map((s) => s.window)).toEqual(['近7天', '近30天', '本年']);
    expect(shown[0]!.legend).toContain('三级防护圈');
    expect(shown[0]!.legend).toContain('摄像头');
    expect(shown[0]!.legend).not.toContain('警情热力');
    for (const s of shown.slice(1)) expect(s.legend).not.toContain('三级防护圈');
    expect(shown[1]!.legend).toContain('警情热力');
    // the year against the last: the map of the change in place of the heat, with its own key
    expect(shown[2]!.legend).not.toContain('警情热力');
    // the arrow on its slide only; the comparison of the year on its own
    expect(shown.map((s) => s.drawings)).toEqual([['arrow'], [], []]);
    expect(shown.map((s) => s.compared)).toEqual([0, 0, 1]);
    // beside it, the communities that changed most, largest first
    const changes = await page
      .locator('[data-testid=present-changes] tbody tr td:nth-child(4)')
      .allInnerTexts();
    expect(changes.length).toBeGreaterThan(0);
    expect(changes.length).toBeLessThanOrEqual(8);
    const sizes = changes.map((c) => Math.abs(Number(c.replace(/[^\d]/g, ''))));
    expect(sizes).toEqual([...sizes].sort((x, y) => y - x));
    await shoot(page, 'body', 'briefing-present-compared');
    expect(diffShare(shown[0]!.map, shown[1]!.map)).toBeGreaterThan(0.02);
    expect(diffShare(shown[1]!.map, shown[2]!.map)).toBeGreaterThan(0.02);
    // back again, and the address stays the presenter's (no desk view written into it)
    await page.keyboard.press('PageUp');
    await presented(page, 1);
    expect(new URL(page.url()).search).toBe('');
    expect(errors).toEqual([]);
    await page.close();
  });
});
