/**
 * The map's layers as the client draws them: one entry per layer of domain/layers.ts. The layer
 * panel, the map (useMapLayers), the legend, the tooltips and clicks, the wall views, what a
 * role may see and the layers' names all read this table.
 *
 * Adding a layer: its id, permission and data sources in domain/layers.ts, its factory in
 * client/layers/, and one entry here (the type asks for every field).
 */
import type { LayersList, PickingInfo } from '@deck.gl/core';
import type { FeatureCollection, Geometry } from 'geojson';
import { LAYERS, MAP_LAYERS, type MapLayer } from '../../domain/layers';
import type { Permission } from '../../domain/permissions';
import type { HotSpots } from '../../server/services/gistar';
import type {
  CameraProperties as CameraRow,
  CircleProperties,
  SiteProperties,
  UnitProperties,
  ZoneProperties,
} from '../../server/services/layers';
import type {
  CommunityProperties,
  DistrictProperties,
  TownProperties,
} from '../../server/services/regions';
import type { IncidentColumns } from '../data/incidentColumns';
import type { IncidentCells } from '../../server/services/incidentCells';
import { MAP_COLOURS } from '../theme';
import { gapsLayer, hotspotsLayer, reachLayer } from './analysis';
import { cameraSets, camerasLayer, sectorsLayer } from './cameras';
import { checkpointsLayer, circlesLayers } from './circles';
import { incidentCellsLayer } from './incidentCells';
import { heatLayer, pointsLayer, type IncidentFilter } from './incidents';
import { labelsOf, type Label, type LabelSet } from './labels';
import {
  boundariesLegend,
  camerasLegend,
  circlesLegend,
  gapsLegend,
  heatLegend,
  hotspotsLegend,
  pointsLegend,
  postsLegend,
  reachLegend,
  sitesLegend,
  zonesLegend,
  type LegendSection,
} from './legends';
import { unitsLayers, zonesLayer } from './patrol';
import { communitiesLayer, districtLayer, townsLayer } from './regions';
import { sitesLayer } from './sites';

export type LayerId = MapLayer;

export interface LayerState {
  on: boolean;
  /** 0..1 */
  opacity: number;
}

/** The wall's prepared views (wallViews.ts). */
export const WALL_VIEW_IDS = ['heat', 'circles', 'cameras', 'communities'] as const;
export type WallViewId = (typeof WALL_VIEW_IDS)[number];

type Collection<P, G extends Geometry = Geometry> = FeatureCollection<G, P>;

/** What the layers draw, as the server sends it (undefined until it has arrived). */
export interface MapData {
  district?: Collection<DistrictProperties>;
  towns?: Collection<TownProperties>;
  communities?: Collection<CommunityProperties>;
  /** the incidents loaded, as columns (the heat and the points), around the window */
  columns?: IncidentColumns;
  /**
   * the window's incidents per cell, where it holds more than the points' limit: the heat is
   * drawn from them, and neither the heat nor the points from the columns
   */
  cells?: IncidentCells;
  /** where the heat is drawn from cells and the map zoomed in: the incidents around the view */
  areaPoints?: IncidentColumns;
  cameras?: FeatureCollection<GeoJSON.Point, CameraRow>;
  sites?: FeatureCollection<GeoJSON.Point, SiteProperties>;
  circles?: Collection<CircleProperties>;
  zones?: Collection<ZoneProperties>;
  posts?: Collection<UnitProperties>;
  gaps?: Collection<{ communityId: number; communityName: string; areaM2: number }>;
  reach?: Collection<{ minutes: number; radiusM: number; areaKm2: number }>;
  hotspots?: HotSpots;
}

/** The data fetched only while a layer that needs it is on; the rest is always fetched. */
export const LAZY_DATA = [
  'cameras',
  'sites',
  'circles',
  'zones',
  'posts',
  'gaps',
  'reach',
  'hotspots',
] as const satisfies readonly (keyof MapData)[];
export type LazyData = (typeof LAZY_DATA)[number];

