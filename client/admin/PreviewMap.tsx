/**
 * A small map of what an import changes: the district's outline and the preview's features
 * coloured by change (added green, changed amber, removed red), with a legend counting each.
 * MapLibre alone (no deck.gl: a few thousand features at most), on the configured basemap or
 * the plain offline ground, so it works without a network.
 */
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';
import maplibregl from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { useEffect, useMemo, useRef } from 'react';
import { areaBBox } from '../../geo/areaBBox';
import type { Basemap } from '../../server/basemap';
import { useBasemap, useRegions } from '../data/hooks';
import { basemapStyle, displayOffset } from '../map/basemap';
import { MAP_COLOURS } from '../theme';
import { useAdminT } from './texts';

/** The colour of each kind of change, used by the map and its legend alike. */
export const CHANGE_COLOURS = {
  add: '#43a047',
  change: '#f9a825',
  remove: '#e53935',
} as const;
type Change = keyof typeof CHANGE_COLOURS;
const CHANGES = Object.keys(CHANGE_COLOURS) as Change[];

/** `fc` moved by [dx, dy] degrees (onto a GCJ-02 basemap), or `fc` itself when no move is needed. */
function shifted(fc: FeatureCollection, offset: [number, number] | null): FeatureCollection {
  if (!offset) return fc;
  const [dx, dy] = offset;
  const move = (c: unknown): unknown =>
    typeof (c as Position)[0] === 'number'
      ? [(c as Position)[0]! + dx, (c as Position)[1]! + dy]
      : (c as unknown[]).map(move);
  const geom = (g: Geometry | null): Geometry | null =>
    !g
      ? null
      : g.type === 'GeometryCollection'
        ? { ...g, geometries: g.geometries.map((x) => geom(x)!) }
        : ({ ...g, coordinates: move(g.coordinates) } as Geometry);
  return {
    ...fc,
    features: fc.features.map((f) => ({ ...f, geometry: geom(f.geometry)! }) as Feature),
  };
}

const byChange = (change: Change): maplibregl.ExpressionSpecification => [
  '==',
  ['get', 'change'],
  change,
];
const colour: maplibregl.ExpressionSpecification = [
  'match',
  ['get', 'change'],
  'add',
  CHANGE_COLOURS.add,
  'change',
  CHANGE_COLOURS.change,
  CHANGE_COLOURS.remove,
];

/** Adds the district and preview sources and their layers to a freshly loaded map. */
function addLayers(map: maplibregl.Map) {
  const empty: FeatureCollection = { type: 'FeatureCollection', features: [] };
  map.addSource('district', { type: 'geojson', data: empty });
  map.addSource('preview', { type: 'geojson', data: empty });
  map.addLayer({
    id: 'district',
    type: 'line',
    source: 'district',
    paint: { 'line-color': MAP_COLOURS.district, 'line-width': 1.5 },
  });
  const kind = (...types: string[]): maplibregl.ExpressionSpecification => [
    'in',
    ['geometry-type'],
    ['literal', types],
  ];
  const areas = kind('Polygon', 'MultiPolygon');
  const lines = kind('LineString', 'MultiLineString');
  const points = kind('Point', 'MultiPoint');
  map.addLayer({
    id: 'preview-fill',
    type: 'fill',
    source: 'preview',
    filter: areas,
    paint: { 'fill-color': colour, 'fill-opacity': 0.25 },
  });
  map.addLayer({
    id: 'preview-line',
    type: 'line',
    source: 'preview',
    filter: ['all', ['any', areas, lines], ['!', byChange('remove')]],
    paint: { 'line-color': colour, 'line-width': 1.5 },
  });
  // removed features dashed, so they read as going even where colours are hard to tell
  map.addLayer({
    id: 'preview-line-removed',
    type: 'line',
    source: 'preview',
    filter: ['all', ['any', areas, lines], byChange('remove')],
    paint: { 'line-color': CHANGE_COLOURS.remove, 'line-width': 1.5, 'line-dasharray': [2, 2] },
  });
  map.addLayer({
    id: 'preview-point',
    type: 'circle',
    source: 'preview',
    filter: points,
    // added and changed points drawn over the removed ones, which may be thousands
    layout: {
      'circle-sort-key': ['match', ['get', 'change'], 'remove', 0, 'change', 1, 2],
    },
    paint: {
      'circle-color': colour,
      'circle-radius': ['match', ['get', 'change'], 'remove', 2.5, 5],
      'circle-stroke-color': MAP_COLOURS.ground,
      'circle-stroke-width': ['match', ['get', 'change'], 'remove', 0, 1],
    },
  });
}

