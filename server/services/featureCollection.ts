/**
 * Builds a GeoJSON FeatureCollection in SQL (one row, one JSON value) instead of one JS object per
 * row: the database already has the geometry and the properties side by side.
 */
import type { FeatureCollection, Geometry } from 'geojson';
import type { Queryable } from '../db/database';

export interface FeatureQuery {
  /** FROM clause, e.g. `communities c JOIN towns t ON t.id = c.town_id` */
  from: string;
  /** the feature id expression */
  id: string;
  /** property name → SQL expression */
  properties: Record<string, string>;
  /** geometry expression; default `geom` */
  geom?: string;
  where?: string;
  params?: unknown[];
  orderBy?: string;
}

/**
 * Coordinates keep 6 decimals: about 0.1 m, far below the data's own accuracy. `P` names the
 * properties built from `q.properties` and `G` the geometry's type, for the callers' outputs.
 */
export async function featureCollection<P = Record<string, unknown>, G extends Geometry = Geometry>(
  db: Queryable,
  q: FeatureQuery,
): Promise<FeatureCollection<G, P>> {
  const props = Object.entries(q.properties)
    .map(([k, expr]) => `'${k}', ${expr}`)
    .join(', ');
  const rows = await db.query<{ fc: string }>(
    `SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(
        json_build_object('type', 'Feature', 'id', ${q.id},
          'geometry', ST_AsGeoJSON(${q.geom ?? 'geom'}, 6)::json,
          'properties', json_build_object(${props}))
        ORDER BY ${q.orderBy ?? q.id}), '[]'::json))::text AS fc
     FROM ${q.from} ${q.where ? `WHERE ${q.where}` : ''}`,
    q.params ?? [],
  );
  return JSON.parse(rows[0]!.fc) as FeatureCollection<G, P>;
}
