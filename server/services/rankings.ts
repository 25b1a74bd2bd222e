/**
 * The monthly red/black list (月晒季比年考): every community scored on six indicators over a
 * calendar month, quarter or year (Asia/Shanghai), ranked, with the best N on the red list and
 * the worst N on the black list. The score is rankingScore.ts's weighted percentile sum.
 *
 * Indicators: incidents per 1,000 residents in the period; the change against the previous
 * period of the same kind (环比); the share of the disputes registered in the period that were
 * resolved by its end; telecom fraud cases per 1,000 residents; the share of the community's
 * area that working cameras see (now); the share of its area within 3 minutes of the nearest
 * available post or car (now, straight-line model of reach.ts). The three shares are ranked to
 * 0.1 percentage point (rankingScore.ts's RANK_PRECISION); the indicators returned are exact.
 *
 * Which period: by default the last complete one (a month, quarter or year that ended at or
 * before the latest data), compared with the whole period before it. On request (`toDate`) or
 * for an `at` whose period runs past the latest data, the period in progress so far: its days
 * up to the latest data, compared with the same stretch of the previous period (the same number
 * of days, to the same moment: 1–5 December 14:00 against 1–5 November 14:00), never a partial
 * period against a whole one. When the stored data begin after the previous window starts, there
 * is nothing like to compare with: the change is not computed and counts as neutral (50 points)
 * for every community, and the answer says so (`previous.covered`). The windows themselves are
 * domain/time.ts's periodWindows.
 */
import type { Database } from '../db/database';
import { byCommunity } from './coverage';
import { DEFAULT_REACH, reachByCommunity } from './reach';
import { incidentWindow } from './incidents';
import {
  rankByScore,
  type Indicator,
  type RankingConfig,
  type Weights,
} from '../../domain/rankingScore';
import { periodLabel, periodWindows, startOfLocalDay, type Period } from '../../domain/time';

export { PERIODS, type Period } from '../../domain/time';

export interface CommunityIndicators {
  incidents: number;
  previousIncidents: number;
  /** per 1,000 residents */
  incidentRate: number;
  /** (current − previous) / previous; null when previous is 0 (ranked as no change if current is 0 too, worst otherwise) */
  change: number | null;
  disputes: number;
  disputesResolved: number;
  /** null when no dispute was registered */
  disputeResolution: number | null;
  fraudCases: number;
  /** per 1,000 residents */
  fraudRate: number;
  coverage: number;
  reach: number;
}

export interface RankedCommunity {
  communityId: number;
  name: string;
  townName: string;
  population: number;
  rank: number;
  score: number;
  indicators: CommunityIndicators;
  /** the percentile points per indicator that make up the score */
  points: Record<Indicator, number>;
}

/** A stretch of time compared: [from, to). */
export interface RankingWindow {
  /** the calendar period it lies in: 2026-06, 2026-Q2, 2026 */
  label: string;
  from: string;
  to: string;
  /** the whole calendar period (false: its first days, to the same moment as the current window) */
  complete: boolean;
}

export interface Rankings extends RankingWindow {
  period: Period;
  /** the end of the calendar period (`to` is earlier when the period is in progress) */
  periodEnd: string;
  /** the period runs past the latest data: figures so far, compared like for like */
  partial: boolean;
  /** what the change (环比) is measured against: the previous period, cut to the same length when this one is partial */
  previous: RankingWindow & {
    /** the stored data cover the whole window; when not, the change is not ranked */
    covered: boolean;
  };
  /** where the stored incidents end (exclusive); null when there are none */
  dataEnd: string | null;
  /** the period in progress at the latest data, when it is not complete (offered as "to date") */
  inProgress: { label: string; from: string; to: string } | null;
  weights: Weights;
  listSize: number;
  communities: RankedCommunity[];
  red: number[];
  black: number[];
}

interface Row {
  id: number;
  name: string;
  town: string;
  population: number;
  incidents: number;
  previous: number;
  fraud: number;
  disputes: number;
  resolved: number;
}

