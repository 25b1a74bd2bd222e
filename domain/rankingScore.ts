/**
 * The red/black list's score, as a pure function of the indicators (no database):
 *
 *   score = Σ wᵢ · Pᵢ / Σ wᵢ
 *
 * where Pᵢ is the community's percentile (0–100, better is higher) on indicator i among all
 * communities ranked, ties sharing the average percentile. A community with no value for an
 * indicator (no disputes registered, so no resolution rate) gets the neutral 50 on it.
 * Percentiles rather than min–max scaling, so that one outlier cannot flatten everyone else.
 *
 * Shares (dispute resolution, camera coverage, 3-minute reach) are ranked at a stated precision,
 * 0.1 percentage point (RANK_PRECISION): a community whose area is all within reach scores the
 * same as any other such community, whatever centimetres the geometry arithmetic leaves over.
 * Shares equal at that precision are ties and share their percentile.
 */

export const INDICATORS = [
  'incidentRate',
  'change',
  'disputeResolution',
  'fraudRate',
  'coverage',
  'reach',
] as const;
export type Indicator = (typeof INDICATORS)[number];

/** Which way is better. */
export const BETTER: Record<Indicator, 'lower' | 'higher'> = {
  incidentRate: 'lower',
  change: 'lower',
  disputeResolution: 'higher',
  fraudRate: 'lower',
  coverage: 'higher',
  reach: 'higher',
};

export type Weights = Record<Indicator, number>;

/**
 * The precision at which an indicator is compared, as the number of decimals of its value kept
 * before ranking. Shares (0–1) keep 3 decimals: 0.1 percentage point, far coarser than the
 * floating-point and boundary noise of area shares (1e-7 and below), far finer than any
 * difference that matters. Rates and changes are compared as they are.
 */
export const RANK_PRECISION: Partial<Record<Indicator, number>> = {
  disputeResolution: 3,
  coverage: 3,
  reach: 3,
};

/** A value as ranked: rounded to its indicator's precision (nulls and infinities as they are). */
export function rankValue(indicator: Indicator, v: number | null): number | null {
  const decimals = RANK_PRECISION[indicator];
  if (decimals === undefined || v === null || !Number.isFinite(v)) return v;
  const f = 10 ** decimals;
  return Math.round(v * f) / f;
}

export const DEFAULT_WEIGHTS: Weights = {
  incidentRate: 30,
  change: 20,
  disputeResolution: 15,
  fraudRate: 15,
  coverage: 10,
  reach: 10,
};

export interface RankingConfig {
  weights: Weights;
  /** how many communities the red list and the black list each name */
  listSize: number;
}

export const DEFAULT_RANKING: RankingConfig = { weights: DEFAULT_WEIGHTS, listSize: 5 };

/**
 * Parses `incidentRate=30,change=20,…` (any subset; the rest keep their defaults). Throws with
 * the offending part named.
 */
export function parseWeights(text: string): Weights {
  const w = { ...DEFAULT_WEIGHTS };
  for (const part of text.split(',').map((s) => s.trim())) {
    if (!part) continue;
    const m = /^([A-Za-z]+)\s*[=:]\s*(\S+)$/.exec(part);
    if (!m) throw new Error(`"${part}" is not name=weight`);
    const [, name, value] = m as unknown as [string, string, string];
    if (!(INDICATORS as readonly string[]).includes(name))
      throw new Error(`"${name}" is not an indicator; use ${INDICATORS.join(', ')}`);
    const v = Number(value);
    if (!Number.isFinite(v) || v < 0) throw new Error(`the weight of ${name} must be a number ≥ 0`);
    w[name as Indicator] = v;
  }
  if (INDICATORS.every((k) => w[k] === 0)) throw new Error('at least one weight must be above 0');
  return w;
}

/**
 * Percentile of each value among the others, 0–100 with better higher; nulls get 50 and do not
 * count. Ties share the mean of the positions they span. One value alone gets 100.
 */
export function percentiles(values: (number | null)[], better: 'lower' | 'higher'): number[] {
  const idx = values.flatMap((v, i) => (v === null || Number.isNaN(v) ? [] : [i]));
  const out = values.map(() => 50);
  if (idx.length === 1) out[idx[0]!] = 100;
  if (idx.length < 2) return out;
  // worst first: position 0 is the worst
  const sign = better === 'higher' ? 1 : -1;
  const cmp = (x: number, y: number) => (x === y ? 0 : x < y ? -1 : 1); // Infinity-safe
  idx.sort((a, b) => sign * cmp(values[a]!, values[b]!));
  for (let start = 0; start < idx.length;) {
    let end = start;
    while (end + 1 < idx.length && values[idx[end + 1]!] === values[idx[start]!]) end++;
    const p = (((start + end) / 2) * 100) / (idx.length - 1);
    for (let k = start; k <= end; k++) out[idx[k]!] = p;
    start = end + 1;
  }
  return out;
}

export interface Scored<T> {
  item: T;
  rank: number;
  score: number;
  points: Record<Indicator, number>;
}

/**
 * Scores and ranks items by their indicators; ties in score share a rank (1, 2, 2, 4).
 * Sorted best first; equal scores keep the items' order.
 */
export function rankByScore<T>(
  items: T[],
  indicators: (item: T) => Record<Indicator, number | null>,
  weights: Weights,
): Scored<T>[] {
  const values = items.map(indicators);
  const total = INDICATORS.reduce((s, k) => s + weights[k], 0);
  const pts = Object.fromEntries(
    INDICATORS.map((k) => [
      k,
      percentiles(
        values.map((v) => rankValue(k, v[k])),
        BETTER[k],
      ),
    ]),
  ) as Record<Indicator, number[]>;
  const scored = items.map((item, i) => {
    const points = Object.fromEntries(INDICATORS.map((k) => [k, pts[k][i]!])) as Record<
      Indicator,
      number
    >;
    const score = INDICATORS.reduce((s, k) => s + weights[k] * points[k], 0) / total;
    // scores are shown to one decimal: rank by what people see
    return { item, rank: 0, score: Math.round(score * 10) / 10, points };
  });
  const order = scored
    .map((_, i) => i)
    .sort((a, b) => scored[b]!.score - scored[a]!.score || a - b);
  const sorted = order.map((i) => scored[i]!);
  sorted.forEach((s, i) => {
    s.rank = i > 0 && s.score === sorted[i - 1]!.score ? sorted[i - 1]!.rank : i + 1;
  });
  return sorted;
}