export function PreviewMap({ preview }: { preview: FeatureCollection }) {
  const basemap = useBasemap();
  return basemap ? <PreviewMapOn basemap={basemap} preview={preview} /> : null;
}

function PreviewMapOn({ basemap, preview }: { basemap: Basemap; preview: FeatureCollection }) {
  const t = useAdminT().io;
  const container = useRef<HTMLDivElement>(null);
  const mapRef = useRef<maplibregl.Map | null>(null);
  const loaded = useRef(false);
  const { district } = useRegions();
  const offset = displayOffset(basemap);
  const data = useRef({ preview, district, offset });
  data.current = { preview, district, offset };

  const counts = useMemo(() => {
    const n: Record<Change, number> = { add: 0, change: 0, remove: 0 };
    for (const f of preview.features) {
      const c = f.properties?.change as Change | undefined;
      if (c && c in n) n[c]++;
    }
    return n;
  }, [preview]);

  /** puts the current data on the map and fits it to the district */
  const show = () => {
    const map = mapRef.current;
    if (!map || !loaded.current) return;
    const d = data.current;
    (map.getSource('preview') as maplibregl.GeoJSONSource).setData(shifted(d.preview, d.offset));
    if (d.district) {
      (map.getSource('district') as maplibregl.GeoJSONSource).setData(
        shifted(d.district as FeatureCollection, d.offset),
      );
      const area = d.district.features[0]?.geometry;
      if (area && (area.type === 'Polygon' || area.type === 'MultiPolygon')) {
        const [w, s, e, n] = areaBBox(area);
        const [dx, dy] = d.offset ?? [0, 0];
        map.fitBounds(
          [
            [w + dx, s + dy],
            [e + dx, n + dy],
          ],
          { padding: 16, animate: false },
        );
      }
    }
  };

  useEffect(() => {
    const map = new maplibregl.Map({
      container: container.current!,
      style: basemapStyle(basemap, window.location.origin),
      center: [101.683, 36.694],
      zoom: 11,
      attributionControl: false,
      maxZoom: 19,
      minZoom: 8,
      fadeDuration: 0,
    });
    map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    map.on('load', () => {
      addLayers(map);
      loaded.current = true;
      show();
    });
    mapRef.current = map;
    // test hook: lets browser tests ask what the preview draws
    (window as unknown as { __previewMap?: maplibregl.Map }).__previewMap = map;
    return () => {
      loaded.current = false;
      mapRef.current = null;
      map.remove();
    };
    // the map is made once per basemap; the data follows through show()
  }, [basemap]);

  useEffect(show, [preview, district, offset?.[0]]);

  return (
    <div className="import-map" data-testid="import-preview">
      <div ref={container} className="import-map-canvas" />
      <ul className="import-legend" data-testid="import-legend">
        {CHANGES.map((c) => (
          <li key={c} data-change={c}>
            <span className="swatch" style={{ background: CHANGE_COLOURS[c] }} />
            {t.legend[c]} <span className="num">{counts[c].toLocaleString()}</span>
          </li>
        ))}
        <li>
          <span className="swatch line" style={{ borderColor: MAP_COLOURS.district }} />
          {t.legend.district}
        </li>
      </ul>
    </div>
  );
}