export async function rankings(
  db: Database,
  input: { period: Period; at?: Date; toDate?: boolean },
  config: RankingConfig,
  /** where the data ends (exclusive), when known; otherwise the latest incident */
  knownEnd?: Date,
  /** where the data begin, when known; otherwise the local day of the first incident */
  knownStart?: Date,
): Promise<Rankings> {
  let dataEnd = knownEnd ?? null;
  let dataStart = knownStart ?? null;
  if (!dataEnd || !dataStart) {
    const [span] = await db.query<{ start: Date | null; end: Date | null }>(
      `SELECT first AS start, last AS end FROM incidents_time_span()`,
    );
    if (!dataEnd && span?.end) dataEnd = new Date(new Date(span.end).getTime() + 1);
    if (!dataStart && span?.start)
      dataStart = new Date(startOfLocalDay(new Date(span.start).getTime()));
  }
  const b = periodWindows(input.period, dataEnd ?? new Date(), input);
  const covered = !dataStart || dataStart.getTime() <= b.previousFrom.getTime();
  const coverage = await byCommunity(db);
  const seen = new Map(coverage.map((c) => [c.communityId, c.ratio]));
  const reach = await reachByCommunity(db, DEFAULT_REACH, 3);
  const params: unknown[] = [];
  const current = incidentWindow(b, params, 'incidents');
  const previous = incidentWindow({ from: b.previousFrom, to: b.previousTo }, params, 'incidents');
  const from = `$${params.push(b.from.toISOString())}`;
  const to = `$${params.push(b.to.toISOString())}`;
  const rows = await db.query<Row>(
    `WITH cur AS (SELECT community_id AS id, count(*)::int AS n,
                         count(*) FILTER (WHERE subcategory = 'fraud')::int AS fraud
                  FROM incidents WHERE ${current} GROUP BY community_id),
          prev AS (SELECT community_id AS id, count(*)::int AS n
                   FROM incidents WHERE ${previous} GROUP BY community_id),
          dis AS (SELECT community_id AS id, count(*)::int AS n,
                         count(*) FILTER (WHERE resolved_at < ${to})::int AS resolved
                  FROM disputes WHERE registered_at >= ${from} AND registered_at < ${to} GROUP BY community_id)
     SELECT c.id, c.name, t.name AS town, c.population,
       coalesce(cur.n, 0) AS incidents, coalesce(prev.n, 0) AS previous, coalesce(cur.fraud, 0) AS fraud,
       coalesce(dis.n, 0) AS disputes, coalesce(dis.resolved, 0) AS resolved
     FROM communities c JOIN towns t ON t.id = c.town_id
       LEFT JOIN cur ON cur.id = c.id LEFT JOIN prev ON prev.id = c.id LEFT JOIN dis ON dis.id = c.id
     ORDER BY c.id`,
    params,
  );
  const perThousand = (n: number, pop: number) => (pop > 0 ? (n * 1000) / pop : 0);
  const items = rows.map((r) => {
    const indicators: CommunityIndicators = {
      incidents: r.incidents,
      previousIncidents: r.previous,
      incidentRate: perThousand(r.incidents, r.population),
      change: covered && r.previous > 0 ? (r.incidents - r.previous) / r.previous : null,
      disputes: r.disputes,
      disputesResolved: r.resolved,
      disputeResolution: r.disputes > 0 ? r.resolved / r.disputes : null,
      fraudCases: r.fraud,
      fraudRate: perThousand(r.fraud, r.population),
      coverage: seen.get(r.id) ?? 0,
      reach: reach.get(r.id) ?? 0,
    };
    return { row: r, indicators };
  });
  const scored = rankByScore(
    items,
    ({ indicators: x }) => ({
      incidentRate: x.incidentRate,
      // from none to some is the worst rise; none before or now is no change; no data before: neutral
      change: !covered ? null : (x.change ?? (x.incidents > 0 ? Number.POSITIVE_INFINITY : 0)),
      disputeResolution: x.disputeResolution,
      fraudRate: x.fraudRate,
      coverage: x.coverage,
      reach: x.reach,
    }),
    config.weights,
  );
  const communities = scored.map((s) => ({
    communityId: s.item.row.id,
    name: s.item.row.name,
    townName: s.item.row.town,
    population: s.item.row.population,
    rank: s.rank,
    score: s.score,
    indicators: s.item.indicators,
    points: s.points,
  }));
  const n = Math.min(config.listSize, Math.floor(communities.length / 2));
  return {
    period: input.period,
    label: periodLabel(input.period, b.from),
    from: b.from.toISOString(),
    to: b.to.toISOString(),
    complete: b.complete,
    periodEnd: b.periodEnd.toISOString(),
    partial: !b.complete,
    previous: {
      label: periodLabel(input.period, b.previousFrom),
      from: b.previousFrom.toISOString(),
      to: b.previousTo.toISOString(),
      complete: b.previousComplete,
      covered,
    },
    dataEnd: dataEnd ? dataEnd.toISOString() : null,
    inProgress: b.inProgress
      ? {
          label: periodLabel(input.period, b.inProgress.from),
          from: b.inProgress.from.toISOString(),
          to: (dataEnd ?? new Date()).toISOString(),
        }
      : null,
    weights: config.weights,
    listSize: n,
    communities,
    red: communities.slice(0, n).map((c) => c.communityId),
    black: communities
      .slice(communities.length - n)
      .reverse()
      .map((c) => c.communityId),
  };
}
