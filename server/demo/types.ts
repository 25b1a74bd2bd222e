/**
 * The shape of the Chengbei demo dataset, as the generator produces it and the seeder stores it.
 * Geometries are GeoJSON in WGS84 (EPSG:4326), polygons wound counter-clockwise (RFC 7946).
 * Times are epoch milliseconds (UTC instants).
 */
import type { LineString, MultiPolygon, Point, Polygon } from 'geojson';
import type {
  RiskColour,
  MediationChannel,
  CameraKind,
  SiteKind,
  Ring,
  UnitKind,
  Shift,
} from '../../domain/vocabulary';

export type Area = Polygon | MultiPolygon;

export interface DemoTown {
  /** 1-based, stable for one seed */
  id: number;
  /** statistical code, e.g. '630105001' */
  code: string;
  name: string;
  geom: Area;
  geometrySource: 'generated';
}

export interface DemoCommunity {
  id: number;
  /** 12-digit statistical code; synthetic ones get codes in an unused range */
  code: string;
  name: string;
  townId: number;
  kind: 'village' | 'community';
  population: number;
  synthetic: boolean;
  geom: Area;
  geometrySource: 'generated';
}

/** Incidents are columnar: hundreds of thousands of rows go through typed arrays, not objects. */
export interface DemoIncidents {
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
  /** DemoCommunity.id of the community containing the point */
  communityId: Int16Array;
}

export interface DemoDispute {
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

export interface DemoCamera {
  kind: CameraKind;
  /** degrees clockwise from north, 0..360 */
  bearing: number;
  /** horizontal field of view in degrees (360 for domes) */
  fov: number;
  rangeM: number;
  status: 'online' | 'offline';
  /** 'existing' or 'sharp-eyes-infill' */
  batch: string;
  /** epoch ms */
  installedAt: number;
  geom: Point;
}

export interface DemoSite {
  kind: SiteKind;
  name: string;
  communityId: number | null;
  geom: Point;
}

export interface DemoCircle {
  ring: Ring;
  name: string;
  /** what the ring is made of, in Chinese */
  description: string;
  geom: Area;
}

export interface DemoPatrolZone {
  name: string;
  unit: string;
  shift: Shift;
  townId: number;
  geom: Area;
}

export interface DemoUnit {
  kind: UnitKind;
  name: string;
  status: 'available' | 'busy' | 'off_duty';
  /** a Point for posts, cars and foot patrols; a LineString for joint armed patrol routes */
  geom: Point | LineString;
}

export interface DemoData {
  seed: string;
  /** the anchor date, YYYY-MM-DD (Asia/Shanghai) */
  anchor: string;
  /**
   * incidents cover [start, end): end is 00:00 Asia/Shanghai of the day after the anchor, or the
   * moment of generation when that is earlier (the anchor is today)
   */
  start: number;
  end: number;
  district: { code: string; name: string; geom: Area };
  towns: DemoTown[];
  communities: DemoCommunity[];
  incidents: DemoIncidents;
  disputes: DemoDispute[];
  cameras: DemoCamera[];
  sites: DemoSite[];
  circles: DemoCircle[];
  zones: DemoPatrolZone[];
  units: DemoUnit[];
}

export interface DemoOptions {
  /** any string; default 'chengbei' */
  seed?: string;
  /** YYYY-MM-DD, not after today; default today in Asia/Shanghai */
  anchor?: string;
  /**
   * The moment of generation, epoch ms; default Date.now(). When the anchor is today, nothing
   * is generated at or after it.
   */
  now?: number;
  /** total incidents over the 24 months; default about 140,000 */
  incidents?: number;
}
