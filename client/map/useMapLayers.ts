/** Assembles the deck.gl layers for a view from the shared data; used by the desk and the wall. */
import type { Layer, LayersList } from '@deck.gl/core';
import { useMemo } from 'react';
import { INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import {
  currentWindowRange,
  useIncidentColumns,
  useLabels,
  useLayerData,
  usePanelWindowRange,
  useReference,
  useRegions,
} from '../data/hooks';
import { useAllowedLayers } from '../auth/useCan';
import { useHotspots } from '../data/analysis';
import { gapsLayer, hotspotsLayer, reachLayer } from '../layers/analysis';
import { camerasLayer, INFILL, sectorsLayer, type CameraFeature } from '../layers/cameras';
import { checkpointsLayer, circlesLayers } from '../layers/circles';
import { heatLayer, pointsLayer, type IncidentFilter } from '../layers/incidents';
import { unitsLayers, zonesLayer } from '../layers/patrol';
import { labelsLayer, type Label, type LabelSet } from '../layers/labels';
import { communitiesLayer, districtLayer, townsLayer } from '../layers/regions';
import { sitesLayer } from '../layers/sites';
import type { LayerState, View } from '../state/view';
import type { Range } from '../state/timeWindow';
import { useView } from '../state/viewStore';
import { MAP_COLOURS } from '../theme';

const vis = (l: LayerState) => ({ visible: l.on, opacity: l.opacity });

/** Points replace the heat from this zoom on; camera sectors appear from SECTOR_ZOOM. */
export const POINTS_ZOOM = 14;
export const SECTOR_ZOOM = 15;

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
  const { camera } = view;
  const L = useAllowedLayers(view.layers);
  // the Gi* cells are fetched per window: they follow it with the panels
  const range = usePanelWindowRange();
  const reference = useReference();
  const columns = useIncidentColumns().data;
  const regions = useRegions();
  const data = useLayerData({
    cameras: L.cameras.on || L.infill.on || L.sectors.on,
    sites: L.sites.on,
    circles: L.circles.on,
    zones: L.zones.on,
    posts: L.posts.on,
    gaps: L.gaps.on,
    reach: L.reach.on,
  });
  const hotspots = useHotspots(range, view.categories, L.hotspots.on).data;
  const communityLabels = useLabels(regions.communities);
  const townLabels = useLabels(regions.towns);
  const zoneLabels = useLabels(
    data.zones as Parameters<typeof useLabels>[0],
    (p) => `${p.unit}${p.shift === 'day' ? '（日）' : p.shift === 'night' ? '（夜）' : ''}`,
  );

  const cameraSets = useMemo(() => {
    const all = (data.cameras?.features ?? []) as unknown as CameraFeature[];
    return {
      all,
      existing: all.filter((f) => f.properties.batch !== INFILL),
      infill: all.filter((f) => f.properties.batch === INFILL),
    };
  }, [data.cameras]);

  const zoomedIn = camera.zoom >= POINTS_ZOOM;
  /** the heat and the points for a window, or nothing before the columns arrive */
  const incidentLayers = useMemo(() => {
    if (!columns) return null;
    const categories = view.categories.length
      ? view.categories.map((c) => INCIDENT_CATEGORIES.indexOf(c))
      : INCIDENT_CATEGORIES.map((_, i) => i);
    return (range: Range): LayersList => {
      const filter: IncidentFilter = {
        minutes: [(range.from - columns.origin) / 60_000, (range.to - columns.origin) / 60_000],
        categories,
      };
      return [
        heatLayer(columns, filter, {
          opacity: L.heat.opacity,
          visible: L.heat.on && !(zoomedIn && L.points.on),
        }),
        pointsLayer(columns, filter, {
          ...L.points,
          visible: L.points.on && zoomedIn,
          selectedId: view.incidentId,
        }),
      ];
    };
  }, [columns, view.categories, L.heat, L.points, zoomedIn, view.incidentId]);

  /**
   * A window change reaches deck.gl straight from the store, without a render of the map's
   * component: the incident layers are made anew for the window and put in place of the old.
   */
  const follow: WindowFollower = useMemo(() => {
    return {
      patch: (layers) => {
        if (!incidentLayers) return layers;
        const fresh = new Map(
          incidentLayers(currentWindowRange(reference)).map((l) => [(l as Layer).id, l]),
        );
        return layers.map((l) => (l && fresh.get((l as Layer).id)) ?? l);
      },
      subscribe: (onChange) =>
        useView.subscribe((s, prev) => {
          if (s.window !== prev.window) onChange();
        }),
    };
  }, [incidentLayers, reference]);

  const layers = useMemo(() => {
    const out: LayersList = [];
    if (regions.towns) out.push(townsLayer(regions.towns, vis(L.towns)));
    if (regions.communities)
      out.push(
        communitiesLayer(regions.communities, {
          ...vis(L.communities),
          selectedId: view.communityId,
        }),
      );
    if (data.zones && !editing) out.push(zonesLayer(data.zones, vis(L.zones)));
    if (data.reach) out.push(reachLayer(data.reach, vis(L.reach)));
    if (data.circles) out.push(...circlesLayers(data.circles, vis(L.circles)));
    if (data.gaps) out.push(gapsLayer(data.gaps, vis(L.gaps)));
    // as made here they show the window of this render; `follow` keeps them up to date
    if (incidentLayers) out.push(...incidentLayers(currentWindowRange(reference)));
    // the cells are the finding: above the heat they summarise
    if (hotspots && L.hotspots.on) out.push(hotspotsLayer(hotspots, vis(L.hotspots)));
    if (regions.district) out.push(districtLayer(regions.district));
    if (cameraSets.all.length) {
      out.push(
        sectorsLayer(cameraSets.all, {
          ...L.sectors,
          visible: L.sectors.on && camera.zoom >= SECTOR_ZOOM,
        }),
      );
      out.push(
        camerasLayer('cameras-existing', cameraSets.existing, {
          ...vis(L.cameras),
          zoom: camera.zoom,
        }),
      );
      out.push(
        camerasLayer('cameras-infill', cameraSets.infill, { ...vis(L.infill), zoom: camera.zoom }),
      );
    }
    if (data.sites) {
      out.push(sitesLayer(data.sites, vis(L.sites)));
      out.push(checkpointsLayer(data.sites, vis(L.circles)));
    }
    if (data.posts) out.push(...unitsLayers(data.posts, { ...vis(L.posts), skipPosts: editing }));
    // one placement for all labels: towns win, then patrol zones, then the larger communities
    const sets: LabelSet[] = [];
    if (L.towns.on && camera.zoom < 12.5)
      sets.push({
        id: 'towns',
        labels: townLabels,
        size: labelSize + 4,
        weight: 700,
        colour: [255, 255, 255, 255],
        priority: 1000,
      });
    const zones = editing ? opts.draftZoneLabels : L.zones.on ? zoneLabels : undefined;
    if (zones)
      sets.push({
        id: 'zones',
        labels: zones,
        size: labelSize - 1,
        colour: MAP_COLOURS.zone,
        priority: 900,
      });
    if (L.communities.on && camera.zoom >= 11)
      sets.push({ id: 'communities', labels: communityLabels, size: labelSize });
    if (sets.length) out.push(labelsLayer('labels', sets));
    // hidden layers are left out, not just hidden: deck.gl would still build their GPU state
    return out.filter((l) => (l as { props: { visible?: boolean } }).props.visible !== false);
  }, [
    regions,
    data,
    hotspots,
    incidentLayers,
    reference,
    L,
    view.communityId,
    view.incidentId,
    zoomedIn,
    camera.zoom,
    cameraSets,
    communityLabels,
    townLabels,
    labelSize,
    editing,
    opts.draftZoneLabels,
  ]);
  return { layers, follow };
}
