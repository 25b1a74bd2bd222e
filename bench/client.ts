/**
 * Client figures in a headless browser (SwiftShader: software WebGL, so slower than any real
 * GPU): time from page load to the first complete map, the work of a window change, and frame
 * times while panning with every layer on. The browser is Debian's `chromium-headless-shell`
 * (BENCH_BROWSER overrides; full Chromium when the shell is not installed); every figure is
 * printed with the browser that measured it. The data: the demo data in an embedded database, or
 * a server database given (one kept by the scale part: `--client-database URL`).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchBrowser } from '../tests/setup/browser';
import type { Queryable } from '../server/db/database';
import { startDemoDesk } from './demoDesk';

const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

/** The benchmark's browser: the headless shell where installed, with WebGL through SwiftShader. */
async function launchBenchBrowser(): Promise<{ browser: Browser; name: string }> {
  const executablePath =
    process.env.BENCH_BROWSER || (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : CHROMIUM);
  const browser = await launchBrowser(executablePath);
  return { browser, name: `${path.basename(executablePath)} ${browser.version()}, SwiftShader` };
}

const ROOT = path.resolve(import.meta.dirname, '..');
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

/** The first-load script's target, in bytes (issue 17). */
export const FIRST_LOAD_TARGET = 2.0e6;

/**
 * The scripts a browser loads before the desk can start: the page's entry and every chunk it
 * preloads (what loads later, when first opened or in parallel once started, is not counted),
 * largest first.
 */
