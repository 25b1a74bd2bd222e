/** The desk's period comparison as the map and the panels read it: its two ranges and their counts. */
import { useMemo, useRef } from 'react';
import { compareRanges, localDate, type Range } from '../../../domain/time';
import type { IncidentCategory } from '../../../domain/vocabulary';
import { useIncidentColumnsNow, useReference, useRegions, useSpan } from '../../data/hooks';
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
  const of = useMemo(
    () => (columns && c ? communitiesOfIncidents(columns, c.areas) : null),
    [columns, c],
  );
  return useMemo(() => {
    if (!ranges || !columns || !c || !of) return null;
    const mask = categoryMask(categories);
    const n = c.areas.length;
    const current = countByCommunity(columns, of, n, ranges.current, mask);
    const base = countByCommunity(columns, of, n, ranges.base, mask);
    const sum = (a: Int32Array) => a.reduce((x, y) => x + y, 0);
    return {
      rows: communityChanges(c.areas, current, base),
      total: { current: sum(current), base: sum(base) },
      features: c.features,
      beforeData: span !== null && ranges.base.from < span.from,
    };
  }, [ranges, columns, c, of, categories, span]);
}
