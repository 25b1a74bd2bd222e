/** Patrol zones (outline and unit label), quick-response posts, cars, foot patrols and joint armed patrol routes. */
import { GeoJsonLayer, IconLayer, PathLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, LineString, Point } from 'geojson';
import { MAP_COLOURS } from '../theme';
import { icon } from './icons';

interface UnitProperties {
  id: number;
  kind: 'post' | 'car' | 'foot' | 'joint_patrol';
  name: string;
  status: string;
}

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
  fc: FeatureCollection,
  opts: { visible: boolean; opacity: number; skipPosts?: boolean },
) {
  const points = fc.features.filter(
    (f) =>
      f.geometry.type === 'Point' &&
      !(opts.skipPosts && (f.properties as UnitProperties | null)?.kind === 'post'),
  ) as Feature<Point, UnitProperties>[];
  const routes = fc.features.filter((f) => f.geometry.type === 'LineString') as Feature<
    LineString,
    UnitProperties
  >[];
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