export function firstLoadScript(clientDir: string): {
  bytes: number;
  files: number;
  chunks: { file: string; bytes: number }[];
} {
  const html = readFileSync(path.join(clientDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const chunks = files
    .map((file) => ({ file, bytes: statSync(path.join(clientDir, file)).size }))
    .sort((a, b) => b.bytes - a.bytes);
  return {
    bytes: chunks.reduce((n, c) => n + c.bytes, 0),
    files: files.length,
    chunks,
  };
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

export async function runClientBench(
  log: (label: string, value: string) => void,
  opts: { databaseUrl?: string; password: string },
) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pingan-bench-client-'));
  const clientDir = path.join(dir, 'client');
  await build({
    configFile: path.join(ROOT, 'vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: clientDir },
  });
  const firstLoad = firstLoadScript(clientDir);
  const met = firstLoad.bytes <= FIRST_LOAD_TARGET;
  log(
    'first-load script (minified)',
    `${mb(firstLoad.bytes)} in ${firstLoad.files} files: target ≤ ${mb(FIRST_LOAD_TARGET)} ${met ? 'met' : `MISSED by ${mb(firstLoad.bytes - FIRST_LOAD_TARGET)}`}`,
  );
  for (const c of firstLoad.chunks.slice(0, 5))
    log(`  ${path.basename(c.file)}`, `${(c.bytes / 1e3).toFixed(0)} kB`);
  const { base, db, cookies, close } = await startDemoDesk(dir, clientDir, opts);
  const [{ n: stored }] = (await db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM incidents',
  )) as [{ n: number }];
  const { browser, name: browserName } = await launchBenchBrowser();
  log('browser', browserName);
  log('incidents stored', stored.toLocaleString('en'));
  const by = ` [${browserName.split(' ')[0]}]`;
  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    await context.addCookies(cookies);
    return context.newPage();
  };
  try {
    // first complete map: data arrived and deck.gl has drawn a frame with it
    // (in-page code goes as strings: tsx would wrap functions in helpers the page lacks)
    const loads: number[] = [];
    const received: number[] = [];
    const scripts: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await newPage();
      const t0 = Date.now();
      await page.goto(`${base}/?at=101.683,36.694,11.3&w=30d`);
      await until(page, READY, 120_000);
      // the layers may be drawn already and a still map draws no more: a repaint is asked for
      const f = (await page.evaluate(
        '(window.__map?.triggerRepaint(), window.__deckFrames ?? 0)',
      )) as number;
      await until(page, `(window.__deckFrames ?? 0) > ${f}`, 30_000);
      loads.push(Date.now() - t0);
      // when the last of the map's data (the incident columns, the regions) had arrived
      received.push(Math.round((await page.evaluate(DATA_RECEIVED)) as number));
      scripts.push((await page.evaluate(SCRIPT_LOADED)) as number);
      await page.close();
    }
    log('page load → map data received', `${quantile(received, 0.5)} ms (median of 3)${by}`);
    log('page load → first complete map', `${quantile(loads, 0.5)} ms (median of 3)${by}`);
    log(
      'script loaded by the first complete map',
      `${mb(quantile(scripts, 0.5))} (the first load and what loads in parallel with the data)`,
    );

    // the JS heap with the 12 months holding the most incidents as the window (past the
    // points' limit, drawn from cells)
    const year = await busiestYear(db);
    const yearPage = await newPage();
    await yearPage.goto(`${base}/?at=101.683,36.694,11.3&w=${year.from}..${year.to}`);
    await until(yearPage, READY, 120_000);
    await until(yearPage, SETTLED, 120_000);
    await yearPage.waitForTimeout(2000);
    const heap = (await yearPage.evaluate('performance.memory?.usedJSHeapSize ?? 0')) as number;
    log(
      'JS heap, 12-month window',
      `${heap ? `${Math.round(heap / 1e6)} MB` : '?'} (${year.from} – ${year.to}: ${year.count.toLocaleString('en')} incidents; target < 500 MB)${by}`,
    );
    await yearPage.close();

    const page = await newPage();
    await page.goto(
      `${base}/?at=101.745,36.665,13&w=30d&layers=heat,communities,towns,circles,cameras,infill,zones,posts,sites`,
    );
    await until(page, READY, 120_000);
    await page.waitForTimeout(3000);
    const changes = (await page.evaluate(WINDOW_CHANGES)) as { work: number[]; frames: number[] };
    const p = (xs: number[]) =>
      `p50 ${quantile(xs, 0.5).toFixed(1)} ms, p95 ${quantile(xs, 0.95).toFixed(1)} ms`;
    log('window change: store → layers in deck.gl', p(changes.work) + by);
    log('window change: store → frame drawn', p(changes.frames) + by);
    const frames = (await page.evaluate(PANNING)) as number[];
    log(
      'panning, all layers on: frame time',
      `p50 ${quantile(frames, 0.5).toFixed(1)} ms, p95 ${quantile(frames, 0.95).toFixed(1)} ms (${frames.length} frames)${by}`,
    );
    await page.close();
  } finally {
    await browser.close();
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const READY = "document.body.dataset.ready === 'true'";

/** Whether the page has loaded what its window wants (or left it to the cells). */
const SETTLED = 'window.__pingan?.incidents?.settled() === true';

/** The twelve whole local months holding the most incidents stored, as dates [from, to). */
async function busiestYear(db: Queryable) {
  const months = await db.query<{ m: string; n: number }>(
    `SELECT to_char(time AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS m, count(*)::int AS n
     FROM incidents GROUP BY 1 ORDER BY 1`,
  );
  let best = { i: 0, count: -1 };
  for (let i = 0; i + 12 <= Math.max(12, months.length); i++) {
    const count = months.slice(i, i + 12).reduce((n, r) => n + r.n, 0);
    if (count > best.count) best = { i, count };
  }
  const first = months[best.i]!.m;
  const [y, mo] = first.split('-').map(Number) as [number, number];
  return {
    from: `${first}-01`,
    to: `${y + 1}-${String(mo).padStart(2, '0')}-01`,
    count: best.count,
  };
}

/** Milliseconds from navigation until the last response the first map needs had arrived. */
const DATA_RECEIVED = `Math.max(...performance.getEntriesByType('resource')
  .filter((e) => /incidents\\.arrow|regions\\./.test(e.name)).map((e) => e.responseEnd))`;

/** Bytes of script (as served, minified) the page had loaded when asked. */
const SCRIPT_LOADED = `performance.getEntriesByType('resource')
  .filter((e) => /\\.js$/.test(new URL(e.name).pathname))
  .reduce((n, e) => n + e.decodedBodySize, 0)`;

/**
 * Waits until `expression` is true in the page, polling it from here: the page's CSP forbids the
 * in-page evaluation `waitForFunction` uses for a string.
 */
async function until(page: Page, expression: string, timeout: number) {
  const end = Date.now() + timeout;
  while (!(await page.evaluate(expression))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${expression}`);
    await new Promise((resolve) => setTimeout(resolve, 16));
  }
}

/**
 * Forty window changes (of a dozen, the p95 would be the maximum). `work`: main-thread time from
 * the store update until the new layers are in deck.gl and the change's synchronous work is done
 * (React's urgent renders run in a microtask queued during the update; the panels follow in
 * interruptible transition slices after that); `frame`: until the end of the frame that shows
 * them (includes drawing).
 */
const WINDOW_CHANGES = `(async () => {
  const view = window.__pingan.view;
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
  const windows = [{ preset: '7d' }, { preset: '30d' }, { from: '2026-05-01', to: '2026-05-15' }, { preset: 'month' }];
  const work = [];
  const frames = [];
  for (let i = 0; i < 40; i++) {
    await frame();
    await frame();
    performance.clearMarks('pingan:layers-set');
    const t0 = performance.now();
    view.getState().setWindow(windows[i % windows.length]);
    // React renders a store update in a microtask queued during it: this one runs after
    const free = await new Promise((r) => queueMicrotask(() => r(performance.now())));
    // wait for the layers to reach deck.gl
    while (performance.getEntriesByName('pingan:layers-set').length === 0) await new Promise((r) => setTimeout(r, 0));
    work.push(Math.max(free, performance.getEntriesByName('pingan:layers-set')[0].startTime) - t0);
    await frame();
    frames.push((await frame()) - t0);
  }
  return { work, frames };
})()`;

/** Four one-second pans; the time between animation frames meanwhile. */
const PANNING = `(async () => {
  const map = window.__map;
  const times = [];
  let last = performance.now();
  let running = true;
  const tick = (t) => {
    times.push(t - last);
    last = t;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  for (const d of [[300, 0], [0, 200], [-300, 0], [0, -200]]) {
    map.panBy(d, { duration: 1000 });
    await new Promise((r) => setTimeout(r, 1100));
  }
  running = false;
  return times.slice(2);
})()`;
