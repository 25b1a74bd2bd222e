/**
 * Incident layers over the whole data span's columns, loaded once.
 * - Points: the window and the categories are DataFilterExtension ranges on the GPU; changing
 *   them neither refetches nor rebuilds a buffer.
 * - Heat: deck.gl 9.4's HeatmapLayer aggregates on the GPU without applying DataFilterExtension
 *   (visgl/deck.gl#8841, #9058), so the window picks the contiguous slice of the time-sorted
 *   columns (typed-array views, no copy, no refetch) and the categories weigh 1 or 0.
 */
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { DataFilterExtension } from '@deck.gl/extensions';
import { ScatterplotLayer } from '@deck.gl/layers';
import { lowerBound, type IncidentColumns } from '../data/incidentColumns';
import { HEAT_RAMP } from '../theme';

export interface IncidentFilter {
  /** [from, to) in minutes since the columns' origin */
  minutes: [number, number];
  /** category indices to show (all 8 when none is filtered) */
  categories: number[];
}

const filter = new DataFilterExtension({ filterSize: 1, categorySize: 1 });

/** deck.gl binary data for the points: one attribute per accessor, built once per load. */
const pointData = new WeakMap<IncidentColumns, object>();
function pointsOf(c: IncidentColumns) {
  let d = pointData.get(c);
  if (!d) {
    d = {
      length: c.count,
      attributes: {
        getPosition: { value: c.positions, size: 2 },
        getFilterValue: { value: c.minutes, size: 1 },
        getFilterCategory: { value: c.categoryF, size: 1 },
        getFillColor: { value: c.colours, size: 4, normalized: true },
      },
    };
    pointData.set(c, d);
  }
  return d;
}

/** 1 for incidents of the shown categories, else 0; rebuilt only when the categories change. */
const weightCache = new WeakMap<IncidentColumns, { key: string; weights: Float32Array }>();
function weightsOf(c: IncidentColumns, categories: number[]) {
  const key = categories.join(',');
  const hit = weightCache.get(c);
  if (hit?.key === key) return hit.weights;
  const on = new Uint8Array(8);
  for (const k of categories) on[k] = 1;
  const weights = new Float32Array(c.count);
  for (let i = 0; i < c.count; i++) weights[i] = on[c.category[i]!]!;
  weightCache.set(c, { key, weights });
  return weights;
}

/** The index range [i0, i1) of the incidents in the window (the columns ascend in time). */
export function windowSlice(c: IncidentColumns, f: IncidentFilter): [number, number] {
  return [
    lowerBound(c, c.origin + f.minutes[0] * 60_000),
    lowerBound(c, c.origin + f.minutes[1] * 60_000),
  ];
}

/**
 * The side of the heat's weights texture for a map of `width` × `height` CSS pixels. deck.gl
 * renders the weights at one texel per two pixels; its default 2048 texture covers 4096 pixels,
 * far more than any map here, and every update of the heat reduces all of its texels to find the
 * maximum (4 M points at 2048). A texture just covering the map draws the same picture with a
 * fraction of that work. Rounded up to 64 so that small resizes keep the texture.
 */
export function heatTextureSize(width: number, height: number): number {
  const side = Math.ceil(Math.max(width, height) / 2 / 64) * 64;
  return Math.min(2048, Math.max(128, side));
}

/** The heat's look, shared by the heat drawn from cells (incidentCells.ts). */
export const HEAT_LOOK = {
  radiusPixels: 28,
  intensity: 1.2,
  threshold: 0.03,
  colorRange: HEAT_RAMP,
  aggregation: 'SUM',
  // the map view sets the size that fits its canvas (heatTextureSize)
  weightsTextureSize: 1024,
} as const;

export function heatLayer(
  c: IncidentColumns,
  f: IncidentFilter,
  opts: { opacity: number; visible: boolean },
) {
  const [i0, i1] = windowSlice(c, f);
  const weights = weightsOf(c, f.categories);
  return new HeatmapLayer({
    id: 'incident-heat',
    data: {
      length: i1 - i0,
      attributes: {
        getPosition: { value: c.positions.subarray(2 * i0, 2 * i1), size: 2 },
        getWeight: { value: weights.subarray(i0, i1), size: 1 },
      },
    } as never,
    visible: opts.visible,
    opacity: opts.opacity,
    ...HEAT_LOOK,
  } as never);
}

/**
 * Half-open on the GPU. Filter values are whole minutes and window bounds are whole minutes
 * (local midnights), so [from, to − 0.5] keeps exactly the minutes from ≤ m < to.
 */
const range = (f: IncidentFilter): [number, number] => [f.minutes[0], f.minutes[1] - 0.5];

export function pointsLayer(
  c: IncidentColumns,
  f: IncidentFilter,
  opts: { opacity: number; visible: boolean; selectedId: number | null },
) {
  return new ScatterplotLayer({
    id: 'incident-points',
    data: pointsOf(c) as never,
    visible: opts.visible,
    opacity: opts.opacity,
    pickable: true,
    radiusUnits: 'pixels',
    getRadius: 4,
    radiusMinPixels: 3,
    stroked: true,
    getLineColor: [11, 18, 32, 255],
    lineWidthMinPixels: 1,
    extensions: [filter],
    filterRange: range(f),
    filterCategories: f.categories,
  } as never);
}

/** Incidents just in, ringed for a moment wherever the map shows them (heat or points). */
export function flashLayer(points: readonly { id: number; lon: number; lat: number }[]) {
  return new ScatterplotLayer({
    id: 'incident-flash',
    data: points as never,
    getPosition: (p: { lon: number; lat: number }) => [p.lon, p.lat],
    radiusUnits: 'pixels',
    getRadius: 14,
    filled: true,
    getFillColor: [77, 208, 225, 70],
    stroked: true,
    getLineColor: [77, 208, 225, 255],
    lineWidthMinPixels: 3,
  } as never);
}
