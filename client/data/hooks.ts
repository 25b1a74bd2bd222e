/** Data the views share, fetched once and cached by react-query. */
import { hashKey, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FeatureCollection, Geometry } from 'geojson';
import {
  startTransition,
  useCallback,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
} from 'react';
import type { Basemap } from '../../server/basemap';
import type { CommunityProperties } from '../../server/services/regions';
import type { LazyData } from '../layers/registry';
import { compareRanges, DAY_MS, type Range } from '../../domain/time';
import { presetReference, rangeCache } from '../state/timeWindow';
import { useView } from '../state/viewStore';
import {
  applyIncidentChanges,
  fetchIncidentColumns,
  type IncidentColumns,
} from './incidentColumns';
import { changesSince, COLUMNS_KEY, useLive } from './live';
import { useTRPC } from './trpc';

/** The server's client configuration (the basemap); null until it has answered or failed. */
export function useBasemap(): Basemap | null {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.system.config.queryOptions(), staleTime: Infinity, retry: 2 });
  if (q.data) return q.data.basemap as Basemap;
  return q.isError ? { kind: 'none' } : null;
}

export function useHealth(refetchMs = 30_000) {
  const trpc = useTRPC();
  return useQuery({ ...trpc.system.health.queryOptions(), refetchInterval: refetchMs, staleTime: 0 });
}

/**
 * "Now" for the presets (presetReference): the clock, each minute, or the end of the data where
 * that is earlier, moved on by the incidents the live stream sends as they arrive.
 */
export function useReference(): number {
  const health = useHealth();
  const minute = useMinute();
  const latest = useLive((s) => s.recent[0]?.time);
  const end = health.data?.data.end;
  return presetReference(
    minute,
    end ? Date.parse(end) : null,
    latest ? Date.parse(latest) : null,
  );
}

/** The clock, whole minutes, updated each minute: stable between renders, so query keys are too. */
export function useMinute(): number {
  const floor = () => Math.floor(Date.now() / 60_000) * 60_000;
  const [minute, setMinute] = useState(floor);
  useEffect(() => {
    const t = setInterval(() => setMinute(floor()), 5_000);
    return () => clearInterval(t);
  }, []);
  return minute;
}

/** The span of incident data on the server: everything the map can show. */
export function useSpan(): Range | null {
  const health = useHealth();
  const d = health.data?.data;
  return useMemo(() => {
    if (!health.data) return null;
    if (d?.start && d.end) return { from: Date.parse(d.start), to: Date.parse(d.end) };
    const to = Math.ceil(Date.now() / DAY_MS) * DAY_MS;
    return { from: to - 730 * DAY_MS, to };
  }, [health.data, d?.start, d?.end]);
}

/** The window's instants, one object per window and instants for every component that asks. */
export const sharedRange = rangeCache();

/** The store's window as it is at this moment, for code that runs outside a render. */
export const currentWindowRange = (reference: number) =>
  sharedRange(useView.getState().window, reference);

export function useWindowRange(): Range {
  const window = useView((s) => s.window);
  const reference = useReference();
  return sharedRange(window, reference);
}

/**
 * The window as the panels show it: a change reaches them in a transition, after the map has
 * moved (the map follows the store directly, useMapLayers). Their renders are then interruptible
 * slices that never hold up a frame of scrubbing or playback.
 */
export function usePanelWindowRange(): Range {
  return usePanelWindowRanges().range;
}

/** The ranges the previous periods are, by the range of their window (compareRanges 'previous'). */
const previousOfRange = new WeakMap<Range, Range>();

/**
 * The panels' window and the period it is compared with: the months just before for whole
 * calendar months (June against May), the same days of the period before for one under way, and
 * the stretch of the same length just before for any other window (domain/time.ts
 * compareRanges), as the comparison of periods on the map has it.
 */
export function usePanelWindowRanges(): { range: Range; previous: Range } {
  const reference = useReference();
  const [window, setWindow] = useState(() => useView.getState().window);
  useEffect(() => {
    setWindow(useView.getState().window);
    return useView.subscribe((s, prev) => {
      if (s.window !== prev.window) startTransition(() => setWindow(s.window));
    });
  }, []);
  const range = sharedRange(window, reference);
  let previous = previousOfRange.get(range);
  if (!previous) {
    previous = compareRanges(window, reference, 'previous').base;
    previousOfRange.set(range, previous);
  }
  return { range, previous };
}

/**
 * Every incident of the last ten years, once, fetched at page load without waiting for anything
 * else (the data span from `system.health` only bounds what the timeline shows).
 */
