/**
 * The desk's and the wall's window figures are counted in the browser over the incident columns
 * (client/data/kpis.ts) and on the server by incidents.summary: the two must agree exactly, on
 * the same data, for every preset window and the period it is compared with, with and without a
 * categories filter, at the windows' edges (times with fractions of a second just before
 * midnight, an incident at midnight itself), without incidents placed outside the district, and
 * after a live change has been applied to the columns.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyIncidentChanges,
  columnsFromArrow,
  countByCategory,
  type IncidentColumns,
} from '../../client/data/incidentColumns';
import { compareCategories, countsFromSummary, totalOf } from '../../client/data/kpis';
import { DAY_MS, PRESETS, previousRange, resolveWindow, type Range } from '../../domain/time';
import type { IncidentCategory } from '../../domain/vocabulary';
import { incidentsToArrow } from '../../server/services/arrow';
import { BadInput } from '../../server/errors';
import * as incidents from '../../server/services/incidents';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';

let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.dispose();
});

// the test data end at 2026-07-01T00:00+08:00: "now" for the presets
const REFERENCE = Date.parse('2026-07-01T00:00:00+08:00');
/** The columns' span as the page asks for it: ten years to the end of tomorrow (UTC days). */
const SPAN: Range = {
  from: Math.ceil(REFERENCE / DAY_MS) * DAY_MS + DAY_MS - 3650 * DAY_MS,
  to: Math.ceil(REFERENCE / DAY_MS) * DAY_MS + DAY_MS,
};
const FILTERS: (IncidentCategory[] | undefined)[] = [undefined, ['traffic'], ['criminal', 'fire']];

/** The incident columns as the page holds them: the Arrow route's bytes, read as the page reads them. */
async function pageColumns(): Promise<IncidentColumns> {
  const cols = await incidents.columns(t.db, { from: new Date(SPAN.from), to: new Date(SPAN.to) });
  return columnsFromArrow(incidentsToArrow(cols), SPAN.from, SPAN.to);
}

function serverCounts(r: Range, categories?: IncidentCategory[]) {
  return incidents.summary(t.db, {
    from: new Date(r.from),
    to: new Date(r.to),
    groupBy: 'category',
    categories,
  });
}

/** Checks the window and its previous period, per category and in all, under every filter. */
async function expectSameCounts(columns: IncidentColumns, r: Range, filters = FILTERS) {
  const current = countByCategory(columns, r);
  const previous = countByCategory(columns, previousRange(r));
  expect(current, 'the columns count the window').not.toBeNull();
  expect(previous, 'the columns count the previous period').not.toBeNull();
  for (const cats of filters) {
    const [cur, prev] = await Promise.all([
      serverCounts(r, cats),
      serverCounts(previousRange(r), cats),
    ]);
    const server = compareCategories(countsFromSummary(cur), countsFromSummary(prev), cats);
    expect(compareCategories(current!, previous!, cats), `${JSON.stringify(r)} ${cats}`).toEqual(
      server,
    );
    expect(totalOf(current!, cats)).toBe(cur.reduce((a, row) => a + row.count, 0));
  }
}

/** Adds an incident in the first community; returns its id. */
async function insert(time: string, category: IncidentCategory, outside = false) {
  const [row] = await t.db.query<{ id: number }>(
    `INSERT INTO incidents (time, category, subcategory, status, community_id, geom, outside)
     SELECT $1::timestamptz, $2, 'other', 'open', c.id, ST_PointOnSurface(c.geom), $3
     FROM communities c ORDER BY c.id LIMIT 1 RETURNING id`,
    [time, category, outside],
  );
  return row!.id;
}

describe('window counts on the columns and on the server', () => {
  it('agree for every preset window and its previous period, with and without a filter', async () => {
    // at the days' edges: fractions of a second before midnight count in the day before
    await insert('2026-06-30T23:59:59.700+08:00', 'traffic');
    await insert('2026-06-29T23:59:59.999+08:00', 'fire');
    await insert('2026-06-30T00:00:00.000+08:00', 'criminal');
    await insert('2026-06-24T00:00:00.400+08:00', 'traffic');
    // placed outside the district: stored, counted by neither
    await insert('2026-06-30T12:00:00+08:00', 'traffic', true);
    const columns = await pageColumns();
    for (const preset of PRESETS) {
      const r = resolveWindow({ preset }, REFERENCE);
      // the filters on the short windows (the long ones' filtered counts are sums all the same)
      await expectSameCounts(columns, r, ['today', '7d'].includes(preset) ? FILTERS : [undefined]);
    }
    await expectSameCounts(columns, resolveWindow({ from: '2026-03-15', to: '2026-04-02' }, 0), [
      undefined,
    ]);
  });

  it('agree once a live change is applied to the columns', async () => {
    const columns = await pageColumns();
    const today = resolveWindow({ preset: 'today' }, REFERENCE);
    const id = await insert('2026-06-30T23:58:30.900+08:00', 'traffic');
    // the change as the live stream sends it: the incident as incidents.get reads it
    const incident = await incidents.get(t.db, id);
    const live = applyIncidentChanges(columns, [{ id, incident }]);
    expect(totalOf(countByCategory(live, today)!)).toBe(
      totalOf(countByCategory(columns, today)!) + 1,
    );
    await expectSameCounts(live, today);
    // cancelled: the database deletes it, the stream says it is removed
    await t.db.query(`DELETE FROM incidents WHERE id = $1`, [id]);
    await expectSameCounts(applyIncidentChanges(live, [{ id, incident: null }]), today);
  });

  it('leave to the server what the columns cannot count exactly', async () => {
    const columns = await pageColumns();
    const today = resolveWindow({ preset: 'today' }, REFERENCE);
    expect(countByCategory(columns, { from: today.from + 500, to: today.to })).toBeNull();
    expect(countByCategory(columns, { from: SPAN.from - DAY_MS, to: today.to })).toBeNull();
    expect(countByCategory(columns, { from: today.from, to: SPAN.to + 1000 })).toBeNull();
  });
});

describe('the size of one answer of incident columns', () => {
  it('refuses a window holding more incidents than the limit, with a clear error; at the limit it answers them all', async () => {
    const w = { from: new Date(SPAN.from), to: new Date(SPAN.to) };
    const all = await incidents.columns(t.db, w);
    expect(all.count).toBeGreaterThan(1000);
    const refused = incidents.columns(t.db, w, all.count - 1);
    await expect(refused).rejects.toBeInstanceOf(BadInput);
    await expect(refused).rejects.toThrow(/^from: the window holds more than [\d,]+ incidents/);
    const atLimit = await incidents.columns(t.db, w, all.count);
    expect(atLimit.count).toBe(all.count);
    expect(atLimit.id).toEqual(all.id);
    expect(atLimit.time).toEqual(all.time);
  });
});
