/**
 * Exports in real Chromium against the real server: the desk's picture at 2× has twice the
 * pixels of the 1× and the same map as the screen shows (heat included); a briefing of three
 * slides prints to a PDF of three A4 landscape pages whose text holds the slide titles in Chinese
 * and whose pages and maps are not blank. Each export leaves its audit row.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SIDE_PX } from '../../client/briefing/export/layout';
import { browserFixture } from '../setup/browserFixture';
import { countPixels, isHeat, openPage, SHOTS, waitForMap } from '../setup/page';

const f = browserFixture();

/** The PNG the desk's export menu saves at `size`, with its file name. */
async function exportFromDesk(page: Page, size: '1x' | '2x') {
  await page.locator('[data-testid=export-menu] > button').click();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 60_000 }),
    page.locator(`[data-testid=export-menu] button[data-size="${size}"]`).click(),
  ]);
  const file = await download.path();
  const buf = readFileSync(file);
  mkdirSync(SHOTS, { recursive: true });
  writeFileSync(path.join(SHOTS, `export-${size}.png`), buf);
  return { png: PNG.sync.read(buf), name: download.suggestedFilename() };
}

/** The `w` × `h` region of `png` at (x, y), shrunk by `k` (mean of each k × k block). */
function region(png: PNG, x: number, y: number, w: number, h: number, k = 1): PNG {
  const out = new PNG({ width: Math.floor(w / k), height: Math.floor(h / k) });
  for (let oy = 0; oy < out.height; oy++)
    for (let ox = 0; ox < out.width; ox++)
      for (let c = 0; c < 4; c++) {
        let sum = 0;
        for (let dy = 0; dy < k; dy++)
          for (let dx = 0; dx < k; dx++)
            sum += png.data[((y + oy * k + dy) * png.width + x + ox * k + dx) * 4 + c]!;
        out.data[(oy * out.width + ox) * 4 + c] = Math.round(sum / (k * k));
      }
  return out;
}

/** Mean absolute difference per channel (RGB), and the share of pixels off by more than 64. */
function difference(a: PNG, b: PNG) {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let sum = 0;
  let off = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    let worst = 0;
    for (let c = 0; c < 3; c++) {
      const d = Math.abs(a.data[i + c]! - b.data[i + c]!);
      sum += d;
      worst = Math.max(worst, d);
    }
    if (worst > 64) off++;
  }
  const n = a.width * a.height;
  return { mean: sum / (n * 3), off: off / n };
}

const auditRows = async () =>
  (
    await f.s.db.query<{ object: string; detail: { kind: string; size?: string } }>(
      `SELECT object, detail FROM audit_log WHERE action = 'exports.record' ORDER BY id`,
    )
  ).map((r) => `${r.object}:${r.detail.kind}:${r.detail.size ?? ''}`);

