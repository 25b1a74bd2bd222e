import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bandOffsets, getisOrdGiStar, type GridCount } from '../../geo/getisOrdGiStar';

const grid = (w: number, h: number, count: (i: number, j: number) => number): GridCount[] => {
  const out: GridCount[] = [];
  for (let j = 0; j < h; j++) for (let i = 0; i < w; i++) out.push({ i, j, count: count(i, j) });
  return out;
};

describe('getisOrdGiStar', () => {
  it('matches the formula worked by hand on a 3×3 grid', () => {
    // rows j = 0..2 of counts; band 1 cell: the cell and its four neighbours
    const g = [
      [1, 2, 3],
      [4, 10, 6],
      [7, 8, 9],
    ];
    const out = getisOrdGiStar(
      grid(3, 3, (i, j) => g[j]![i]!),
      { bandCells: 1 },
    );
    // mean 5.5556, S 3.0225; the centre: (30 − 5.5556·5) / (3.0225·√((9·5 − 25)/8)) = 0.465
    const expected = [
      [-2.132122, -1.301974, -1.249865],
      [-0.046499, 0.464991, 1.208975],
      [0.51465, 2.46445, 1.396908],
    ];
    for (const c of out) expect(c.z).toBeCloseTo(expected[c.j]![c.i]!, 5);
    // z 2.464 passes 95% but not 99%; −2.132 is a 95% cold spot
    expect(out.find((c) => c.i === 1 && c.j === 2)!.class).toBe('hot95');
    expect(out.find((c) => c.i === 0 && c.j === 0)!.class).toBe('cold95');
    expect(out.find((c) => c.i === 1 && c.j === 1)!.class).toBe('none');
    expect(out.find((c) => c.i === 1 && c.j === 1)!.p).toBeCloseTo(0.6419, 3);
  });

  it('finds a planted cluster hot at 99% confidence, with or without FDR', () => {
    // a quiet 30×30 field of 1s and 2s with a 3×3 cluster of 25 in the middle
    const cells = grid(30, 30, (i, j) =>
      Math.abs(i - 15) <= 1 && Math.abs(j - 15) <= 1 ? 25 : 1 + ((i * 7 + j * 3) % 2),
    );
    for (const fdr of [false, true]) {
      const out = getisOrdGiStar(cells, { bandCells: 2, fdr });
      expect(out.find((c) => c.i === 15 && c.j === 15)!.class).toBe('hot99');
      // far from the cluster nothing is hot
      expect(
        out.filter((c) => Math.hypot(c.i - 15, c.j - 15) > 5 && c.class.startsWith('hot')),
      ).toEqual([]);
    }
  });

  it('finds nothing significant in a uniform random field with the FDR correction', () => {
    // counts drawn uniformly 0..4 from a fixed linear congruential sequence
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const cells = grid(40, 40, () => Math.floor(next() * 5));
    const out = getisOrdGiStar(cells, { bandCells: 2, fdr: true });
    expect(out.filter((c) => c.class !== 'none')).toEqual([]);
    // without the correction a few false positives are expected at 90%: that is what FDR is for
    const raw = getisOrdGiStar(cells, { bandCells: 2 });
    expect(raw.filter((c) => c.class !== 'none').length).toBeLessThan(cells.length * 0.15);
  });

  it('gives z = 0 everywhere on a constant field', () => {
    const out = getisOrdGiStar(
      grid(5, 5, () => 3),
      { bandCells: 1 },
    );
    expect(out.every((c) => c.z === 0 && c.class === 'none')).toBe(true);
  });

  it('rejects a band under one cell and bad counts', () => {
    expect(() =>
      getisOrdGiStar(
        grid(3, 3, () => 1),
        { bandCells: 0.5 },
      ),
    ).toThrow(/bandCells must be ≥ 1/);
    expect(() =>
      getisOrdGiStar(
        [
          { i: 0, j: 0, count: -1 },
          { i: 1, j: 0, count: 1 },
          { i: 2, j: 0, count: 1 },
        ],
        { bandCells: 1 },
      ),
    ).toThrow(/count ≥ 0/);
  });
});

describe('bandOffsets and the cell look-up', () => {
  it('counts the grid offsets within a band, the cell itself included', () => {
    expect(bandOffsets(1)).toBe(5);
    expect(bandOffsets(2)).toBe(13);
    expect(bandOffsets(2.5)).toBe(21);
    // about π r² for wide bands
    expect(bandOffsets(100) / (Math.PI * 100 * 100)).toBeCloseTo(1, 2);
  });

  it('gives the same z whether the cells are compact or spread far apart', () => {
    // the same neighbourhoods, once side by side and once with one block moved far away (the
    // look-up then cannot use a dense index); blocks are farther apart than the band either way
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 3 }),
        (counts, band) => {
          const block = (di: number) =>
            counts.map((count, k) => ({ i: di + (k % 4), j: Math.floor(k / 4), count }));
          const near = getisOrdGiStar([...block(0), ...block(10)], { bandCells: band });
          const far = getisOrdGiStar([...block(0), ...block(50_000_000)], { bandCells: band });
          expect(far.map((c) => c.z)).toEqual(near.map((c) => c.z));
        },
      ),
      { numRuns: 50 },
    );
  });
});
