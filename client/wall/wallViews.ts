/** The prepared views the wall rotates through, and its settings from the URL. */
import { LAYERS } from '../../domain/layers';
import {
  DEFAULT_LAYERS,
  LAYER_REGISTRY,
  type LayerId,
  type LayerState,
  type WallViewId,
} from '../layers/registry';
import type { Camera } from '../state/view';

export interface WallView {
  id: WallViewId;
  title: [string, string];
  camera: Camera;
  /** fit these bounds [w, s, e, n] rather than the camera's zoom */
  bounds?: [number, number, number, number];
  /** the layers whose registry entry names this view */
  layers: LayerId[];
}

/** The layers the registry shows on a view. */
const layersOf = (id: WallViewId): LayerId[] =>
  LAYER_REGISTRY.filter((e) => e.wall.includes(id)).map((e) => e.id);

/** Chengbei District's extent. */
export const DISTRICT_BOUNDS: [number, number, number, number] = [101.562, 36.63, 101.804, 36.758];

const DISTRICT: Camera = { lon: 101.683, lat: 36.694, zoom: 11.35 };
const CORE: Camera = { lon: 101.742, lat: 36.664, zoom: 12.9 };

export const WALL_VIEWS: WallView[] = [
  {
    id: 'heat',
    title: ['全区警情热力', 'District incident heat'],
    camera: DISTRICT,
    bounds: DISTRICT_BOUNDS,
    layers: layersOf('heat'),
  },
  {
    id: 'circles',
    title: ['三级治安防护圈', 'Three-tier protection circles'],
    camera: DISTRICT,
    bounds: DISTRICT_BOUNDS,
    layers: layersOf('circles'),
  },
  {
    id: 'cameras',
    title: ['视频监控与补盲', 'Cameras and infill'],
    camera: CORE,
    layers: layersOf('cameras'),
  },
  {
    id: 'communities',
    title: ['村/社区警情分布', 'Incidents by community'],
    camera: { ...CORE, zoom: 12.3 },
    layers: layersOf('communities'),
  },
];

/**
 * Boundaries every display shows, whatever its configuration: the layers whose data is no
 * layer's own (domain/layers.ts lists no source for them).
 */
const BASE_LAYERS: readonly LayerId[] = LAYER_REGISTRY.filter(
  (e) => LAYERS[e.id].sources.length === 0,
).map((e) => e.id);

/**
 * The view's layers, less those the display's configuration leaves out (`allowed`; null: no
 * limit).
 */
export function wallLayers(
  v: WallView,
  allowed: readonly string[] | null = null,
): Record<LayerId, LayerState> {
  const out = structuredClone(DEFAULT_LAYERS);
  for (const id of Object.keys(out) as LayerId[])
    out[id].on =
      v.layers.includes(id) && (!allowed || BASE_LAYERS.includes(id) || allowed.includes(id));
  return out;
}

/**
 * The views a display configured with `allowed` layers can show: those with at least one of
 * their own layers allowed; the communities' boundaries alone when none is.
 */
export function allowedViews(views: WallView[], allowed: readonly string[] | null): WallView[] {
  if (!allowed) return views;
  const ok = views.filter((v) =>
    v.layers.some((l) => !BASE_LAYERS.includes(l) && allowed.includes(l)),
  );
  if (ok.length) return ok;
  const communities = WALL_VIEWS.find((v) => v.id === 'communities')!;
  return [{ ...communities, layers: [...BASE_LAYERS] }];
}

export interface WallSettings {
  /** seconds per view */
  rotate: number;
  /** seconds between data refreshes */
  refresh: number;
  views: WallView[];
}

/** ?rotate=30&refresh=60&views=heat,circles */
export function wallSettings(search: string): WallSettings {
  const p = new URLSearchParams(search);
  const num = (k: string, d: number, min: number, max: number) => {
    const raw = p.get(k)?.trim();
    const v = raw ? Number(raw) : NaN;
    return Number.isFinite(v) ? Math.min(max, Math.max(min, v)) : d;
  };
  const ids = p.get('views')?.split(',');
  const views = ids ? WALL_VIEWS.filter((v) => ids.includes(v.id)) : WALL_VIEWS;
  return {
    rotate: num('rotate', 30, 3, 3600),
    refresh: num('refresh', 60, 5, 3600),
    views: views.length ? views : WALL_VIEWS,
  };
}
