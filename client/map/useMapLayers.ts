/** Assembles the deck.gl layers for a view from the shared data; used by the desk and the wall. */
import type { Layer, LayersList } from '@deck.gl/core';
import { useMemo } from 'react';
import { INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import {
  currentWindowRange,
  useIncidentMapData,
  useLayerData,
  usePanelWindowRange,
  useReference,
  useRegions,
} from '../data/hooks';
import { useAllowedLayers } from '../auth/useCan';
import { useHotspots } from '../data/analysis';
import { useJustIn } from '../data/live';
import { flashLayer } from '../layers/incidents';
import { labelsLayer, type Label, type LabelSet } from '../layers/labels';
import {
  FIXED_DRAWS,
  LAYER_REGISTRY,
  LAZY_DATA,
  layerEntry,
  POINTS_ZOOM,
  type DrawContext,
  type LayerId,
  type LazyData,
  type MapData,
} from '../layers/registry';
import type { Range } from '../../domain/time';
import type { View } from '../state/view';
import { useView } from '../state/viewStore';

export { POINTS_ZOOM, SECTOR_ZOOM } from '../layers/registry';

/** Every layer's deck.gl layers in drawing order, with the labels last. */
function drawAll(c: DrawContext, only?: (e: (typeof LAYER_REGISTRY)[number]) => boolean) {
  const draws = [
    ...FIXED_DRAWS.filter(() => !only),
    ...LAYER_REGISTRY.filter((e) => !only || only(e)).flatMap((e) => e.draw),
  ].sort((a, b) => a.order - b.order);
  return draws.flatMap((d) => d.build(c));
}

/** The layers with those that follow the window made anew for `c.range`, each in its place. */
function withWindowLayers(layers: LayersList, c: DrawContext): LayersList {
  const fresh = new Map(
    drawAll(c, (e) => Boolean(e.followsWindow)).map((l) => [(l as Layer).id, l]),
  );
  return layers.map((l) => (l && fresh.get((l as Layer).id)) ?? l);
}

export interface MapLayerOptions {
  /** community label size in pixels (town labels are 4 px larger) */
  labelSize?: number;
  /**
   * the planning editor is open: it draws the zones and the quick-response posts itself, so
   * they are left out here (cars and patrol routes stay)
   */
  editing?: boolean;
  /** the editor's zone labels, placed with the others while it is open */
  draftZoneLabels?: Label[];
  /**
   * a fixed range [from, to) to draw the incidents and hot spots of, in place of the store's
   * window (a period compared with it): the layers are then made for it and do not follow the
   * window (`follow` is undefined); keep its identity while it is the same range
   */
  range?: Range;
}

/** Keeps the window's layers in deck.gl up to date between renders (MapView's `follow`). */
export interface WindowFollower {
  /** the layers with the incident layers made for the store's window as it is now */
  patch(layers: LayersList): LayersList;
  /** calls `onChange` at every window change; returns the unsubscribe */
  subscribe(onChange: () => void): () => void;
}

export function useMapLayers(
  view: Pick<View, 'layers' | 'categories' | 'communityId' | 'incidentId' | 'camera'>,
  opts: MapLayerOptions = {},
) {
  const labelSize = opts.labelSize ?? 14;
  const editing = opts.editing ?? false;
  const zoom = view.camera.zoom;
  const L = useAllowedLayers(view.layers);
  // the lazy data of the layers that are on
  const need = useMemo(() => {
    const out = Object.fromEntries(LAZY_DATA.map((k) => [k, false])) as Record<LazyData, boolean>;
    for (const e of LAYER_REGISTRY)
      if (L[e.id].on)
        for (const k of e.data)
          if ((LAZY_DATA as readonly string[]).includes(k)) out[k as LazyData] = true;
    return out;
  }, [L]);
  // the Gi* cells are fetched per window: they follow it with the panels
  const panelRange = usePanelWindowRange();
  const fixed = opts.range;
  const range = fixed ?? panelRange;
  const reference = useReference();
  const { columns, cells, areaPoints } = useIncidentMapData(
    range,
    view.categories,
    zoom,
    L.heat.on,
    {
      centre: view.camera,
      on: L.points.on && zoom >= POINTS_ZOOM,
    },
  );
  const regions = useRegions();
  const layerData = useLayerData(need);
  const hotspots = useHotspots(range, view.categories, need.hotspots).data;
  // each part keeps its identity until its data changes
  const parts = [
    ...Object.values(regions),
    ...Object.values(layerData),
    columns,
    cells,
    areaPoints,
    hotspots,
  ];
  const data: MapData = useMemo(
    () => ({ ...regions, ...layerData, columns, cells, areaPoints, hotspots }),
    parts,
  );

  /** what the factories are given, less the window (made at each draw) */
  const base = useMemo(() => {
    const shown = (id: LayerId) => {
      const z = layerEntry(id).zoom;
      return L[id].on && zoom >= (z?.min ?? -Infinity) && zoom < (z?.max ?? Infinity);
    };
    return {
      data,
      shown,
      vis: (id: LayerId) => ({ visible: shown(id), opacity: L[id].opacity }),
      zoom,
      categories: view.categories.length
        ? view.categories.map((c) => INCIDENT_CATEGORIES.indexOf(c))
        : INCIDENT_CATEGORIES.map((_, i) => i),
      communityId: view.communityId,
      incidentId: view.incidentId,
      editing,
      labelSize,
      draftZoneLabels: opts.draftZoneLabels,
    };
  }, [
    data,
    L,
    zoom,
    view.categories,
    view.communityId,
    view.incidentId,
    editing,
    labelSize,
    opts.draftZoneLabels,
  ]);

  /**
   * A window change reaches deck.gl straight from the store, without a render of the map's
   * component: the layers that follow the window are made anew for it and put in place of the old.
   */
  const follow: WindowFollower | undefined = useMemo(() => {
    if (fixed) return undefined;
    return {
      patch: (layers) =>
        withWindowLayers(layers, { ...base, range: currentWindowRange(reference) }),
      subscribe: (onChange) =>
        useView.subscribe((s, prev) => {
          if (s.window !== prev.window) onChange();
        }),
    };
  }, [base, reference, fixed]);

  const layers = useMemo(() => {
    // as made here the window's layers show the window of this render; `follow` keeps them up to date
    const c = { ...base, range: currentWindowRange(reference) };
    const out: LayersList = drawAll(c);
    // one placement for all labels: towns win, then patrol zones, then the larger communities
    const sets = LAYER_REGISTRY.flatMap((e) => (e.labels ? [e.labels] : []))
      .sort((a, b) => a.order - b.order)
      .map((l) => l.build(c))
      .filter((s): s is LabelSet => s !== undefined);
    if (sets.length) out.push(labelsLayer('labels', sets));
    // hidden layers are left out, not just hidden: deck.gl would still build their GPU state
    return out.filter((l) => (l as { props: { visible?: boolean } }).props.visible !== false);
  }, [base, reference]);
  // for a fixed range, only the window's layers are made anew when it changes
  const drawn = useMemo(
    () => (fixed ? withWindowLayers(layers, { ...base, range: fixed }) : layers),
    [layers, base, fixed],
  );
  // incidents just in, ringed for a moment where the incidents are shown (and are now)
  const justIn = useJustIn();
  const incidentsShown = (L.heat.on || L.points.on) && !fixed;
  const withFlash = useMemo(
    () => (incidentsShown && justIn.length ? [...drawn, flashLayer(justIn)] : drawn),
    [drawn, justIn, incidentsShown],
  );
  return { layers: withFlash, follow };
}
