import type { Feature, FeatureCollection, Geometry, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { columnsFromArrow } from '../../client/data/incidentColumns';
import {
  INFILL,
  cameraColour,
  camerasLayer,
  sectorsLayer,
  type CameraFeature,
  type CameraProperties,
} from '../../client/layers/cameras';
import { circlesLayers } from '../../client/layers/circles';
import {
  heatLayer,
  heatTextureSize,
  pointsLayer,
  WindowHeatmapLayer,
  type IncidentFilter,
} from '../../client/layers/incidents';
import { communitiesLayer } from '../../client/layers/regions';
import { CIRCLE_STYLE, MAP_COLOURS } from '../../client/theme';
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../domain/vocabulary';
import { incidentsToArrow } from '../../server/services/arrow';
import type { CircleProperties } from '../../server/services/layers';
import type { CommunityProperties } from '../../server/services/regions';

/** deck.gl's props are typed per layer; the tests read them loosely. */
type Props = Record<string, unknown>;
const props = (layer: { props: unknown }) => layer.props as Props;

// --- incidents -------------------------------------------------------------------------------

const ORIGIN = Date.parse('2026-06-01T00:00:00+08:00');
const ORIGIN_S = ORIGIN / 1000;
const cat = (c: IncidentCategory) => INCIDENT_CATEGORIES.indexOf(c);
/** minutes since origin, categories */
const INCIDENTS: [number, IncidentCategory][] = [
  [0, 'criminal'],
  [30, 'traffic'],
  [60, 'fire'],
  [90, 'traffic'],
  [120, 'criminal'],
  [150, 'other'],
];

function makeColumns() {
  const n = INCIDENTS.length;
  const bytes = incidentsToArrow({
    count: n,
    id: Int32Array.from(INCIDENTS, (_, i) => i + 1),
    lon: Float32Array.from(INCIDENTS, (_, i) => 101.7 + i / 100),
    lat: Float32Array.from(INCIDENTS, (_, i) => 36.6 + i / 100),
    time: Uint32Array.from(INCIDENTS, ([m]) => ORIGIN_S + m * 60),
    category: Uint8Array.from(INCIDENTS, ([, c]) => cat(c)),
  });
  return columnsFromArrow(bytes, ORIGIN);
}

const ALL = INCIDENT_CATEGORIES.map((_, i) => i);
const filter = (from: number, to: number, categories = ALL): IncidentFilter => ({
  minutes: [from, to],
  categories,
});
const SHOWN = { opacity: 0.7, visible: true };

interface BinaryData {
  length: number;
  attributes: Record<string, { value: ArrayLike<number>; size: number }>;
}
const dataOf = (layer: { props: unknown }) => props(layer).data as BinaryData;

describe('heatLayer', () => {
  it('holds every incident, the columns themselves, whatever the window', () => {
    const c = makeColumns();
    const layer = heatLayer(c, filter(30, 120), SHOWN);
    const data = dataOf(layer);
    expect(layer).toBeInstanceOf(WindowHeatmapLayer);
    expect(layer.id).toBe('incident-heat');
    expect(data.length).toBe(INCIDENTS.length);
    // views of the loaded columns, not copies
    expect(data.attributes.getPosition!.value).toBe(c.positions);
    expect(data.attributes.getMinutes!.value).toBe(c.minutes);
    expect(data.attributes.getCategory!.value).toBe(c.categoryF);
  });

  it('keeps its data across window and category changes: a change rebuilds no attribute', () => {
    const c = makeColumns();
    const first = dataOf(heatLayer(c, filter(0, 60), SHOWN));
    for (const f of [
      filter(30, 120),
      filter(60, 150, [cat('criminal')]),
      filter(0, 1000, [cat('traffic'), cat('fire')]),
    ])
      expect(dataOf(heatLayer(c, f, SHOWN))).toBe(first);
    // new columns (a reload) are new data
    expect(dataOf(heatLayer(makeColumns(), filter(0, 60), SHOWN))).not.toBe(first);
  });

  it('gives the window as the half-open minute range and the shown categories', () => {
    const layer = heatLayer(makeColumns(), filter(60, 150, [cat('criminal')]), SHOWN);
    expect(props(layer).heatRange).toEqual([60, 149.5]);
    expect(props(layer).heatCategories).toEqual([cat('criminal')]);
  });

  it('passes visible and opacity through', () => {
    const layer = heatLayer(makeColumns(), filter(0, 60), { opacity: 0.3, visible: false });
    expect(layer.props.visible).toBe(false);
    expect(layer.props.opacity).toBe(0.3);
  });
});

describe('heatTextureSize', () => {
  it('covers the map at one texel per two pixels, rounded up to 64', () => {
    expect(heatTextureSize(1030, 720)).toBe(576);
    expect(heatTextureSize(1920, 1080)).toBe(960);
    expect(heatTextureSize(640, 1280)).toBe(640);
  });

  it('keeps the same size through small resizes', () => {
    expect(heatTextureSize(1000, 700)).toBe(heatTextureSize(1020, 700));
  });

  it('stays within deck.gl’s bounds (128 to 2048)', () => {
    expect(heatTextureSize(10, 10)).toBe(128);
    expect(heatTextureSize(8000, 3000)).toBe(2048);
  });
});

describe('pointsLayer', () => {
  const opts = { ...SHOWN, selectedId: null };

  it('binds every incident’s columns as binary attributes', () => {
    const c = makeColumns();
    const layer = pointsLayer(c, filter(0, 60), opts);
    const data = dataOf(layer);
    expect(layer.id).toBe('incident-points');
    expect(data.length).toBe(INCIDENTS.length);
    expect(data.attributes.getPosition!.value).toBe(c.positions);
    expect(data.attributes.getFilterValue!.value).toBe(c.minutes);
    expect(data.attributes.getFilterCategory!.value).toBe(c.categoryF);
    expect(data.attributes.getFillColor!.value).toBe(c.colours);
  });

  it('a new window on the same columns keeps the data object and moves the filter range', () => {
    const c = makeColumns();
    const a = pointsLayer(c, filter(0, 60), opts);
    const b = pointsLayer(c, filter(60, 150), opts);
    expect(props(b).data).toBe(props(a).data);
    expect(props(a).filterRange).not.toEqual(props(b).filterRange);
    const [lo, hi] = props(b).filterRange as [number, number];
    expect(lo).toBe(60);
    // half-open on whole minutes: 149 is in, 150 is out, and the bound survives float32
    expect(hi).toBeLessThan(150);
    expect(hi).toBeGreaterThan(149);
    expect(Math.fround(hi + 730 * 1440)).toBeLessThan(150 + 730 * 1440);
  });

  it('new columns get a new data object', () => {
    const a = pointsLayer(makeColumns(), filter(0, 60), opts);
    const b = pointsLayer(makeColumns(), filter(0, 60), opts);
    expect(props(b).data).not.toBe(props(a).data);
  });

  it('filters categories on the GPU', () => {
    const layer = pointsLayer(makeColumns(), filter(0, 60, [cat('fire')]), opts);
    expect(props(layer).filterCategories).toEqual([cat('fire')]);
    expect(props(layer).extensions).toHaveLength(1);
  });

  it('passes visible and opacity through', () => {
    const layer = pointsLayer(makeColumns(), filter(0, 60), {
      opacity: 0.4,
      visible: false,
      selectedId: 3,
    });
    expect(layer.props.visible).toBe(false);
    expect(layer.props.opacity).toBe(0.4);
  });
});

// --- circles ---------------------------------------------------------------------------------

type CircleFeature = Feature<Geometry, Pick<CircleProperties, 'ring' | 'name'>>;
const ring = (r: CircleProperties['ring'], name: string): CircleFeature => ({
  type: 'Feature',
  properties: { ring: r, name },
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [101.7, 36.6],
        [101.8, 36.6],
        [101.8, 36.7],
        [101.7, 36.6],
      ],
    ],
  },
});
const CIRCLES: FeatureCollection<Geometry, CircleFeature['properties']> = {
  type: 'FeatureCollection',
  features: [ring('inner', 'a'), ring('outer', 'b'), ring('middle', 'c'), ring('outer', 'd')],
};

