/**
 * Seeded randomness for the demo generator. Every part of the generator draws from its own
 * stream (`createRng(seed, 'incidents')`, ...), so changing one part does not shift the
 * numbers another part sees. Never use Math.random in the generator.
 */
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** A seeded random number source. */
export interface Rng {
  /** uniform in [0, 1), 53 bits */
  float(): number;
  /** uniform integer in [0, n) */
  int(n: number): number;
  /** uniform in [a, b) */
  range(a: number, b: number): number;
  /** standard normal (Box–Muller) */
  normal(): number;
  /** true with probability p */
  chance(p: number): boolean;
  /** a uniformly chosen element */
  pick<T>(items: readonly T[]): T;
  /** Fisher–Yates shuffle, in place; returns the array */
  shuffle<T>(items: T[]): T[];
}

/** 32-bit FNV-1a hash of a string, used to turn seeds into generator states. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Creates the random stream `stream` of seed `seed`.
 *
 * @example
 * const rng = createRng('chengbei', 'towns');
 * rng.float(); // the same number on every run
 */
export function createRng(seed: string, stream = ''): Rng {
  if (typeof seed !== 'string') throw new Error('createRng: seed must be a string');
  const key = `${seed}\u0000${stream}`;
  // 128 bits of state from four hashes, then a warm-up so similar seeds give unrelated streams
  const state = [0, 1, 2, 3].map((i) => hashString(`${key}#${i}`) | 0);
  if (!state.some((v) => v !== 0)) state[0] = 1;
  const gen: RandomGenerator = xoroshiro128plusFromState(state);
  for (let i = 0; i < 32; i++) gen.next();
  const float = (): number =>
    (gen.next() & 0x3ffffff) * 1.4901161193847656e-8 +
    (gen.next() & 0x7ffffff) * 1.1102230246251565e-16;
  let spare: number | null = null;
  return {
    float,
    int: (n) => {
      if (!(n >= 1)) throw new Error('Rng.int: n must be at least 1');
      return Math.floor(float() * n);
    },
    range: (a, b) => a + float() * (b - a),
    normal: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      const u = 1 - float();
      const v = float();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    chance: (p) => float() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('Rng.pick: empty array');
      return items[Math.floor(float() * items.length)]!;
    },
    shuffle: (items) => {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(float() * (i + 1));
        [items[i], items[j]] = [items[j]!, items[i]!];
      }
      return items;
    },
  };
}

/**
 * Walker's alias method: after O(n) set-up, draws index i with probability
 * weights[i] / sum(weights) in O(1).
 *
 * @example
 * const draw = createWeightedSampler([1, 3]);
 * draw(createRng('x')); // 1 three times out of four
 */
export function createWeightedSampler(weights: readonly number[]): (rng: Rng) => number {
  const n = weights.length;
  if (n === 0) throw new Error('createWeightedSampler: no weights');
  const total = weights.reduce((s, w) => {
    if (!(w >= 0) || !Number.isFinite(w)) throw new Error('createWeightedSampler: bad weight');
    return s + w;
  }, 0);
  if (!(total > 0)) throw new Error('createWeightedSampler: weights sum to zero');
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = weights.map((w) => (w * n) / total);
  const small: number[] = [];
  const large: number[] = [];
  scaled.forEach((p, i) => (p < 1 ? small : large).push(i));
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large.pop()!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    (scaled[l]! < 1 ? small : large).push(l);
  }
  for (const i of [...small, ...large]) {
    prob[i] = 1;
    alias[i] = i;
  }
  return (rng) => {
    const u = rng.float() * n;
    const i = Math.floor(u);
    return u - i < prob[i]! ? i : alias[i]!;
  };
}