describe('briefing exports', () => {
  it('exports the desk view at 1× and 2×: twice the pixels, the same map as the screen', async () => {
    const { page, errors } = await openPage(
      f.browser,
      `${f.s.url}/?at=101.683,36.694,11.3&w=30d&layers=heat,towns,communities`,
      { width: 1280, height: 800 },
    );
    await waitForMap(page);
    // the map as the screen shows it, without the controls and the legend laid over it
    await page.addStyleTag({
      content:
        '[data-testid=legend], .maplibregl-control-container { visibility: hidden !important }',
    });
    await page.waitForTimeout(200);
    mkdirSync(SHOTS, { recursive: true });
    const screen = PNG.sync.read(await page.locator('[data-testid=map]').screenshot());
    writeFileSync(path.join(SHOTS, 'export-screen.png'), PNG.sync.write(screen));

    const one = await exportFromDesk(page, '1x');
    const two = await exportFromDesk(page, '2x');
    expect(one.name).toMatch(/^城北区-近30天-2026-06-30\.png$/);
    // 1×: the map at the screen's pixels, the panel beside it; 2×: exactly twice both ways
    expect([one.png.width, one.png.height]).toEqual([screen.width + SIDE_PX, screen.height]);
    expect([two.png.width, two.png.height]).toEqual([one.png.width * 2, one.png.height * 2]);

    // the same picture: the 2× map shrunk to the screen's size, against the screenshot. Tolerance:
    // shrinking averages the 2× antialiasing of lines and labels, which moves edge pixels by a
    // few levels (measured here: a mean of 2.0 levels, 0.6% of pixels off by more than 64); the
    // same view shifted by 10 pixels measured a mean of 14 and 8% off, a missing layer more.
    const shrunk = region(two.png, 0, 0, screen.width * 2, screen.height * 2, 2);
    const d2 = difference(shrunk, screen);
    expect(d2.mean).toBeLessThan(4);
    expect(d2.off).toBeLessThan(0.02);
    const d1 = difference(region(one.png, 0, 0, screen.width, screen.height), screen);
    // 1×: the same pixels (measured here: no difference at all)
    expect(d1.mean).toBeLessThan(0.5);
    expect(d1.off).toBeLessThan(0.001);
    // the heat is there at 2× as on the screen (not blank, not thinned out)
    const heat = countPixels(screen, isHeat);
    expect(heat).toBeGreaterThan(500);
    expect(countPixels(shrunk, isHeat)).toBeGreaterThan(heat * 0.8);

    expect(await auditRows()).toEqual(['view:png:1x', 'view:png:2x']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('prints a briefing of three slides to a PDF: a page each, titles as text, maps drawn', async () => {
    const view = (w: { preset: '30d' } | { from: string; to: string }, layers: object) => ({
      camera: { lon: 101.683, lat: 36.694, zoom: 11.3 },
      layers,
      window: w,
      basemap: 'none' as const,
    });
    const titles = ['城北区警情概况', '五月热点分布', '村社区边界与防护圈'];
    const b = await f.s.client.briefings.create.mutate({
      title: '六月通报',
      slides: [
        {
          title: titles[0]!,
          notes: '近三十天全区警情态势，较上月下降。',
          view: view({ preset: '30d' }, { heat: { on: true }, towns: { on: true } }),
        },
        {
          title: titles[1]!,
          notes: '五月份热点集中在朝阳街道。',
          view: view({ from: '2026-05-01', to: '2026-06-01' }, { heat: { on: true } }),
          // two maps side by side: April's and May's
          comparison: { against: 'previous', mode: 'split' },
        },
        {
          title: titles[2]!,
          view: view({ preset: '30d' }, { communities: { on: true }, circles: { on: true } }),
          // one map of the change against the same days last year
          comparison: { against: 'lastYear', mode: 'difference' },
        },
      ],
    });
    const { page, errors } = await openPage(f.browser, `${f.s.url}/briefing/${b.id}/print`, {
      width: 1280,
      height: 800,
    });
    await page.waitForFunction(() => document.body.dataset.printReady === 'true', null, {
      timeout: 90_000,
    });
    expect(await page.title()).toBe('城北区-六月通报-2026-05-01至2026-06-30');
    await page.screenshot({ path: path.join(SHOTS, 'print-view.png'), fullPage: true });

    const dir = path.join(SHOTS, '..', 'pdf');
    mkdirSync(dir, { recursive: true });
    const pdf = path.join(dir, 'briefing.pdf');
    await page.pdf({ path: pdf, format: 'A4', landscape: true, printBackground: true });
    const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
    expect(info).toMatch(/^Pages:\s+3$/m);
    // A4 landscape: 842 × 595 points
    expect(info).toMatch(/^Page size:\s+84\d\.\d+ x 59\d\.\d+ pts \(A4\)/m);
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const t of titles) expect(text).toContain(t);
    expect(text).toContain('五月份热点集中在朝阳街道');
    // the compared periods are named on their pages
    expect(text).toContain('上期 2026-04-01 – 04-30');
    expect(text).toMatch(/去年同期 2025-/);
    // and a map of the change has its key
    expect(text).toContain('警情变化');
    // each compared page lists the communities that changed most
    expect(text.match(/村\/社区警情变化/g)).toHaveLength(2);

    execFileSync('pdftoppm', ['-r', '30', '-png', pdf, path.join(dir, 'page')]);
    for (let i = 1; i <= 3; i++) {
      const png = PNG.sync.read(readFileSync(path.join(dir, `page-${i}.png`)));
      const colours = (p: PNG) => {
        const set = new Set<number>();
        for (let j = 0; j < p.data.length; j += 4)
          set.add((p.data[j]! << 16) | (p.data[j + 1]! << 8) | p.data[j + 2]!);
        return set.size;
      };
      expect(colours(png), `page ${i} is not blank`).toBeGreaterThan(20);
      // the map's middle (about a third in from the left, half way down) is drawn, not one colour
      const map = region(png, Math.round(png.width * 0.12), Math.round(png.height * 0.3), 120, 80);
      expect(colours(map), `page ${i}'s map is drawn`).toBeGreaterThan(10);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
