import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { columnsFromArrow, type IncidentColumns } from '../../client/data/incidentColumns';
import {
  applyToColumnQueries,
  COLUMNS_KEY,
  columnsMissedChanges,
  RECONCILE_MS,
  SETTLED_MS,
  countsIncidents,
  mergeLatest,
  noteIncident,
  throttle,
  touchedBy,
  toChange,
} from '../../client/data/live';
import { INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import { incidentsToArrow } from '../../server/services/arrow';

const ORIGIN = Date.parse('2026-06-01T00:00:00+08:00');
const S = ORIGIN / 1000;

function columns(times: number[], end?: number): IncidentColumns {
  return columnsFromArrow(
    incidentsToArrow({
      count: times.length,
      id: Int32Array.from(times, (_, i) => i + 1),
      lon: Float32Array.from(times, () => 101.7),
      lat: Float32Array.from(times, () => 36.7),
      time: Uint32Array.from(times, (t) => S + t),
      category: Uint8Array.from(times, () => 0),
    }),
    ORIGIN,
    end,
  );
}

const incident = (id: number, t: number) => ({
  id,
  incident: {
    time: new Date((S + t) * 1000).toISOString(),
    lon: 101.71,
    lat: 36.71,
    category: INCIDENT_CATEGORIES[1]!,
    outside: false,
  },
});

describe('countsIncidents', () => {
  it('holds the queries made from incidents, not the others', () => {
    expect(countsIncidents([['incidents', 'summary'], { input: {}, type: 'query' }])).toBe(true);
    expect(countsIncidents([['incidents', 'list'], { type: 'query' }])).toBe(true);
    expect(countsIncidents([['rankings', 'communities'], { type: 'query' }])).toBe(true);
    expect(countsIncidents([['plan', 'evaluate'], { type: 'query' }])).toBe(true);
    expect(countsIncidents([['plan', 'history'], { type: 'query' }])).toBe(false);
    expect(countsIncidents([['cameras', 'list'], { type: 'query' }])).toBe(false);
    expect(countsIncidents([['system', 'health']])).toBe(false);
    // the columns follow the changes themselves: never fetched again for them
    expect(countsIncidents([COLUMNS_KEY, 0, 1])).toBe(false);
  });

  it('with the new incidents known, holds only the queries that count them', () => {
    const june = { from: '2026-06-01T00:00:00Z', to: '2026-07-01T00:00:00Z' };
    const may = { from: '2026-05-01T00:00:00Z', to: '2026-06-01T00:00:00Z' };
    const key = (input: object) => [['incidents', 'summary'], { input, type: 'query' }];
    const t = {
      time: Date.parse('2026-06-30T02:00:00Z'),
      category: 'traffic',
      subcategory: 'collision',
      communityId: 7,
    };
    expect(countsIncidents(key(june), [t])).toBe(true);
    expect(countsIncidents(key(may), [t])).toBe(false);
    // the end is not in the window, the start is
    expect(countsIncidents(key(may), [{ ...t, time: Date.parse(may.to) }])).toBe(false);
    expect(countsIncidents(key(may), [{ ...t, time: Date.parse(may.from) }])).toBe(true);
    expect(countsIncidents(key({ ...june, categories: ['fire'] }), [t])).toBe(false);
    expect(countsIncidents(key({ ...june, categories: ['fire', 'traffic'] }), [t])).toBe(true);
    expect(countsIncidents(key({ ...june, subcategories: ['fraud'] }), [t])).toBe(false);
    expect(countsIncidents(key({ ...june, communityId: 8 }), [t])).toBe(false);
    expect(countsIncidents(key({ ...june, communityId: 7 }), [t])).toBe(true);
    // one of several is enough
    expect(countsIncidents(key(may), [t, { ...t, time: Date.parse(may.from) }])).toBe(true);
    // no window in the input, or anything may have changed: asked again
    const rankings = [['rankings', 'communities'], { input: { period: 'month' }, type: 'query' }];
    expect(countsIncidents(rankings, [t])).toBe(true);
    expect(countsIncidents(key(may), null)).toBe(true);
  });

  it('knows what creations touch only: an update or a removal may touch anything', () => {
    const at = '2026-06-30T02:00:00Z';
    const inc = { time: at, category: 'fire', subcategory: 'building', communityId: 3 };
    const c = (id: number) =>
      ({ action: 'created', id, sourceId: null, at, incident: inc }) as never;
    const touch = {
      time: Date.parse(at),
      category: 'fire',
      subcategory: 'building',
      communityId: 3,
    };
    expect(touchedBy([c(1), c(2)])).toEqual([touch, touch]);
    expect(touchedBy([c(1), { action: 'removed', id: 1, sourceId: null, at }])).toBeNull();
    expect(
      touchedBy([{ action: 'updated', id: 1, sourceId: null, at, incident: inc } as never]),
    ).toBeNull();
  });
});

describe('toChange', () => {
  it('a removal leaves no incident; a creation or update carries it', () => {
    const at = '2026-06-30T02:00:00Z';
    expect(toChange({ action: 'removed', id: 5, sourceId: 'A1', at })).toEqual({
      id: 5,
      incident: null,
    });
    const inc = incident(6, 0).incident as never;
    expect(toChange({ action: 'updated', id: 6, sourceId: 'A2', at, incident: inc })).toEqual({
      id: 6,
      incident: inc,
    });
  });
});

describe('applyToColumnQueries', () => {
  it('applies changes to every held columns query within its span, and leaves others alone', () => {
    const qc = new QueryClient();
    const wideEnd = ORIGIN + 10 * 86_400_000;
    const narrowEnd = ORIGIN + 3_600_000;
    const wide = [COLUMNS_KEY, ORIGIN, wideEnd];
    const narrow = [COLUMNS_KEY, ORIGIN, narrowEnd];
    qc.setQueryData(wide, columns([0, 60], wideEnd));
    qc.setQueryData(narrow, columns([0, 60], narrowEnd));
    qc.setQueryData(['other'], 1);
    const before = qc.getQueryData(narrow);
    applyToColumnQueries(qc, [incident(9, 7200), { id: 1, incident: null }]);
    const w = qc.getQueryData<IncidentColumns>(wide)!;
    expect(Array.from(w.id)).toEqual([2, 9]);
    // two hours in is past the narrow span's end: only the removal applies there
    const n = qc.getQueryData<IncidentColumns>(narrow)!;
    expect(n).not.toBe(before);
    expect(Array.from(n.id)).toEqual([2]);
    expect(qc.getQueryData(['other'])).toBe(1);
  });
});

describe('columnsMissedChanges', () => {
  const now = 10_000_000;
  const quiet = {
    local: 41,
    server: 42,
    answeredAt: now - 1000,
    lastChange: now - SETTLED_MS - 5000,
    lastReconciled: Number.NEGATIVE_INFINITY,
    now,
  };

  it('says the columns missed a change when they disagree with an answer after a quiet spell', () => {
    expect(columnsMissedChanges(quiet)).toBe(true);
    expect(columnsMissedChanges({ ...quiet, lastChange: Number.NEGATIVE_INFINITY })).toBe(true);
  });

  it('not when they agree, or either has no count', () => {
    expect(columnsMissedChanges({ ...quiet, local: 42 })).toBe(false);
    expect(columnsMissedChanges({ ...quiet, local: null })).toBe(false);
    expect(columnsMissedChanges({ ...quiet, server: undefined })).toBe(false);
  });

  it('not while a change may be in one and not yet in the other', () => {
    // a change shortly before the answer: the request may have started before it
    expect(columnsMissedChanges({ ...quiet, lastChange: quiet.answeredAt - 2000 })).toBe(false);
    // a change after the answer: the columns have it, the answer not yet
    expect(columnsMissedChanges({ ...quiet, lastChange: now - 10 })).toBe(false);
  });

  it('not again soon after the columns were fetched again for it', () => {
    expect(columnsMissedChanges({ ...quiet, lastReconciled: now - 1000 })).toBe(false);
    expect(columnsMissedChanges({ ...quiet, lastReconciled: now - RECONCILE_MS })).toBe(true);
  });
});

describe('throttle', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs at once, then at most once per period, never losing the last call', () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const t = throttle(fn, 2000);
    t();
    expect(fn).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(150);
      t();
    }
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(500);
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(5000);
    expect(fn).toHaveBeenCalledTimes(2);
    t();
    expect(fn).toHaveBeenCalledTimes(3);
    t();
    t.cancel();
    vi.advanceTimersByTime(5000);
    expect(fn).toHaveBeenCalledTimes(3);
  });
});