describe('circlesLayers', () => {
  const layers = circlesLayers(CIRCLES, { visible: true, opacity: 0.6 });

  it('returns the outer, middle and inner layers in that order', () => {
    expect(layers.map((l) => l.id)).toEqual(['circle-outer', 'circle-middle', 'circle-inner']);
  });

  it('gives each layer only its ring’s features', () => {
    const names = layers.map((l) => (props(l).data as Feature[]).map((f) => f.properties!.name));
    expect(names).toEqual([['b', 'd'], ['c'], ['a']]);
  });

  it('styles each ring from CIRCLE_STYLE', () => {
    (['outer', 'middle', 'inner'] as const).forEach((r, i) => {
      const p = props(layers[i]!);
      expect(p.getLineColor).toEqual(CIRCLE_STYLE[r].colour);
      expect(p.getFillColor).toEqual(CIRCLE_STYLE[r].fill);
      expect(p.getDashArray).toEqual(CIRCLE_STYLE[r].dash);
      expect(p.getLineWidth).toBe(CIRCLE_STYLE[r].width);
    });
  });

  it('uses distinct dash arrays and colours for the three rings', () => {
    const dashes = new Set(layers.map((l) => JSON.stringify(props(l).getDashArray)));
    const colours = new Set(layers.map((l) => JSON.stringify(props(l).getLineColor)));
    expect(dashes.size).toBe(3);
    expect(colours.size).toBe(3);
  });

  it('passes visible and opacity to all three', () => {
    const hidden = circlesLayers(CIRCLES, { visible: false, opacity: 0.2 });
    for (const l of hidden) {
      expect(l.props.visible).toBe(false);
      expect(l.props.opacity).toBe(0.2);
    }
  });
});

