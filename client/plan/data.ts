/**
 * The planning editor's server side: the saved zones and posts into the draft, live changes,
 * saving (one call per changed object, each with its version), the what-if figures for the
 * draft (debounced, the last answer kept while the next is computed) and the instant preview.
 */
import type { inferRouterInputs } from '@trpc/server';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FeatureCollection } from 'geojson';
import { useEffect, useMemo, useState } from 'react';
import { create } from 'zustand';
import { zoneSampleStats } from '../../geo/zoneSampleStats';
import { INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import type { AppRouter } from '../../server/router';
import { useIncidentColumns, usePanelWindowRange } from '../data/hooks';
import { covers, lowerBound } from '../data/incidentColumns';
import { onPlanEvent } from '../data/live';
import { useTRPC, useTRPCClient } from '../data/trpc';
import { isoRange } from '../state/timeWindow';
import { useView } from '../state/viewStore';
import {
  changes,
  effective,
  postKey,
  useDraft,
  zoneKey,
  type Area,
  type Change,
  type PostState,
  type PostStatus,
  type Saved,
  type Shift,
  type ZoneState,
} from './draft';

/** GeoJSON as the API's schema spells it (positions as tuples) */
type ApiArea = NonNullable<inferRouterInputs<AppRouter>['zones']['update']['geometry']>;
const api = (g: Area) => g as ApiArea;

interface ZoneProps {
  id: number;
  name: string;
  unit: string;
  shift: Shift;
  version: number;
  updatedAt?: string;
  updatedBy?: string;
}
interface PostProps {
  id: number;
  kind: string;
  name: string;
  status: PostStatus;
  version?: number;
}

/** Coordinates to 7 decimals (about 1 cm), as terra-draw keeps them: equal means unchanged. */
const r7 = (v: number) => Math.round(v * 1e7) / 1e7;
function roundArea(g: Area): Area {
  const ring = (r: number[][]) => r.map((p) => [r7(p[0]!), r7(p[1]!)]);
  // one part is a simple polygon, as the map edits it
  if (g.type === 'MultiPolygon' && g.coordinates.length === 1)
    return { type: 'Polygon', coordinates: g.coordinates[0]!.map(ring) };
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map(ring)) };
}

/** The server's lists as the draft's saved state (posts only: cars are not planned here). */
export function toSaved(zones: FeatureCollection, posts: FeatureCollection): Saved {
  const out: Saved = { zones: {}, posts: {} };
  for (const f of zones.features) {
    const p = f.properties as ZoneProps;
    out.zones[zoneKey(p.id)] = {
      kind: 'zone',
      key: zoneKey(p.id),
      id: p.id,
      version: p.version,
      geometry: roundArea(f.geometry as Area),
      name: p.name,
      unit: p.unit,
      shift: p.shift,
      updatedAt: p.updatedAt,
      updatedBy: p.updatedBy,
    };
  }
  for (const f of posts.features) {
    const p = f.properties as PostProps;
    if (p.kind !== 'post' || f.geometry.type !== 'Point') continue;
    out.posts[postKey(p.id)] = {
      kind: 'post',
      key: postKey(p.id),
      id: p.id,
      version: p.version ?? 1,
      position: [r7(f.geometry.coordinates[0]!), r7(f.geometry.coordinates[1]!)],
      name: p.name,
      status: p.status,
    };
  }
  return out;
}

/** While the editor is open: the saved lists into the draft, and live changes from others. */
export function usePlanData(active: boolean) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: Infinity }).data?.username;
  const zones = useQuery({ ...trpc.zones.list.queryOptions(), enabled: active, staleTime: 0 });
  const posts = useQuery({ ...trpc.posts.list.queryOptions(), enabled: active, staleTime: 0 });
  useEffect(() => {
    if (active && zones.data && posts.data)
      useDraft
        .getState()
        .loadSaved(toSaved(zones.data as FeatureCollection, posts.data as FeatureCollection));
  }, [active, zones.data, posts.data]);

  // saved changes from the page's live stream (data/live.ts)
  useEffect(() => {
    if (!active) return;
    return onPlanEvent((e) => {
      if (e.kind === 'zone') void qc.invalidateQueries({ queryKey: trpc.zones.list.queryKey() });
      if (e.kind === 'post') void qc.invalidateQueries({ queryKey: trpc.posts.list.queryKey() });
      // someone else's save is worth a line; our own is not news
      if (e.by !== me) usePlanUi.getState().noteLive(e);
    });
  }, [active, qc, trpc, me]);
}

export interface LiveEvent {
  kind: 'zone' | 'post';
  action: string;
  id: number;
  version: number;
  by: string;
  at: string;
}

export interface SaveProblem {
  key: string;
  op: Change['op'];
  /**
   * 'conflict': saved by someone else since; 'gone': deleted meanwhile; 'unit': a zone with no
   * unit (not sent); 'error': refused, with the server's reason
   */
  kind: 'conflict' | 'gone' | 'unit' | 'error';
  message: string;
}

interface PlanUi {
  saving: boolean;
  problems: SaveProblem[];
  lastSaved: { at: number; count: number } | null;
  lastLive: LiveEvent | null;
  setSaving(b: boolean): void;
  setResult(problems: SaveProblem[], count: number): void;
  resolve(key: string): void;
  noteLive(e: LiveEvent): void;
}

export const usePlanUi = create<PlanUi>()((set) => ({
  saving: false,
  problems: [],
  lastSaved: null,
  lastLive: null,
  setSaving: (saving) => set({ saving }),
  setResult: (problems, count) =>
    set({ problems, lastSaved: count ? { at: Date.now(), count } : null }),
  resolve: (key) => set((s) => ({ problems: s.problems.filter((p) => p.key !== key) })),
  noteLive: (lastLive) => set({ lastLive }),
}));

