/**
 * The planning editor in real Chromium against the real server: a planner drags a zone's vertex
 * with the mouse, the what-if figures follow, the save holds after a reload; and two planners
 * editing the same zone meet a conflict dialog in which nothing acknowledged is lost.
 */
import type { Polygon, Position } from 'geojson';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { addUser } from '../../server/auth/accounts';
import { browserFixture } from '../setup/browserFixture';
import { openPage, shoot } from '../setup/page';
import { TEST_PASSWORD } from '../setup/template';

const fx = browserFixture();

/** The middle of the smallest zone inside the planner's town: where the tests click. */
async function plannerZoneCentre(): Promise<Position> {
  const [z] = await fx.s.db.query<{ c: string }>(
    `SELECT ST_AsGeoJSON(ST_PointOnSurface(z.geom), 7) AS c
     FROM patrol_zones z, towns t
     WHERE t.id = (SELECT id FROM towns ORDER BY id LIMIT 1)
       AND ST_CoveredBy(z.geom, ST_Buffer(t.geom, 0.00001)) AND ST_NumGeometries(z.geom) = 1
     ORDER BY ST_Area(z.geom), z.id LIMIT 1`,
  );
  return (JSON.parse(z!.c) as { coordinates: Position }).coordinates;
}

interface Drawn {
  id: number;
  /** the outer ring as drawn, without its closing position */
  ring: Position[];
}

/** The zone selected on the map, as terra-draw holds it. */
async function selectedZone(page: Page): Promise<Drawn | null> {
  const f = await page.evaluate(() =>
    (
      window as unknown as {
        __draw: {
          getSnapshot(): { id: string; geometry: Polygon; properties: Record<string, unknown> }[];
        };
      }
    ).__draw
      .getSnapshot()
      .find((x) => x.properties.selected && x.properties.mode === 'polygon'),
  );
  if (!f) return null;
  return { id: Number(f.id.slice(1)), ring: f.geometry.coordinates[0]!.slice(0, -1) };
}

const savedZone = async (id: number) => {
  const fc = await fx.s.client.zones.list.query();
  const f = fc.features.find((x) => (x.properties as { id: number }).id === id)!;
  const g = f.geometry as unknown as { type: string; coordinates: unknown };
  const ring = (
    g.type === 'MultiPolygon'
      ? (g.coordinates as Position[][][])[0]![0]!
      : (g.coordinates as Position[][])[0]!
  ).slice(0, -1);
  return { version: (f.properties as { version: number }).version, ring };
};

const near = (a: Position, b: Position, tol = 0.00005) =>
  Math.abs(a[0]! - b[0]!) < tol && Math.abs(a[1]! - b[1]!) < tol;
const hasVertex = (ring: Position[], p: Position) => ring.some((q) => near(q, p));

/** Screen position of a map position. */
async function screen(page: Page, p: Position) {
  const xy = await page.evaluate(
    ([x, y]) =>
      (
        window as unknown as { __map: { project(p: [number, number]): { x: number; y: number } } }
      ).__map.project([x, y]),
    p as [number, number],
  );
  const box = (await page.locator('[data-testid=map]').boundingBox())!;
  return { x: box.x + xy.x, y: box.y + xy.y };
}
async function lngLat(page: Page, x: number, y: number): Promise<Position> {
  const box = (await page.locator('[data-testid=map]').boundingBox())!;
  return page.evaluate(
    ([px, py]) => {
      const ll = (
        window as unknown as {
          __map: { unproject(p: [number, number]): { lng: number; lat: number } };
        }
      ).__map.unproject([px, py]);
      return [ll.lng, ll.lat];
    },
    [x - box.x, y - box.y] as [number, number],
  );
}

/** The editor is up: terra-draw running and the saved zones and posts loaded into it. */
async function openEditor(page: Page) {
  // not waitForMap: its count of new frames can miss a map that finished drawing before it looked
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, {
    timeout: 60_000,
  });
  await page.waitForFunction(() => Boolean((window as unknown as { __draw?: unknown }).__draw));
  await page.locator('[data-testid=plan-selected]').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(800);
}

/** The what-if figures have come for the draft as it stands. */
async function figuresShown(page: Page) {
  await expect
    .poll(() => page.locator('[data-testid=plan-fig-share] td.draft').innerText(), {
      timeout: 60_000,
    })
    .toMatch(/%/);
}

/**
 * Clicks the zone at `centre` to select it, then drags the `nth` vertex nearest to `centre` 35%
 * of the way towards it, with real mouse steps. Returns the zone, the vertex's old place and the
 * place it was dropped.
 */
