/** Key sites by kind. Hazardous-chemical and gas sites carry the risk orange: they are hazards. */
import { IconLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Point } from 'geojson';
import { RISK_COLOURS, type RGBA } from '../theme';
import { icon } from './icons';

interface SiteProperties {
  id: number;
  kind: 'school' | 'hospital' | 'hazchem' | 'gas' | 'government' | 'market' | 'checkpoint';
  name: string;
}

export const SITE_COLOURS: Record<Exclude<SiteProperties['kind'], 'checkpoint'>, RGBA> = {
  school: [129, 199, 132, 255],
  hospital: [240, 240, 240, 255],
  hazchem: RISK_COLOURS.orange,
  gas: RISK_COLOURS.orange,
  government: [179, 157, 219, 255],
  market: [255, 224, 178, 255],
};

export function sitesLayer(fc: FeatureCollection, opts: { visible: boolean; opacity: number }) {
  const data = fc.features.filter(
    (f) => (f.properties as SiteProperties).kind !== 'checkpoint',
  ) as Feature<Point, SiteProperties>[];
  return new IconLayer<Feature<Point, SiteProperties>>({
    id: 'key-sites',
    data,
    visible: opts.visible,
    opacity: opts.opacity,
    pickable: true,
    getIcon: () => icon('site'),
    getPosition: (f) => f.geometry.coordinates as [number, number],
    getColor: (f) =>
      SITE_COLOURS[f.properties.kind as keyof typeof SITE_COLOURS] ?? [200, 200, 200, 255],
    getSize: 24,
    sizeUnits: 'pixels',
  });
}