const codeOf = (e: unknown) => (e as { data?: { code?: string } }).data?.code;

/** Saves every change, or only those of `only`; returns when the saved lists are reloaded. */
export function useSave() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const qc = useQueryClient();
  return async (only?: string[]) => {
    const ui = usePlanUi.getState();
    if (ui.saving) return;
    ui.setSaving(true);
    const list = changes(useDraft.getState()).filter((c) => !only || only.includes(c.obj.key));
    const done: string[] = [];
    const created: Record<string, string> = {};
    const problems: SaveProblem[] = ui.problems.filter(
      (p) => only && !only.includes(p.key) && useDraft.getState().edits[p.key],
    );
    // one after another: one refusal does not stop the rest, and each result is kept
    for (const c of list) {
      const o = c.obj;
      if (o.kind === 'zone' && c.op !== 'delete' && !o.unit.trim()) {
        problems.push({ key: o.key, op: c.op, kind: 'unit', message: '' });
        continue;
      }
      try {
        if (o.kind === 'zone') {
          if (c.op === 'create') {
            const r = await client.zones.create.mutate({
              geometry: api(o.geometry),
              name: o.name,
              unit: o.unit,
              shift: o.shift,
            });
            created[o.key] = zoneKey(r.id);
          } else if (c.op === 'update')
            await client.zones.update.mutate({
              id: o.id!,
              version: o.version!,
              geometry: api(o.geometry),
              name: o.name,
              unit: o.unit || undefined,
              shift: o.shift,
            });
          else await client.zones.delete.mutate({ id: o.id!, version: o.version! });
        } else {
          if (c.op === 'create') {
            const r = await client.posts.create.mutate({
              position: o.position,
              name: o.name,
              status: o.status,
            });
            created[o.key] = postKey(r.id);
          } else if (c.op === 'update')
            await client.posts.update.mutate({
              id: o.id!,
              version: o.version!,
              position: o.position,
              name: o.name,
              status: o.status,
            });
          else await client.posts.delete.mutate({ id: o.id!, version: o.version! });
        }
        done.push(o.key);
      } catch (e) {
        const code = codeOf(e);
        problems.push({
          key: o.key,
          op: c.op,
          kind: code === 'CONFLICT' ? 'conflict' : code === 'NOT_FOUND' ? 'gone' : 'error',
          message: (e as Error).message,
        });
      }
    }
    try {
      // the saved state as it now is, ours and anyone else's
      const [zones, posts] = await Promise.all([
        qc.fetchQuery({ ...trpc.zones.list.queryOptions(), staleTime: 0 }),
        qc.fetchQuery({ ...trpc.posts.list.queryOptions(), staleTime: 0 }),
      ]);
      const d = useDraft.getState();
      d.loadSaved(toSaved(zones as FeatureCollection, posts as FeatureCollection), done);
      if (d.selected && created[d.selected]) d.select(created[d.selected]!);
    } finally {
      const u = usePlanUi.getState();
      u.setResult(problems, done.length);
      u.setSaving(false);
    }
  };
}

/** A value that follows `value` once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** The draft as it stands, recomputed when the saved state or the edits change. */
export function useEffective() {
  const saved = useDraft((s) => s.saved);
  const edits = useDraft((s) => s.edits);
  return useMemo(() => effective({ saved, edits }), [saved, edits]);
}

/** plan.evaluate for the draft over the desk's window, 150 ms after the draft stops changing. */
export function useEvaluate(enabled: boolean) {
  const trpc = useTRPC();
  const eff = useEffective();
  const range = usePanelWindowRange();
  // nothing to evaluate while the editor is closed: no new input (and no render 150 ms later)
  // at every window change
  const input = useMemo(
    () =>
      enabled
        ? {
            zones: eff.zones.map((z) => ({
              ...(z.id ? { id: z.id } : {}),
              geometry: api(z.geometry),
              shift: z.shift,
            })),
            posts: eff.posts.map((p) => ({ ...(p.id ? { id: p.id } : {}), position: p.position })),
            ...isoRange(range),
          }
        : null,
    [enabled, eff, range],
  );
  const debounced = useDebounced(input, 150);
  return useQuery({
    ...trpc.plan.evaluate.queryOptions(debounced ?? {}),
    enabled: enabled && debounced !== null,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

/**
 * The instant preview: the share of the window's incidents (in the chosen categories) inside the
 * draft zones, counted here over the incident columns already loaded.
 */
export function usePreviewShare(zones: ZoneState[]): { inside: number; total: number } | null {
  const columns = useIncidentColumns().data;
  const range = usePanelWindowRange();
  const categories = useView((s) => s.categories);
  // the window's points, gathered once per window (a drag only changes the zones)
  const points = useMemo(() => {
    // a window the columns do not hold (drawn from cells): no instant preview
    if (!columns || !covers(columns, range)) return null;
    const mask = categories.length
      ? categories.reduce((m, c) => m | (1 << INCIDENT_CATEGORIES.indexOf(c)), 0)
      : 0xff;
    const first = lowerBound(columns, range.from);
    const last = lowerBound(columns, range.to);
    const lon: number[] = [];
    const lat: number[] = [];
    for (let i = first; i < last; i++) {
      if (!(mask & (1 << columns.category[i]!))) continue;
      lon.push(columns.positions[2 * i]!);
      lat.push(columns.positions[2 * i + 1]!);
    }
    return { lon, lat };
  }, [columns, range, categories]);
  return useMemo(() => {
    if (!points) return null;
    const r = zoneSampleStats(
      points,
      zones.map((z) => z.geometry),
    );
    return { inside: r.inside, total: r.total };
  }, [points, zones]);
}

export type { PostState, ZoneState };
