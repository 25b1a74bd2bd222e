/** Point and area layers of the map: cameras, key sites, protection circles, patrol zones and units. */
import type { Queryable } from '../db/database';
import { featureCollection } from './featureCollection';

export interface CameraFilter {
  batch?: string;
  status?: 'online' | 'offline';
}

export function cameras(db: Queryable, f: CameraFilter = {}) {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.batch) where.push(`batch = $${params.push(f.batch)}`);
  if (f.status) where.push(`status = $${params.push(f.status)}`);
  return featureCollection(db, {
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
  featureCollection(db, {
    from: 'sites',
    id: 'id',
    properties: { id: 'id', kind: 'kind', name: 'name', communityId: 'community_id' },
  });

export const circles = (db: Queryable) =>
  featureCollection(db, {
    from: 'protection_circles',
    id: 'id',
    orderBy: "array_position(ARRAY['outer','middle','inner'], ring)",
    properties: { id: 'id', ring: 'ring', name: 'name', description: 'description' },
  });

export const zones = (db: Queryable) =>
  featureCollection(db, {
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
  featureCollection(db, {
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
