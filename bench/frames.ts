/**
 * Window changes, frame by frame, in Debian's headless shell (`/usr/bin/chromium-headless-shell`,
 * WebGL through SwiftShader): the desk on the demo data, its time window stepped through the store
 * as the timeline does (playback: a 30-day window moved a day at a time; scrubbing: windows of
 * other lengths). Per change: the main-thread work from the store update until deck.gl has the
 * new layers (`update`), the main-thread time of the map frame that draws them (`frame`), and the
 * time from the update to the end of that frame (`to frame`). A CPU profile of the stepping is
 * written (`--frames-profile DIR`, else beside the build) and its largest self times are named.
 * deck.gl's attribute updates during the stepping are counted too (none is the goal: a change is
 * a filter range or a slice on the GPU).
 *
 * Software WebGL draws in the browser's GPU process, so `frame` here is the main thread's share
 * (JavaScript, WebGL calls); a real GPU adds its own drawing time to `to frame`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import { ATTRIBUTE_WRITES, WATCH_ATTRIBUTES } from '../tests/setup/deckAttributes';
import { startDemoDesk } from './demoDesk';

const ROOT = path.resolve(import.meta.dirname, '..');
export const HEADLESS_SHELL = process.env.FRAMES_CHROMIUM ?? '/usr/bin/chromium-headless-shell';

export interface FramesOptions {
  /** a client already built (skips the build) */
  clientDir?: string;
  /** where the CPU profile goes */
  profileDir?: string;
  /** window changes per series (at most 500) */
  changes?: number;
}

interface Change {
  update: number;
  frame: number;
  toFrame: number;
  /** animation frames from the update to the one that drew it (1: the next) */
  frames: number;
}

interface Series {
  changes: Change[];
  /** deck.gl attribute buffers written during the series (all layers) */
  attributeUpdates: number;
}

const at = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const p50p95 = (xs: number[]) =>
  `p50 ${at(xs, 0.5).toFixed(1)} ms, p95 ${at(xs, 0.95).toFixed(1)} ms`;

export async function runFramesBench(
  log: (label: string, value: string) => void,
  opts: FramesOptions = {},
) {
  const changes = Math.min(500, Math.max(10, opts.changes ?? 60));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pingan-bench-frames-'));
  const clientDir = opts.clientDir ?? path.join(dir, 'client');
  if (!opts.clientDir)
    await build({
      configFile: path.join(ROOT, 'vite.config.ts'),
      logLevel: 'silent',
      build: { outDir: clientDir },
    });
  const { base, cookies, close } = await startDemoDesk(dir, clientDir);
  const browser = await chromium.launch({
    executablePath: HEADLESS_SHELL,
    headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
  try {
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    await context.addCookies(cookies);
    const views = [
      ['heat, zoom 13', 'at=101.745,36.665,13&w=30d&layers=heat,communities,towns,circles'],
      ['points, zoom 15', 'at=101.745,36.665,15&w=30d&layers=heat,points,communities,towns'],
    ] as const;
    for (const [name, search] of views) {
      const page = await context.newPage();
      await page.goto(`${base}/?${search}`);
      await settle(page);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
      const playback = (await page.evaluate(STEP(changes, 'playback'))) as Series;
      const scrub = (await page.evaluate(STEP(changes, 'scrub'))) as Series;
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      for (const [kind, s] of [
        ['playback', playback],
        ['scrub', scrub],
      ] as const) {
        const label = `${name}, ${kind}`;
        log(`${label}: update (store → deck.gl)`, p50p95(s.changes.map((c) => c.update)));
        log(`${label}: the frame's main thread`, p50p95(s.changes.map((c) => c.frame)));
        log(
          `${label}: main thread, update + frame`,
          p50p95(s.changes.map((c) => c.update + c.frame)),
        );
        log(`${label}: store → frame drawn`, p50p95(s.changes.map((c) => c.toFrame)));
        const frames = s.changes.map((c) => c.frames);
        log(
          `${label}: drawn in animation frame #`,
          `p50 ${at(frames, 0.5)}, p95 ${at(frames, 0.95)} (1: the next frame)`,
        );
        log(
          `${label}: attribute updates`,
          `${s.attributeUpdates} in ${s.changes.length} changes (0 expected)`,
        );
      }
      const out = opts.profileDir ?? dir;
      mkdirSync(out, { recursive: true });
      const file = path.join(out, `frames-${name.replace(/\W+/g, '-')}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      log(`${name}: CPU profile`, file);
      for (const [fn, share] of topSelf(profile, 8)) log(`  self time`, `${share}  ${fn}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await close();
    // the profile stays when it was written here
    if (opts.profileDir || opts.clientDir) rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits for the data and a few frames drawn with it. */
async function settle(page: Page) {
  const end = Date.now() + 120_000;
  while (!(await page.evaluate("document.body.dataset.ready === 'true'"))) {
    if (Date.now() > end) throw new Error('frames bench: the desk never became ready');
    await page.waitForTimeout(50);
  }
  await page.waitForTimeout(3000);
}

interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  }[];
  samples: number[];
  timeDeltas: number[];
}

/** The functions with the largest self time, as shares of the busy (non-idle) time. */
function topSelf(profile: CpuProfile, n: number): [string, string][] {
  const byNode = new Map(profile.nodes.map((x) => [x.id, x.callFrame]));
  const self = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const f = byNode.get(id)!;
    if (f.functionName === '(idle)') return;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    busy += dt;
    const where = f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}:${f.columnNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + dt);
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, us]) => [
      k,
      `${((100 * us) / busy).toFixed(1).padStart(5)}% (${(us / 1000).toFixed(0)} ms)`,
    ]);
}

/**
 * In the page (as a string: tsx would wrap a function in helpers the page lacks). Each change
 * starts just after a frame; the map's own draw (`_render`) is timed by wrapping it, and deck.gl's
 * attribute writes are counted (tests/setup/deckAttributes.ts).
 */
const STEP = (n: number, kind: 'playback' | 'scrub') => `(async () => {
  const view = window.__pingan.view;
  const map = window.__map;
  const raf = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
  const renders = [];
  const render = map._render;
  map._render = function (t) {
    const s = performance.now();
    const out = render.call(this, t);
    renders.push([s, performance.now()]);
    return out;
  };
  const day = (d) => new Date(Date.UTC(2026, 0, 1) + d * 86400000).toISOString().slice(0, 10);
  // i ≥ 0 (the first three are a warm-up)
  const windowAt = (i) => ${kind === 'playback'}
    ? { from: day(60 + i), to: day(90 + i) }
    : { from: day(150 - [7, 30, 14, 90, 3][i % 5] - (i % 7)), to: day(150 - (i % 7)) };
  const changes = [];
  let before = 0;
  for (let i = -3; i < ${n}; i++) {
    ${WATCH_ATTRIBUTES};
    if (i === 0) before = ${ATTRIBUTE_WRITES};
    await raf();
    renders.length = 0;
    const t0 = performance.now();
    view.getState().setWindow(windowAt(i + 3));
    // React renders a store update in a microtask queued during it: this one runs after
    const t1 = await new Promise((r) => queueMicrotask(() => r(performance.now())));
    // animation frames until the map has drawn (it draws before this page's callback of a frame)
    let frames = 0;
    while (renders.length === 0) {
      await raf();
      frames++;
    }
    const [s, e] = renders[0];
    if (i >= 0) changes.push({ update: t1 - t0, frame: e - s, toFrame: e - t0, frames });
  }
  const attributeUpdates = ${ATTRIBUTE_WRITES} - before;
  map._render = render;
  return { changes, attributeUpdates };
})()`;
