/** Helpers for browser tests: a page on the test server, readiness, console errors, pixels. */
import { PNG } from 'pngjs';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, TEST_PASSWORD } from './template';

export const SHOTS = path.join(ROOT, 'test-output/screenshots');

export interface OpenedPage {
  page: Page;
  /** console errors and uncaught exceptions seen so far */
  errors: string[];
}

/**
 * Opens `url` in a new page and signs in through the sign-in page as `user` (the wall's
 * account for /wall, the leader otherwise), unless `user` is null. `before` prepares the page
 * before it loads (e.g. installs a controlled clock).
 */
export async function openPage(
  browser: Browser,
  url: string,
  viewport = { width: 1600, height: 900 },
  user?: string | null,
  before?: (page: Page) => Promise<unknown>,
): Promise<OpenedPage> {
  const page = await browser.newPage({ viewport });
  await before?.(page);
  const errors: string[] = [];
  page.on('console', (m) => {
    // the first visit asks who is signed in and hears "no one": that is not an error
    if (m.type() === 'error' && !/401 \(Unauthorized\)/.test(m.text())) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  const who =
    user === undefined ? (new URL(url).pathname.startsWith('/wall') ? 'wall' : 'leader') : user;
  if (who) await signIn(page, who);
  return { page, errors };
}

/** Fills in the sign-in page and waits for it to go. */
export async function signIn(page: Page, username: string, password = TEST_PASSWORD) {
  const form = page.locator('[data-testid=login-form]');
  await form.waitFor({ timeout: 30_000 });
  await form.locator('input[name=username]').fill(username);
  await form.locator('input[name=password]').fill(password);
  await form.locator('button[type=submit]').click();
  await form.waitFor({ state: 'detached', timeout: 30_000 });
}

/** Waits until the data has arrived and deck.gl has drawn a few frames since. */
export async function waitForMap(page: Page, settleMs = 1500) {
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, {
    timeout: 60_000,
  });
  // the layers were handed to deck.gl before the marker was set, and the map may have drawn
  // them already: a map that nothing changes draws no more, so a repaint is asked for here and
  // its draws are waited for (deck.gl counts a draw per layer group and one at the frame's end)
  const frames = await page.evaluate(() => {
    const w = window as unknown as {
      __deckFrames?: number;
      __map?: { triggerRepaint(): void };
    };
    w.__map?.triggerRepaint();
    return w.__deckFrames ?? 0;
  });
  await page.waitForFunction(
    (f) => ((window as unknown as { __deckFrames?: number }).__deckFrames ?? 0) > f + 1,
    frames,
    { timeout: 30_000 },
  );
  await page.waitForTimeout(settleMs);
}

/** A screenshot of an element, kept under test-output/screenshots and decoded for pixel checks. */
export async function shoot(page: Page, selector: string, name: string): Promise<PNG> {
  mkdirSync(SHOTS, { recursive: true });
  const buf = await page.locator(selector).first().screenshot();
  writeFileSync(path.join(SHOTS, `${name}.png`), buf);
  return PNG.sync.read(buf);
}

/** How many pixels satisfy `test(r, g, b)`. */
export function countPixels(png: PNG, test: (r: number, g: number, b: number) => boolean): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4)
    if (test(png.data[i]!, png.data[i + 1]!, png.data[i + 2]!)) n++;
  return n;
}

/** The share of pixels that differ by more than `tolerance` in any channel. */
export function diffShare(a: PNG, b: PNG, tolerance = 24): number {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (
      Math.abs(a.data[i]! - b.data[i]!) > tolerance ||
      Math.abs(a.data[i + 1]! - b.data[i + 1]!) > tolerance ||
      Math.abs(a.data[i + 2]! - b.data[i + 2]!) > tolerance
    )
      n++;
  }
  return n / (a.width * a.height);
}

/** Hot heat pixels: the ramp's magenta-to-amber end, never the dark ground or grey lines. */
export const isHeat = (r: number, g: number, b: number) => r > 120 && r - b > 50 && r - g > 30;
/** The district outline's pale grey-blue (#cfd8dc) and other bright boundary strokes. */
export const isBoundary = (r: number, g: number, b: number) =>
  r > 170 && g > 180 && b > 180 && Math.abs(r - g) < 30 && Math.abs(g - b) < 30;
