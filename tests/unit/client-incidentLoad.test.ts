/**
 * The loading plan of the incident columns: what stretch a window asks for first, how the margin
 * follows a chunk at a time, what a window outside what is loaded fetches, how chunks merge into
 * one sorted set of columns (their minutes counted from the merged origin), and the bound.
 */
import { describe, expect, it } from 'vitest';
import {
  applyIncidentChanges,
  columnsFromArrow,
  countByCategory,
  countPerDay,
  covers,
  emptyColumns,
  mergeColumns,
  sliceColumns,
  type IncidentColumns,
} from '../../client/data/incidentColumns';
import {
  applyLoad,
  CHUNK_DAYS,
  dayAligned,
  MAX_LOADED_DAYS,
  MAX_MARGIN_DAYS,
  MIN_MARGIN_DAYS,
  nextLoad,
  wantedRange,
  type LoadStep,
} from '../../client/data/incidentLoad';
import { DAY_MS, type Range } from '../../domain/time';
import { INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import { incidentsToArrow } from '../../server/services/arrow';

const day = (d: string) => Date.parse(`${d}T00:00:00+08:00`);
const JUNE: Range = { from: day('2026-06-01'), to: day('2026-07-01') };

/**
 * Columns over `span` holding one incident every `everyH` hours, its id its epoch minute (plus
 * `idOffset`: another answer for the same time).
 */
function columnsOver(span: Range, everyH = 6, idOffset = 0): IncidentColumns {
  const times: number[] = [];
  for (let t = span.from; t < span.to; t += everyH * 3_600_000) times.push(t / 1000);
  const n = times.length;
  const bytes = incidentsToArrow({
    count: n,
    id: Int32Array.from(times, (t) => idOffset + Math.floor(t / 60)),
    lon: Float32Array.from(times, (_, i) => 101.7 + (i % 10) / 100),
    lat: Float32Array.from(times, () => 36.65),
    time: Uint32Array.from(times),
    category: Uint8Array.from(times, (_, i) => i % INCIDENT_CATEGORIES.length),
  });
  return columnsFromArrow(bytes, span.from, span.to);
}

/** Every incident's minutes counted from the columns' origin, and times ascending. */
function expectConsistent(c: IncidentColumns) {
  for (let i = 0; i < c.count; i++) {
    expect(c.minutes[i]).toBe(Math.floor((c.time[i]! - c.origin / 1000) / 60));
    if (i) expect(c.time[i]!).toBeGreaterThanOrEqual(c.time[i - 1]!);
    expect(c.time[i]! * 1000).toBeGreaterThanOrEqual(c.origin);
    expect(c.time[i]! * 1000).toBeLessThan(c.end);
  }
}

/** Follows the plan for `window` from `loaded` until nothing more is wanted: the steps taken. */
function follow(loaded: IncidentColumns | null, window: Range) {
  const steps: LoadStep[] = [];
  let c = loaded;
  for (let step = nextLoad(c && { from: c.origin, to: c.end }, window); step;) {
    steps.push(step);
    c = applyLoad(c, columnsOver(step.range), step, window);
    step = nextLoad({ from: c.origin, to: c.end }, window);
    expect(steps.length).toBeLessThan(50);
  }
  return { steps, columns: c! };
}

describe('the loading plan', () => {
  it('asks first for the window alone, widened to whole local days', () => {
    const w = { from: day('2026-06-01') + 3_600_000, to: day('2026-06-30') + 5 * 3_600_000 };
    expect(nextLoad(null, w)).toEqual({ range: JUNE, replace: true });
    expect(dayAligned(JUNE)).toEqual(JUNE);
  });

  it('then loads the margin a chunk at a time, the days after the window first', () => {
    const { steps, columns } = follow(null, JUNE);
    const want = wantedRange(JUNE);
    expect(want).toEqual({ from: JUNE.from - 30 * DAY_MS, to: JUNE.to + 30 * DAY_MS });
    expect(steps.map((s) => s.range)).toEqual([
      JUNE,
      { from: JUNE.to, to: want.to },
      { from: want.from, to: JUNE.from },
    ]);
    expect(steps.slice(1).every((s) => !s.replace)).toBe(true);
    expect({ from: columns.origin, to: columns.end }).toEqual(want);
    expectConsistent(columns);
    // every chunk's incidents, none twice: one every 6 hours over 90 days
    expect(columns.count).toBe(90 * 4);
    expect(new Set(columns.id).size).toBe(columns.count);
  });

  it('keeps the margin within its bounds, and fetches a long one in chunks', () => {
    const oneDay = { from: day('2026-06-10'), to: day('2026-06-11') };
    expect(wantedRange(oneDay)).toEqual({
      from: oneDay.from - MIN_MARGIN_DAYS * DAY_MS,
      to: oneDay.to + MIN_MARGIN_DAYS * DAY_MS,
    });
    const year = { from: day('2025-07-01'), to: day('2026-07-01') };
    const want = wantedRange(year);
    expect(want.to - year.to).toBe(MAX_MARGIN_DAYS * DAY_MS);
    const { steps } = follow(null, year);
    expect(steps[1]!.range).toEqual({ from: year.to, to: year.to + CHUNK_DAYS * DAY_MS });
    expect(steps.every((s) => s.range.to - s.range.from <= 366 * DAY_MS)).toBe(true);
  });

  it('asks for nothing while the window stays within what is loaded', () => {
    const { columns } = follow(null, JUNE);
    const loaded = { from: columns.origin, to: columns.end };
    expect(nextLoad(loaded, JUNE)).toBeNull();
    expect(nextLoad(loaded, { from: day('2026-06-29'), to: day('2026-06-30') })).toBeNull();
    expect(covers(columns, { from: day('2026-05-15'), to: day('2026-07-10') })).toBe(true);
  });

  it('fetches only what a window next to what is loaded lacks, and replaces what is far away', () => {
    const loaded = { from: day('2026-05-01'), to: day('2026-07-01') };
    const later = { from: day('2026-06-20'), to: day('2026-07-10') };
    expect(nextLoad(loaded, later)).toEqual({
      range: { from: loaded.to, to: day('2026-07-10') },
      replace: false,
    });
    const earlier = { from: day('2026-04-20'), to: day('2026-05-03') };
    expect(nextLoad(loaded, earlier)).toEqual({
      range: { from: day('2026-04-20'), to: loaded.from },
      replace: false,
    });
    // a gap longer than the window's margin (7 days for a week) is not filled
    const weekAfter = { from: day('2026-07-09'), to: day('2026-07-16') };
    expect(nextLoad(loaded, weekAfter)).toEqual({ range: weekAfter, replace: true });
    const weekNear = { from: day('2026-07-06'), to: day('2026-07-13') };
    expect(nextLoad(loaded, weekNear)).toEqual({
      range: { from: loaded.to, to: day('2026-07-13') },
      replace: false,
    });
    const far = { from: day('2020-01-01'), to: day('2020-02-01') };
    expect(nextLoad(loaded, far)).toEqual({ range: far, replace: true });
    const around = { from: day('2026-04-01'), to: day('2026-08-01') };
    expect(nextLoad(loaded, around)).toEqual({ range: around, replace: true });
  });

  it('drops what lies beyond the bound, keeping what the window wants', () => {
    // loaded: the 791 days up to July (a long window shown before); June's margin after it
    // passes the bound
    const loaded = columnsOver({ from: day('2024-05-01'), to: day('2026-07-01') }, 24);
    const step = nextLoad({ from: loaded.origin, to: loaded.end }, JUNE)!;
    expect(step).toEqual({ range: { from: JUNE.to, to: day('2026-07-31') }, replace: false });
    const after = applyLoad(loaded, columnsOver(step.range, 24), step, JUNE);
    expect({ from: after.origin, to: after.end }).toEqual(wantedRange(JUNE));
    expect(after.end - after.origin).toBeLessThan(MAX_LOADED_DAYS * DAY_MS);
    expectConsistent(after);
    expect(countByCategory(after, JUNE)!.reduce((a, n) => a + n, 0)).toBe(30);
    expect(after.count).toBe(90);
    // within the bound nothing is dropped
    const short = columnsOver({ from: day('2026-03-01'), to: day('2026-07-01') }, 24);
    const kept = applyLoad(short, columnsOver(step.range, 24), step, JUNE);
    expect({ from: kept.origin, to: kept.end }).toEqual({
      from: day('2026-03-01'),
      to: day('2026-07-31'),
    });
  });
});

describe('merging chunks into the columns', () => {
  it('puts a chunk before or after in time order, counting minutes from the new origin', () => {
    const june = columnsOver(JUNE, 12);
    const may = columnsOver({ from: day('2026-05-01'), to: JUNE.from }, 12, 1000);
    const merged = mergeColumns(june, may);
    expect(merged.origin).toBe(day('2026-05-01'));
    expect(merged.end).toBe(JUNE.to);
    expect(merged.count).toBe(june.count + may.count);
    expect(merged.id[0]).toBe(may.id[0]);
    expect(merged.id[may.count]).toBe(june.id[0]);
    expectConsistent(merged);
    // the columns count as the two did apart
    const mask = 0xff;
    const perDay = countPerDay(merged, day('2026-05-01'), 61, mask);
    expect(Array.from(perDay).every((n) => n === 2)).toBe(true);
    // neither input changed
    expect(june.origin).toBe(JUNE.from);
    expect(june.minutes[1]).toBe(12 * 60);
  });

  it("replaces the incidents of the span a chunk covers with the chunk's", () => {
    const june = columnsOver(JUNE, 12);
    const week = { from: day('2026-06-10'), to: day('2026-06-17') };
    const fresh = columnsOver(week, 24, 1);
    const merged = mergeColumns(june, fresh);
    expect(merged.count).toBe(june.count - 14 + 7);
    expect(countByCategory(merged, week)!.reduce((a, n) => a + n, 0)).toBe(7);
    expectConsistent(merged);
    expect(() =>
      mergeColumns(june, columnsOver({ from: day('2026-08-01'), to: day('2026-08-02') })),
    ).toThrow(/touch or overlap/);
  });

  it('takes live changes after a merge and a slice, and slices to a span', () => {
    const merged = mergeColumns(
      columnsOver(JUNE, 12),
      emptyColumns({ from: JUNE.to, to: day('2026-07-08') }),
    );
    const changed = applyIncidentChanges(merged, [
      {
        id: 9999,
        incident: { time: '2026-07-02T10:00:00+08:00', lon: 101.7, lat: 36.6, category: 'fire' },
      },
    ]);
    expect(changed.count).toBe(merged.count + 1);
    expectConsistent(changed);
    const cut = sliceColumns(changed, { from: day('2026-06-30'), to: day('2026-07-05') });
    expect(cut.origin).toBe(day('2026-06-30'));
    expect(cut.count).toBe(3);
    expectConsistent(cut);
  });
});