/** What a layer's factory is given. */
export interface DrawContext {
  data: MapData;
  /** whether a layer is on (and allowed) and the zoom is within its range */
  shown(id: LayerId): boolean;
  /** deck.gl's visible and opacity for a layer */
  vis(id: LayerId): { visible: boolean; opacity: number };
  zoom: number;
  /** the time window [from, to) in ms; layers that follow it are made anew at each change */
  range: { from: number; to: number };
  /** category indices shown (all when none is filtered) */
  categories: number[];
  communityId: number | null;
  incidentId: number | null;
  /** the planning editor is open: it draws the zones and the posts itself */
  editing: boolean;
  /** community label size in pixels */
  labelSize: number;
  /** the editor's zone labels while it is open */
  draftZoneLabels?: Label[];
}

/** One deck.gl layer (or several) at its place in the drawing order (larger: on top). */
export interface Draw {
  order: number;
  build(c: DrawContext): LayersList;
}

export interface ClickActions {
  columns?: IncidentColumns;
  selectIncident(id: number): void;
  selectCommunity(id: number | null): void;
}

/** The words a tooltip uses (the app's texts have them). */
export interface TooltipTexts {
  lang: 'zh' | 'en';
  online: string;
  offline: string;
}

export interface LayerSpec {
  /** the data it draws (MapData's keys); the lazy ones are fetched only while it is on */
  data: readonly (keyof MapData)[];
  /** on or off, and the opacity, of a new view */
  defaults: LayerState;
  /** drawn only from `min` (and below `max`) */
  zoom?: { min?: number; max?: number };
  draw: readonly Draw[];
  /** its deck.gl layers follow the time window between renders (useMapLayers' `follow`) */
  followsWindow?: boolean;
  /** its labels, placed with the others (lower `order` first in ties) */
  labels?: { order: number; build(c: DrawContext): LabelSet | undefined };
  /** the ids of the deck.gl layers it draws, for tooltips and clicks */
  deckIds: readonly string[];
  /** the tooltip of a picked object; default: its `name` */
  tooltip?: (object: unknown, t: TooltipTexts) => string | null;
  /** a click on one of its objects; true when handled */
  click?: (info: PickingInfo, a: ClickActions) => boolean;
  /** its legend section, or the layer in whose section it appears, or none */
  legend: { order: number; section: LegendSection } | { with: LayerId } | 'none';
  /** the wall views that show it */
  wall: readonly WallViewId[];
  /** its name in the layer panel, the legend and the administration pages */
  words: { zh: string; en: string };
}

export interface LayerEntry extends LayerSpec {
  id: LayerId;
  permission: Permission;
}

/** Points replace the heat from this zoom on; camera sectors appear from SECTOR_ZOOM. */
export const POINTS_ZOOM = 14;
export const SECTOR_ZOOM = 15;

const incidentFilter = (c: DrawContext, columns: IncidentColumns): IncidentFilter => ({
  minutes: [(c.range.from - columns.origin) / 60_000, (c.range.to - columns.origin) / 60_000],
  categories: c.categories,
});

const cameraTooltip = (o: unknown, t: TooltipTexts) => {
  const p = (o as { properties?: CameraRow }).properties;
  if (!p) return null;
  const kind =
    p.kind === 'dome'
      ? t.lang === 'zh'
        ? '球机'
        : 'Dome'
      : p.kind === 'bullet'
        ? t.lang === 'zh'
          ? '枪机'
          : 'Bullet'
        : t.lang === 'zh'
          ? '卡口'
          : 'Checkpoint';
  return `${kind} · ${p.status === 'online' ? t.online : t.offline}`;
};

const zoneText = (p: ZoneProperties) =>
  `${p.unit}${p.shift === 'day' ? '（日）' : p.shift === 'night' ? '（夜）' : ''}`;

