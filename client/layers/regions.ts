/** The district, its towns and its 79 villages/communities, with labels that never pile up. */
import { CollisionFilterExtension } from '@deck.gl/extensions';
import { GeoJsonLayer, TextLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { CommunityProperties } from '../../server/services/regions';
import { hex, MAP_COLOURS, type RGBA } from '../theme';

export const FONT =
  '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

type CommunityFeature = Feature<Geometry, CommunityProperties>;

export function districtLayer(fc: FeatureCollection) {
  return new GeoJsonLayer({
    id: 'district',
    data: fc,
    filled: false,
    stroked: true,
    getLineColor: hex(MAP_COLOURS.district),
    lineWidthUnits: 'pixels',
    getLineWidth: 3,
  });
}

export function townsLayer(fc: FeatureCollection, opts: { visible: boolean; opacity: number }) {
  return new GeoJsonLayer({
    id: 'towns',
    data: fc,
    visible: opts.visible,
    opacity: opts.opacity,
    filled: false,
    stroked: true,
    getLineColor: hex(MAP_COLOURS.town, 220),
    lineWidthUnits: 'pixels',
    getLineWidth: 2,
  });
}

export function communitiesLayer(
  fc: FeatureCollection<Geometry, CommunityProperties>,
  opts: { visible: boolean; opacity: number; selectedId: number | null },
) {
  return new GeoJsonLayer<CommunityProperties>({
    id: 'communities',
    data: fc as never,
    visible: opts.visible,
    opacity: opts.opacity,
    pickable: true,
    autoHighlight: true,
    highlightColor: MAP_COLOURS.communityHover,
    filled: true,
    stroked: true,
    getFillColor: (f) =>
      (f as CommunityFeature).properties.id === opts.selectedId
        ? MAP_COLOURS.communitySelected
        : [0, 0, 0, 0],
    getLineColor: hex(MAP_COLOURS.community, 230),
    lineWidthUnits: 'pixels',
    getLineWidth: (f) => ((f as CommunityFeature).properties.id === opts.selectedId ? 3 : 1),
    updateTriggers: { getFillColor: opts.selectedId, getLineWidth: opts.selectedId },
  });
}

export interface Label {
  position: [number, number];
  text: string;
  /** larger wins a collision */
  priority: number;
}

/** Labels at each community's label point (a point inside the polygon, computed once). */
export function labelsLayer(
  id: string,
  labels: Label[],
  opts: { visible: boolean; size: number; colour?: RGBA; weight?: number; priority?: number },
) {
  return new TextLayer<Label>({
    id,
    data: labels,
    visible: opts.visible,
    getPosition: (d: Label) => d.position,
    getText: (d: Label) => d.text,
    getSize: opts.size,
    sizeUnits: 'pixels',
    characterSet: 'auto',
    fontFamily: FONT,
    fontWeight: opts.weight ?? 500,
    fontSettings: { sdf: true, fontSize: 48, buffer: 6 },
    outlineWidth: 4,
    outlineColor: [11, 18, 32, 240],
    getColor: opts.colour ?? hex(MAP_COLOURS.label),
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    extensions: [new CollisionFilterExtension()],
    collisionEnabled: true,
    // towns and communities share one group: nothing overlaps, towns win
    collisionGroup: 'labels',
    getCollisionPriority: (d: Label) => opts.priority ?? d.priority,
    collisionTestProps: { sizeScale: 1.3 },
  } as never);
}
