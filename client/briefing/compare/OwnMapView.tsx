import type { Layer } from '@deck.gl/core';
import { useMemo } from 'react';
import { MapView, type MapViewProps } from '../../map/MapView';

/**
 * A MapView given its own instances of the layers: deck.gl finalizes the layers of a map that
 * goes, and a finalized layer cannot be drawn again, while the desk's layers outlive the maps
 * the comparison makes and unmakes. A clone keeps every prop; a new map makes its own GPU state
 * either way.
 */
export function OwnMapView(props: MapViewProps) {
  const { layers } = props;
  const own = useMemo(() => layers.map((l) => (l ? (l as Layer).clone({}) : l)), [layers]);
  return <MapView {...props} layers={own} />;
}
