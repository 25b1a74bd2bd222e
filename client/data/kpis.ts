/** Indicator queries shared by the desk's KPI panel and the wall's tiles. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../domain/vocabulary';
import { addLocalMonths, periodBounds, previousRange, type Range } from '../../domain/time';
import { isoRange } from '../state/timeWindow';
import { useIncidentColumnsNow, useReference } from './hooks';
import { countByCategory } from './incidentColumns';
import { COLUMNS_KEY, columnsMissedChanges, lastChangeAt } from './live';
import { useTRPC } from './trpc';

export interface CategoryDelta {
  category: IncidentCategory;
  current: number;
  previous: number;
}

/** Counts per category, indexed as INCIDENT_CATEGORIES. */
export type CategoryCounts = ArrayLike<number>;

/** incidents.summary's rows grouped by category, as counts per category. */
export function countsFromSummary(rows: readonly { key: string; count: number }[]): Int32Array {
  const out = new Int32Array(INCIDENT_CATEGORIES.length);
  for (const r of rows) {
    const i = INCIDENT_CATEGORIES.indexOf(r.key as IncidentCategory);
    if (i >= 0) out[i] = r.count;
  }
  return out;
}

/** The incidents of `categories` (all when none are chosen) among `counts`. */
export function totalOf(counts: CategoryCounts, categories?: readonly IncidentCategory[]): number {
  let n = 0;
  INCIDENT_CATEGORIES.forEach((c, i) => {
    if (!categories?.length || categories.includes(c)) n += counts[i]!;
  });
  return n;
}

/** The window's counts against the previous period's, per chosen category and in all. */
export function compareCategories(
  current: CategoryCounts,
  previous: CategoryCounts,
  categories?: readonly IncidentCategory[],
) {
  const rows: CategoryDelta[] = [];
  INCIDENT_CATEGORIES.forEach((category, i) => {
    if (!categories?.length || categories.includes(category))
      rows.push({ category, current: current[i]!, previous: previous[i]! });
  });
  const total = {
    current: totalOf(current, categories),
    previous: totalOf(previous, categories),
  };
  return { rows, total };
}

/**
 * The window's and the previous period's counts per category, counted here over the incident
 * columns the page holds (live incidents count in the frame they arrive in); null where the
 * columns cannot count them (not loaded or not allowed, a window beyond their span) or no
 * window is given.
 */
export function useColumnCounts(
  range: Range | null,
  previousOf: Range | null = null,
): { current: Int32Array; previous: Int32Array } | null {
  const columns = useIncidentColumnsNow();
  return useMemo(() => {
    if (!columns || !range) return null;
    const current = countByCategory(columns, range);
    const previous = countByCategory(columns, previousOf ?? previousRange(range));
    return current && previous ? { current, previous } : null;
  }, [columns, range, previousOf]);
}

/** When the page last fetched the columns again to reconcile them (ms). */
let reconciledAt = Number.NEGATIVE_INFINITY;

/**
 * The server's counts reconcile the columns: where one disagrees with the same count made on the
 * columns although the stream has been quiet (columnsMissedChanges), the columns are fetched
 * again (live changes that arrive meanwhile are applied on top, hooks.ts).
 */
export function useReconcile(
  local: number | null | undefined,
  server: readonly { count: number }[] | undefined,
  answeredAt: number,
) {
  const qc = useQueryClient();
  const total = server?.reduce((a, r) => a + r.count, 0);
  useEffect(() => {
    const now = Date.now();
    const f = { local: local ?? null, server: total, answeredAt, now };
    if (!columnsMissedChanges({ ...f, lastChange: lastChangeAt(), lastReconciled: reconciledAt }))
      return;
    reconciledAt = now;
    void qc.invalidateQueries({ queryKey: [COLUMNS_KEY] });
  }, [qc, local, total, answeredAt]);
}

/**
 * Incidents of the window against the previous period, by category. Counted on the incident
 * columns where they allow it (the categories filter as the server applies it), else the
 * server's counts: a community's figures, a display not sent the incidents, the first moments
 * before the columns have arrived. The server's counts are asked for either way: they are the
 * figures until the columns come, and they reconcile the columns (useReconcile).
 */
export function useCategoryComparison(
  range: Range,
  previous: Range,
  categories: IncidentCategory[],
  communityId?: number,
) {
  const trpc = useTRPC();
  const cats = categories.length ? categories : undefined;
  const base = { groupBy: 'category' as const, categories: cats, communityId };
  const cur = useQuery(trpc.incidents.summary.queryOptions({ ...isoRange(range), ...base }));
  const prev = useQuery(trpc.incidents.summary.queryOptions({ ...isoRange(previous), ...base }));
  // the columns do not say which community an incident is in
  const local = useColumnCounts(communityId === undefined ? range : null, previous);
  useReconcile(local && totalOf(local.current, cats), cur.data, cur.dataUpdatedAt);
  useReconcile(local && totalOf(local.previous, cats), prev.data, prev.dataUpdatedAt);
  return useMemo(() => {
    if (local) return { loading: false, error: null, ...compareCategories(local.current, local.previous, cats) };
    if (!cur.data || !prev.data) return { loading: cur.isLoading || prev.isLoading, error: cur.error ?? prev.error, rows: null };
    return {
      loading: false,
      error: null,
      ...compareCategories(countsFromSummary(cur.data), countsFromSummary(prev.data), cats),
    };
  }, [local, cur.data, prev.data, cur.isLoading, prev.isLoading, cur.error, prev.error, cats]);
}

export function useTopCommunities(range: Range, categories: IncidentCategory[], n = 10) {
  const trpc = useTRPC();
  const q = useQuery(
    trpc.incidents.summary.queryOptions({
      ...isoRange(range),
      groupBy: 'community',
      categories: categories.length ? categories : undefined,
    }),
  );
  return { ...q, data: q.data?.slice(0, n) };
}

/**
 * Telecom fraud per month for 24 months, and the change of the last 12 against the 12 before;
 * `answers` are the queries they come from (the wall keeps its figures across them).
 */
export function useFraudTrend(opts: { refetchInterval?: number } = {}) {
  const trpc = useTRPC();
  const reference = useReference();
  const range = useMemo(() => {
    // whole months: from the start of the month 23 months before the reference's month
    const monthStart = periodBounds('month', new Date(reference - 1)).from.getTime();
    return { from: addLocalMonths(monthStart, -23), to: reference };
  }, [reference]);
  const yoy = useMemo(
    () => ({ mid: addLocalMonths(reference, -12), start: addLocalMonths(reference, -24) }),
    [reference],
  );
  const months = useQuery({
    ...trpc.incidents.summary.queryOptions({ ...isoRange(range), groupBy: 'month', subcategories: ['fraud'] }),
    ...opts,
  });
  const last = useQuery({
    ...trpc.incidents.summary.queryOptions({
      ...isoRange({ from: yoy.mid, to: reference }),
      groupBy: 'category',
      subcategories: ['fraud'],
    }),
    ...opts,
  });
  const prev = useQuery({
    ...trpc.incidents.summary.queryOptions({
      ...isoRange({ from: yoy.start, to: yoy.mid }),
      groupBy: 'category',
      subcategories: ['fraud'],
    }),
    ...opts,
  });
  const sum = (rows?: { count: number }[]) => rows?.reduce((a, r) => a + r.count, 0);
  const l = sum(last.data);
  const p = sum(prev.data);
  return {
    months: months.data,
    last: l,
    previous: p,
    change: l !== undefined && p ? (l - p) / p : null,
    answers: { months, last, previous: prev },
  };
}