// --- cameras ---------------------------------------------------------------------------------

function camera(id: number, over: Partial<CameraProperties> = {}): CameraFeature {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [101.74 + id / 1000, 36.66] },
    properties: {
      id,
      kind: 'dome',
      bearing: 90,
      fov: 60,
      rangeM: 80,
      status: 'online',
      batch: '2019-skynet',
      ...over,
    },
  };
}

describe('cameraColour', () => {
  it('existing and infill online cameras differ in colour', () => {
    expect(cameraColour(camera(1).properties)).toEqual(MAP_COLOURS.cameraExisting);
    expect(cameraColour(camera(2, { batch: INFILL }).properties)).toEqual(MAP_COLOURS.cameraInfill);
    expect(MAP_COLOURS.cameraInfill).not.toEqual(MAP_COLOURS.cameraExisting);
  });

  it('offline grey wins over the batch colour', () => {
    expect(cameraColour(camera(1, { status: 'offline' }).properties)).toEqual(
      MAP_COLOURS.cameraOffline,
    );
    expect(cameraColour(camera(2, { status: 'offline', batch: INFILL }).properties)).toEqual(
      MAP_COLOURS.cameraOffline,
    );
  });
});

describe('camerasLayer', () => {
  it('takes its id, data, visibility and opacity from the arguments', () => {
    const cams = [camera(1), camera(2)];
    const layer = camerasLayer('cameras-infill', cams, { visible: false, opacity: 0.5, zoom: 12 });
    expect(layer.id).toBe('cameras-infill');
    expect(layer.props.data).toBe(cams);
    expect(layer.props.visible).toBe(false);
    expect(layer.props.opacity).toBe(0.5);
  });

  it('colours icons with cameraColour', () => {
    const layer = camerasLayer('c', [], { visible: true, opacity: 1, zoom: 12 });
    const getColor = props(layer).getColor as (f: CameraFeature) => unknown;
    expect(getColor(camera(1, { status: 'offline' }))).toEqual(MAP_COLOURS.cameraOffline);
    expect(getColor(camera(1, { batch: INFILL }))).toEqual(MAP_COLOURS.cameraInfill);
  });

  it('crosses out offline cameras’ icons', () => {
    const layer = camerasLayer('c', [], { visible: true, opacity: 1, zoom: 12 });
    const getIcon = props(layer).getIcon as (f: CameraFeature) => { id: string };
    expect(getIcon(camera(1, { kind: 'bullet' })).id).toBe('bullet');
    expect(getIcon(camera(1, { kind: 'bullet', status: 'offline' })).id).toBe('bullet-x');
  });

  it('grows the icons as the map zooms in', () => {
    const size = (zoom: number) =>
      props(camerasLayer('c', [], { visible: true, opacity: 1, zoom })).getSize;
    expect(size(11)).toBe(8);
    expect(size(13)).toBe(14);
    expect(size(15)).toBe(22);
  });
});

