/**
 * MapLibre with deck.gl interleaved on top (MapLibreView.tsx). MapLibre is the largest library the
 * client has: it loads on its own, in parallel with the page's data (`loadMapView`, started at
 * page load where the page shows a map), so the page's entry script does not wait for it.
 */
import type maplibregl from 'maplibre-gl';
import { lazy, Suspense } from 'react';
import type { Extent } from '../../geo/viewExtent';
import type { MapViewProps } from './mapViewProps';

export { FIT_MARGIN, type MapViewProps } from './mapViewProps';

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
