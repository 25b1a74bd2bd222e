/**
 * What a map view is given (MapView.tsx shows it; MapLibreView.tsx, loaded later, draws it): a
 * module of its own, so that the lazily loaded view takes these without importing the module
 * that loads it.
 */
import type { LayersList, PickingInfo } from '@deck.gl/core';
import type maplibregl from 'maplibre-gl';
import type { Basemap } from '../../server/basemap';
import type { Extent, Padding, Size } from '../../geo/viewExtent';
import type { Camera } from '../state/view';
import type { WindowFollower } from './useMapLayers';

/** The margin, in pixels, around bounds the map fits. */
export const FIT_MARGIN = 40;

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
