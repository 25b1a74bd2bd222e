/** The three protection circles as objects with figures: incidents, density, camera coverage, 3-minute reach. */
import { reachRadiusMeters } from '../../geo/reachRadius';
import type { Database } from '../db/database';
import { incidentWindow } from './incidents';
import { isochroneSql, type ReachModel } from './reach';

export interface RingStats {
  ring: 'outer' | 'middle' | 'inner';
  name: string;
  areaKm2: number;
  incidents: number;
  perKm2: number;
  cameraCoverage: number;
  reach3Share: number;
}

export async function circleStats(
  db: Database,
  f: { from: Date; to: Date },
  model: ReachModel,
): Promise<RingStats[]> {
  const params: unknown[] = [];
  const inWindow = incidentWindow(f, params);
  const radius = `$${params.push(reachRadiusMeters(3, model.speedKmh, model.detour))}`;
  const rows = await db.query<RingStats>(
    `WITH iso AS (${isochroneSql(radius)}),
          rings AS (SELECT ring, name, geom, ST_Area(geom::geography) AS area FROM protection_circles)
     SELECT r.ring, r.name, r.area / 1e6 AS "areaKm2",
       (SELECT count(*)::int FROM incidents i WHERE ${inWindow} AND ST_Intersects(i.geom, r.geom)) AS incidents,
       coalesce((SELECT ST_Area(ST_Intersection(r.geom, ST_Union(s.geom))::geography)
                 FROM camera_sectors s WHERE ST_Intersects(s.geom, r.geom)), 0) / r.area AS "cameraCoverage",
       coalesce((SELECT ST_Area(ST_Intersection(r.geom, iso.geom)::geography) FROM iso), 0) / r.area AS "reach3Share"
     FROM rings r ORDER BY array_position(ARRAY['outer','middle','inner'], r.ring)`,
    params,
  );
  return rows.map((r) => ({
    ...r,
    areaKm2: Number(r.areaKm2),
    cameraCoverage: Number(r.cameraCoverage),
    reach3Share: Number(r.reach3Share),
    perKm2: r.incidents / Number(r.areaKm2),
  }));
}
