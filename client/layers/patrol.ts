/** Patrol zones (outline and unit label), quick-response posts, cars, foot patrols and joint armed patrol routes. */
import { GeoJsonLayer, IconLayer, PathLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Geometry, LineString, Point } from 'geojson';
import type { UnitProperties as UnitRow } from '../../server/services/layers';
import { MAP_COLOURS } from '../theme';
import { icon } from './icons';

type UnitProperties = Pick<UnitRow, 'id' | 'kind' | 'name' | 'status'>;

export function zonesLayer(fc: FeatureCollection, opts: { visible: boolean; opacity: number }) {
  return new GeoJsonLayer({
    id: 'patrol-zones',
    data: fc,
    visible: opts.visible,
    opacity: opts.opacity,
    pickable: true,
    filled: true,
    getFillColor: [MAP_COLOURS.zone[0], MAP_COLOURS.zone[1], MAP_COLOURS.zone[2], 16],
    stroked: true,
    getLineColor: MAP_COLOURS.zone,
    lineWidthUnits: 'pixels',
    getLineWidth: 2,
  });
}

export function unitsLayers(
  fc: FeatureCollection<Geometry, UnitProperties>,
  opts: { visible: boolean; opacity: number; skipPosts?: boolean },
) {
  const points = fc.features.filter(
    (f): f is Feature<Point, UnitProperties> =>
      f.geometry.type === 'Point' && !(opts.skipPosts && f.properties.kind === 'post'),
  );
  const routes = fc.features.filter(
    (f): f is Feature<LineString, UnitProperties> => f.geometry.type === 'LineString',
  );
  return [
    new PathLayer<Feature<LineString, UnitProperties>>({
      id: 'patrol-routes',
      data: routes,
      visible: opts.visible,
      opacity: opts.opacity,
      pickable: true,
      getPath: (f) => f.geometry.coordinates as [number, number][],
      getColor: MAP_COLOURS.patrolRoute,
      widthUnits: 'pixels',
      getWidth: 4,
      capRounded: true,
      jointRounded: true,
    }),
    new IconLayer<Feature<Point, UnitProperties>>({
      id: 'patrol-units',
      data: points,
      visible: opts.visible,
      opacity: opts.opacity,
      pickable: true,
      getIcon: (f) =>
        icon(f.properties.kind === 'car' ? 'car' : f.properties.kind === 'foot' ? 'foot' : 'post'),
      getPosition: (f) => f.geometry.coordinates as [number, number],
      getColor: (f) => (f.properties.kind === 'car' ? MAP_COLOURS.car : MAP_COLOURS.post),
      getSize: 20,
      sizeUnits: 'pixels',
    }),
  ];
}
