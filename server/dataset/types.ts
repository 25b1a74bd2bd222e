/**
 * The shape of a dataset, whatever its source (the demo generator, a file import, a live feed):
 * the district, its regions, incidents, disputes and the resources of the dashboard. It is what
 * storeDataset (store.ts) writes. Geometries are GeoJSON in WGS84 (EPSG:4326), polygons wound
 * counter-clockwise (RFC 7946). Times are epoch milliseconds (UTC instants).
 */
import type { LineString, MultiPolygon, Point, Polygon } from 'geojson';
import type {
  CameraKind,
  CameraStatus,
  MediationChannel,
  RiskColour,
  Ring,
  Shift,
  SiteKind,
  UnitKind,
  UnitStatus,
} from '../../domain/vocabulary';

export type Area = Polygon | MultiPolygon;

export interface District {
  /** statistical code, e.g. '630105'; the district's key */
  code: string;
  name: string;
  geom: Area;
}

export interface Town {
  /** positive, the town's key */
  id: number;
  /** statistical code, e.g. '630105001' */
  code: string;
  name: string;
  geom: Area;
  /** where the boundary comes from, e.g. 'generated', 'surveyed' */
  geometrySource: string;
}

export interface Community {
  /** positive, the community's key */
  id: number;
  /** 12-digit statistical code */
  code: string;
  name: string;
  townId: number;
  kind: 'village' | 'community';
  population: number;
  /** made up to fill the district (not a real village or community) */
  synthetic: boolean;
  geom: Area;
  geometrySource: string;
}

/** Incidents are columnar: hundreds of thousands of rows go through typed arrays, not objects. */
export interface IncidentColumns {
  count: number;
  lon: Float64Array;
  lat: Float64Array;
  /** epoch milliseconds */
  time: Float64Array;
  /** index into INCIDENT_CATEGORIES */
  category: Uint8Array;
  /** index into `subcategories` */
  subcategory: Uint8Array;
  /** every subcategory code used, e.g. 'theft', 'robbery', 'snatching', 'fraud', ... */
  subcategories: string[];
  /** index into INCIDENT_STATUSES */
  status: Uint8Array;
  /** Community.id of the community containing the point; 0 for none */
  communityId: Int16Array;
}

export interface Dispute {
  registeredAt: number;
  /** null while unresolved */
  resolvedAt: number | null;
  /** 'property' | 'neighbour' | 'family' | 'labour' | 'land' | 'contract' | ... */
  kind: string;
  risk: RiskColour;
  channel: MediationChannel;
  /** 'mulin' for the 廿里铺 "睦邻" studio, other studio codes, or null */
  studio: string | null;
  communityId: number;
  geom: Point;
}

export interface Camera {
  kind: CameraKind;
  /** degrees clockwise from north, 0..360 */
  bearing: number;
  /** horizontal field of view in degrees (360 for domes) */
  fov: number;
  rangeM: number;
  status: CameraStatus;
  /** 'existing' or 'sharp-eyes-infill' */
  batch: string;
  /** epoch ms */
  installedAt: number;
  geom: Point;
}

export interface Site {
  kind: SiteKind;
  name: string;
  communityId: number | null;
  geom: Point;
}

export interface Circle {
  /** the circle's key */
  ring: Ring;
  name: string;
  /** what the ring is made of, in Chinese */
  description: string;
  geom: Area;
}

export interface PatrolZone {
  name: string;
  unit: string;
  shift: Shift;
  townId: number;
  geom: Area;
}

export interface PatrolUnit {
  kind: UnitKind;
  name: string;
  status: UnitStatus;
  /** a Point for posts, cars and foot patrols; a LineString for joint armed patrol routes */
  geom: Point | LineString;
}

/** Every table a dataset may carry, by its name in a dataset. */
export interface DatasetTables {
  district: District;
  towns: Town[];
  communities: Community[];
  incidents: IncidentColumns;
  disputes: Dispute[];
  cameras: Camera[];
  sites: Site[];
  circles: Circle[];
  zones: PatrolZone[];
  units: PatrolUnit[];
}

export type DatasetTable = keyof DatasetTables;

/** The order tables are written in: what a row refers to is written before it. */
export const DATASET_TABLES: readonly DatasetTable[] = [
  'district',
  'towns',
  'communities',
  'incidents',
  'disputes',
  'cameras',
  'sites',
  'circles',
  'zones',
  'units',
];

/** Where a dataset comes from. */
export type DataSource =
  | { kind: 'demo'; seed: string; /** YYYY-MM-DD (Asia/Shanghai) */ anchor: string }
  | { kind: 'import'; /** what was imported, e.g. a file name */ name: string };

/** The instants a source says its incidents cover, [start, end). */
export interface Coverage {
  start: number;
  end: number;
}

/** A dataset to store: any of the tables, where it comes from, and what it covers. */
export type Dataset = Partial<DatasetTables> & {
  source: DataSource;
  /** set by a source that knows the window its incidents cover (the demo does) */
  coverage?: Coverage;
};
