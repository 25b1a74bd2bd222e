/** Dispute mediation figures (四元四色): registered, resolved, and counts per risk colour. */
import type { Queryable } from '../db/database';
import { RISK_COLOURS, type RiskColour } from '../../domain/vocabulary';

export interface DisputeFilter {
  studio?: string;
  from?: Date;
  to?: Date;
}

export interface DisputeSummary {
  registered: number;
  resolved: number;
  byRisk: Record<RiskColour, number>;
}

/** Disputes registered in [from, to) (all time when open-ended); resolved counts those of them resolved. */
export async function summary(db: Queryable, f: DisputeFilter): Promise<DisputeSummary> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (f.studio) where.push(`studio = $${params.push(f.studio)}`);
  if (f.from) where.push(`registered_at >= $${params.push(f.from.toISOString())}`);
  if (f.to) where.push(`registered_at < $${params.push(f.to.toISOString())}`);
  const rows = await db.query<{ risk: RiskColour; registered: number; resolved: number }>(
    `SELECT risk, count(*)::int AS registered, count(resolved_at)::int AS resolved FROM disputes
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''} GROUP BY risk`,
    params,
  );
  const byRisk = Object.fromEntries(RISK_COLOURS.map((r) => [r, 0])) as Record<RiskColour, number>;
  let registered = 0;
  let resolved = 0;
  for (const r of rows) {
    byRisk[r.risk] = r.registered;
    registered += r.registered;
    resolved += r.resolved;
  }
  return { registered, resolved, byRisk };
}