describe('sectorsLayer', () => {
  type Sector = Feature<Polygon, CameraProperties>;

  it('builds sectors only for online cameras', () => {
    const cams = [camera(1), camera(2, { status: 'offline' }), camera(3, { batch: INFILL })];
    const data = props(sectorsLayer(cams, { visible: true, opacity: 0.5 })).data as Sector[];
    expect(data.map((f) => f.properties.id)).toEqual([1, 3]);
    for (const f of data) expect(f.geometry.type).toBe('Polygon');
  });

  it('carries the camera’s properties on its sector', () => {
    const cams = [camera(7, { bearing: 45, batch: INFILL })];
    const [s] = props(sectorsLayer(cams, { visible: true, opacity: 0.5 })).data as Sector[];
    expect(s!.properties).toEqual(cams[0]!.properties);
  });

  it('builds nothing while hidden, then builds once shown', () => {
    const cams = [camera(1), camera(2)];
    const hidden = sectorsLayer(cams, { visible: false, opacity: 0.5 });
    expect(props(hidden).data).toEqual([]);
    expect(hidden.props.visible).toBe(false);
    const shown = sectorsLayer(cams, { visible: true, opacity: 0.5 });
    expect(props(shown).data).toHaveLength(2);
  });

  it('reuses the sectors of the same camera list', () => {
    const cams = [camera(1)];
    const a = sectorsLayer(cams, { visible: true, opacity: 0.5 });
    const b = sectorsLayer(cams, { visible: true, opacity: 0.9 });
    expect(props(b).data).toBe(props(a).data);
    expect(b.props.opacity).toBe(0.9);
  });
});

// --- regions ---------------------------------------------------------------------------------

function community(id: number): Feature<Geometry, CommunityProperties> {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [101.7, 36.6] },
    properties: {
      id,
      code: `C${id}`,
      name: `community ${id}`,
      townId: 1,
      townName: 'town',
      kind: 'community',
      population: 1000,
      synthetic: true,
      geometrySource: 'test',
    },
  };
}
const COMMUNITIES: FeatureCollection<Geometry, CommunityProperties> = {
  type: 'FeatureCollection',
  features: [community(1), community(2)],
};

describe('communitiesLayer', () => {
  it('fills the selected community and leaves the others transparent', () => {
    const layer = communitiesLayer(COMMUNITIES, { visible: true, opacity: 1, selectedId: 2 });
    const fill = props(layer).getFillColor as (f: Feature) => unknown;
    expect(fill(community(2))).toEqual(MAP_COLOURS.communitySelected);
    expect(fill(community(1))).toEqual([0, 0, 0, 0]);
  });

  it('fills nothing when nothing is selected', () => {
    const layer = communitiesLayer(COMMUNITIES, { visible: true, opacity: 1, selectedId: null });
    const fill = props(layer).getFillColor as (f: Feature) => unknown;
    for (const f of COMMUNITIES.features) expect(fill(f)).toEqual([0, 0, 0, 0]);
  });

  it('draws the selected outline thicker', () => {
    const layer = communitiesLayer(COMMUNITIES, { visible: true, opacity: 1, selectedId: 1 });
    const width = props(layer).getLineWidth as (f: Feature) => number;
    expect(width(community(1))).toBeGreaterThan(width(community(2)));
  });

  it('re-evaluates the accessors when the selection changes', () => {
    const triggers = (selectedId: number | null) =>
      props(communitiesLayer(COMMUNITIES, { visible: true, opacity: 1, selectedId }))
        .updateTriggers as Props;
    expect(triggers(1).getFillColor).not.toEqual(triggers(2).getFillColor);
    expect(triggers(1).getLineWidth).not.toEqual(triggers(2).getLineWidth);
  });

  it('has the communities id and passes visible and opacity through', () => {
    const layer = communitiesLayer(COMMUNITIES, { visible: false, opacity: 0.4, selectedId: null });
    expect(layer.id).toBe('communities');
    expect(layer.props.visible).toBe(false);
    expect(layer.props.opacity).toBe(0.4);
  });
});
