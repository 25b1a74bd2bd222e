/**
 * The drawings of a slide as deck.gl layers: strokes in a warm yellow on a dark halo and text
 * with the map labels' CJK font and outline, readable on a projector over any layer. Lines and
 * areas are fixed to the ground; widths, the arrow's head and the text keep their size in pixels
 * at any zoom (the head is laid out again when the zoom changes, as the labels are).
 */
import { CompositeLayer, type Layer, type UpdateParameters, type Viewport } from '@deck.gl/core';
import { PathLayer, PolygonLayer, SolidPolygonLayer, TextLayer } from '@deck.gl/layers';
import type { Position } from 'geojson';
import { characterSetOf, FONT, type Label } from '../../layers/labels';
import { hex, MAP_COLOURS, type RGBA } from '../../theme';
import { ARROW_HEAD_PX, arrowHead, circleOf, textAnchor, type XY } from './geometry';
import type { Annotation } from './store';

/** The drawings' look at scale 1 (pixels). */
export const ANNOTATION_STYLE = {
  colour: hex('#FFD166'),
  selected: hex('#FFFFFF'),
  halo: hex(MAP_COLOURS.labelHalo, 230),
  fill: hex('#FFD166', 24),
  width: 4,
  haloWidth: 9,
  textSize: 22,
} as const;

export interface AnnotationLayerOptions {
  /** enlarges strokes, heads and text (presenting on a projector); 1 by default */
  scale?: number;
  /** the drawing shown as selected (white), by index */
  selected?: number | null;
}

interface Stroke {
  path: Position[];
  selected: boolean;
}
interface Area {
  polygon: Position[];
  selected: boolean;
}
interface Caption extends Label {
  kind: Annotation['kind'];
  selected: boolean;
}

interface Props {
  annotations: readonly Annotation[];
  scale: number;
  selected: number | null;
}

type ArrowLine = Extract<Annotation, { kind: 'arrow' }>;

/**
 * An arrow's shaft (ending at the head's neck) and head, laid out in Web Mercator world units
 * for `viewport`'s zoom: the head is ARROW_HEAD_PX × `scale` pixels long there.
 */
export function arrowParts(a: ArrowLine, viewport: Viewport, scale: number) {
  const line = a.geometry.coordinates;
  const tip = viewport.projectFlat(line.at(-1)!) as XY;
  const perPixel = 1 / 2 ** viewport.zoom;
  // the direction comes from the last vertex a pixel or more before the tip
  let i = line.length - 2;
  let from = viewport.projectFlat(line[i]!) as XY;
  while (i > 0 && Math.hypot(from[0] - tip[0], from[1] - tip[1]) < perPixel)
    from = viewport.projectFlat(line[--i]!) as XY;
  const h = arrowHead(
    from,
    tip,
    ARROW_HEAD_PX.length * scale * perPixel,
    ARROW_HEAD_PX.halfWidth * scale * perPixel,
  );
  if (!h) return { shaft: line, head: null };
  const back = (p: XY) => viewport.unprojectFlat(p) as Position;
  // the point is the drawing's own last vertex, not a round trip through the projection
  return {
    shaft: [...line.slice(0, i + 1), back(h.neck)],
    head: [line.at(-1)!, back(h.head[1]), back(h.head[2])],
  };
}

export class AnnotationsLayer extends CompositeLayer<Props> {
  static override layerName = 'AnnotationsLayer';
  declare state: { zoom: number; strokes: Stroke[]; heads: Area[] };

  override shouldUpdateState({ changeFlags }: UpdateParameters<this>) {
    return changeFlags.propsOrDataChanged || changeFlags.viewportChanged;
  }

  override updateState({ props, changeFlags }: UpdateParameters<this>) {
    const viewport = this.context.viewport;
    // a pan moves every drawing alike: only a zoom changes the heads in world units
    if (!changeFlags.propsOrDataChanged && viewport.zoom === this.state.zoom) return;
    const strokes: Stroke[] = [];
    const heads: Area[] = [];
    props.annotations.forEach((a, i) => {
      const selected = i === props.selected;
      if (a.kind === 'arrow') {
        const { shaft, head } = arrowParts(a, viewport, props.scale);
        strokes.push({ path: shaft, selected });
        if (head) heads.push({ polygon: head, selected });
      } else if (a.kind === 'circle') strokes.push({ path: circleOf(a).coordinates[0]!, selected });
      else if (a.kind === 'outline')
        strokes.push({
          path: a.geometry.type === 'Polygon' ? a.geometry.coordinates[0]! : a.geometry.coordinates,
          selected,
        });
    });
    this.setState({ zoom: viewport.zoom, strokes, heads });
  }

