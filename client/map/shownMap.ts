/**
 * The map the desk shows now, for what reads it from outside the map's component: a slide saved
 * from the desk keeps the area the map shows (visibleExtent), so that it shows the same area on
 * a screen of another size.
 */
import type maplibregl from 'maplibre-gl';
import type { Extent } from '../../geo/viewExtent';
import { visibleExtent } from './MapView';

let shown: maplibregl.Map | null = null;

export function setShownMap(map: maplibregl.Map | null) {
  shown = map;
}

export function shownMap(): maplibregl.Map | null {
  return shown;
}

/** The area the desk's map shows now, if it is shown. */
export function extentShown(): Extent | undefined {
  return shown ? visibleExtent(shown) : undefined;
}
