/**
 * Map labels that never pile up: towns, patrol zones and communities are placed together, larger
 * priority first, and a label whose box would overlap one already placed is left out.
 *
 * Placement runs on the CPU when the zoom, rotation, tilt or canvas size changes (a pan keeps
 * it): about a hundred boxes, well under a millisecond. deck.gl's CollisionFilterExtension does
 * the same on the GPU with an extra render pass every frame and its own shader variants, which
 * cost seconds on software WebGL before the first map appears.
 */
import { CompositeLayer, type UpdateParameters, type Viewport } from '@deck.gl/core';
import { TextLayer } from '@deck.gl/layers';
import { pointOnFeature } from '@turf/turf';
import type { FeatureCollection, Geometry } from 'geojson';
import { hex, MAP_COLOURS, type RGBA } from '../theme';

export const FONT =
  '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

export interface Label {
  position: [number, number];
  text: string;
  /** larger wins a collision */
  priority: number;
}

/** One kind of label with its style; `priority`, when given, overrides the labels' own. */
export interface LabelSet {
  id: string;
  labels: Label[];
  size: number;
  colour?: RGBA;
  weight?: number;
  priority?: number;
}

/** A label's box in screen pixels, centred on (x, y). */
export interface LabelBox {
  x: number;
  y: number;
  width: number;
  height: number;
  priority: number;
}

/** Boxes are enlarged by this much for the test, so that placed labels keep some air between. */
export const LABEL_PADDING = 1.3;

/** Width of a text in ems: CJK characters and full-width forms are square, the rest narrower. */
export function textWidthEm(text: string): number {
  let w = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    w += c >= 0x2e80 ? 1 : c === 0x20 ? 0.3 : 0.6;
  }
  return w;
}

/**
 * Which boxes are shown: in order of priority (ties: the earlier first), a box is placed unless it
 * overlaps one placed before it.
 */
export function placeLabels(boxes: LabelBox[]): boolean[] {
  const order = boxes
    .map((_, i) => i)
    .sort((a, b) => boxes[b]!.priority - boxes[a]!.priority || a - b);
  const shown = new Array<boolean>(boxes.length).fill(false);
  const placed: LabelBox[] = [];
  for (const i of order) {
    const b = boxes[i]!;
    const hit = placed.some(
      (p) =>
        Math.abs(p.x - b.x) * 2 < p.width + b.width &&
        Math.abs(p.y - b.y) * 2 < p.height + b.height,
    );
    if (!hit) {
      placed.push(b);
      shown[i] = true;
    }
  }
  return shown;
}

/** The labels of each set that the viewport shows, placed together across the sets. */
export function placeSets(viewport: Viewport, sets: LabelSet[]): Label[][] {
  const boxes: LabelBox[] = [];
  for (const set of sets)
    for (const l of set.labels) {
      const [x, y] = viewport.project(l.position);
      boxes.push({
        x: x!,
        y: y!,
        width: textWidthEm(l.text) * set.size * LABEL_PADDING,
        height: set.size * LABEL_PADDING,
        priority: set.priority ?? l.priority,
      });
    }
  const shown = placeLabels(boxes);
  let k = 0;
  return sets.map((set) => set.labels.filter(() => shown[k++]));
}

/** What placement depends on: a pan of a flat map moves every label alike and keeps it. */
function placementKey(v: Viewport): string {
  const w = v as Viewport & {
    bearing?: number;
    pitch?: number;
    longitude?: number;
    latitude?: number;
  };
  const tilt = w.pitch ? `,${w.longitude},${w.latitude},${w.pitch}` : '';
  return `${v.zoom},${w.bearing ?? 0},${v.width},${v.height}${tilt}`;
}

const sameLabels = (a: Label[] | undefined, b: Label[]) =>
  a !== undefined && a.length === b.length && a.every((l, i) => l === b[i]);

export class LabelsLayer extends CompositeLayer<{ sets: LabelSet[] }> {
  static override layerName = 'LabelsLayer';
  declare state: { key: string; shown: Label[][] };

  override shouldUpdateState({ changeFlags }: UpdateParameters<this>) {
    return changeFlags.propsOrDataChanged || changeFlags.viewportChanged;
  }

  override updateState({ props, changeFlags }: UpdateParameters<this>) {
    const viewport = this.context.viewport;
    const key = placementKey(viewport);
    if (!changeFlags.propsOrDataChanged && key === this.state.key) return;
    const placed = placeSets(viewport, props.sets);
    // unchanged sets keep their arrays, so their text layers are not laid out again
    const old = this.state.shown ?? [];
    const shown = placed.map((labels, i) => (sameLabels(old[i], labels) ? old[i]! : labels));
    this.setState({ key, shown });
  }

  override renderLayers() {
    return this.props.sets.map(
      (set, i) =>
        new TextLayer<Label>({
          ...this.getSubLayerProps({ id: set.id }),
          data: this.state.shown[i] ?? [],
          getPosition: (d: Label) => d.position,
          getText: (d: Label) => d.text,
          getSize: set.size,
          sizeUnits: 'pixels',
          // every label of the set, shown or not: the font atlas stays as it is while zooming
          characterSet: characterSetOf(set.labels),
          fontFamily: FONT,
          fontWeight: set.weight ?? 500,
          fontSettings: { sdf: true, fontSize: 48, buffer: 6 },
          outlineWidth: 4,
          outlineColor: [11, 18, 32, 240],
          getColor: set.colour ?? hex(MAP_COLOURS.label),
          getTextAnchor: 'middle',
          getAlignmentBaseline: 'center',
        }),
    );
  }
}

const charSets = new WeakMap<Label[], string[]>();
/**
 * The characters of some labels, for a TextLayer's `characterSet`: deck.gl's default set has no
 * Chinese, and leaves out what it lacks. Made once per array.
 */
export function characterSetOf(labels: Label[]): string[] {
  let s = charSets.get(labels);
  if (!s) {
    s = [...new Set(labels.flatMap((l) => [...l.text]))].sort();
    charSets.set(labels, s);
  }
  return s;
}

export function labelsLayer(id: string, sets: LabelSet[], opts: { opacity?: number } = {}) {
  return new LabelsLayer({ id, sets, opacity: opts.opacity ?? 1 });
}

type Named = { name: string; population?: number };
const byName = (p: Named) => p.name;
const labelCache = new WeakMap<object, Map<unknown, Label[]>>();

/**
 * One label per polygon, at a point inside it; bigger places win collisions. Made once per
 * collection and `textOf` (a constant of its caller).
 */
export function labelsOf<P extends Named>(
  fc: FeatureCollection<Geometry, P>,
  textOf: (p: P) => string = byName,
): Label[] {
  let byText = labelCache.get(fc);
  if (!byText) labelCache.set(fc, (byText = new Map()));
  let labels = byText.get(textOf);
  if (!labels) {
    labels = fc.features.map((f) => ({
      position: pointOnFeature(f).geometry.coordinates as [number, number],
      text: textOf(f.properties),
      // deck.gl wants collision priorities within ±1000
      priority: Math.min(1000, Math.round((f.properties.population ?? 0) / 20)),
    }));
    byText.set(textOf, labels);
  }
  return labels;
}
