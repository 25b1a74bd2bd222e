import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateDemo } from '../../server/demo/generate';
import type { DemoData } from '../../server/demo/types';
import { todayInShanghai } from '../../server/demo/window';
import { ANCHOR, hashDemo } from './demoTestUtils';

let a: DemoData;
let b: DemoData;
let other: DemoData;
beforeAll(() => {
  // the generator must never call Math.random
  vi.spyOn(Math, 'random').mockImplementation(() => {
    throw new Error('Math.random called');
  });
  a = generateDemo({ anchor: ANCHOR });
  b = generateDemo({ anchor: ANCHOR, seed: 'chengbei' });
  other = generateDemo({ anchor: ANCHOR, seed: 'another seed', incidents: 20_000 });
});
afterAll(() => {
  vi.restoreAllMocks();
});

describe('determinism', () => {
  it('gives byte-identical data for the same seed and anchor', () => {
    expect(a.source.seed).toBe('chengbei');
    expect(hashDemo(a)).toBe(hashDemo(b));
  });

  it('gives different data for another seed', () => {
    expect(other.source.seed).toBe('another seed');
    expect(hashDemo(other)).not.toBe(hashDemo(a));
    expect(
      Buffer.from(other.incidents.lon.buffer).equals(Buffer.from(a.incidents.lon.buffer)),
    ).toBe(false);
    expect(JSON.stringify(other.communities)).not.toBe(JSON.stringify(a.communities));
    // the fixed facts stay the same
    expect(other.district).toEqual(a.district);
    expect(other.communities.map((c) => c.name)).toEqual(a.communities.map((c) => c.name));
    expect(other.cameras.filter((c) => c.batch === 'sharp-eyes-infill')).toHaveLength(654);
  });

  it('defaults to seed chengbei and today in Asia/Shanghai', () => {
    vi.restoreAllMocks();
    const before = Date.now();
    const today = generateDemo({ incidents: 2_000 });
    expect(today.source.seed).toBe('chengbei');
    expect(today.source.anchor).toBe(todayInShanghai());
    // today's data ends at the moment of generation, not at midnight
    expect(today.coverage.end).toBeGreaterThanOrEqual(before);
    expect(today.coverage.end).toBeLessThanOrEqual(Date.now());
    expect(today.incidents.time.every((t) => t < today.coverage.end)).toBe(true);
  });

  it('scales the number of incidents and checks its options', () => {
    expect(generateDemo({ anchor: ANCHOR, incidents: 0 }).incidents.count).toBe(0);
    expect(() => generateDemo({ incidents: -1 })).toThrow(Error);
    expect(() => generateDemo({ incidents: 1.5 })).toThrow(Error);
    expect(() => generateDemo({ anchor: '2024-13-01' })).toThrow(Error);
  });
});