const SPECS: { readonly [K in LayerId]: LayerSpec } = {
  heat: {
    data: ['columns', 'cells'],
    defaults: { on: true, opacity: 0.8 },
    followsWindow: true,
    draw: [
      {
        order: 70,
        build: (c) => {
          const opts = {
            opacity: c.vis('heat').opacity,
            // the points replace it where they are drawn
            visible: c.shown('heat') && !(c.shown('points') && !c.data.cells),
          };
          if (c.data.cells) return [incidentCellsLayer(c.data.cells, opts)];
          return c.data.columns
            ? [heatLayer(c.data.columns, incidentFilter(c, c.data.columns), opts)]
            : [];
        },
      },
    ],
    deckIds: ['incident-heat', 'incident-heat-cells'],
    legend: { order: 10, section: heatLegend },
    wall: ['heat', 'communities'],
    words: { zh: '警情热力', en: 'Incident heat' },
  },
  points: {
    data: ['columns', 'areaPoints'],
    defaults: { on: true, opacity: 1 },
    zoom: { min: POINTS_ZOOM },
    followsWindow: true,
    draw: [
      {
        order: 80,
        build: (c) => {
          // a range the loaded columns do not hold has the points of the area around the view
          // alone (and none when zoomed out: the heat is drawn from cells)
          const points = c.data.areaPoints ?? (c.data.cells ? undefined : c.data.columns);
          return points
            ? [
                pointsLayer(points, incidentFilter(c, points), {
                  ...c.vis('points'),
                  selectedId: c.incidentId,
                }),
              ]
            : [];
        },
      },
    ],
    deckIds: ['incident-points'],
    click: (info, a) => {
      // the columns the layer draws: the loaded ones, or the area's
      const columns =
        (info.layer?.props as { incidentColumns?: IncidentColumns } | undefined)?.incidentColumns ??
        a.columns;
      if (!columns || info.index < 0) return false;
      a.selectIncident(columns.id[info.index]!);
      return true;
    },
    legend: { order: 20, section: pointsLegend },
    wall: [],
    words: { zh: '警情点位', en: 'Incident points' },
  },
  communities: {
    data: ['communities'],
    defaults: { on: true, opacity: 1 },
    draw: [
      {
        order: 20,
        build: (c) =>
          c.data.communities
            ? [
                communitiesLayer(c.data.communities, {
                  ...c.vis('communities'),
                  selectedId: c.communityId,
                }),
              ]
            : [],
      },
    ],
    labels: {
      order: 3,
      build: (c) =>
        c.shown('communities') && c.zoom >= 11 && c.data.communities
          ? { id: 'communities', labels: labelsOf(c.data.communities), size: c.labelSize }
          : undefined,
    },
    deckIds: ['communities'],
    tooltip: (o) => {
      const p = (o as { properties?: CommunityProperties }).properties;
      return p ? `${p.name}（${p.townName}）` : null;
    },
    click: (info, a) => {
      const o = info.object as { properties: CommunityProperties } | null | undefined;
      if (!o) return false;
      a.selectCommunity(o.properties.id);
      return true;
    },
    legend: { with: 'towns' },
    wall: ['cameras', 'communities'],
    words: { zh: '村/社区', en: 'Villages/communities' },
  },
  towns: {
    data: ['towns'],
    defaults: { on: true, opacity: 1 },
    draw: [
      {
        order: 10,
        build: (c) => (c.data.towns ? [townsLayer(c.data.towns, c.vis('towns'))] : []),
      },
    ],
    labels: {
      order: 1,
      build: (c) =>
        c.shown('towns') && c.zoom < 12.5 && c.data.towns
          ? {
              id: 'towns',
              labels: labelsOf(c.data.towns),
              size: c.labelSize + 4,
              weight: 700,
              colour: [255, 255, 255, 255],
              priority: 1000,
            }
          : undefined,
    },
    deckIds: ['towns'],
    legend: { order: 30, section: boundariesLegend },
    wall: ['heat', 'circles'],
    words: { zh: '街道/镇', en: 'Towns' },
  },
  circles: {
    data: ['circles', 'sites'],
    defaults: { on: true, opacity: 0.9 },
    draw: [
      {
        order: 50,
        build: (c) => (c.data.circles ? circlesLayers(c.data.circles, c.vis('circles')) : []),
      },
      // the outer circle's checkpoints are key sites of their own kind
      {
        order: 145,
        build: (c) => (c.data.sites ? [checkpointsLayer(c.data.sites, c.vis('circles'))] : []),
      },
    ],
    deckIds: ['circle-outer', 'circle-middle', 'circle-inner', 'circle-checkpoints'],
    legend: { order: 40, section: circlesLegend },
    wall: ['circles'],
    words: { zh: '三级防护圈', en: 'Protection circles' },
  },
  cameras: {
    data: ['cameras'],
    defaults: { on: false, opacity: 1 },
    draw: [
      {
        order: 110,
        build: (c) =>
          c.data.cameras
            ? [
                camerasLayer('cameras-existing', cameraSets(c.data.cameras).existing, {
                  ...c.vis('cameras'),
                  zoom: c.zoom,
                }),
              ]
            : [],
      },
    ],
    deckIds: ['cameras-existing'],
    tooltip: cameraTooltip,
    legend: { order: 50, section: camerasLegend },
    wall: ['cameras'],
    words: { zh: '摄像头', en: 'Cameras' },
  },
  infill: {
    data: ['cameras'],
    defaults: { on: false, opacity: 1 },
    draw: [
      {
        order: 120,
        build: (c) =>
          c.data.cameras
            ? [
                camerasLayer('cameras-infill', cameraSets(c.data.cameras).infill, {
                  ...c.vis('infill'),
                  zoom: c.zoom,
                }),
              ]
            : [],
      },
    ],
    deckIds: ['cameras-infill'],
    tooltip: cameraTooltip,
    legend: { with: 'cameras' },
    wall: ['cameras'],
    words: { zh: '补盲摄像头', en: 'Infill cameras' },
  },
  sectors: {
    data: ['cameras'],
    defaults: { on: false, opacity: 0.5 },
    zoom: { min: SECTOR_ZOOM },
    draw: [
      {
        order: 100,
        build: (c) =>
          c.data.cameras ? [sectorsLayer(cameraSets(c.data.cameras).all, c.vis('sectors'))] : [],
      },
    ],
    deckIds: ['camera-sectors'],
    legend: { with: 'cameras' },
    wall: [],
    words: { zh: '摄像头视域', en: 'Camera sectors' },
  },
  zones: {
    data: ['zones'],
    defaults: { on: false, opacity: 1 },
    draw: [
      {
        order: 30,
        build: (c) =>
          // while editing, the editor draws them
          c.data.zones && !c.editing ? [zonesLayer(c.data.zones, c.vis('zones'))] : [],
      },
    ],
    labels: {
      order: 2,
      build: (c) => {
        const labels = c.editing
          ? c.draftZoneLabels
          : c.shown('zones') && c.data.zones
            ? labelsOf(c.data.zones, zoneText)
            : undefined;
        return labels
          ? { id: 'zones', labels, size: c.labelSize - 1, colour: MAP_COLOURS.zone, priority: 900 }
          : undefined;
      },
    },
    deckIds: ['patrol-zones'],
    legend: { order: 60, section: zonesLegend },
    wall: [],
    words: { zh: '巡逻区', en: 'Patrol zones' },
  },
  posts: {
    data: ['posts'],
    defaults: { on: false, opacity: 1 },
    draw: [
      {
        order: 150,
        build: (c) =>
          c.data.posts
            ? unitsLayers(c.data.posts, { ...c.vis('posts'), skipPosts: c.editing })
            : [],
      },
    ],
    deckIds: ['patrol-routes', 'patrol-units'],
    legend: { order: 70, section: postsLegend },
    wall: [],
    words: { zh: '快反点与巡逻力量', en: 'Posts and patrols' },
  },
  sites: {
    data: ['sites'],
    defaults: { on: false, opacity: 1 },
    draw: [
      {
        order: 140,
        build: (c) => (c.data.sites ? [sitesLayer(c.data.sites, c.vis('sites'))] : []),
      },
    ],
    deckIds: ['key-sites'],
    legend: { order: 110, section: sitesLegend },
    wall: [],
    words: { zh: '重点部位', en: 'Key sites' },
  },
  gaps: {
    data: ['gaps'],
    defaults: { on: false, opacity: 1 },
    draw: [
      {
        order: 60,
        build: (c) => (c.data.gaps ? [gapsLayer(c.data.gaps, c.vis('gaps'))] : []),
      },
    ],
    deckIds: ['coverage-gaps'],
    legend: { order: 80, section: gapsLegend },
    wall: [],
    words: { zh: '监控盲区', en: 'Camera blind spots' },
  },
  reach: {
    data: ['reach'],
    defaults: { on: false, opacity: 1 },
    draw: [
      {
        order: 40,
        build: (c) => (c.data.reach ? [reachLayer(c.data.reach, c.vis('reach'))] : []),
      },
    ],
    deckIds: ['reach-isochrones'],
    legend: { order: 90, section: reachLegend },
    wall: [],
    words: { zh: '135快反圈', en: '"135" reach' },
  },
  hotspots: {
    data: ['hotspots'],
    defaults: { on: false, opacity: 0.85 },
    draw: [
      {
        // the cells are the finding: above the heat they summarise
        order: 90,
        build: (c) =>
          c.data.hotspots && c.shown('hotspots')
            ? [hotspotsLayer(c.data.hotspots, c.vis('hotspots'))]
            : [],
      },
    ],
    deckIds: ['hotspots'],
    legend: { order: 100, section: hotspotsLegend },
    wall: [],
    words: { zh: '热点分析（Gi*）', en: 'Hot spots (Gi*)' },
  },
};

