/**
 * MapLibre with deck.gl interleaved on top. The map needs no network: its ground is a plain dark
 * background, and a configured basemap (style or tiles) is added when there is one.
 */
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, LayersList, PickingInfo } from '@deck.gl/core';
import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { Protocol } from 'pmtiles';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Basemap } from '../../server/basemap';
import type { Camera } from '../state/view';
import { heatTextureSize } from '../layers/incidents';
import type { WindowFollower } from './useMapLayers';
import { basemapStyle, displayShift } from './basemap';

let pmtilesAdded = false;

export interface MapViewProps {
  layers: LayersList;
  camera: Camera;
  onCameraChange?: (c: Camera) => void;
  onClick?: (info: PickingInfo) => void;
  getTooltip?: (info: PickingInfo) => string | null;
  /** wall displays: no pointer, no controls */
  interactive?: boolean;
  /** seconds for camera moves made from outside (wall rotation) */
  flyDuration?: number;
  /** [west, south, east, north]: when given, the map fits these bounds instead of `camera` */
  bounds?: [number, number, number, number];
  basemap?: Basemap;
  /** the map once loaded (and null when it goes), for editors that draw on it */
  onMap?: (map: maplibregl.Map | null) => void;
  /** a MapLibre layer every deck.gl layer goes below (an editor's handles stay on top) */
  beforeId?: string;
  /** brings the window's layers up to date at each window change, between renders */
  follow?: WindowFollower;
  /** canvas pixels per CSS pixel (a picture at 2×); the screen's when absent */
  pixelRatio?: number;
}

export function MapView(props: MapViewProps) {
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const overlayRef = useRef<MapboxOverlay | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;
  /** the camera the map itself last reported, to tell our own moves from the store's */
  const reported = useRef<Camera | null>(null);
  /** the heat's weights texture, sized to the canvas */
  const [heatSize, setHeatSize] = useState(1024);

  useEffect(() => {
    const { camera, interactive = true, basemap = { kind: 'none' }, pixelRatio } = propsRef.current;
    if (basemap.kind === 'pmtiles' && !pmtilesAdded) {
      maplibregl.addProtocol('pmtiles', new Protocol().tile);
      pmtilesAdded = true;
    }
    const map = new maplibregl.Map({
      container: container.current!,
      style: basemapStyle(basemap, window.location.origin),
      center: [camera.lon, camera.lat],
      zoom: camera.zoom,
      interactive,
      attributionControl: false,
      localIdeographFontFamily: '"Noto Sans CJK SC", "Noto Sans SC", sans-serif',
      maxZoom: 19,
      minZoom: 8,
      fadeDuration: 0,
      ...(pixelRatio ? { pixelRatio } : {}),
    });
    if (interactive)
      map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    const overlay = new MapboxOverlay({
      interleaved: true,
      layers: [],
      // frames drawn, for tests and benchmarks that wait for a complete picture
      onAfterRender: () => {
        const w = window as unknown as { __deckFrames?: number };
        w.__deckFrames = (w.__deckFrames ?? 0) + 1;
      },
      getTooltip: (info) => {
        const text = propsRef.current.getTooltip?.(info);
        return text ? { text, className: 'map-tooltip' } : null;
      },
    });
    map.addControl(overlay);
    // clicks pick on MapLibre's click rather than deck.gl's tap gesture: a tap must end within
    // 250 ms of the press, which a slow picking pass (software WebGL, many points) can outlast
    map.on('click', (e) => {
      const onClick = propsRef.current.onClick;
      if (!onClick) return;
      const info =
        overlay.pickObject({ x: e.point.x, y: e.point.y, radius: 4 }) ??
        ({
          x: e.point.x,
          y: e.point.y,
          index: -1,
          layer: null,
          object: null,
        } as unknown as PickingInfo);
      onClick(info);
    });
    map.on('moveend', () => {
      const c = map.getCenter();
      const cam = { lon: c.lng, lat: c.lat, zoom: map.getZoom() };
      reported.current = cam;
      propsRef.current.onCameraChange?.(cam);
    });
    map.on('load', () => propsRef.current.onMap?.(map));
    const measure = () => {
      const el = map.getContainer();
      setHeatSize(heatTextureSize(el.clientWidth, el.clientHeight));
    };
    measure();
    map.on('resize', measure);
    mapRef.current = map;
    overlayRef.current = overlay;
    // test hook: lets browser tests wait for the first complete frame
    (window as unknown as { __map?: maplibregl.Map }).__map = map;
    return () => {
      propsRef.current.onMap?.(null);
      map.remove();
      mapRef.current = null;
      overlayRef.current = null;
    };
  }, []);

  // on a GCJ-02 basemap every layer is moved onto the tiles by one model matrix
  const shift = useMemo(
    () => (props.basemap ? displayShift(props.basemap) : null),
    [props.basemap],
  );
  const { beforeId, follow } = props;
  useEffect(() => {
    const extra = {
      ...(shift ? { modelMatrix: shift } : {}),
      ...(beforeId ? { beforeId } : {}),
    };
    const apply = () => {
      const layers = (follow ? follow.patch(props.layers) : props.layers).map((l) => {
        if (l instanceof HeatmapLayer) return l.clone({ ...extra, weightsTextureSize: heatSize });
        return l && Object.keys(extra).length ? (l as Layer).clone(extra) : l;
      });
      overlayRef.current?.setProps({ layers });
      // for the benchmark: when a view change has reached deck.gl
      // (one entry at a time: a wall runs for days, and marks would pile up in the timeline)
      performance.clearMarks('pingan:layers-set');
      performance.mark('pingan:layers-set');
    };
    apply();
    return follow?.subscribe(apply);
  }, [props.layers, shift, beforeId, heatSize, follow]);

  // follow camera changes made outside the map (URL, rotation), not our own reports
  const { lon, lat, zoom } = props.camera;
  const boundsKey = props.bounds?.join(',');
  useEffect(() => {
    const map = mapRef.current;
    const b = propsRef.current.bounds;
    if (map && b) {
      const duration = (propsRef.current.flyDuration ?? 0) * 1000;
      map.fitBounds([b[0], b[1], b[2], b[3]], { padding: 40, duration, essential: true });
      return;
    }
    const r = reported.current;
    if (!map || (r && r.lon === lon && r.lat === lat && r.zoom === zoom)) return;
    const duration = (props.flyDuration ?? 0) * 1000;
    if (duration > 0) map.flyTo({ center: [lon, lat], zoom, duration, essential: true });
    else map.jumpTo({ center: [lon, lat], zoom });
  }, [lon, lat, zoom, boundsKey, props.flyDuration]);

  return <div ref={container} className="map" data-testid="map" />;
}
