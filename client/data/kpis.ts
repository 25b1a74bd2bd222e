/** Indicator queries shared by the desk's KPI panel and the wall's tiles. */
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../domain/vocabulary';
import { addLocalMonths, periodBounds, previousRange, type Range } from '../../domain/time';
import { isoRange } from '../state/timeWindow';
import { useReference } from './hooks';
import { useTRPC } from './trpc';

export interface CategoryDelta {
  category: IncidentCategory;
  current: number;
  previous: number;
}

export function useCategoryComparison(range: Range, categories: IncidentCategory[], communityId?: number) {
  const trpc = useTRPC();
  const cats = categories.length ? categories : undefined;
  const base = { groupBy: 'category' as const, categories: cats, communityId };
  const cur = useQuery(trpc.incidents.summary.queryOptions({ ...isoRange(range), ...base }));
  const prev = useQuery(trpc.incidents.summary.queryOptions({ ...isoRange(previousRange(range)), ...base }));
  return useMemo(() => {
    if (!cur.data || !prev.data) return { loading: cur.isLoading || prev.isLoading, error: cur.error ?? prev.error, rows: null };
    const get = (rows: { key: string; count: number }[], c: string) => rows.find((r) => r.key === c)?.count ?? 0;
    const rows: CategoryDelta[] = INCIDENT_CATEGORIES.filter((c) => !cats || cats.includes(c)).map((c) => ({
      category: c,
      current: get(cur.data, c),
      previous: get(prev.data, c),
    }));
    const total = {
      current: rows.reduce((a, r) => a + r.current, 0),
      previous: rows.reduce((a, r) => a + r.previous, 0),
    };
    return { loading: false, error: null, rows, total };
  }, [cur.data, prev.data, cur.isLoading, prev.isLoading, cur.error, prev.error, cats]);
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