/** Every layer, in the order of domain/layers.ts (the layer panel's order). */
export const LAYER_REGISTRY: readonly LayerEntry[] = MAP_LAYERS.map((id) => ({
  id,
  permission: LAYERS[id].permission,
  ...SPECS[id],
}));

export const layerEntry = (id: LayerId): LayerEntry => LAYER_REGISTRY[MAP_LAYERS.indexOf(id)]!;

/** What is drawn whatever the layers: the district's outline, between the hot spots and the cameras. */
export const FIXED_DRAWS: readonly Draw[] = [
  { order: 95, build: (c) => (c.data.district ? [districtLayer(c.data.district)] : []) },
];

/** The layer a deck.gl layer belongs to, by the deck.gl layer's id. */
export function entryOfDeckLayer(deckId: string | undefined): LayerEntry | undefined {
  return deckId === undefined ? undefined : LAYER_REGISTRY.find((e) => e.deckIds.includes(deckId));
}

/** The tooltip for a picked object: its layer's, else the object's name. */
export function layerTooltip(info: PickingInfo, t: TooltipTexts): string | null {
  const o = info.object as { properties?: Record<string, unknown> } | undefined;
  const entry = entryOfDeckLayer(info.layer?.id);
  if (entry?.tooltip) return o ? entry.tooltip(o, t) : null;
  if (o?.properties && typeof o.properties.name === 'string') return o.properties.name;
  return null;
}

/** A new view's layers. */
export const DEFAULT_LAYERS = Object.fromEntries(
  LAYER_REGISTRY.map((e) => [e.id, { ...e.defaults }]),
) as Record<LayerId, LayerState>;
