/** Data the views share, fetched once and cached by react-query. */
import { useQuery } from '@tanstack/react-query';
import type { FeatureCollection, Geometry } from 'geojson';
import { startTransition, useEffect, useMemo, useState } from 'react';
import type { Basemap } from '../../server/basemap';
import type { CommunityProperties } from '../../server/services/regions';
import type { LazyData } from '../layers/registry';
import { DAY_MS, resolveWindow, type Range, type TimeWindow } from '../../domain/time';
import { useView } from '../state/viewStore';
import { applyIncidentChanges, fetchIncidentColumns } from './incidentColumns';
import { changesSince, COLUMNS_KEY } from './live';
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
 * "Now" for the presets: the end of the latest data when that is earlier than the clock
 * (demo data anchored in the past), otherwise the clock.
 */
export function useReference(): number {
  const health = useHealth();
  const minute = useMinute();
  const end = health.data?.data.end ? Date.parse(health.data.data.end) : Number.POSITIVE_INFINITY;
  return Math.min(minute, end);
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

/**
 * The window's instants. A dozen components ask at every window change, and resolving one takes
 * time-zone arithmetic, so the last few resolutions are shared: one object per window for all.
 */
const resolved: { window: TimeWindow; reference: number; range: Range }[] = [];
export function sharedRange(window: TimeWindow, reference: number): Range {
  let hit = resolved.find((r) => r.window === window && r.reference === reference);
  if (!hit) {
    hit = { window, reference, range: resolveWindow(window, reference) };
    resolved.unshift(hit);
    resolved.length = Math.min(resolved.length, 4);
  }
  return hit.range;
}

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
  const reference = useReference();
  const [window, setWindow] = useState(() => useView.getState().window);
  useEffect(() => {
    setWindow(useView.getState().window);
    return useView.subscribe((s, prev) => {
      if (s.window !== prev.window) startTransition(() => setWindow(s.window));
    });
  }, []);
  return sharedRange(window, reference);
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
      return applyIncidentChanges(columns, changesSince(started), to);
    },
    staleTime: 5 * 60_000,
  };
}

export function useIncidentColumns() {
  const allowed = useIncidentPointsAllowed();
  const [query] = useState(() => incidentColumnsQuery());
  return useQuery({ ...query, enabled: allowed });
}

export function useRegions() {
  const trpc = useTRPC();
  const district = useQuery({ ...trpc.regions.district.queryOptions(), staleTime: Infinity });
  const towns = useQuery({ ...trpc.regions.towns.queryOptions(), staleTime: Infinity });
  const communities = useQuery({ ...trpc.regions.communities.queryOptions(), staleTime: Infinity });
  return { district: district.data, towns: towns.data, communities: communities.data };
}

export type CommunityCollection = FeatureCollection<Geometry, CommunityProperties>;

/** The layers' data that is fetched only once a layer that needs it is on (registry.ts). */
export function useLayerData(on: Record<LazyData, boolean>) {
  const trpc = useTRPC();
  const opts = { staleTime: 5 * 60_000 };
  return {
    cameras: useQuery({ ...trpc.cameras.list.queryOptions({}), ...opts, enabled: on.cameras }).data,
    sites: useQuery({ ...trpc.sites.list.queryOptions(), ...opts, enabled: on.sites }).data,
    circles: useQuery({ ...trpc.circles.list.queryOptions(), ...opts, enabled: on.circles }).data,
    zones: useQuery({ ...trpc.zones.list.queryOptions(), ...opts, enabled: on.zones }).data,
    posts: useQuery({ ...trpc.posts.list.queryOptions(), ...opts, enabled: on.posts }).data,
    gaps: useQuery({
      ...trpc.coverage.gaps.queryOptions({ minAreaM2: 2000 }),
      ...opts,
      enabled: on.gaps,
    }).data,
    reach: useQuery({ ...trpc.reach.isochrones.queryOptions({}), ...opts, enabled: on.reach })
      .data,
  };
}
