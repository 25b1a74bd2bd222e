/**
 * The page's one live stream (live.all: plan changes and incident events together; browsers
 * allow six HTTP/1.1 connections per origin, across tabs). The desk and the wall open it once;
 * it resumes from the last event it was sent when it reconnects. Plan changes go to whoever
 * listens (the planning editor); incident events go into the incident columns held by
 * react-query (no refetch of the span), and the figures the server computes from incidents are
 * asked again, at most once per INVALIDATE_MS, keeping what they showed until the answers come.
 */
import { useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { create } from 'zustand';
import type { LiveMessage } from '../../server/routers/live';
import type { IncidentItem } from '../../server/services/incidents';
import type { PlanEvent } from '../../server/services/planEvents';
import { applyIncidentChanges, type IncidentChange, type IncidentColumns } from './incidentColumns';
import { useTRPCClient } from './trpc';

type IncidentEvent = Extract<LiveMessage, { kind: 'incidents' }>['events'][number]['event'];

/** The most often the server's incident figures are asked again while incidents arrive. */
export const INVALIDATE_MS = 2_000;
/**
 * Incident events are applied to the columns at most once per APPLY_MS: an event after a quiet
 * spell at once (with the others of its task), those of a burst gathered until it has passed.
 */
const APPLY_MS = 16;
/** How long the stream waits before it opens again after an error, at first and at most. */
const RETRY_MS = [1_000, 30_000] as const;
/** The changes kept for a columns fetch that was under way when they arrived. */
const KEPT_CHANGES = 20_000;

/** The incident column queries' key prefix (hooks.ts incidentColumnsQuery). */
export const COLUMNS_KEY = 'incident-columns';

/** tRPC routers (and single procedures) whose answers count incidents. */
const INCIDENT_FIGURES = new Set(['incidents', 'rankings', 'plan.evaluate']);

/** What a new incident can change: the windows, categories and community it counts in. */
export interface Touch {
  /** epoch ms */
  time: number;
  category: string;
  subcategory: string;
  communityId: number | null;
}

/**
 * Whether a query's answer is made from incidents (a tRPC key starts with its path) and may
 * change with the new incidents `touched` (null: with any incident, as a removal may): a query
 * over a window [from, to), some categories or subcategories, or one community changes only with
 * incidents it counts.
 */
export function countsIncidents(key: QueryKey, touched: readonly Touch[] | null = null): boolean {
  const path = key[0];
  if (
    !Array.isArray(path) ||
    !(INCIDENT_FIGURES.has(String(path[0])) || INCIDENT_FIGURES.has(path.join('.')))
  )
    return false;
  if (!touched) return true;
  const input = (key[1] as { input?: Record<string, unknown> } | undefined)?.input ?? {};
  const from = typeof input.from === 'string' ? Date.parse(input.from) : -Infinity;
  const to = typeof input.to === 'string' ? Date.parse(input.to) : Infinity;
  const among = (list: unknown, v: unknown) => !Array.isArray(list) || list.includes(v);
  return touched.some(
    (t) =>
      t.time >= from &&
      t.time < to &&
      among(input.categories, t.category) &&
      among(input.subcategories, t.subcategory) &&
      (typeof input.communityId !== 'number' || input.communityId === t.communityId),
  );
}

/** What the incidents a batch of events creates can change, or null if it does more. */
export function touchedBy(events: readonly IncidentEvent[]): Touch[] | null {
  const out: Touch[] = [];
  for (const e of events) {
    // an update or a removal may also change what the incident counted in before
    if (e.action !== 'created' || !e.incident) return null;
    const { time, category, subcategory, communityId } = e.incident;
    out.push({ time: Date.parse(time), category, subcategory, communityId });
  }
  return out;
}

/** An incident event as the columns take it. */
export function toChange(e: IncidentEvent): IncidentChange {
  return { id: e.id, incident: e.action === 'removed' ? null : e.incident };
}

/** An incident as a list shows it. */
export type LiveIncident = Pick<
  IncidentItem,
  'id' | 'time' | 'category' | 'subcategory' | 'communityName' | 'lon' | 'lat'
>;

/** The live incidents a list keeps, newest first. */
const RECENT = 50;

/** What the page has been sent since it opened. */
interface LiveState {
  /** incidents created in the district since the page opened, less those cancelled since */
  fresh: number[];
  /** the latest state of incidents created or updated since, newest first (at most RECENT) */
  recent: LiveIncident[];
  /** incidents removed (cancelled, or placed outside the district) since the page opened */
  removed: number[];
  /** when each incident of `fresh` arrived (ms): lists and the map mark it for a moment */
  arrived: Record<number, number>;
}
export const useLive = create<LiveState>()(() => ({
  fresh: [],
  recent: [],
  removed: [],
  arrived: {},
}));

/** The state with incident event `e` taken in. */
export function noteIncident(s: LiveState, e: IncidentEvent, now: number): LiveState {
  const inc = e.action === 'removed' ? null : e.incident;
  const others = s.recent.filter((r) => r.id !== e.id);
  if (!inc || inc.outside)
    return {
      fresh: s.fresh.filter((id) => id !== e.id),
      recent: others,
      removed: s.removed.includes(e.id) ? s.removed : [...s.removed.slice(-999), e.id],
      arrived: s.arrived,
    };
  const isNew = e.action === 'created' && !s.fresh.includes(e.id);
  return {
    fresh: isNew ? [...s.fresh, e.id] : s.fresh,
    recent: [inc, ...others].sort((a, b) => Date.parse(b.time) - Date.parse(a.time)).slice(0, RECENT),
    removed: s.removed.filter((id) => id !== e.id),
    arrived: isNew ? { ...s.arrived, [e.id]: now } : s.arrived,
  };
}

/**
 * The newest `limit` incidents of a list the server answered and those the stream has sent
 * since, newest first: each once, in its latest state, without those removed since.
 */
export function mergeLatest<T extends LiveIncident>(
  listed: readonly T[],
  live: readonly LiveIncident[],
  removed: readonly number[],
  limit: number,
): (T | LiveIncident)[] {
  const gone = new Set(removed);
  const byId = new Map<number, T | LiveIncident>();
  for (const i of listed) if (!gone.has(i.id)) byId.set(i.id, i);
  for (const i of live) if (!gone.has(i.id)) byId.set(i.id, { ...byId.get(i.id), ...i });
  return [...byId.values()]
    .sort((a, b) => Date.parse(b.time) - Date.parse(a.time) || b.id - a.id)
    .slice(0, limit);
}

const planListeners = new Set<(e: PlanEvent) => void>();

/** Calls `fn` with each plan change the page's stream is sent; returns the unsubscribe. */
export function onPlanEvent(fn: (e: PlanEvent) => void): () => void {
  planListeners.add(fn);
  return () => planListeners.delete(fn);
}

/** The incident changes received, in order, each with the time it arrived (ms). */
const received: { at: number; change: IncidentChange }[] = [];

/** The changes received since `at` (ms): a columns fetch started then may not hold them. */
export function changesSince(at: number): IncidentChange[] {
  let i = received.length;
  while (i > 0 && received[i - 1]!.at >= at) i--;
  return received.slice(i).map((r) => r.change);
}

/** When the stream last sent an incident change (ms), -Infinity before any. */
export function lastChangeAt(): number {
  return received.at(-1)?.at ?? Number.NEGATIVE_INFINITY;
}

/**
 * How long the stream must have been quiet before a server's answer for the answer and the
 * columns to be comparable: longer than any request takes (the database's deadline is 30 s).
 */
export const SETTLED_MS = 60_000;
/** The columns are fetched again to reconcile them at most this often (ms). */
export const RECONCILE_MS = 10 * 60_000;

/**
 * Whether a figure counted on the columns (`local`) and the server's count of the same incidents
 * (`server`, answered at `answeredAt`) disagree in a way that says the columns missed a change
 * (an incident stored while they loaded, before the stream was open; data stored without the
 * feeds): they differ although no change has come since well before the server's request, and
 * the columns have not been fetched again for this lately.
 */
export function columnsMissedChanges(f: {
  local: number | null;
  server: number | undefined;
  answeredAt: number;
  lastChange: number;
  lastReconciled: number;
  now: number;
}): boolean {
  if (f.local === null || f.server === undefined || f.local === f.server) return false;
  return f.lastChange < f.answeredAt - SETTLED_MS && f.now - f.lastReconciled >= RECONCILE_MS;
}

/** Every cached copy of the incident columns with `changes` applied. */
export function applyToColumnQueries(qc: QueryClient, changes: readonly IncidentChange[]) {
  for (const [key, data] of qc.getQueriesData<IncidentColumns>({ queryKey: [COLUMNS_KEY] })) {
    if (!data) continue;
    const next = applyIncidentChanges(data, changes);
    if (next !== data) qc.setQueryData(key, next);
  }
}

/**
 * A function that runs `fn` at once, then at most once per `ms` while it keeps being called
 * (the last call is never lost: it runs when the period ends).
 */
export function throttle(fn: () => void, ms: number) {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    timer = null;
    last = Date.now();
    fn();
  };
  const call = () => {
    if (timer) return;
    const wait = last + ms - Date.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
  call.cancel = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return call;
}

/** Opens the page's live stream while `enabled` (once per page: the desk's or the wall's root). */
export function useLiveStream(enabled = true) {
  const client = useTRPCClient();
  const qc = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let lastEventId: string | undefined;
    let sub: { unsubscribe(): void } | null = null;
    let retry: ReturnType<typeof setTimeout> | null = null;
    let wait: number = RETRY_MS[0];
    let applyTimer: ReturnType<typeof setTimeout> | null = null;
    let applyScheduled = false;
    let appliedAt = -Infinity;

    // what the figures have not been asked again for yet (null: anything)
    let dirty: Touch[] | null = [];
    const refresh = throttle(() => {
      const touched = dirty;
      dirty = [];
      void qc.invalidateQueries({ predicate: (q) => countsIncidents(q.queryKey, touched) });
    }, INVALIDATE_MS);
    let pending: IncidentEvent[] = [];
    const apply = () => {
      applyTimer = null;
      applyScheduled = false;
      if (stopped) return;
      appliedAt = Date.now();
      const events = pending;
      pending = [];
      const touched = touchedBy(events);
      dirty = dirty && touched && [...dirty, ...touched];
      // the columns first: the figures counted on them (kpis.ts) follow at once; the server's
      // figures are asked for after, in a task of their own
      applyToColumnQueries(qc, events.map(toChange));
      setTimeout(refresh, 0);
    };
    const onIncident = (e: IncidentEvent) => {
      received.push({ at: Date.now(), change: toChange(e) });
      if (received.length > KEPT_CHANGES) received.splice(0, received.length - KEPT_CHANGES);
      pending.push(e);
      useLive.setState((st) => noteIncident(st, e, Date.now()), true);
      if (applyScheduled) return;
      applyScheduled = true;
      const wait = appliedAt + APPLY_MS - Date.now();
      if (wait <= 0) queueMicrotask(apply);
      else applyTimer = setTimeout(apply, wait);
    };

    const open = () => {
      retry = null;
      sub = client.live.all.subscribe(lastEventId ? { lastEventId } : {}, {
        onData: ({ id, data }) => {
          lastEventId = id;
          wait = RETRY_MS[0];
          if (data.kind === 'plan') for (const fn of planListeners) fn(data.event);
          // the events read together on the server, in order; the message's id is the last one's
          else for (const { event } of data.events) onIncident(event);
        },
        onError: (err) => {
          sub?.unsubscribe();
          // a display whose layers carry neither kind is refused the stream: asking again won't help
          if (stopped || (err.data as { code?: string } | undefined)?.code === 'FORBIDDEN') return;
          // opened again from where it stood: nothing missed, nothing twice
          retry = setTimeout(open, wait);
          wait = Math.min(wait * 2, RETRY_MS[1]);
        },
      });
    };
    open();
    return () => {
      stopped = true;
      sub?.unsubscribe();
      if (retry) clearTimeout(retry);
      if (applyTimer) clearTimeout(applyTimer);
      refresh.cancel();
    };
  }, [enabled, client, qc]);
}

/** How long an incident just in stands out (the wall's list, the map). */
export const HIGHLIGHT_MS = 8_000;

/** The incidents that arrived less than HIGHLIGHT_MS ago, as the stream sent them. */
export function useJustIn(): LiveIncident[] {
  const recent = useLive((s) => s.recent);
  const arrived = useLive((s) => s.arrived);
  const [now, setNow] = useState(() => Date.now());
  const current = useMemo(
    () => recent.filter((i) => now - (arrived[i.id] ?? -Infinity) < HIGHLIGHT_MS),
    [recent, arrived, now],
  );
  const next = Math.min(...current.map((i) => arrived[i.id]! + HIGHLIGHT_MS));
  useEffect(() => {
    // a new arrival renders this anew; then once more when the oldest of them stops standing out
    setNow(Date.now());
  }, [arrived]);
  useEffect(() => {
    if (!Number.isFinite(next)) return;
    const t = setTimeout(() => setNow(Date.now()), Math.max(0, next - Date.now()) + 10);
    return () => clearTimeout(t);
  }, [next]);
  return current;
}
