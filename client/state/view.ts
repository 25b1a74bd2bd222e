/**
 * The view: where the map looks, which layers are on, the time window, the filters, the selection
 * and the mode. Pure data and pure functions here; the store (viewStore.ts) holds one of these.
 */
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../server/demo/types';

export const LAYER_IDS = [
  'heat',
  'points',
  'communities',
  'towns',
  'circles',
  'cameras',
  'infill',
  'sectors',
  'zones',
  'posts',
  'sites',
] as const;
export type LayerId = (typeof LAYER_IDS)[number];

export interface LayerState {
  on: boolean;
  /** 0..1 */
  opacity: number;
}

export const PRESETS = ['today', '7d', '30d', 'month', 'quarter', 'year'] as const;
export type Preset = (typeof PRESETS)[number];

/** A preset relative to the latest data, or a fixed range [from, to) of local dates. */
export type TimeWindow = { preset: Preset } | { from: string; to: string };

export type Mode = 'desk' | 'wall';
export type Lang = 'zh' | 'en';

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
}

export const DEFAULT_CAMERA: Camera = { lon: 101.70, lat: 36.69, zoom: 11.2 };

export const DEFAULT_LAYERS: Record<LayerId, LayerState> = {
  heat: { on: true, opacity: 0.8 },
  points: { on: true, opacity: 1 },
  communities: { on: true, opacity: 1 },
  towns: { on: true, opacity: 1 },
  circles: { on: true, opacity: 0.9 },
  cameras: { on: false, opacity: 1 },
  infill: { on: false, opacity: 1 },
  sectors: { on: false, opacity: 0.5 },
  zones: { on: false, opacity: 1 },
  posts: { on: false, opacity: 1 },
  sites: { on: false, opacity: 1 },
};

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
  };
}

// --- URL ------------------------------------------------------------------------------------
// ?at=lon,lat,zoom&layers=heat:80,communities,…&w=30d|2026-06-01..2026-07-01&cat=traffic,fire
//   &community=12&incident=345&lang=en ; the mode is the path (/ or /wall).

const round = (v: number, d: number) => Number(v.toFixed(d));
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Only what differs from the defaults goes into the URL, so links stay short. */
export function viewToSearch(v: View): string {
  const p = new URLSearchParams();
  const c = v.camera;
  p.set('at', `${round(c.lon, 5)},${round(c.lat, 5)},${round(c.zoom, 2)}`);
  p.set(
    'layers',
    LAYER_IDS.filter((id) => v.layers[id].on)
      .map((id) => {
        const o = Math.round(v.layers[id].opacity * 100);
        return o === Math.round(DEFAULT_LAYERS[id].opacity * 100) ? id : `${id}:${o}`;
      })
      .join(','),
  );
  p.set('w', 'preset' in v.window ? v.window.preset : `${v.window.from}..${v.window.to}`);
  if (v.categories.length) p.set('cat', v.categories.join(','));
  if (v.communityId !== null) p.set('community', String(v.communityId));
  if (v.incidentId !== null) p.set('incident', String(v.incidentId));
  if (v.lang !== 'zh') p.set('lang', v.lang);
  return p.toString();
}

/** Reads a view from a URL's search string; anything missing or malformed keeps its default. */
export function searchToView(search: string, mode: Mode = 'desk'): View {
  const v = defaultView(mode);
  const p = new URLSearchParams(search);
  const at = p.get('at')?.split(',').map(Number);
  if (at && at.length === 3 && at.every(Number.isFinite)) {
    const [lon, lat, zoom] = at as [number, number, number];
    if (Math.abs(lon) <= 180 && Math.abs(lat) <= 85 && zoom >= 0 && zoom <= 22) v.camera = { lon, lat, zoom };
  }
  const layers = p.get('layers');
  if (layers !== null) {
    for (const id of LAYER_IDS) v.layers[id].on = false;
    for (const part of layers.split(',')) {
      const [id, o] = part.split(':');
      if (!(LAYER_IDS as readonly string[]).includes(id ?? '')) continue;
      const layer = v.layers[id as LayerId];
      layer.on = true;
      const opacity = Number(o);
      if (o !== undefined && Number.isFinite(opacity) && opacity >= 0 && opacity <= 100)
        layer.opacity = opacity / 100;
    }
  }
  const w = p.get('w');
  if (w && (PRESETS as readonly string[]).includes(w)) v.window = { preset: w as Preset };
  else if (w) {
    const [from, to] = w.split('..');
    if (from && to && DATE.test(from) && DATE.test(to) && from < to) v.window = { from, to };
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
  return v;
}