describe('noteIncident and mergeLatest', () => {
  const at = '2026-06-30T02:00:00Z';
  const detail = (id: number, time: string, extra: object = {}) =>
    ({
      id,
      time,
      category: 'traffic',
      subcategory: 'collision',
      status: 'open',
      communityId: 1,
      communityName: '一村',
      lon: 101.7,
      lat: 36.7,
      sourceId: `S${id}`,
      outside: false,
      ...extra,
    }) as const;
  const empty = { fresh: [], recent: [], removed: [], arrived: {} };
  const created = (id: number, time: string, extra: object = {}) =>
    ({ action: 'created', id, sourceId: `S${id}`, at, incident: detail(id, time, extra) }) as never;
  const updated = (id: number, time: string, extra: object = {}) =>
    ({ action: 'updated', id, sourceId: `S${id}`, at, incident: detail(id, time, extra) }) as never;
  const removed = (id: number) => ({ action: 'removed', id, sourceId: `S${id}`, at }) as const;

  it('counts each incident created in the district once, and no more once it is cancelled', () => {
    let s = noteIncident(empty, created(1, '2026-06-30T01:00:00Z'), 100);
    s = noteIncident(s, created(2, '2026-06-30T01:05:00Z'), 200);
    s = noteIncident(s, created(2, '2026-06-30T01:05:00Z'), 300);
    s = noteIncident(s, updated(1, '2026-06-30T01:00:00Z', { status: 'closed' }), 400);
    s = noteIncident(s, created(3, '2026-06-30T01:06:00Z', { outside: true }), 500);
    expect(s.fresh).toEqual([1, 2]);
    expect(s.arrived).toEqual({ 1: 100, 2: 200 });
    expect(s.recent.map((r) => r.id)).toEqual([2, 1]);
    expect((s.recent[1] as { status?: string }).status).toBe('closed');
    s = noteIncident(s, removed(1), 600);
    expect(s.fresh).toEqual([2]);
    expect(s.recent.map((r) => r.id)).toEqual([2]);
    expect(s.removed).toEqual([3, 1]);
  });

  it('merges the listed and the live incidents, newest first, each once, without the removed', () => {
    const listed = [detail(10, '2026-06-30T00:50:00Z'), detail(9, '2026-06-30T00:40:00Z')];
    const live = [
      detail(11, '2026-06-30T01:00:00Z'),
      detail(10, '2026-06-30T00:50:00Z', { subcategory: 'theft' }),
    ];
    const out = mergeLatest(listed, live, [9], 20);
    expect(out.map((i) => i.id)).toEqual([11, 10]);
    expect(out[1]!.subcategory).toBe('theft');
    expect(mergeLatest(listed, live, [], 2).map((i) => i.id)).toEqual([11, 10]);
    expect(mergeLatest(listed, [], [], 20)).toEqual(listed);
  });
});
