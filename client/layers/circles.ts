/** The three-tier protection circles: one cyan family, outer lightest and longest-dashed; checkpoints as diamonds. */
import { PathStyleExtension } from '@deck.gl/extensions';
import { GeoJsonLayer, IconLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import type { CircleProperties, SiteProperties } from '../../server/services/layers';
import { CIRCLE_STYLE } from '../theme';
import { icon } from './icons';

export function circlesLayers(
  fc: FeatureCollection<Geometry, Pick<CircleProperties, 'ring' | 'name'>>,
  opts: { visible: boolean; opacity: number },
) {
  return (['outer', 'middle', 'inner'] as const).map((ring) => {
    const style = CIRCLE_STYLE[ring];
    return new GeoJsonLayer({
      id: `circle-${ring}`,
      data: fc.features.filter((f) => f.properties.ring === ring),
      visible: opts.visible,
      opacity: opts.opacity,
      filled: true,
      getFillColor: style.fill,
      stroked: true,
      getLineColor: style.colour,
      lineWidthUnits: 'pixels',
      getLineWidth: style.width,
      getDashArray: style.dash,
      dashJustified: true,
      extensions: [new PathStyleExtension({ dash: true })],
    } as never);
  });
}

type SiteFeature = Feature<Point, Pick<SiteProperties, 'kind' | 'name'>>;

export function checkpointsLayer(
  sites: FeatureCollection<Point, Pick<SiteProperties, 'kind' | 'name'>>,
  opts: { visible: boolean; opacity: number },
) {
  const data = sites.features.filter((f) => f.properties.kind === 'checkpoint');
  return new IconLayer<SiteFeature>({
    id: 'circle-checkpoints',
    data,
    visible: opts.visible,
    opacity: opts.opacity,
    pickable: true,
    getIcon: () => icon('gate'),
    getPosition: (f) => f.geometry.coordinates as [number, number],
    getColor: CIRCLE_STYLE.outer.colour,
    getSize: 22,
    sizeUnits: 'pixels',
  });
}
