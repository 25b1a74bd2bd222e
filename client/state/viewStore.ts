/**
 * The one store of the view. Components subscribe to the slices they need; the URL follows the
 * store (replaceState, debounced) so that a copied link opens the same view.
 */
import { create } from 'zustand';
import type { IncidentCategory } from '../../domain/vocabulary';
import {
  searchToView,
  viewToSearch,
  type Camera,
  type Comparison,
  type Lang,
  type LayerId,
  type Mode,
  type Panel,
  type RankPeriod,
  type View,
} from './view';
import type { TimeWindow } from '../../domain/time';

export interface ViewActions {
  setCamera(c: Camera): void;
  toggleLayer(id: LayerId, on?: boolean): void;
  setOpacity(id: LayerId, opacity: number): void;
  setWindow(w: TimeWindow): void;
  setCategories(c: IncidentCategory[]): void;
  selectCommunity(id: number | null): void;
  selectIncident(id: number | null): void;
  setLang(l: Lang): void;
  setPanel(p: Panel): void;
  setRankPeriod(p: RankPeriod): void;
  setRankToDate(on: boolean): void;
  /** sets this period against another (null: no comparison) */
  setComparison(c: Comparison | null): void;
  replace(v: View): void;
}

export type ViewStore = View & ViewActions;

export function createViewStore(initial: View) {
  return create<ViewStore>()((set) => ({
    ...initial,
    setCamera: (camera) => set({ camera }),
    toggleLayer: (id, on) =>
      set((s) => ({
        layers: { ...s.layers, [id]: { ...s.layers[id], on: on ?? !s.layers[id].on } },
      })),
    setOpacity: (id, opacity) =>
      set((s) => ({
        layers: {
          ...s.layers,
          [id]: { ...s.layers[id], opacity: Math.min(1, Math.max(0, opacity)) },
        },
      })),
    setWindow: (window) => set({ window }),
    setCategories: (categories) => set({ categories }),
    selectCommunity: (communityId) => set({ communityId, incidentId: null }),
    selectIncident: (incidentId) => set({ incidentId }),
    setLang: (lang) => set({ lang }),
    setPanel: (panel) => set({ panel }),
    setRankPeriod: (rankPeriod) => set({ rankPeriod }),
    setRankToDate: (rankToDate) => set({ rankToDate }),
    setComparison: (comparison) => set({ comparison }),
    replace: (v) => set(v),
  }));
}

export function viewOf(s: ViewStore): View {
  return {
    camera: s.camera,
    layers: s.layers,
    window: s.window,
    categories: s.categories,
    communityId: s.communityId,
    incidentId: s.incidentId,
    mode: s.mode,
    lang: s.lang,
    panel: s.panel,
    rankPeriod: s.rankPeriod,
    rankToDate: s.rankToDate,
    comparison: s.comparison,
  };
}

export function modeOfPath(path: string): Mode {
  const p = path.replace(/\/+$/, '');
  if (/^\/briefing\/[^/]+\/print$/.test(p)) return 'print';
  if (briefingRoute(p)) return 'briefing';
  return p.endsWith('/wall') ? 'wall' : p.endsWith('/admin') ? 'admin' : 'desk';
}

/** Which page of the briefings a path is: the list, one briefing, presenting it, or its notes. */
export type BriefingRoute = { page: 'list' } | { page: 'slides' | 'present' | 'notes'; id: number };

/** The briefings' page of a path (`/briefings`, `/briefing/<id>[/present|/notes]`), else null. */
export function briefingRoute(path: string): BriefingRoute | null {
  const p = path.replace(/\/+$/, '');
  if (/\/briefings$/.test(p)) return { page: 'list' };
  const m = /\/briefing\/(\d{1,9})(?:\/(present|notes))?$/.exec(p);
  if (!m) return null;
  const page = (m[2] ?? 'slides') as 'slides' | 'present' | 'notes';
  return { page, id: Number(m[1]) };
}

/**
 * What the address bar carries of a view: the whole view on the desk and the wall, only the
 * language on the briefings' pages (their path says what they show; a slide's view put into
 * the store to present it is no desk link).
 */
export function searchOf(v: View): string {
  if (v.mode !== 'briefing') return viewToSearch(v);
  return v.lang === 'zh' ? '' : 'lang=en';
}

/**
 * The address's query as the page was opened, before the address bar starts to follow the view
 * (syncUrl rewrites it): what pages loaded later read their own settings from (the wall's
 * `rotate=`, `refresh=`).
 */
export const OPENED_SEARCH = typeof window === 'undefined' ? '' : window.location.search;

/** The app's store, read from the URL at load. */
export const useView = createViewStore(
  typeof window === 'undefined'
    ? searchToView('')
    : searchToView(window.location.search, modeOfPath(window.location.pathname)),
);

if (typeof window !== 'undefined') {
  // a handle for benchmarks and tests that drive the view directly
  const w = window as unknown as { __pingan?: object };
  w.__pingan = { ...w.__pingan, view: useView };
}

/** Keeps the address bar in step with the store. */
export function syncUrl(store = useView) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    const search = searchOf(viewOf(store.getState()));
    if (window.location.search.slice(1) !== search)
      window.history.replaceState(
        null,
        '',
        `${window.location.pathname}${search ? `?${search}` : ''}`,
      );
  };
  write();
  const unsub = store.subscribe(() => {
    clearTimeout(timer);
    timer = setTimeout(write, 150);
  });
  const onPop = () => {
    // the briefings' pages keep their own view (a slide's) when the history moves
    if (store.getState().mode === 'briefing') return;
    store.getState().replace(searchToView(window.location.search, store.getState().mode));
  };
  window.addEventListener('popstate', onPop);
  return () => {
    unsub();
    window.removeEventListener('popstate', onPop);
  };
}
