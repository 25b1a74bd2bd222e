/** Cameras by kind (shape) and batch (colour), offline ones crossed out; their coverage sectors when zoomed in. */
import { IconLayer, SolidPolygonLayer } from '@deck.gl/layers';
import type { Feature, Point, Polygon } from 'geojson';
import { cameraSector } from '../../geo/cameraSector';
import { MAP_COLOURS, type RGBA } from '../theme';
import { icon } from './icons';

export interface CameraProperties {
  id: number;
  kind: 'bullet' | 'dome' | 'checkpoint';
  bearing: number;
  fov: number;
  rangeM: number;
  status: 'online' | 'offline';
  batch: string;
}
export type CameraFeature = Feature<Point, CameraProperties>;

export const INFILL = 'sharp-eyes-infill';

export const cameraColour = (p: CameraProperties): RGBA =>
  p.status === 'offline'
    ? MAP_COLOURS.cameraOffline
    : p.batch === INFILL
      ? MAP_COLOURS.cameraInfill
      : MAP_COLOURS.cameraExisting;

export function camerasLayer(
  id: string,
  cameras: CameraFeature[],
  opts: { visible: boolean; opacity: number; zoom: number },
) {
  return new IconLayer<CameraFeature>({
    id,
    data: cameras,
    visible: opts.visible,
    opacity: opts.opacity,
    pickable: true,
    getIcon: (f) => icon(f.properties.kind, f.properties.status === 'offline'),
    getPosition: (f) => f.geometry.coordinates as [number, number],
    getColor: (f) => cameraColour(f.properties),
    sizeUnits: 'pixels',
    // small dots from afar, readable icons up close
    getSize: opts.zoom >= 15 ? 22 : opts.zoom >= 13 ? 14 : 8,
    updateTriggers: { getSize: opts.zoom >= 15 ? 2 : opts.zoom >= 13 ? 1 : 0 },
  });
}

const sectors = new WeakMap<CameraFeature[], Feature<Polygon, CameraProperties>[]>();

/** Coverage sectors (built once per camera list). Offline cameras cover nothing and get none. */
export function sectorsLayer(
  cameras: CameraFeature[],
  opts: { visible: boolean; opacity: number },
) {
  let data = sectors.get(cameras);
  if (!data && opts.visible) {
    data = cameras
      .filter((f) => f.properties.status === 'online')
      .map((f) => {
        const [lon, lat] = f.geometry.coordinates as [number, number];
        const s = cameraSector({ lon, lat, ...f.properties });
        return { ...s, properties: f.properties };
      });
    sectors.set(cameras, data);
  }
  return new SolidPolygonLayer<Feature<Polygon, CameraProperties>>({
    id: 'camera-sectors',
    data: data ?? [],
    visible: opts.visible,
    opacity: opts.opacity,
    getPolygon: (f) => f.geometry.coordinates as [number, number][][],
    getFillColor: (f) => {
      const c = cameraColour(f.properties);
      return [c[0], c[1], c[2], 70];
    },
  });
}
