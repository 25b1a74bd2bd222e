/**
 * Bounded caches for computed results: least recently used entries go first once a cache holds
 * too many entries or too many bytes (an estimate of what the values hold). Keys are built from
 * normalised parameters by the callers, so that equivalent requests share one entry, and hold
 * the versions of the data the result was computed from (memo).
 */
import { LRUCache } from 'lru-cache';
import type { Queryable } from '../db/database';
import { dataVersions, type DataKind } from './dataVersions';

/** A rough size in bytes of a value: typed arrays and strings exactly, objects by their parts. */
export function estimateBytes(v: unknown, depth = 0): number {
  if (v === null || v === undefined) return 8;
  if (typeof v === 'string') return 16 + 2 * v.length;
  if (typeof v !== 'object') return 16;
  if (ArrayBuffer.isView(v)) return 64 + v.byteLength;
  if (depth > 6) return 64;
  let n = 64;
  if (Array.isArray(v)) {
    // large arrays of like items: measure a sample
    const step = Math.max(1, Math.floor(v.length / 64));
    let sampled = 0;
    let bytes = 0;
    for (let k = 0; k < v.length; k += step, sampled++) bytes += estimateBytes(v[k], depth + 1);
    return n + (sampled ? (bytes / sampled) * v.length : 0);
  }
  if (v instanceof Map) {
    for (const [k, x] of v) n += estimateBytes(k, depth + 1) + estimateBytes(x, depth + 1);
    return n;
  }
  for (const x of Object.values(v)) n += 16 + estimateBytes(x, depth + 1);
  return n;
}

export interface BoundedCacheOptions {
  maxEntries: number;
  maxBytes: number;
}

/** A cache of values (not promises) bounded in entries and bytes. */
export function boundedCache<V extends object>(o: BoundedCacheOptions): LRUCache<string, V> {
  return new LRUCache<string, V>({
    max: o.maxEntries,
    maxSize: o.maxBytes,
    // a value larger than the whole cache is not kept
    sizeCalculation: (v) => Math.max(1, Math.min(Math.ceil(estimateBytes(v)), o.maxBytes + 1)),
  });
}

/**
 * The memo's spaces, each bounded on its own, so that many small answers (counts of past days,
 * one per window a desk looks at) never push out the few costly ones (the plan's figures).
 */
export const MEMO_SPACES = {
  results: { maxEntries: 48, maxBytes: 192 * 1024 * 1024 },
  summaries: { maxEntries: 256, maxBytes: 16 * 1024 * 1024 },
} as const satisfies Record<string, BoundedCacheOptions>;
export type MemoSpace = keyof typeof MEMO_SPACES;

type MemoCache = LRUCache<string, { v: unknown; at: string }>;
/** Per database and space: the results computed from its data, with the versions they were computed at. */
const caches = new WeakMap<object, Map<MemoSpace, MemoCache>>();

function cacheOf(db: object, space: MemoSpace): MemoCache {
  let spaces = caches.get(db);
  if (!spaces) caches.set(db, (spaces = new Map()));
  let c = spaces.get(space);
  if (!c) spaces.set(space, (c = boundedCache(MEMO_SPACES[space])));
  return c;
}

/**
 * A per-database memo of what `make` computes from the kinds of data `deps`, in the bounded
 * `space` (MEMO_SPACES). A key's entry holds the versions of `deps` (services/dataVersions) it was
 * computed at, and serves only while they are current, so a write of that data through any
 * instance on the database is seen by the next call here. A result is kept only if the versions
 * are unchanged once it is computed (a write, or a read moved between replica and primary,
 * meanwhile leaves nothing stale behind); it replaces the key's entry for older versions.
 * Concurrent callers of one key may both compute.
 */
export async function memo<T>(
  db: Queryable,
  deps: readonly DataKind[],
  key: string,
  make: () => Promise<T>,
  space: MemoSpace = 'results',
): Promise<T> {
  const c = cacheOf(db, space);
  const at = async () => {
    const v = await dataVersions(db);
    return deps.map((k) => v[k]).join(',');
  };
  const seen = await at();
  const hit = c.get(key);
  if (hit?.at === seen) return hit.v as T;
  const v = await make();
  if ((await at()) === seen) c.set(key, { v, at: seen });
  return v;
}

/** How many entries and bytes a database's memo holds in `space` (for tests and figures). */
export function memoStats(
  db: object,
  space: MemoSpace = 'results',
): { entries: number; bytes: number } {
  const c = caches.get(db)?.get(space);
  return { entries: c?.size ?? 0, bytes: c?.calculatedSize ?? 0 };
}
