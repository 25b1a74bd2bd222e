/**
 * Every slide's data ahead of presenting it: the queries each slide's map will make (the layers'
 * data, the hot spots of its window and categories, the boundaries and the incidents every map
 * needs), fetched together when presenting starts and kept while it lasts, and for each slide
 * whether all of its queries have answered. A slide is shown only then: no blank map in front of
 * an audience. Only our own server is asked.
 */
import { hashKey, useQueries, type UseQueryOptions } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Permission } from '../../domain/permissions';
import { resolveWindow } from '../../domain/time';
import { useCanCheck } from '../auth/useCan';
import { hotspotsQuery } from '../data/analysis';
import {
  lazyDataQueries,
  useBasemap,
  useIncidentColumns,
  useIncidentPointsAllowed,
  useReference,
  useRegions,
} from '../data/hooks';
import { useTRPC } from '../data/trpc';
import { LAYER_REGISTRY } from '../layers/registry';
import type { Slide } from './slideView';

type AnyQuery = UseQueryOptions<unknown, Error, unknown, readonly unknown[]>;

/** The queries a slide's map makes for its layers (those the user may see). */
export function slideQueries(
  trpc: ReturnType<typeof useTRPC>,
  slide: Slide,
  reference: number,
  may: (p: Permission) => boolean,
): AnyQuery[] {
  const lazy = lazyDataQueries(trpc) as unknown as Record<string, AnyQuery>;
  const out: AnyQuery[] = [];
  for (const e of LAYER_REGISTRY) {
    if (!slide.view.layers[e.id]?.on || !may(e.permission)) continue;
    for (const k of e.data) {
      if (k === 'hotspots')
        out.push(
          hotspotsQuery(
            trpc,
            resolveWindow(slide.view.window, reference),
            slide.view.categories,
          ) as unknown as AnyQuery,
        );
      else if (lazy[k]) out.push(lazy[k]);
    }
  }
  return out;
}

/** Whether each slide's data is all here; fetches all of it at once. */
export function useSlidesReady(slides: Slide[]): boolean[] {
  const trpc = useTRPC();
  const may = useCanCheck();
  const reference = useReference();
  const columns = useIncidentColumns();
  const pointsAllowed = useIncidentPointsAllowed();
  const regions = useRegions();
  const basemap = useBasemap();
  const perSlide = useMemo(
    () => slides.map((s) => slideQueries(trpc, s, reference, may).map((q) => hashKey(q.queryKey))),
    [slides, trpc, reference, may],
  );
  const unique = useMemo(() => {
    const byHash = new Map<string, AnyQuery>();
    for (const s of slides)
      for (const q of slideQueries(trpc, s, reference, may)) byHash.set(hashKey(q.queryKey), q);
    return [...byHash.entries()];
  }, [slides, trpc, reference, may]);
  const results = useQueries({ queries: unique.map(([, q]) => q) });
  // a query that failed is settled too: its layer stays empty, and the slide is not held forever
  const settled = new Set(
    unique.filter((_, i) => results[i]!.isSuccess || results[i]!.isError).map(([h]) => h),
  );
  const common = Boolean(
    (columns.data || !pointsAllowed || columns.isError) &&
    regions.district &&
    regions.towns &&
    regions.communities &&
    basemap,
  );
  return perSlide.map((hashes) => common && hashes.every((h) => settled.has(h)));
}
