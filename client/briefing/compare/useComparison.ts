/** The desk's period comparison as the map and the panels read it: its two ranges and their counts. */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useRef } from 'react';
import { compareRanges, localDate, type Range } from '../../../domain/time';
import type { IncidentCategory } from '../../../domain/vocabulary';
import { useIncidentColumnsNow, useReference, useRegions, useSpan } from '../../data/hooks';
import { covers } from '../../data/incidentColumns';
import { useTRPC } from '../../data/trpc';
import { isoRange } from '../../state/timeWindow';
import type { Comparison } from '../../state/view';
import { useView } from '../../state/viewStore';
import {
  categoryMask,
  communitiesOfIncidents,
  communityChanges,
  countByCommunity,
  type CommunityArea,
} from './counts';

export interface ComparedRanges {
  comparison: Comparison;
  current: Range;
  base: Range;
}

/** The same object while the comparison and its instants stay the same (the reference moves each minute). */
function useSteady(next: ComparedRanges | null): ComparedRanges | null {
  const kept = useRef<ComparedRanges | null>(null);
  const k = kept.current;
  const same = (a: Range, b: Range) => a.from === b.from && a.to === b.to;
  if (
    !next ||
    !k ||
    k.comparison !== next.comparison ||
    !same(k.current, next.current) ||
    !same(k.base, next.base)
  )
    kept.current = next;
  return kept.current;
}

/** This period and the one it is set against, while the desk compares; else null. */
export function useComparedRanges(): ComparedRanges | null {
  const comparison = useView((s) => s.comparison);
  const window = useView((s) => s.window);
  const reference = useReference();
  const next = useMemo(
    () =>
      comparison ? { comparison, ...compareRanges(window, reference, comparison.against) } : null,
    [comparison, window, reference],
  );
  return useSteady(next);
}

/**
 * A period as people write it: 2026-10-01 – 10-31 (the last day, inclusive; the year again only
 * where it differs).
 */
export function periodText(r: Range): string {
  const from = localDate(r.from);
  const to = localDate(r.to - 1);
  if (from === to) return from;
  return `${from} – ${to.slice(0, 4) === from.slice(0, 4) ? to.slice(5) : to}`;
}

/** The communities as areas, in the order the counts are indexed by. */
export function useCommunityAreas() {
  const communities = useRegions().communities;
  return useMemo(() => {
    if (!communities) return null;
    const areas: CommunityArea[] = communities.features.map((f) => ({
      id: f.properties.id,
      geometry: f.geometry,
    }));
    return { areas, features: communities.features };
  }, [communities]);
}

/**
 * Each community's incidents in the two periods (the category filter applies to both), counted
 * on the held incident columns, the largest changes first; null until the columns and the
 * communities are here. `beforeData`: the compared period starts before the stored data.
 */
export function useCommunityChanges(
  ranges: ComparedRanges | null,
  /** the categories counted (a slide's); the desk's filter when absent */
  only?: IncidentCategory[],
) {
  const columns = useIncidentColumnsNow();
  const c = useCommunityAreas();
  const filter = useView((s) => s.categories);
  const categories = only ?? filter;
  const span = useSpan();
  // periods the loaded columns do not hold are counted by the server
  const held = Boolean(
    columns && ranges && covers(columns, ranges.current) && covers(columns, ranges.base),
  );
  const current = useServerCommunityCounts(ranges?.current, categories, !held);
  const base = useServerCommunityCounts(ranges?.base, categories, !held);
  const of = useMemo(
    () => (held && columns && c ? communitiesOfIncidents(columns, c.areas) : null),
    [held, columns, c],
  );
  return useMemo(() => {
    if (!ranges || !c) return null;
    let counts: { current: Int32Array; base: Int32Array } | null = null;
    if (held && columns && of) {
      const mask = categoryMask(categories);
      const n = c.areas.length;
      counts = {
        current: countByCommunity(columns, of, n, ranges.current, mask),
        base: countByCommunity(columns, of, n, ranges.base, mask),
      };
    } else if (!held && current && base)
      counts = { current: byArea(c.areas, current), base: byArea(c.areas, base) };
    if (!counts) return null;
    const sum = (a: Int32Array) => a.reduce((x, y) => x + y, 0);
    return {
      rows: communityChanges(c.areas, counts.current, counts.base),
      total: { current: sum(counts.current), base: sum(counts.base) },
      features: c.features,
      beforeData: span !== null && ranges.base.from < span.from,
    };
  }, [ranges, held, columns, c, of, categories, span, current, base]);
}

/** The server's count per community of a period (incidents.summary), while `on`. */
function useServerCommunityCounts(
  range: Range | undefined,
  categories: readonly IncidentCategory[],
  on: boolean,
) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.incidents.summary.queryOptions({
      ...(range ? isoRange(range) : { from: '', to: '' }),
      groupBy: 'community',
      ...(categories.length ? { categories: [...categories] } : {}),
    }),
    enabled: on && Boolean(range),
    staleTime: 5 * 60_000,
  }).data;
}

/** Counts keyed by community id, in the areas' order. */
function byArea(areas: readonly CommunityArea[], rows: readonly { key: string; count: number }[]) {
  const index = new Map(rows.map((r) => [Number(r.key), r.count]));
  return Int32Array.from(areas, (a) => index.get(a.id) ?? 0);
}
