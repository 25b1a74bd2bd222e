/** Key sites by kind. Hazardous-chemical and gas sites carry the risk orange: they are hazards. */
import { IconLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { SiteProperties as SiteRow } from '../../server/services/layers';
import { RISK_COLOURS, type RGBA } from '../theme';
import { icon } from './icons';

type SiteProperties = Pick<SiteRow, 'id' | 'kind' | 'name'>;

export const SITE_COLOURS: Record<Exclude<SiteProperties['kind'], 'checkpoint'>, RGBA> = {
  school: [129, 199, 132, 255],
  hospital: [240, 240, 240, 255],
  hazchem: RISK_COLOURS.orange,
  gas: RISK_COLOURS.orange,
  government: [179, 157, 219, 255],
  market: [255, 224, 178, 255],
};

export function sitesLayer(
  fc: FeatureCollection<Point, SiteProperties>,
  opts: { visible: boolean; opacity: number },
) {
  const data = fc.features.filter((f) => f.properties.kind !== 'checkpoint');
  return new IconLayer<Feature<Point, SiteProperties>>({
    id: 'key-sites',
    data,
    visible: opts.visible,
    opacity: opts.opacity,
    pickable: true,
    getIcon: () => icon('site'),
    getPosition: (f) => f.geometry.coordinates as [number, number],
    getColor: (f) =>
      f.properties.kind === 'checkpoint' ? [200, 200, 200, 255] : SITE_COLOURS[f.properties.kind],
    getSize: 24,
    sizeUnits: 'pixels',
  });
}
