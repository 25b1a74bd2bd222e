/**
 * The view: where the map looks, which layers are on, the time window, the filters, the selection
 * and the mode. Pure data and pure functions here; the store (viewStore.ts) holds one of these.
 */
import {
  COMPARE_AGAINST,
  COMPARE_MODES,
  type CompareAgainst,
  type CompareMode,
} from '../../domain/briefing';
import { MAP_LAYERS } from '../../domain/layers';
import { PERIODS, PRESETS, type Period, type Preset, type TimeWindow } from '../../domain/time';
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../domain/vocabulary';
import { DEFAULT_LAYERS, type LayerId, type LayerState } from '../layers/registry';

/** The map's layers (domain/layers.ts; how each is drawn: client/layers/registry.ts). */
export const LAYER_IDS = MAP_LAYERS;
export type { LayerId, LayerState };
export { DEFAULT_LAYERS };

/**
 * The desk (`/`), the wall display (`/wall`), the administration pages (`/admin`), the leaders'
 * briefings (`/briefings`, `/briefing/<id>` and its `/present` and `/notes`) or a briefing's
 * print view (`/briefing/<id>/print`).
 */
export type Mode = 'desk' | 'wall' | 'admin' | 'briefing' | 'print';

/** What the desk's right-hand panel shows. */
export const PANELS = ['kpi', 'rankings', 'analysis', 'plan'] as const;
export type Panel = (typeof PANELS)[number];

/** The red/black list's period: a calendar period of domain/time.ts. */
export const RANK_PERIODS = PERIODS;
export type RankPeriod = Period;
export type Lang = 'zh' | 'en';

/** This period set against another, and how the two are shown (domain/briefing.ts). */
export interface Comparison {
  against: CompareAgainst;
  mode: CompareMode;
}

export interface Camera {
  lon: number;
  lat: number;
  zoom: number;
}

export interface View {
  camera: Camera;
  layers: Record<LayerId, LayerState>;
  window: TimeWindow;
  /** empty = every category */
  categories: IncidentCategory[];
  communityId: number | null;
  incidentId: number | null;
  mode: Mode;
  lang: Lang;
  panel: Panel;
  rankPeriod: RankPeriod;
  /** the red/black list shows the period in progress so far (else the last complete one) */
  rankToDate: boolean;
  /** the window set against the previous period or last year's; null: no comparison */
  comparison: Comparison | null;
}

export const DEFAULT_CAMERA: Camera = { lon: 101.7, lat: 36.69, zoom: 11.2 };

export function defaultView(mode: Mode = 'desk'): View {
  return {
    camera: { ...DEFAULT_CAMERA },
    layers: structuredClone(DEFAULT_LAYERS),
    window: { preset: '30d' },
    categories: [],
    communityId: null,
    incidentId: null,
    mode,
    lang: 'zh',
    panel: 'kpi',
    rankPeriod: 'month',
    rankToDate: false,
    comparison: null,
  };
}

// --- URL ------------------------------------------------------------------------------------
// ?at=lon,lat,zoom&layers=heat,communities,…&op=heat:60,cameras:40&w=30d|2026-06-01..2026-07-01
//   &cat=traffic,fire&community=12&incident=345&lang=en&panel=rankings&rank=quarter&todate=1
//   &cmp=previous:split ;
//   the mode is the path (/, /wall or /admin).
// `layers` lists the layers that are on; `op` the opacities that differ from the defaults.

const round = (v: number, d: number) => Number(v.toFixed(d));

