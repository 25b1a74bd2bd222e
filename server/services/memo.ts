/**
 * Bounded caches for computed results: least recently used entries go first once a cache holds
 * too many entries or too many bytes (an estimate of what the values hold). Keys are built from
 * normalised parameters by the callers, so that equivalent requests share one entry.
 */
import { LRUCache } from 'lru-cache';

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

/** Per database: the results computed from its data (see memo). */
const caches = new WeakMap<object, LRUCache<string, { v: unknown }>>();

/** Limits of each database's memo. */
export const MEMO_LIMITS: BoundedCacheOptions = { maxEntries: 48, maxBytes: 192 * 1024 * 1024 };

/** A per-database memo, bounded by MEMO_LIMITS; concurrent callers of one key may both compute. */
export async function memo<T>(db: object, key: string, make: () => Promise<T>): Promise<T> {
  let byDb = caches.get(db);
  if (!byDb) caches.set(db, (byDb = boundedCache<{ v: unknown }>(MEMO_LIMITS)));
  const hit = byDb.get(key);
  if (hit) return hit.v as T;
  const v = await make();
  byDb.set(key, { v });
  return v;
}

/** How many entries and bytes a database's memo holds (for tests and figures). */
export function memoStats(db: object): { entries: number; bytes: number } {
  const c = caches.get(db);
  return { entries: c?.size ?? 0, bytes: c?.calculatedSize ?? 0 };
}
