/**
 * MapLibre with deck.gl interleaved on top (loaded by MapView.tsx when a map is first shown). The map needs no network: its ground is a plain dark
 * background, and a configured basemap (style or tiles) is added when there is one.
 */
import { HeatmapLayer } from '@deck.gl/aggregation-layers';
import { MapboxOverlay } from '@deck.gl/mapbox';
import type { Layer, PickingInfo } from '@deck.gl/core';
import maplibregl from 'maplibre-gl';
import { Protocol } from 'pmtiles';
import { useEffect, useMemo, useRef, useState } from 'react';
import { uniformPadding } from '../../geo/viewExtent';
import type { Camera } from '../state/view';
import { heatTextureSize } from '../layers/incidents';
import { basemapStyle, displayShift } from './basemap';
import { paddingBeside } from './legendPlace';
import { FIT_MARGIN, type MapViewProps } from './mapViewProps';

let pmtilesAdded = false;

/** The map itself (MapView.tsx loads it when a map is first shown). */
export default function MapLibreView(props: MapViewProps) {
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
    map.on('movestart', (e: { originalEvent?: unknown }) => {
      if (e.originalEvent) propsRef.current.onUserMove?.();
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
    // fitted bounds stay fitted at the new size
    map.on('resize', () => fitBounds(map, propsRef.current, 0));
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
      // drawn in the map's next frame: left to deck.gl, the change would wait for its own
      // animation frame to ask the map for a repaint, and show a frame later
      mapRef.current?.triggerRepaint();
      // for the benchmark: when a view change has reached deck.gl
      // (one entry at a time: a wall runs for days, and marks would pile up in the timeline)
      performance.clearMarks('pingan:layers-set');
      performance.mark('pingan:layers-set');
    };
    apply();
    return follow?.subscribe(apply);
  }, [props.layers, shift, beforeId, heatSize, follow]);

  // fit the bounds when they (or the room around them) change; not at our own camera reports
  const boundsKey = props.bounds?.join(',');
  const paddingKey = JSON.stringify(props.padding ?? null);
  const keepClearKey = props.keepClear ? `${props.keepClear.width}x${props.keepClear.height}` : '';
  useEffect(() => {
    const map = mapRef.current;
    if (map) fitBounds(map, propsRef.current, (propsRef.current.flyDuration ?? 0) * 1000);
  }, [boundsKey, paddingKey, keepClearKey]);

  // follow camera changes made outside the map (URL, rotation), not our own reports
  const { lon, lat, zoom } = props.camera;
  useEffect(() => {
    const map = mapRef.current;
    const r = reported.current;
    if (!map || propsRef.current.bounds) return;
    if (r && r.lon === lon && r.lat === lat && r.zoom === zoom) return;
    const duration = (props.flyDuration ?? 0) * 1000;
    if (duration > 0) map.flyTo({ center: [lon, lat], zoom, duration, essential: true });
    else map.jumpTo({ center: [lon, lat], zoom });
  }, [lon, lat, zoom, boundsKey, props.flyDuration]);

  return <div ref={container} className="map" data-testid="map" />;
}

/** Fits the map to its props' `bounds` (if any) inside their padding, clear of `keepClear`. */
function fitBounds(map: maplibregl.Map, props: MapViewProps, duration: number) {
  const b = props.bounds;
  if (!b) return;
  const el = map.getContainer();
  const size = { width: el.clientWidth, height: el.clientHeight };
  if (size.width <= 0 || size.height <= 0) return;
  const p = props.padding ?? FIT_MARGIN;
  const base = typeof p === 'number' ? uniformPadding(p) : p;
  const padding = paddingBeside(size, b, props.keepClear ?? null, base);
  map.fitBounds([b[0], b[1], b[2], b[3]], { padding, duration, essential: true });
}
