/**
 * The cells a large window is drawn from, over real HTTP: at every zoom the cells' counts add up
 * to incidents.summary's count of the same window and categories, the cell size follows the
 * zoom, a request whose cells would be too many is refused naming the limit, and the window's
 * size says whether it is loaded as points.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cellMetersForZoom, MAX_CELLS, POINT_WINDOW_MAX } from '../../domain/incidentLoad';
import type { IncidentCategory } from '../../domain/vocabulary';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

// the test data end at 2026-07-01T00:00+08:00
const WINDOWS = [
  { from: '2026-06-01T00:00:00+08:00', to: '2026-07-01T00:00:00+08:00' },
  { from: '2025-07-01T00:00:00+08:00', to: '2026-07-01T00:00:00+08:00' },
  { from: '2026-06-29T13:30:00+08:00', to: '2026-06-30T02:15:00+08:00' },
];
const FILTERS: (IncidentCategory[] | undefined)[] = [undefined, ['traffic'], ['criminal', 'fire']];

async function summaryTotal(w: { from: string; to: string }, categories?: IncidentCategory[]) {
  const rows = await s.client.incidents.summary.query({ ...w, groupBy: 'category', categories });
  return rows.reduce((a, r) => a + r.count, 0);
}

describe('incidents.cells', () => {
  it("adds up to the summary's count for the window and the categories at every zoom", async () => {
    for (const w of WINDOWS)
      for (const categories of FILTERS) {
        const expected = await summaryTotal(w, categories);
        for (const zoom of [9, 11, 13]) {
          const c = await s.client.incidents.cells.query({ ...w, categories, zoom });
          const sum = c.count.reduce((a, n) => a + n, 0);
          expect(sum, `${w.from} ${categories ?? 'all'} z${zoom}`).toBe(expected);
          expect(c.total).toBe(expected);
          expect(c.cellMeters).toBe(cellMetersForZoom(zoom));
          expect(c.lon.length).toBe(c.count.length);
          expect(c.lat.length).toBe(c.count.length);
          expect(c.count.every((n) => n > 0)).toBe(true);
        }
      }
    expect(await summaryTotal(WINDOWS[1]!)).toBeGreaterThan(10_000);
  });

  it('makes finer cells at a higher zoom', async () => {
    const coarse = await s.client.incidents.cells.query({ ...WINDOWS[0]!, zoom: 10 });
    const fine = await s.client.incidents.cells.query({ ...WINDOWS[0]!, zoom: 13 });
    expect(fine.cellMeters).toBeLessThan(coarse.cellMeters);
    expect(fine.count.length).toBeGreaterThan(coarse.count.length);
  });

  it('refuses a zoom whose cells over the district are too many, and allows it over a small box', async () => {
    await expect(
      s.client.incidents.cells.query({ ...WINDOWS[0]!, zoom: 18 }),
    ).rejects.toMatchObject({
      data: { code: 'BAD_REQUEST' },
      message: expect.stringMatching(
        new RegExp(
          `^zoom: zoom 18 makes [\\d,]+ cells of \\d+ m over the district, at most ${MAX_CELLS.toLocaleString('en-US')}`,
        ),
      ),
    });
    const box: [number, number, number, number] = [101.76, 36.64, 101.79, 36.67];
    const inBox = await s.client.incidents.cells.query({ ...WINDOWS[0]!, zoom: 18, bbox: box });
    expect(inBox.total).toBeGreaterThan(0);
    await expect(
      s.client.incidents.cells.query({ ...WINDOWS[0]!, zoom: 21 }),
    ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
    await expect(
      s.client.incidents.cells.query({ from: '2016-01-01', to: '2026-07-01', zoom: 10 }),
    ).rejects.toMatchObject({ data: { code: 'BAD_REQUEST' } });
  });

  it('answers only a signed-in user with dashboard access', async () => {
    await expect(
      s.anonymous.incidents.cells.query({ ...WINDOWS[0]!, zoom: 10 }),
    ).rejects.toMatchObject({ data: { code: 'UNAUTHORIZED' } });
  });
});

describe('incidents.windowSize', () => {
  it("counts the window's incidents as the summary does, below the points' limit", async () => {
    for (const w of WINDOWS)
      for (const categories of FILTERS) {
        const size = await s.client.incidents.windowSize.query({ ...w, categories });
        expect(size).toEqual({
          count: await summaryTotal(w, categories),
          limit: POINT_WINDOW_MAX,
          over: false,
        });
      }
  });
});
