/**
 * Spikes per community: incidents in the window against the period of the same length before,
 * as a Poisson z score z = 2(√current − √previous) (the variance-stabilised difference of two
 * counts), flagged at |z| ≥ 3.
 */
import type { Queryable } from '../db/database';
import { whereIncidents, type IncidentFilter } from './incidents';

export const SPIKE_THRESHOLD = 3;

export interface Spike {
  communityId: number;
  name: string;
  current: number;
  previous: number;
  z: number;
  flag: 'up' | 'down' | null;
}

export async function spikes(db: Queryable, f: IncidentFilter): Promise<Spike[]> {
  const span = f.to.getTime() - f.from.getTime();
  const prev = { ...f, from: new Date(f.from.getTime() - span), to: f.from };
  const params: unknown[] = [];
  const cur = whereIncidents(f, params);
  const before = whereIncidents(prev, params);
  const rows = await db.query<{
    communityId: number;
    name: string;
    current: number;
    previous: number;
  }>(
    `SELECT c.id AS "communityId", c.name,
       (SELECT count(*)::int FROM incidents i WHERE i.community_id = c.id AND ${cur}) AS current,
       (SELECT count(*)::int FROM incidents i WHERE i.community_id = c.id AND ${before}) AS previous
     FROM communities c ORDER BY c.id`,
    params,
  );
  return rows
    .map((r) => {
      const z = 2 * (Math.sqrt(r.current) - Math.sqrt(r.previous));
      const flag =
        z >= SPIKE_THRESHOLD ? ('up' as const) : z <= -SPIKE_THRESHOLD ? ('down' as const) : null;
      return { ...r, z, flag };
    })
    .sort((a, b) => b.z - a.z);
}