/** Whether the signed-in user may be sent incident points (a display may be limited). */
export function useIncidentPointsAllowed(): boolean {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: Infinity });
  const layers = me.data?.layers;
  return !layers || layers.includes('heat') || layers.includes('points');
}

/**
 * The incident columns' query: every incident of the last ten years (to the end of tomorrow, UTC
 * days, so that the key stays the same all day). The page starts it before it knows who is
 * signed in (Gate, App.tsx); the map's hook then finds it on its way.
 */
export function incidentColumnsQuery(now = Date.now()) {
  const to = Math.ceil(now / DAY_MS) * DAY_MS + DAY_MS;
  const from = to - 3650 * DAY_MS;
  return {
    queryKey: [COLUMNS_KEY, from, to],
    queryFn: async ({ signal }: { signal?: AbortSignal }) => {
      // live changes that arrive while the span loads may be missing from it: applied on top
      // (applying one the span already holds changes nothing)
      const started = Date.now();
      const columns = await fetchIncidentColumns(from, to, signal);
      return applyIncidentChanges(columns, changesSince(started));
    },
    staleTime: 5 * 60_000,
  };
}

export function useIncidentColumns() {
  const allowed = useIncidentPointsAllowed();
  const [query] = useState(() => incidentColumnsQuery());
  return useQuery({ ...query, enabled: allowed });
}

/**
 * The incident columns as they are at this moment, for figures counted on them: the same data as
 * useIncidentColumns, but a change (a live incident applied) renders in the task that made it,
 * as a store change does, rather than at react-query's next batched notification, a task of
 * its own that a long frame of the map (a second on a slow machine) can hold up.
 */
export function useIncidentColumnsNow(): IncidentColumns | undefined {
  const qc = useQueryClient();
  const columns = useIncidentColumns();
  const [{ queryKey }] = useState(() => incidentColumnsQuery());
  const hash = hashKey(queryKey);
  const subscribe = useCallback(
    (changed: () => void) =>
      qc.getQueryCache().subscribe((e) => {
        if (e.query.queryHash === hash) changed();
      }),
    [qc, hash],
  );
  const now = useSyncExternalStore(subscribe, () => qc.getQueryData<IncidentColumns>(queryKey));
  // nothing while the query is off (a display not sent the incidents) or has not answered
  return columns.data && (now ?? columns.data);
}

export function useRegions() {
  const trpc = useTRPC();
  const district = useQuery({ ...trpc.regions.district.queryOptions(), staleTime: Infinity });
  const towns = useQuery({ ...trpc.regions.towns.queryOptions(), staleTime: Infinity });
  const communities = useQuery({ ...trpc.regions.communities.queryOptions(), staleTime: Infinity });
  return { district: district.data, towns: towns.data, communities: communities.data };
}

export type CommunityCollection = FeatureCollection<Geometry, CommunityProperties>;

/**
 * The queries of the layers' data fetched only while a layer that needs it is on (registry.ts
 * LAZY_DATA), but the hot spots, which follow the window (data/analysis.ts hotspotsQuery): for
 * the map's hook, and for whoever fetches ahead what a coming view will need (presenting).
 */
export function lazyDataQueries(trpc: ReturnType<typeof useTRPC>) {
  const opts = { staleTime: 5 * 60_000 };
  return {
    cameras: { ...trpc.cameras.list.queryOptions({}), ...opts },
    sites: { ...trpc.sites.list.queryOptions(), ...opts },
    circles: { ...trpc.circles.list.queryOptions(), ...opts },
    zones: { ...trpc.zones.list.queryOptions(), ...opts },
    posts: { ...trpc.posts.list.queryOptions(), ...opts },
    gaps: { ...trpc.coverage.gaps.queryOptions({ minAreaM2: 2000 }), ...opts },
    reach: { ...trpc.reach.isochrones.queryOptions({}), ...opts },
  };
}

/** The layers' data that is fetched only once a layer that needs it is on (registry.ts). */
export function useLayerData(on: Record<LazyData, boolean>) {
  const trpc = useTRPC();
  const q = lazyDataQueries(trpc);
  return {
    cameras: useQuery({ ...q.cameras, enabled: on.cameras }).data,
    sites: useQuery({ ...q.sites, enabled: on.sites }).data,
    circles: useQuery({ ...q.circles, enabled: on.circles }).data,
    zones: useQuery({ ...q.zones, enabled: on.zones }).data,
    posts: useQuery({ ...q.posts, enabled: on.posts }).data,
    gaps: useQuery({ ...q.gaps, enabled: on.gaps }).data,
    reach: useQuery({ ...q.reach, enabled: on.reach }).data,
  };
}
