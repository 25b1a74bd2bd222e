/**
 * The desk's first view: a page opened without a camera in its URL (`at=`) shows the whole
 * district, fitted to the map's size beside the legend, and stays fitted as the window resizes
 * until the user moves the map. A link with a camera keeps it exactly.
 */
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { useCallback, useMemo, useState } from 'react';
import { areaBBox } from '../../geo/areaBBox';
import type { Extent, Size } from '../../geo/viewExtent';
import { cameraOfSearch } from '../state/view';

/** Read once at load, before the address bar starts to follow the view (and carry a camera). */
const OPENED_WITH_CAMERA =
  typeof window !== 'undefined' && cameraOfSearch(window.location.search) !== null;

/** The extent of a collection's polygons, or undefined when it holds none. */
export function extentOfAreas(fc: FeatureCollection): Extent | undefined {
  const boxes = fc.features.flatMap((f) =>
    f.geometry?.type === 'Polygon' || f.geometry?.type === 'MultiPolygon'
      ? [areaBBox(f.geometry as Polygon | MultiPolygon)]
      : [],
  );
  if (!boxes.length) return undefined;
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}

/** Props for MapView (`bounds`, `keepClear`, `onUserMove`) and the Legend (`onSize`). */
export function useDistrictFit(district: FeatureCollection | undefined) {
  const [fitting, setFitting] = useState(!OPENED_WITH_CAMERA);
  const [legend, setLegend] = useState<Size | null>(null);
  const extent = useMemo(() => (district ? extentOfAreas(district) : undefined), [district]);
  const onUserMove = useCallback(() => setFitting(false), []);
  return {
    map: { bounds: fitting ? extent : undefined, keepClear: legend, onUserMove },
    legend: { onSize: setLegend },
  };
}
