/** The district, its 6 towns and its 79 villages/communities. */
import type { Queryable } from '../db/database';
import { featureCollection } from './featureCollection';

export interface DistrictProperties {
  id: number;
  code: string;
  name: string;
}

export interface TownProperties {
  id: number;
  code: string;
  name: string;
  geometrySource: string;
}

export const district = (db: Queryable) =>
  featureCollection<DistrictProperties>(db, {
    from: 'district',
    id: 'id',
    properties: { id: 'id', code: 'code', name: 'name' },
  });

export const towns = (db: Queryable) =>
  featureCollection<TownProperties>(db, {
    from: 'towns',
    id: 'id',
    properties: { id: 'id', code: 'code', name: 'name', geometrySource: 'geometry_source' },
  });

export interface CommunityProperties {
  id: number;
  code: string;
  name: string;
  townId: number;
  townName: string;
  kind: 'village' | 'community';
  population: number;
  synthetic: boolean;
  geometrySource: string;
}

export const communities = (db: Queryable) =>
  featureCollection<CommunityProperties>(db, {
    from: 'communities c JOIN towns t ON t.id = c.town_id',
    id: 'c.id',
    geom: 'c.geom',
    properties: {
      id: 'c.id',
      code: 'c.code',
      name: 'c.name',
      townId: 'c.town_id',
      townName: 't.name',
      kind: 'c.kind',
      population: 'c.population',
      synthetic: 'c.synthetic',
      geometrySource: 'c.geometry_source',
    },
  });
