import { describe, expect, it } from 'vitest';
import { isStale, pickFigures, type QueryState } from '../../client/wall/kept';

const answered = (data: unknown, at: number): QueryState => ({
  data,
  dataUpdatedAt: at,
  isError: false,
});
const waiting: QueryState = { data: undefined, dataUpdatedAt: 0, isError: false };
const failing: QueryState = { data: undefined, dataUpdatedAt: 0, isError: true };

describe('pickFigures', () => {
  const held = new Map([['fraud', { data: { change: -0.35 }, at: 1_000 }]]);

  it('takes the figures made from the latest answers, dated by the oldest of them', () => {
    const k = pickFigures(held, 'fraud', { change: 0.1 }, [
      answered([], 5_000),
      answered([], 4_000),
    ]);
    expect(k).toEqual({ data: { change: 0.1 }, at: 4_000, failed: false });
  });

  it('keeps the last figures while the new ones have not all arrived (a new key each minute)', () => {
    const k = pickFigures(held, 'fraud', undefined, [answered([], 5_000), waiting]);
    expect(k).toEqual({ data: { change: -0.35 }, at: 1_000, failed: false });
  });

  it('keeps the last figures when a request fails, and says it failed', () => {
    expect(pickFigures(held, 'fraud', undefined, [failing])).toEqual({
      data: { change: -0.35 },
      at: 1_000,
      failed: true,
    });
    // figures of an earlier answer to the same query, whose refetch failed
    const k = pickFigures(held, 'fraud', { change: 0.2 }, [
      { ...answered([], 3_000), isError: true },
    ]);
    expect(k).toEqual({ data: { change: 0.2 }, at: 3_000, failed: true });
  });

  it('has nothing before any answer, under any other name', () => {
    expect(pickFigures(held, 'latest', undefined, [waiting])).toEqual({
      data: undefined,
      at: 0,
      failed: false,
    });
  });
});

describe('isStale', () => {
  const figures = { data: 1, at: 10_000, failed: false };

  it('is stale once a request failed, however recent the figures', () => {
    expect(isStale({ ...figures, failed: true }, 10_001, 15_000)).toBe(true);
  });

  it('is stale when no answer has come for the stated time, though none failed', () => {
    expect(isStale(figures, 25_000, 15_000)).toBe(false);
    expect(isStale(figures, 25_001, 15_000)).toBe(true);
  });

  it('never marks what is not shown', () => {
    expect(isStale({ data: undefined, at: 0, failed: true }, 99_000, 15_000)).toBe(false);
  });
});
