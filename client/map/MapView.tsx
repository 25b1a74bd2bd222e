/**
 * MapLibre with deck.gl interleaved on top (MapLibreView.tsx). MapLibre is the largest library the
 * client has: it loads on its own, in parallel with the page's data (`loadMapView`, started at
 * page load where the page shows a map), so the page's entry script does not wait for it.
 */
import type { LayersList, PickingInfo } from '@deck.gl/core';
import type maplibregl from 'maplibre-gl';
import { lazy, Suspense } from 'react';
import type { Basemap } from '../../server/basemap';
import type { Extent, Padding, Size } from '../../geo/viewExtent';
import type { Camera } from '../state/view';
import type { WindowFollower } from './useMapLayers';

/** The margin, in pixels, around bounds the map fits. */
export const FIT_MARGIN = 40;

/**
 * The extent the map shows now, [west, south, east, north]: what a saved view (a slide) keeps
 * so that it shows the same area on a screen of another size (MapView's `bounds`).
 */
export function visibleExtent(map: maplibregl.Map): Extent {
  const b = map.getBounds();
  const lon = (v: number) => Math.max(-180, Math.min(180, v));
  const lat = (v: number) => Math.max(-85, Math.min(85, v));
  return [lon(b.getWest()), lat(b.getSouth()), lon(b.getEast()), lat(b.getNorth())];
}

export interface MapViewProps {
  layers: LayersList;
  camera: Camera;
  onCameraChange?: (c: Camera) => void;
  onClick?: (info: PickingInfo) => void;
  getTooltip?: (info: PickingInfo) => string | null;
  /** wall displays: no pointer, no controls */
  interactive?: boolean;
  /** seconds for camera moves made from outside (wall rotation) */
  flyDuration?: number;
  /**
   * [west, south, east, north]: when given, the map fits these bounds instead of `camera`, again
   * whenever the map's size changes (a window resized, a panel collapsed). For a saved extent
   * (a slide's `visibleExtent`) shown at any size: presenting, printing, exporting.
   */
  bounds?: Extent;
  /** pixels kept clear around the fitted `bounds`: one margin, or one per edge (FIT_MARGIN) */
  padding?: number | Padding;
  /**
   * the legend's size: the fitted `bounds` keep clear of it in the map's bottom right corner
   * (legendPlace.ts paddingBeside)
   */
  keepClear?: Size | null;
  /** the user moved the map (drag, wheel, keys, the zoom buttons): not the map's own fits */
  onUserMove?: () => void;
  basemap?: Basemap;
  /** the map once loaded (and null when it goes), for editors that draw on it */
  onMap?: (map: maplibregl.Map | null) => void;
  /** a MapLibre layer every deck.gl layer goes below (an editor's handles stay on top) */
  beforeId?: string;
  /** brings the window's layers up to date at each window change, between renders */
  follow?: WindowFollower;
  /** canvas pixels per CSS pixel (a picture at 2×); the screen's when absent */
  pixelRatio?: number;
}

/** Loads the map's code (MapLibre and the overlay); once, however often it is called. */
export const loadMapView = () => import('./MapLibreView');

const MapLibreView = lazy(loadMapView);

export function MapView(props: MapViewProps) {
  // until its code is here, an empty map of the same size holds its place
  return (
    <Suspense fallback={<div className="map" />}>
      <MapLibreView {...props} />
    </Suspense>
  );
}
