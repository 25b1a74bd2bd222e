/** Data the views share, fetched once and cached by react-query. */
import {
  hashKey,
  keepPreviousData,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
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
import type { IncidentCells } from '../../server/services/incidentCells';
import type { CommunityProperties } from '../../server/services/regions';
import type { LazyData } from '../layers/registry';
import { CELLS_MAX_ZOOM, pointsArea } from '../../domain/incidentLoad';
import { compareRanges, DAY_MS, type Range } from '../../domain/time';
import type { IncidentCategory } from '../../domain/vocabulary';
import { isoRange, presetReference, rangeCache } from '../state/timeWindow';
import { useView } from '../state/viewStore';
import {
  applyIncidentChanges,
  covers,
  emptyColumns,
  fetchIncidentColumns,
  type IncidentColumns,
} from './incidentColumns';
import { applyLoad, dayAligned, nextLoad, type LoadStep } from './incidentLoad';
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

/** Whether the signed-in user may be sent incident points (a display may be limited). */
export function useIncidentPointsAllowed(): boolean {
  const trpc = useTRPC();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: Infinity });
  const layers = me.data?.layers;
  return !layers || layers.includes('heat') || layers.includes('points');
}

type Trpc = ReturnType<typeof useTRPC>;

/** The one cache entry of the loaded incident columns (live changes apply to it, live.ts). */
export const LOADED_COLUMNS_KEY = [COLUMNS_KEY, 'loaded'] as const;

/**
 * The store's window as the page resolves it, outside a render: "now" from health's last answer
 * (useReference, less the live stream's latest incident), fetched first where none has come.
 */
async function windowNow(qc: QueryClient, trpc: Trpc): Promise<Range> {
  const health = await qc
    .fetchQuery({ ...trpc.system.health.queryOptions(), staleTime: 30_000 })
    .catch(() => null);
  return windowOf(health?.data.end);
}

function windowOf(dataEnd: string | null | undefined): Range {
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  return currentWindowRange(presetReference(minute, dataEnd ? Date.parse(dataEnd) : null));
}

/** The window's size (its whole days, every category): more than the points' limit or not. */
const windowSizeQuery = (trpc: Trpc, window: Range) => ({
  ...trpc.incidents.windowSize.queryOptions(isoRange(dayAligned(window))),
  staleTime: 5 * 60_000,
});

/**
 * One step of the loading plan (incidentLoad.ts) fetched: the incidents of its stretch, with the
 * live changes that arrived while they loaded applied on top (applying one they hold already
 * changes nothing).
 */
async function fetchStep(step: LoadStep, signal?: AbortSignal): Promise<IncidentColumns> {
  const started = Date.now();
  const columns = await fetchIncidentColumns(step.range.from, step.range.to, signal);
  return applyIncidentChanges(columns, changesSince(started));
}

/**
 * The incident columns' query: the incidents of the window shown (whole days), or none where it
 * holds more than POINT_WINDOW_MAX (it is drawn from cells then). The margin around it follows
 * in the background (followWindow). The page starts it before it knows who is signed in (Gate,
 * App.tsx); the map's hook then finds it on its way.
 */
export function incidentColumnsQuery(qc: QueryClient, trpc: Trpc) {
  return {
    queryKey: LOADED_COLUMNS_KEY,
    queryFn: async ({ signal }: { signal?: AbortSignal }) => {
      const window = await windowNow(qc, trpc);
      const size = await qc.fetchQuery(windowSizeQuery(trpc, window));
      const first = nextLoad(null, window)!;
      if (size.over) return emptyColumns({ from: first.range.from, to: first.range.from });
      return fetchStep(first, signal);
    },
    staleTime: 5 * 60_000,
  };
}

/**
 * Keeps the loaded columns following the store's window, outside any render (the map follows
 * the window without one): after each window change and each load, the next step of the plan
 * is fetched, one at a time, and merged into the columns; a window not within them is asked
 * its size first and left to the cells when over the limit. A step that failed or a window
 * over the limit is not asked again until the window changes.
 */
function followWindow(qc: QueryClient, trpc: Trpc) {
  let busy = false;
  let skip = '';
  const healthKey = trpc.system.health.queryKey();
  /** The plan's next step for the window now, unless none is wanted or it is to be skipped. */
  const pending = () => {
    const columns = qc.getQueryData<IncidentColumns>(LOADED_COLUMNS_KEY);
    if (!columns) return null;
    const health = qc.getQueryData<{ data: { end: string | null } }>(healthKey);
    const window = windowOf(health?.data.end);
    const step = nextLoad({ from: columns.origin, to: columns.end }, window);
    const key = step && JSON.stringify([step, dayAligned(window)]);
    return step && key !== skip ? { columns, window, step, key: key! } : null;
  };
  const check = () => {
    const next = busy ? null : pending();
    if (!next) return;
    const { columns, window, step, key } = next;
    busy = true;
    void (async () => {
      if (!covers(columns, dayAligned(window))) {
        const size = await qc.fetchQuery(windowSizeQuery(trpc, window));
        if (size.over) {
          skip = key;
          return;
        }
      }
      const chunk = await fetchStep(step);
      qc.setQueryData<IncidentColumns>(LOADED_COLUMNS_KEY, (cur) => {
        // fetched again meanwhile (reconciled): this chunk may no longer fit
        const apart = !cur || chunk.origin > cur.end || chunk.end < cur.origin;
        if (!step.replace && apart) return cur;
        return applyLoad(cur && cur.end > cur.origin ? cur : null, chunk, step, window);
      });
    })()
      .catch(() => {
        skip = key;
      })
      .finally(() => {
        busy = false;
        check();
      });
  };
  const unsubscribeView = useView.subscribe((s, prev) => {
    if (s.window !== prev.window) check();
  });
  // a load done, or the data's end moved (a window counted back from it moves with it)
  const watched = [hashKey(LOADED_COLUMNS_KEY), hashKey(healthKey)];
  const unsubscribeCache = qc.getQueryCache().subscribe((e) => {
    if (e.type === 'updated' && watched.includes(e.query.queryHash)) check();
  });
  check();
  if (typeof window !== 'undefined') {
    // for tests and benchmarks: whether what the window wants is loaded (or left to the cells)
    const w = window as unknown as { __pingan?: object };
    const settled = () =>
      !busy && qc.getQueryData(LOADED_COLUMNS_KEY) !== undefined && pending() === null;
    w.__pingan = { ...w.__pingan, incidents: { settled } };
  }
  return () => {
    unsubscribeView();
    unsubscribeCache();
  };
}

