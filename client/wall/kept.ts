/**
 * The wall's figures are the last that arrived in full, kept until new ones have arrived. Their
 * queries' keys move with the clock (a window ending at the current minute is a new query every
 * minute), a request can fail, and the board beside the map is mounted anew at each rotation: in
 * none of these cases does a figure the wall showed go blank. A figure whose latest request failed
 * is stale, and says how old it is.
 */
import { useEffect } from 'react';

/** What a figure needs to know of each query it is made from. */
export interface QueryState {
  data: unknown;
  /** when its data arrived (ms), 0 before any */
  dataUpdatedAt: number;
  isError: boolean;
}

export interface Kept<T> {
  /** the figures of the latest answers, or else the last that arrived in full; undefined before any */
  data: T | undefined;
  /** when they arrived (ms; the oldest of their answers), 0 before any */
  at: number;
  /** the latest request for them failed */
  failed: boolean;
}

interface Entry {
  data: unknown;
  at: number;
}

/** The figures the wall holds, by name: one wall per page. */
const held = new Map<string, Entry>();

/**
 * The figures to show: `value` when it is made (every query it comes from has answered), else the
 * last value held under `name`.
 */
export function pickFigures<T>(
  store: ReadonlyMap<string, Entry>,
  name: string,
  value: T | undefined,
  queries: readonly QueryState[],
): Kept<T> {
  const failed = queries.some((q) => q.isError);
  if (value !== undefined)
    return { data: value, at: Math.min(...queries.map((q) => q.dataUpdatedAt)), failed };
  const last = store.get(name);
  return { data: last?.data as T | undefined, at: last?.at ?? 0, failed };
}

/**
 * Whether figures are to be marked stale at `now`: their latest request failed, or no answer has
 * come for `staleAfterMs` (a server that does not answer at all, rather than refusing).
 */
export function isStale(k: Kept<unknown>, now: number, staleAfterMs: number): boolean {
  return k.data !== undefined && (k.failed || now - k.at > staleAfterMs);
}

/** pickFigures over the wall's figures, holding each value made until a newer one is. */
export function useKept<T>(
  name: string,
  value: T | undefined,
  queries: readonly QueryState[],
): Kept<T> {
  const k = pickFigures(held, name, value, queries);
  const made = value !== undefined;
  useEffect(() => {
    if (made) held.set(name, { data: k.data, at: k.at });
  }, [name, made, k.data, k.at]);
  return k;
}
