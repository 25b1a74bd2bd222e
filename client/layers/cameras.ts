/** Cameras by kind (shape) and batch (colour), offline ones crossed out; their coverage sectors when zoomed in. */
import { IconLayer, SolidPolygonLayer } from '@deck.gl/layers';
import type { Feature, FeatureCollection, Point, Polygon } from 'geojson';
import { cameraSector } from '../../geo/cameraSector';
import type { CameraProperties as CameraRow } from '../../server/services/layers';
import { MAP_COLOURS, type RGBA } from '../theme';
import { icon } from './icons';

/** What the camera layers read of a camera (cameras.list sends a little more). */
export type CameraProperties = Omit<CameraRow, 'installedAt'>;
export type CameraFeature = Feature<Point, CameraProperties>;

export const INFILL = 'sharp-eyes-infill';

export interface CameraSets {
  all: CameraFeature[];
  existing: CameraFeature[];
  infill: CameraFeature[];
}

const sets = new WeakMap<FeatureCollection<Point, CameraProperties>, CameraSets>();

/** The cameras, split by batch once per list. */
export function cameraSets(fc: FeatureCollection<Point, CameraProperties>): CameraSets {
  let s = sets.get(fc);
  if (!s) {
    const all = fc.features;
    s = {
      all,
      existing: all.filter((f) => f.properties.batch !== INFILL),
      infill: all.filter((f) => f.properties.batch === INFILL),
    };
    sets.set(fc, s);
  }
  return s;
}

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