  /** The drawings' lines at `width` pixels, rounded at the ends and the corners. */
  private strokes(
    id: string,
    data: Stroke[],
    width: number,
    colour: RGBA | ((d: Stroke) => RGBA),
    trigger: unknown = null,
  ) {
    return new PathLayer<Stroke>({
      ...this.getSubLayerProps({ id }),
      data,
      getPath: (d: Stroke) => d.path,
      getWidth: width,
      widthUnits: 'pixels',
      capRounded: true,
      jointRounded: true,
      getColor: colour,
      updateTriggers: { getColor: trigger },
    });
  }

  override renderLayers() {
    const { annotations, scale, selected } = this.props;
    const s = ANNOTATION_STYLE;
    const colourOf = (d: { selected: boolean }): RGBA => (d.selected ? s.selected : s.colour);
    const areas: Area[] = [];
    const captions: Caption[] = [];
    annotations.forEach((a, i) => {
      const sel = i === selected;
      if (a.kind === 'circle') areas.push({ polygon: circleOf(a).coordinates[0]!, selected: sel });
      if (a.kind === 'outline' && a.geometry.type === 'Polygon')
        areas.push({ polygon: a.geometry.coordinates[0]!, selected: sel });
      if (a.text)
        captions.push({
          position: textAnchor(a) as [number, number],
          text: a.text,
          priority: 0,
          kind: a.kind,
          selected: sel,
        });
    });
    const { strokes, heads } = this.state;
    return [
      new SolidPolygonLayer<Area>({
        ...this.getSubLayerProps({ id: 'areas' }),
        data: areas,
        getPolygon: (d: Area) => d.polygon,
        getFillColor: s.fill,
      }),
      this.strokes('halo', strokes, s.haloWidth * scale, s.halo),
      this.strokes('strokes', strokes, s.width * scale, colourOf, selected),
      new PolygonLayer<Area>({
        ...this.getSubLayerProps({ id: 'heads' }),
        data: heads,
        getPolygon: (d: Area) => d.polygon,
        getFillColor: colourOf,
        getLineColor: s.halo,
        getLineWidth: 2.5 * scale,
        lineWidthUnits: 'pixels',
        lineJointRounded: true,
        updateTriggers: { getFillColor: selected },
      }),
      new TextLayer<Caption>({
        ...this.getSubLayerProps({ id: 'texts' }),
        data: captions,
        getPosition: (d: Caption) => d.position,
        getText: (d: Caption) => d.text,
        getSize: s.textSize * scale,
        sizeUnits: 'pixels',
        characterSet: characterSetOf(captions),
        fontFamily: FONT,
        fontWeight: 700,
        fontSettings: { sdf: true, fontSize: 48, buffer: 6 },
        outlineWidth: 5,
        outlineColor: s.halo,
        getColor: colourOf,
        getTextAnchor: 'middle',
        // a text label sits on its point; another drawing's words sit just above its anchor
        getAlignmentBaseline: (d: Caption) => (d.kind === 'text' ? 'center' : 'bottom'),
        getPixelOffset: (d: Caption) => (d.kind === 'text' ? [0, 0] : [0, -8 * scale]),
        updateTriggers: { getColor: selected, getPixelOffset: scale },
      }),
    ];
  }
}

/**
 * The deck.gl layers that draw a slide's drawings over the map (one composite layer), on top of
 * whatever comes before them in the list.
 *
 * @example
 * const layers = [...baseLayers, ...annotationLayers(annotations, { scale: 1.6 })];
 */
export function annotationLayers(
  annotations: readonly Annotation[],
  opts: AnnotationLayerOptions = {},
): Layer[] {
  if (!annotations.length) return [];
  return [
    new AnnotationsLayer({
      id: 'annotations',
      annotations,
      scale: opts.scale ?? 1,
      selected: opts.selected ?? null,
    }),
  ];
}
