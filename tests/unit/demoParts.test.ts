import { describe, expect, it } from 'vitest';
import { communityCatalog } from '../../server/demo/communityCatalog';
import { incidentMix, splitByShares, SUBCATEGORY_CODES } from '../../server/demo/incidentMix';
import { FRAUD_DROP, splitFraud } from '../../server/demo/incidents';
import { createRng, createWeightedSampler } from '../../server/demo/random';
import { loadDistrict, loadUnitNames } from '../../server/demo/sourceData';
import { demoWindow, todayInShanghai, windowDays } from '../../server/demo/window';

describe('seeded randomness', () => {
  it('repeats for the same seed and stream, differs otherwise', () => {
    const draw = (seed: string, stream: string) => {
      const r = createRng(seed, stream);
      return Array.from({ length: 5 }, () => r.float());
    };
    expect(draw('chengbei', 'a')).toEqual(draw('chengbei', 'a'));
    expect(draw('chengbei', 'a')).not.toEqual(draw('chengbei', 'b'));
    expect(draw('chengbei', 'a')).not.toEqual(draw('chengbeI', 'a'));
    expect(draw('x', '').every((u) => u >= 0 && u < 1)).toBe(true);
  });

  it('weighted sampler follows the weights', () => {
    const rng = createRng('w');
    const draw = createWeightedSampler([1, 0, 3]);
    const counts = [0, 0, 0];
    for (let i = 0; i < 40_000; i++) counts[draw(rng)]!++;
    expect(counts[1]).toBe(0);
    expect(counts[2]! / counts[0]!).toBeGreaterThan(2.8);
    expect(counts[2]! / counts[0]!).toBeLessThan(3.2);
    expect(() => createWeightedSampler([0, 0])).toThrow(Error);
  });
});

describe('time window', () => {
  it('ends at 00:00 Asia/Shanghai after the anchor and starts 24 months earlier', () => {
    const w = demoWindow('2024-06-14');
    expect(w.end).toBe(Date.parse('2024-06-15T00:00:00+08:00'));
    expect(w.mid).toBe(Date.parse('2023-06-15T00:00:00+08:00'));
    expect(w.start).toBe(Date.parse('2022-06-15T00:00:00+08:00'));
    expect(windowDays(w)).toHaveLength(731);
  });

  it('handles month ends and leap days, and rejects bad anchors', () => {
    const w = demoWindow('2024-02-28');
    expect(w.end).toBe(Date.parse('2024-02-29T00:00:00+08:00'));
    expect(w.start).toBe(Date.parse('2022-02-28T00:00:00+08:00'));
    expect(() => demoWindow('2023-02-29')).toThrow(Error);
    expect(() => demoWindow('14/06/2024')).toThrow(Error);
  });

  it("today's date is taken in Asia/Shanghai", () => {
    expect(todayInShanghai(Date.parse('2024-06-14T16:30:00Z'))).toBe('2024-06-15');
    expect(todayInShanghai(Date.parse('2024-06-14T15:30:00Z'))).toBe('2024-06-14');
  });
});

describe('incident mix', () => {
  it('splits exactly by largest remainder', () => {
    expect(splitByShares(10, [0.5, 0.25, 0.25])).toEqual([5, 3, 2]);
    const mix = incidentMix(140_001);
    expect(mix.reduce((s, c) => s + c.count, 0)).toBe(140_001);
  });

  it('has the subcategory codes the dashboard needs', () => {
    for (const code of ['theft', 'robbery', 'snatching', 'fraud']) {
      expect(SUBCATEGORY_CODES).toContain(code);
    }
    expect(new Set(SUBCATEGORY_CODES).size).toBe(SUBCATEGORY_CODES.length);
  });

  it('splits fraud so that the year-on-year drop is 35.31%', () => {
    for (const total of [100, 1000, 3360, 24_000]) {
      const [prev, last] = splitFraud(total);
      expect(prev + last).toBe(total);
      expect(Math.abs((prev - last) / prev - FRAUD_DROP)).toBeLessThan(
        total >= 1000 ? 0.001 : 0.01,
      );
    }
  });
});

describe('source data', () => {
  it('reads the boundary counter-clockwise and the 69 real names', () => {
    const d = loadDistrict();
    expect(d.code).toBe('630105');
    expect(d.name).toBe('城北区');
    const names = loadUnitNames();
    expect(Object.keys(names)).toHaveLength(6);
    expect(Object.values(names).flat()).toHaveLength(69);
  });

  it('catalogues 79 communities with 12-digit codes', () => {
    const cat = communityCatalog();
    expect(cat).toHaveLength(79);
    expect(cat.filter((c) => c.synthetic)).toHaveLength(10);
    expect(new Set(cat.map((c) => c.code)).size).toBe(79);
    for (const c of cat) {
      expect(c.code).toMatch(/^630105\d{6}$/);
      expect(c.kind).toBe(c.name.endsWith('村') ? 'village' : 'community');
      if (c.synthetic) expect(c.code.slice(9, 10)).toBe('9');
    }
  });
});
