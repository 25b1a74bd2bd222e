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
import { openPage, shoot, waitForMap } from '../setup/page';
import { TEST_PASSWORD } from '../setup/template';

const fx = browserFixture();

interface Zone {
  id: number;
  version: number;
  /** the outer ring without its closing position */
  ring: Position[];
  centre: Position;
}

/** A zone inside the planner's town, of a size that fills the map at zoom 14. */
async function plannerZone(): Promise<Zone> {
  const [z] = await fx.s.db.query<{ id: number; version: number; g: string; c: string }>(
    `SELECT z.id, z.version, ST_AsGeoJSON(ST_GeometryN(z.geom, 1), 7) AS g,
       ST_AsGeoJSON(ST_PointOnSurface(z.geom), 7) AS c
     FROM patrol_zones z, towns t
     WHERE t.id = (SELECT id FROM towns ORDER BY id LIMIT 1)
       AND ST_CoveredBy(z.geom, ST_Buffer(t.geom, 0.00001)) AND ST_NumGeometries(z.geom) = 1
     ORDER BY ST_Area(z.geom) DESC LIMIT 1`,
  );
  const ring = (JSON.parse(z!.g) as Polygon).coordinates[0]!.slice(0, -1);
  return {
    id: z!.id,
    version: z!.version,
    ring,
    centre: (JSON.parse(z!.c) as { coordinates: Position }).coordinates,
  };
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

/** The editor is up: terra-draw running, the saved zones drawn, the first figures shown. */
async function openEditor(page: Page) {
  await waitForMap(page, 500);
  await page.waitForFunction(() => Boolean((window as unknown as { __draw?: unknown }).__draw));
  await expect
    .poll(() => page.locator('[data-testid=plan-fig-share] td.draft').innerText(), {
      timeout: 60_000,
    })
    .toMatch(/%/);
}

/** Selects the zone by clicking inside it, then drags vertex `i` 35% of the way to its centre. */
async function dragVertex(page: Page, z: Zone, i: number): Promise<Position> {
  const v = z.ring[i]!;
  const inside: Position = [
    v[0]! + (z.centre[0]! - v[0]!) * 0.6,
    v[1]! + (z.centre[1]! - v[1]!) * 0.6,
  ];
  const a = await screen(page, inside);
  await page.mouse.move(a.x, a.y);
  await page.mouse.click(a.x, a.y);
  await expect
    .poll(() =>
      page.evaluate(
        (id) =>
          (
            window as unknown as {
              __draw: { getSnapshotFeature(id: string): { properties: { selected?: boolean } } };
            }
          ).__draw.getSnapshotFeature(id)?.properties.selected ?? false,
        `z${z.id}`,
      ),
    )
    .toBe(true);
  const from = await screen(page, v);
  const target = await screen(page, [
    v[0]! + (z.centre[0]! - v[0]!) * 0.35,
    v[1]! + (z.centre[1]! - v[1]!) * 0.35,
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
  return lngLat(page, target.x, target.y);
}

const draftText = (page: Page) => page.locator('[data-testid=plan-draft]').innerText();
const figure = (page: Page, id: string, col: 'saved' | 'draft') =>
  page.locator(`[data-testid=plan-fig-${id}] td.${col}`).innerText();

describe('planning editor', () => {
  it('drags a vertex with the mouse, updates the what-if figures, saves, and keeps it on reload', async () => {
    const z = await plannerZone();
    const at = `${z.centre[0]},${z.centre[1]},14`;
    const { page, errors } = await openPage(
      fx.browser,
      `${fx.s.url}/?at=${at}&w=30d&layers=communities,towns&panel=plan`,
      { width: 1600, height: 900 },
      'planner',
    );
    await openEditor(page);
    expect(await page.locator('[data-testid=tab-plan]').isVisible()).toBe(true);
    const savedArea = await figure(page, 'unpatrolled', 'saved');
    expect(await figure(page, 'unpatrolled', 'draft')).toBe(savedArea);

    const moved = await dragVertex(page, z, 0);
    await expect.poll(() => draftText(page)).toMatch(/草稿.*1 处未保存的修改/);
    // the server's figures for the draft: less of the district lies in a zone now
    await expect
      .poll(() => figure(page, 'unpatrolled', 'draft'), { timeout: 30_000 })
      .not.toBe(savedArea);
    expect(Number(await figure(page, 'unpatrolled', 'draft'))).toBeGreaterThan(Number(savedArea));
    await shoot(page, 'body', 'plan-dragged');

    // undo and redo, by key
    await page.keyboard.press('Control+z');
    await expect.poll(() => draftText(page)).toContain('没有未保存的修改');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => draftText(page)).toContain('1 处未保存的修改');

    await page.locator('[data-testid=plan-save]').click();
    await expect.poll(() => draftText(page), { timeout: 30_000 }).toContain('已保存 1 处修改');
    const after = await savedZone(z.id);
    expect(after.version).toBe(z.version + 1);
    expect(hasVertex(after.ring, moved), 'the dragged vertex is stored where it was dropped').toBe(
      true,
    );
    expect(hasVertex(after.ring, z.ring[0]!)).toBe(false);

    await page.reload();
    await openEditor(page);
    const drawn = await page.evaluate(
      (id) =>
        (
          window as unknown as {
            __draw: { getSnapshotFeature(id: string): { geometry: Polygon } };
          }
        ).__draw.getSnapshotFeature(id).geometry.coordinates[0],
      `z${z.id}`,
    );
    expect(hasVertex(drawn!, moved), 'the map shows the saved geometry after a reload').toBe(true);
    expect(await draftText(page)).toContain('没有未保存的修改');
    await shoot(page, 'body', 'plan-after-reload');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('meets a concurrent save with a conflict dialog: reload theirs keeps their save, overwrite is explicit', async () => {
    await addUser(fx.s.db, {
      username: 'planner2',
      name: '勤务规划二',
      role: 'planner',
      password: TEST_PASSWORD,
      areas: (
        await fx.s.db.query<{ areas: { towns: number[]; communities: number[] } }>(
          `SELECT areas FROM users WHERE username = 'planner'`,
        )
      )[0]!.areas,
    });
    const z = await plannerZone();
    const url = `${fx.s.url}/?at=${z.centre[0]},${z.centre[1]},14&w=30d&layers=communities&panel=plan`;
    const a = await openPage(fx.browser, url, { width: 1600, height: 900 }, 'planner');
    const b = await openPage(fx.browser, url, { width: 1600, height: 900 }, 'planner2');
    await openEditor(a.page);
    await openEditor(b.page);
    b.page.on('dialog', (d) => void d.accept());
    const n = z.ring.length;

    // round 1: A saves first; B's save meets the conflict and B reloads theirs
    const movedA = await dragVertex(a.page, z, 1);
    const movedB = await dragVertex(b.page, z, Math.floor(n / 2));
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
    expect(table).toContain(String(z.version + 1));
    expect(table).toContain('planner');
    await shoot(b.page, 'body', 'plan-conflict');
    await b.page.locator('[data-testid=conflict-theirs]').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => draftText(b.page)).toContain('没有未保存的修改');
    let stored = await savedZone(z.id);
    expect(stored.version).toBe(z.version + 1);
    expect(hasVertex(stored.ring, movedA), 'A’s save is intact').toBe(true);
    expect(hasVertex(stored.ring, movedB)).toBe(false);
    // B's map now shows A's zone
    await expect
      .poll(() =>
        b.page.evaluate(
          (id) =>
            (
              window as unknown as {
                __draw: { getSnapshotFeature(id: string): { geometry: Polygon } };
              }
            ).__draw.getSnapshotFeature(id).geometry.coordinates[0]!,
          `z${z.id}`,
        ),
      )
      .toSatisfy((ring: Position[]) => hasVertex(ring, movedA));

    // round 2: A saves again; B overwrites, deliberately, after confirming
    const zA = { ...z, ring: stored.ring };
    const movedA2 = await dragVertex(a.page, zA, Math.floor(n / 2) + 1);
    const movedB2 = await dragVertex(b.page, zA, 0);
    await a.page.locator('[data-testid=plan-save]').click();
    await expect.poll(() => savedZone(z.id).then((s) => s.version)).toBe(z.version + 2);
    await b.page.locator('[data-testid=plan-save]').click();
    await dialog.waitFor({ timeout: 30_000 });
    await b.page.locator('[data-testid=conflict-mine]').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => savedZone(z.id).then((s) => s.version)).toBe(z.version + 3);
    stored = await savedZone(z.id);
    expect(hasVertex(stored.ring, movedB2), 'B’s overwrite is stored').toBe(true);
    expect(hasVertex(stored.ring, movedA2), 'A’s second save was overwritten, by choice').toBe(
      false,
    );
    // the overwrite is recorded as B's, after A's save, in the zone's history
    const history = await fx.s.client.zones.history.query({ id: z.id });
    expect(history.slice(0, 2).map((h) => h.by)).toEqual(['planner2', 'planner']);
    expect([...a.errors, ...b.errors]).toEqual([]);
    await a.page.close();
    await b.page.close();
  });
});
