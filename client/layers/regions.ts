/** The district, its towns and its 79 villages/communities (their labels: labels.ts). */
import { GeoJsonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { CommunityProperties } from '../../server/services/regions';
import { hex, MAP_COLOURS } from '../theme';

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
  fc: FeatureCollection<Geometry, Pick<CommunityProperties, 'id'>>,
  opts: { visible: boolean; opacity: number; selectedId: number | null },
) {
  return new GeoJsonLayer<Pick<CommunityProperties, 'id'>>({
    id: 'communities',
    data: fc.features,
    visible: opts.visible,
    opacity: opts.opacity,
    pickable: true,
    autoHighlight: true,
    highlightColor: MAP_COLOURS.communityHover,
    filled: true,
    stroked: true,
    getFillColor: (f: Feature<Geometry, Pick<CommunityProperties, 'id'>>) =>
      f.properties.id === opts.selectedId ? MAP_COLOURS.communitySelected : [0, 0, 0, 0],
    getLineColor: hex(MAP_COLOURS.community, 230),
    lineWidthUnits: 'pixels',
    getLineWidth: (f: Feature<Geometry, Pick<CommunityProperties, 'id'>>) =>
      f.properties.id === opts.selectedId ? 3 : 1,
    updateTriggers: { getFillColor: opts.selectedId, getLineWidth: opts.selectedId },
  });
}