/** A real calendar date as YYYY-MM-DD (not 2026-02-30). */
function isDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** A number written out in full: '' and ' ' are not 0. */
function num(s: string | undefined): number | null {
  if (s === undefined || s.trim() === '') return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

/** Only what differs from the defaults goes into the URL, so links stay short. */
export function viewToSearch(v: View): string {
  const p = new URLSearchParams();
  const c = v.camera;
  p.set('at', `${round(c.lon, 5)},${round(c.lat, 5)},${round(c.zoom, 2)}`);
  p.set('layers', LAYER_IDS.filter((id) => v.layers[id].on).join(','));
  const op = LAYER_IDS.filter(
    (id) => Math.round(v.layers[id].opacity * 100) !== Math.round(DEFAULT_LAYERS[id].opacity * 100),
  ).map((id) => `${id}:${Math.round(v.layers[id].opacity * 100)}`);
  if (op.length) p.set('op', op.join(','));
  p.set('w', 'preset' in v.window ? v.window.preset : `${v.window.from}..${v.window.to}`);
  if (v.categories.length) p.set('cat', v.categories.join(','));
  if (v.communityId !== null) p.set('community', String(v.communityId));
  if (v.incidentId !== null) p.set('incident', String(v.incidentId));
  if (v.lang !== 'zh') p.set('lang', v.lang);
  if (v.panel !== 'kpi') p.set('panel', v.panel);
  if (v.rankPeriod !== 'month') p.set('rank', v.rankPeriod);
  if (v.rankToDate) p.set('todate', '1');
  if (v.comparison) p.set('cmp', `${v.comparison.against}:${v.comparison.mode}`);
  return p.toString();
}

/** The camera a URL's search string gives (`at=lon,lat,zoom`), or null when it gives none. */
export function cameraOfSearch(search: string): Camera | null {
  const at = new URLSearchParams(search).get('at')?.split(',').map(num);
  if (!at || at.length !== 3 || !at.every((x) => x !== null)) return null;
  const [lon, lat, zoom] = at as [number, number, number];
  return Math.abs(lon) <= 180 && Math.abs(lat) <= 85 && zoom >= 0 && zoom <= 22
    ? { lon, lat, zoom }
    : null;
}

/** Reads a view from a URL's search string; anything missing or malformed keeps its default. */
export function searchToView(search: string, mode: Mode = 'desk'): View {
  const v = defaultView(mode);
  const p = new URLSearchParams(search);
  v.camera = cameraOfSearch(search) ?? v.camera;
  const isLayer = (id: string | undefined): id is LayerId =>
    (LAYER_IDS as readonly string[]).includes(id ?? '');
  const layers = p.get('layers');
  if (layers !== null) {
    for (const id of LAYER_IDS) v.layers[id].on = false;
    for (const part of layers.split(',')) {
      // `heat:60` (an older form of the link) carries an opacity too
      const [id, o] = part.split(':');
      if (!isLayer(id)) continue;
      v.layers[id].on = true;
      const opacity = num(o);
      if (opacity !== null && opacity >= 0 && opacity <= 100) v.layers[id].opacity = opacity / 100;
    }
  }
  for (const part of p.get('op')?.split(',') ?? []) {
    const [id, o] = part.split(':');
    const opacity = num(o);
    if (isLayer(id) && opacity !== null && opacity >= 0 && opacity <= 100)
      v.layers[id].opacity = opacity / 100;
  }
  const w = p.get('w');
  if (w && (PRESETS as readonly string[]).includes(w)) v.window = { preset: w as Preset };
  else if (w) {
    const [from, to] = w.split('..');
    if (from && to && isDate(from) && isDate(to) && from < to) v.window = { from, to };
  }
  const cat = p.get('cat');
  if (cat)
    v.categories = cat
      .split(',')
      .filter((c): c is IncidentCategory => (INCIDENT_CATEGORIES as readonly string[]).includes(c));
  const community = Number(p.get('community'));
  if (p.has('community') && Number.isInteger(community) && community > 0) v.communityId = community;
  const incident = Number(p.get('incident'));
  if (p.has('incident') && Number.isInteger(incident) && incident > 0) v.incidentId = incident;
  if (p.get('lang') === 'en') v.lang = 'en';
  const panel = p.get('panel');
  if ((PANELS as readonly (string | null)[]).includes(panel)) v.panel = panel as Panel;
  const rank = p.get('rank');
  if ((RANK_PERIODS as readonly (string | null)[]).includes(rank))
    v.rankPeriod = rank as RankPeriod;
  if (p.get('todate') === '1') v.rankToDate = true;
  v.comparison = comparisonOf(p.get('cmp'));
  return v;
}

/** `previous:split` and the like; anything else (a part missing, unknown or extra) is none. */
function comparisonOf(s: string | null): Comparison | null {
  const [against, mode, ...rest] = s?.split(':') ?? [];
  const known = <T extends string>(list: readonly T[], x: string | undefined): x is T =>
    (list as readonly (string | undefined)[]).includes(x);
  if (rest.length || !known(COMPARE_AGAINST, against) || !known(COMPARE_MODES, mode)) return null;
  return { against, mode };
}
