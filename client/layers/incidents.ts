/**
 * Incident layers over the whole data span's columns, loaded once. A window change is a range on
 * the GPU for both: neither refetches, rebuilds an attribute nor makes a new shader.
 * - Points: the window and the categories are DataFilterExtension ranges.
 * - Heat: deck.gl 9.4's HeatmapLayer aggregates on the GPU without applying DataFilterExtension
 *   (visgl/deck.gl#8841, #9058), so WindowHeatmapLayer filters in its own aggregation pass: the
 *   minutes and categories are attributes made once per load, the window and the categories
 *   uniforms; a change only re-runs the aggregation.
 */
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import type { UpdateParameters } from '@deck.gl/core';
import { DataFilterExtension } from '@deck.gl/extensions';
import { ScatterplotLayer } from '@deck.gl/layers';
import type { IncidentColumns } from '../data/incidentColumns';
import { HEAT_RAMP } from '../theme';

export interface IncidentFilter {
  /** [from, to) in minutes since the columns' origin */
  minutes: [number, number];
  /** category indices to show (all 8 when none is filtered) */
  categories: number[];
}

const filter = new DataFilterExtension({ filterSize: 1, categorySize: 1 });

/** What is made once per load of the columns (deck.gl binary data), by what makes it. */
const perLoad = new WeakMap<(c: IncidentColumns) => object, WeakMap<IncidentColumns, object>>();
function once(c: IncidentColumns, make: (c: IncidentColumns) => object) {
  let made = perLoad.get(make);
  if (!made) perLoad.set(make, (made = new WeakMap()));
  let d = made.get(c);
  if (!d) made.set(c, (d = make(c)));
  return d;
}

/** deck.gl binary data for the points: one attribute per accessor. */
const pointData = (c: IncidentColumns) => ({
  length: c.count,
  attributes: {
    getPosition: { value: c.positions, size: 2 },
    getFilterValue: { value: c.minutes, size: 1 },
    getFilterCategory: { value: c.categoryF, size: 1 },
    getFillColor: { value: c.colours, size: 4, normalized: true },
  },
});

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

/** The heat's window and categories, uniforms of its aggregation pass. */
const heatFilterUniforms = {
  name: 'heatFilter',
  vs: `\
layout(std140) uniform heatFilterUniforms {
  vec4 on0;
  vec4 on1;
  vec2 range;
} heatFilter;
`,
  uniformTypes: { on0: 'vec4<f32>', on1: 'vec4<f32>', range: 'vec2<f32>' },
} as const;

/** What the aggregation pass gains: the attributes, and points outside the filter left out. */
const WEIGHTS_IN = 'in float weights;';
const WEIGHTS_END = 'gl_Position.w = 1.0;\n}';
const FILTERED_END = `gl_Position.w = 1.0;
int k = int(heatCategory + 0.5);
float on = k < 4 ? heatFilter.on0[k] : heatFilter.on1[k - 4];
if (on < 0.5 || heatMinutes < heatFilter.range.x || heatMinutes > heatFilter.range.y) {
  weightsTexture = vec4(0.);
  gl_PointSize = 0.;
  gl_Position = vec4(2., 2., 2., 1.);
}
}`;

interface WindowHeatProps {
  /** [from, to] in minutes since the columns' origin, both kept (see `range`) */
  heatRange: [number, number];
  /** category indices shown */
  heatCategories: number[];
}

/**
 * A HeatmapLayer whose aggregation pass keeps only the incidents in `heatRange` of the shown
 * `heatCategories`; its data (every incident) keeps its identity, so a window change rebuilds
 * nothing and makes no new shader: it re-runs the aggregation on the GPU for the next frame.
 * (WebGL only: deck.gl's WebGPU heat has its own shader.)
 */
export class WindowHeatmapLayer extends HeatmapLayer<unknown, WindowHeatProps> {
  static override layerName = 'WindowHeatmapLayer';
  static override defaultProps = {
    ...HeatmapLayer.defaultProps,
    getMinutes: { type: 'accessor', value: 0 },
    getCategory: { type: 'accessor', value: 0 },
    heatRange: { type: 'array', value: [0, 0], compare: true },
    heatCategories: { type: 'array', value: [], compare: true },
  } as never;

  override getShaders(shaders: { vs?: string; modules?: unknown[] }) {
    if (!shaders.vs?.includes(WEIGHTS_IN)) return super.getShaders(shaders);
    if (!shaders.vs.includes(WEIGHTS_END))
      throw new Error('WindowHeatmapLayer: the heat aggregation shader is not the one expected');
    const vs = shaders.vs
      .replace(WEIGHTS_IN, `${WEIGHTS_IN}\nin float heatMinutes;\nin float heatCategory;`)
      .replace(WEIGHTS_END, FILTERED_END);
    return super.getShaders({
      ...shaders,
      vs,
      modules: [...(shaders.modules ?? []), heatFilterUniforms],
    });
  }

  override _setupAttributes() {
    super._setupAttributes();
    this.getAttributeManager()!.add({
      heatMinutes: { size: 1, accessor: 'getMinutes' },
      heatCategory: { size: 1, accessor: 'getCategory' },
    });
  }

  override updateState(opts: UpdateParameters<this>) {
    const { props, oldProps } = opts;
    const filterChanged =
      props.heatRange[0] !== oldProps.heatRange?.[0] ||
      props.heatRange[1] !== oldProps.heatRange?.[1] ||
      props.heatCategories.join() !== oldProps.heatCategories?.join();
    const state = this.state as { filterDirty?: boolean };
    if (filterChanged) state.filterDirty = true;
    super.updateState(opts);
    // the heat's own update runs the aggregation when its data or bounds changed; else it is run here
    if (state.filterDirty && this.state.weightsTransform) this._updateWeightmap();
  }

  override _updateWeightmap() {
    const { heatRange, heatCategories } = this.props;
    const on = [0, 0, 0, 0, 0, 0, 0, 0];
    for (const k of heatCategories) on[k] = 1;
    const transform = this.state.weightsTransform as {
      model: { shaderInputs: { setProps(p: object): void } };
    };
    transform.model.shaderInputs.setProps({
      heatFilter: { on0: on.slice(0, 4), on1: on.slice(4), range: heatRange },
    });
    (this.state as { filterDirty?: boolean }).filterDirty = false;
    super._updateWeightmap();
  }
}

/** deck.gl binary data for the heat: every incident, its minute and its category. */
const heatData = (c: IncidentColumns) => ({
  length: c.count,
  attributes: {
    getPosition: { value: c.positions, size: 2 },
    getMinutes: { value: c.minutes, size: 1 },
    getCategory: { value: c.categoryF, size: 1 },
  },
});

export function heatLayer(
  c: IncidentColumns,
  f: IncidentFilter,
  opts: { opacity: number; visible: boolean },
) {
  return new WindowHeatmapLayer({
    id: 'incident-heat',
    data: once(c, heatData) as never,
    heatRange: range(f),
    heatCategories: f.categories,
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
    data: once(c, pointData) as never,
    // which incident a picked index is (registry.ts points' click)
    incidentColumns: c,
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