/** The page's one follower of the window per query client, while a hook that needs it is mounted. */
const followers = new WeakMap<QueryClient, { users: number; stop: () => void }>();

export function useIncidentColumns() {
  const allowed = useIncidentPointsAllowed();
  const qc = useQueryClient();
  const trpc = useTRPC();
  const [query] = useState(() => incidentColumnsQuery(qc, trpc));
  useEffect(() => {
    if (!allowed) return;
    let f = followers.get(qc);
    if (!f) followers.set(qc, (f = { users: 0, stop: followWindow(qc, trpc) }));
    f.users++;
    return () => {
      if (--f.users) return;
      f.stop();
      followers.delete(qc);
    };
  }, [qc, trpc, allowed]);
  return useQuery({ ...query, enabled: allowed });
}

/**
 * The window's incidents per cell at the map's zoom (the server's incidents.cells), while the
 * window is drawn from cells; the previous answer stays drawn while the next one comes. One
 * question at a time: while one is on its way, the window may move on (playback, scrubbing), and
 * only where it is once that answer is in is asked next.
 */
export function useIncidentCells(
  range: Range,
  categories: readonly IncidentCategory[],
  zoom: number,
  on: boolean,
) {
  const trpc = useTRPC();
  const input = {
    ...isoRange(range),
    ...(categories.length ? { categories: [...categories] } : {}),
    zoom: Math.max(0, Math.min(CELLS_MAX_ZOOM, Math.floor(zoom))),
  };
  const wanted = JSON.stringify(input);
  const [asked, setAsked] = useState(input);
  const askedKey = JSON.stringify(asked);
  const query = useQuery({
    ...trpc.incidents.cells.queryOptions(asked),
    enabled: on,
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  });
  const fetching = query.isFetching;
  useEffect(() => {
    if (askedKey !== wanted && (!on || !fetching)) setAsked(JSON.parse(wanted) as typeof input);
  }, [askedKey, wanted, on, fetching]);
  return query.data;
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
  const hash = hashKey(LOADED_COLUMNS_KEY);
  const subscribe = useCallback(
    (changed: () => void) =>
      qc.getQueryCache().subscribe((e) => {
        if (e.query.queryHash === hash) changed();
      }),
    [qc, hash],
  );
  const now = useSyncExternalStore(subscribe, () =>
    qc.getQueryData<IncidentColumns>(LOADED_COLUMNS_KEY),
  );
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

/**
 * The incidents as the map draws them for `range`: the loaded columns where they hold it; else
 * (a window over the points' limit, a fixed range of a comparison, a window whose incidents are
 * still on their way) the server's cells at the zoom's resolution, fetched while the heat is on,
 * and, where the points are wanted (zoomed in), the incidents of the area around the view
 * (`pointsArea`) as columns of their own.
 */
export function useIncidentMapData(
  range: Range,
  categories: readonly IncidentCategory[],
  zoom: number,
  heatOn: boolean,
  points?: { centre: { lon: number; lat: number }; on: boolean },
): {
  columns?: IncidentColumns;
  cells?: IncidentCells;
  /** the area's points, where they are wanted and the columns do not hold the range */
  areaPoints?: IncidentColumns;
} {
  const columns = useIncidentColumns().data;
  const cellsMode = Boolean(columns) && !covers(columns!, range);
  const cells = useIncidentCells(range, categories, zoom, cellsMode && heatOn);
  const area =
    cellsMode && points?.on
      ? pointsArea(points.centre, zoom, {
          width: typeof window === 'undefined' ? 1920 : window.innerWidth,
          height: typeof window === 'undefined' ? 1080 : window.innerHeight,
        })
      : null;
  const areaPoints = useQuery({
    queryKey: ['incident-area-points', range.from, range.to, area?.join(',') ?? ''],
    queryFn: ({ signal }) => fetchIncidentColumns(range.from, range.to, signal, area!),
    enabled: area !== null,
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  }).data;
  // while the area's first points are on their way: none (not the loaded columns' few)
  const wanted = area !== null;
  const none = useMemo(() => (wanted ? emptyColumns(range) : undefined), [wanted, range]);
  return {
    columns,
    cells: cellsMode ? cells : undefined,
    areaPoints: area ? (areaPoints ?? none) : undefined,
  };
}
