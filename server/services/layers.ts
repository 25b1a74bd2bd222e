/** Point and area layers of the map: cameras, key sites, protection circles, patrol zones and units. */
import type { Geometry, MultiPolygon, Point } from 'geojson';
import type { CameraStatus, Ring, Shift, UnitKind } from '../../domain/vocabulary';
import type { Camera, Site } from '../dataset/types';
import type { Queryable } from '../db/database';
import { featureCollection } from './featureCollection';

export interface CameraFilter {
  batch?: string;
  status?: CameraStatus;
}

/** A camera as cameras.list sends it. */
export type CameraProperties = Omit<Camera, 'installedAt' | 'geom'> & {
  id: number;
  /** YYYY-MM-DD */
  installedAt: string;
};

export type SiteProperties = Omit<Site, 'geom'> & { id: number };

export interface CircleProperties {
  id: number;
  ring: Ring;
  name: string;
  description: string;
}

export interface ZoneProperties {
  id: number;
  name: string;
  unit: string;
  shift: Shift;
  townId: number | null;
  version: number;
  /** ISO 8601, UTC */
  updatedAt: string;
  updatedBy: string;
}

export interface UnitProperties {
  id: number;
  kind: UnitKind;
  name: string;
  status: string;
  version: number;
  /** ISO 8601, UTC */
  updatedAt: string;
  updatedBy: string;
}

export function cameras(db: Queryable, f: CameraFilter = {}) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.batch) where.push(`batch = $${params.push(f.batch)}`);
  if (f.status) where.push(`status = $${params.push(f.status)}`);
  return featureCollection<CameraProperties, Point>(db, {
    from: 'cameras',
    id: 'id',
    where: where.join(' AND ') || undefined,
    params,
    properties: {
      id: 'id',
      kind: 'kind',
      bearing: 'bearing',
      fov: 'fov',
      rangeM: 'range_m',
      status: 'status',
      batch: 'batch',
      installedAt: "to_char(installed_at, 'YYYY-MM-DD')",
    },
  });
}

export const sites = (db: Queryable) =>
  featureCollection<SiteProperties, Point>(db, {
    from: 'sites',
    id: 'id',
    properties: { id: 'id', kind: 'kind', name: 'name', communityId: 'community_id' },
  });

export const circles = (db: Queryable) =>
  featureCollection<CircleProperties, MultiPolygon>(db, {
    from: 'protection_circles',
    id: 'id',
    orderBy: "array_position(ARRAY['outer','middle','inner'], ring)",
    properties: { id: 'id', ring: 'ring', name: 'name', description: 'description' },
  });

export const zones = (db: Queryable) =>
  featureCollection<ZoneProperties, MultiPolygon>(db, {
    from: 'patrol_zones',
    id: 'id',
    properties: {
      id: 'id',
      name: 'name',
      unit: 'unit',
      shift: 'shift',
      townId: 'town_id',
      version: 'version',
      updatedAt: `to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
      updatedBy: 'updated_by',
    },
  });

export const posts = (db: Queryable) =>
  featureCollection<UnitProperties, Geometry>(db, {
    from: 'patrol_units',
    id: 'id',
    properties: {
      id: 'id',
      kind: 'kind',
      name: 'name',
      status: 'status',
      version: 'version',
      updatedAt: `to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
      updatedBy: 'updated_by',
    },
  });
