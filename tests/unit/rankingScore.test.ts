/** The red/black list's score: weighted percentiles, ties, missing values, the weights' syntax. */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WEIGHTS,
  INDICATORS,
  parseWeights,
  percentiles,
  rankByScore,
  rankValue,
  RANK_PRECISION,
  type Indicator,
  type Weights,
} from '../../domain/rankingScore';

describe('percentiles', () => {
  it('puts the best at 100 and the worst at 0, either way round', () => {
    expect(percentiles([1, 2, 3], 'lower')).toEqual([100, 50, 0]);
    expect(percentiles([1, 2, 3], 'higher')).toEqual([0, 50, 100]);
    expect(percentiles([5, 1, 3, 2, 4], 'higher')).toEqual([100, 0, 50, 25, 75]);
  });
  it('gives ties the mean of their positions', () => {
    // positions 0 | 1,2 | 3 of 4 → 0, 50, 50, 100
    expect(percentiles([9, 5, 5, 1], 'lower')).toEqual([0, 50, 50, 100]);
    expect(percentiles([7, 7, 7], 'lower')).toEqual([50, 50, 50]);
  });
  it('gives missing values the neutral 50 and leaves them out of the others', () => {
    expect(percentiles([null, 1, 2], 'higher')).toEqual([50, 0, 100]);
    expect(percentiles([null, 3], 'higher')).toEqual([50, 100]);
    expect(percentiles([null, null], 'higher')).toEqual([50, 50]);
  });
  it('ranks an infinite rise as the worst, equal infinities tied', () => {
    expect(percentiles([Infinity, 0.5, -0.2, Infinity], 'lower')).toEqual([
      100 / 6,
      200 / 3,
      100,
      100 / 6,
    ]);
  });
});

const only = (k: Indicator): Weights =>
  Object.fromEntries(INDICATORS.map((i) => [i, i === k ? 1 : 0])) as Weights;
const ind = (v: Partial<Record<Indicator, number | null>>) =>
  Object.fromEntries(INDICATORS.map((k) => [k, v[k] ?? 0])) as Record<Indicator, number | null>;

describe('rankByScore', () => {
  it('ranks by the weighted mean of the percentile points', () => {
    const items = [
      { id: 'a', v: ind({ incidentRate: 1, coverage: 0.2 }) },
      { id: 'b', v: ind({ incidentRate: 2, coverage: 0.9 }) },
      { id: 'c', v: ind({ incidentRate: 3, coverage: 0.5 }) },
    ];
    const w = { ...only('incidentRate'), coverage: 3 };
    const r = rankByScore(items, (x) => x.v, w);
    // a: (1·100 + 3·0)/4 = 25 (others tie at 50 on the zero-weight ones, which do not count)
    // b: (1·50 + 3·100)/4 = 87.5; c: (0 + 3·50)/4 = 37.5
    expect(r.map((s) => [s.item.id, s.score, s.rank])).toEqual([
      ['b', 87.5, 1],
      ['c', 37.5, 2],
      ['a', 25, 3],
    ]);
    expect(r[0]!.points.coverage).toBe(100);
    expect(r[0]!.points.incidentRate).toBe(50);
  });
  it('gives equal scores the same rank and skips the next (1, 2, 2, 4)', () => {
    const items = [4, 2, 2, 1].map((x, i) => ({ i, v: ind({ incidentRate: x }) }));
    const r = rankByScore(items, (x) => x.v, only('incidentRate'));
    expect(r.map((s) => s.rank)).toEqual([1, 2, 2, 4]);
    expect(r.map((s) => s.item.i)).toEqual([3, 1, 2, 0]);
  });
  it('changes the order when the weights change', () => {
    const items = [
      { id: 'safe', v: ind({ incidentRate: 1, coverage: 0.1 }) },
      { id: 'seen', v: ind({ incidentRate: 5, coverage: 0.9 }) },
    ];
    expect(rankByScore(items, (x) => x.v, only('incidentRate'))[0]!.item.id).toBe('safe');
    expect(rankByScore(items, (x) => x.v, only('coverage'))[0]!.item.id).toBe('seen');
  });
});