async function dragVertex(page: Page, centre: Position, nth: number) {
  const c = await screen(page, centre);
  await page.mouse.move(c.x, c.y);
  await page.waitForTimeout(100);
  await page.mouse.click(c.x, c.y);
  await expect.poll(() => selectedZone(page)).not.toBeNull();
  const zone = (await selectedZone(page))!;
  const d = (p: Position) => Math.hypot(p[0]! - centre[0]!, p[1]! - centre[1]!);
  const v = [...zone.ring].sort((a, b) => d(a) - d(b))[nth]!;
  const from = await screen(page, v);
  const target = await screen(page, [
    v[0]! + (centre[0]! - v[0]!) * 0.35,
    v[1]! + (centre[1]! - v[1]!) * 0.35,
  ]);
  await page.mouse.move(from.x, from.y);
  await page.waitForTimeout(100);
  await page.mouse.down();
  const steps = 12;
  for (let s = 1; s <= steps; s++) {
    await page.mouse.move(
      from.x + ((target.x - from.x) * s) / steps,
      from.y + ((target.y - from.y) * s) / steps,
    );
    await page.waitForTimeout(30);
  }
  await page.mouse.up();
  return { zone, from: v, moved: await lngLat(page, target.x, target.y) };
}

const draftText = (page: Page) => page.locator('[data-testid=plan-draft]').innerText();
const figure = (page: Page, id: string, col: 'saved' | 'draft') =>
  page.locator(`[data-testid=plan-fig-${id}] td.${col}`).innerText();

const drawnRing = (page: Page, id: number) =>
  page.evaluate(
    (key) =>
      (
        window as unknown as {
          __draw: { getSnapshotFeature(id: string): { geometry: Polygon } | undefined };
        }
      ).__draw.getSnapshotFeature(key)?.geometry.coordinates[0] ?? [],
    `z${id}`,
  );