describe('parseWeights', () => {
  it('reads name=weight pairs and keeps the defaults for the rest', () => {
    expect(parseWeights('coverage=40, reach:0')).toEqual({
      ...DEFAULT_WEIGHTS,
      coverage: 40,
      reach: 0,
    });
    expect(parseWeights('')).toEqual(DEFAULT_WEIGHTS);
  });
  it('names what is wrong', () => {
    expect(() => parseWeights('safety=3')).toThrow(/"safety" is not an indicator/);
    expect(() => parseWeights('coverage=-1')).toThrow(/coverage must be a number ≥ 0/);
    expect(() => parseWeights('coverage')).toThrow(/"coverage" is not name=weight/);
    expect(() => parseWeights(INDICATORS.map((k) => `${k}=0`).join(','))).toThrow(
      /at least one weight/,
    );
  });
});

describe('share precision', () => {
  it('ranks shares to 0.1 percentage point and leaves rates as they are', () => {
    expect(Object.keys(RANK_PRECISION).sort()).toEqual(['coverage', 'disputeResolution', 'reach']);
    expect(rankValue('reach', 0.9999999)).toBe(1);
    expect(rankValue('coverage', 0.12345)).toBe(0.123);
    expect(rankValue('disputeResolution', null)).toBeNull();
    expect(rankValue('incidentRate', 0.9999999)).toBe(0.9999999);
    expect(rankValue('change', Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
  });

  it('changes no rank when every share moves by ±1e-7', () => {
    // 40 communities; a quarter wholly within reach (share 1), shares away from rounding edges
    const rnd = (i: number, k: number) => ((i * 7919 + k * 104729) % 1000) / 1000;
    const items = Array.from({ length: 40 }, (_, i) => ({
      incidentRate: 1 + rnd(i, 1) * 9,
      change: rnd(i, 2) - 0.5,
      disputeResolution: i % 5 === 0 ? null : Math.round(rnd(i, 3) * 100) / 100 + 0.0002,
      fraudRate: rnd(i, 4),
      coverage: rnd(i, 5) * 0.9 + 0.0003,
      reach: i % 4 === 0 ? 1 : rnd(i, 6) * 0.9 + 0.0003,
    }));
    const ranked = (xs: typeof items) =>
      rankByScore(xs, (x) => x, DEFAULT_WEIGHTS).map((s) => [xs.indexOf(s.item), s.rank, s.score]);
    const base = ranked(items);
    for (const sign of [1, -1])
      for (let i = 0; i < items.length; i++) {
        const moved = items.map((x, j) => {
          const e = j === i ? sign * 1e-7 : 0;
          return {
            ...x,
            disputeResolution: x.disputeResolution === null ? null : x.disputeResolution + e,
            coverage: x.coverage + e,
            reach: Math.min(1, x.reach + e),
          };
        });
        expect(ranked(moved)).toEqual(base);
      }
  });

  it('gives equal shares at that precision equal percentiles', () => {
    const r = rankByScore(
      [0.5, 1, 1 - 1e-9, 0.9999999].map((reach) => ({ reach })),
      (x) => ({
        incidentRate: 1,
        change: 0,
        disputeResolution: null,
        fraudRate: 0,
        coverage: 0.5,
        reach: x.reach,
      }),
      DEFAULT_WEIGHTS,
    );
    const points = r.filter((s) => s.item.reach > 0.99).map((s) => s.points.reach);
    // three tied at the top of four: the mean of positions 1–3 of 0–3
    expect(new Set(points).size).toBe(1);
    expect(points).toHaveLength(3);
    expect(points[0]).toBeCloseTo(200 / 3, 9);
    expect(new Set(r.filter((s) => s.item.reach > 0.99).map((s) => s.rank)).size).toBe(1);
  });
});