describe('planning editor', () => {
  it('drags a vertex with the mouse, updates the what-if figures, saves, and keeps it on reload', async () => {
    const centre = await plannerZoneCentre();
    const { page, errors } = await openPage(
      fx.browser,
      `${fx.s.url}/?at=${centre[0]},${centre[1]},14&w=30d&layers=communities,towns&panel=plan`,
      { width: 1600, height: 900 },
      'planner',
    );
    await openEditor(page);
    await figuresShown(page);
    expect(await page.locator('[data-testid=tab-plan]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid^=plan-fig-].changed').count()).toBe(0);
    expect(await draftText(page)).toContain('没有未保存的修改');

    const { zone, from, moved } = await dragVertex(page, centre, 0);
    const before = await savedZone(zone.id);
    await expect.poll(() => draftText(page)).toMatch(/草稿\s*1 处未保存的修改/);
    // the server's figures for the draft now differ from the saved plan's
    await expect
      .poll(() => page.locator('[data-testid^=plan-fig-].changed').count(), { timeout: 30_000 })
      .toBeGreaterThan(0);
    const overlap = [
      await figure(page, 'overlap', 'saved'),
      await figure(page, 'overlap', 'draft'),
    ].map(Number);
    const unpatrolled = [
      await figure(page, 'unpatrolled', 'saved'),
      await figure(page, 'unpatrolled', 'draft'),
    ].map(Number);
    // pulling a vertex in leaves land to no zone or to fewer zones
    expect(overlap[1]! < overlap[0]! || unpatrolled[1]! > unpatrolled[0]!).toBe(true);
    await shoot(page, 'body', 'plan-dragged');
    await shoot(page, '[data-testid=plan-whatif]', 'plan-dragged-whatif');

    // undo and redo, by key
    await page.keyboard.press('Control+z');
    await expect.poll(() => draftText(page)).toContain('没有未保存的修改');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => draftText(page)).toContain('1 处未保存的修改');

    await page.locator('[data-testid=plan-save]').click();
    await expect.poll(() => draftText(page), { timeout: 30_000 }).toContain('已保存 1 处修改');
    const after = await savedZone(zone.id);
    expect(after.version).toBe(before.version + 1);
    expect(hasVertex(after.ring, moved), 'the dragged vertex is stored where it was dropped').toBe(
      true,
    );
    expect(hasVertex(after.ring, from)).toBe(false);

    await page.reload();
    await openEditor(page);
    expect(hasVertex(await drawnRing(page, zone.id), moved), 'drawn so after a reload').toBe(true);
    expect(await draftText(page)).toContain('没有未保存的修改');
    await shoot(page, 'body', 'plan-after-reload');
    expect(errors).toEqual([]);
    await page.close();
  });

  // two pages drawing WebGL in software take longer than one: its own time limit
  it('meets a concurrent save with a conflict dialog: reload theirs keeps their save, overwrite is explicit', async () => {
    // a second planner with the first one's town
    const [planner] = await fx.s.db.query<{ areas: string | object }>(
      `SELECT areas FROM users WHERE username = 'planner'`,
    );
    const areas = (
      typeof planner!.areas === 'string' ? JSON.parse(planner!.areas) : planner!.areas
    ) as { towns: number[]; communities: number[] };
    await addUser(fx.s.db, {
      username: 'planner2',
      name: '勤务规划二',
      role: 'planner',
      password: TEST_PASSWORD,
      areas,
    });
    const centre = await plannerZoneCentre();
    const url = `${fx.s.url}/?at=${centre[0]},${centre[1]},14&w=30d&layers=communities&panel=plan`;
    const a = await openPage(fx.browser, url, { width: 1600, height: 900 }, 'planner');
    await openEditor(a.page);
    const b = await openPage(fx.browser, url, { width: 1600, height: 900 }, 'planner2');
    await openEditor(b.page);
    b.page.on('dialog', (d) => void d.accept());

    // round 1: A saves first; B's save meets the conflict, and B reloads theirs
    const dragA = await dragVertex(a.page, centre, 0);
    const dragB = await dragVertex(b.page, centre, 2);
    const id = dragA.zone.id;
    expect(dragB.zone.id).toBe(id);
    const start = (await savedZone(id)).version;
    await a.page.locator('[data-testid=plan-save]').click();
    await expect.poll(() => draftText(a.page), { timeout: 30_000 }).toContain('已保存');
    // B hears of it live, before saving
    await expect
      .poll(() => b.page.locator('[data-testid=plan-stale]').count(), { timeout: 30_000 })
      .toBe(1);
    await b.page.locator('[data-testid=plan-save]').click();
    const dialog = b.page.locator('[data-testid=conflict-dialog]');
    await dialog.waitFor({ timeout: 30_000 });
    const table = await b.page.locator('[data-testid=conflict-table]').innerText();
    expect(table).toContain('已保存（他人）');
    expect(table).toContain('我的草稿');
    expect(table).toContain(String(start + 1));
    expect(table).toContain('planner');
    await shoot(b.page, 'body', 'plan-conflict');
    await b.page.locator('[data-testid=conflict-theirs]').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => draftText(b.page)).toContain('没有未保存的修改');
    let stored = await savedZone(id);
    expect(stored.version).toBe(start + 1);
    expect(hasVertex(stored.ring, dragA.moved), 'A’s save is intact').toBe(true);
    expect(hasVertex(stored.ring, dragB.moved)).toBe(false);
    // B's map now shows A's zone
    await expect.poll(async () => hasVertex(await drawnRing(b.page, id), dragA.moved)).toBe(true);

    // round 2: A saves again; B overwrites, deliberately, after confirming
    const dragA2 = await dragVertex(a.page, centre, 1);
    const dragB2 = await dragVertex(b.page, centre, 3);
    await a.page.locator('[data-testid=plan-save]').click();
    await expect.poll(() => savedZone(id).then((z) => z.version)).toBe(start + 2);
    await b.page.locator('[data-testid=plan-save]').click();
    await dialog.waitFor({ timeout: 30_000 });
    await b.page.locator('[data-testid=conflict-mine]').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => savedZone(id).then((z) => z.version)).toBe(start + 3);
    stored = await savedZone(id);
    expect(hasVertex(stored.ring, dragB2.moved), 'B’s overwrite is stored').toBe(true);
    expect(hasVertex(stored.ring, dragA2.moved), 'A’s second save was overwritten, by choice').toBe(
      false,
    );
    // the overwrite is recorded as B's, after A's, in the zone's history
    const history = await fx.s.client.zones.history.query({ id });
    expect(history.slice(0, 2).map((h) => h.by)).toEqual(['planner2', 'planner']);
    // the browser logs each refused save (409 Conflict) as a failed load: those are expected here
    expect([...a.errors, ...b.errors].filter((e) => !/status of 409 \(Conflict\)/.test(e))).toEqual(
      [],
    );
    await a.page.close();
    await b.page.close();
  }, 300_000);
});
