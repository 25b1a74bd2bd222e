/**
 * What of the stored incidents the page loads as columns: the window it shows, whole local days,
 * then a margin on either side for playback and scrubbing, fetched in the background a chunk of
 * days at a time and merged into the sorted columns. A window within what is loaded needs
 * nothing; one outside fetches what is missing. What is loaded stays one stretch of time, within
 * a bound; past it, all but what the window wants is dropped.
 */
import { DAY_MS, localDate, localMidnight, type Range } from '../../domain/time';
import {
  mergeColumns,
  sliceColumns,
  type IncidentColumns,
} from './incidentColumns';

/** The margin on each side of the window: the window's length, within these bounds (days). */
export const MIN_MARGIN_DAYS = 7;
export const MAX_MARGIN_DAYS = 92;
/** The margin is fetched this many days at a time, the days after the window first. */
export const CHUNK_DAYS = 31;
/** What is loaded spans at most this many days, or the window and its margin where longer. */
export const MAX_LOADED_DAYS = 800;
/** What is loaded holds at most this many incidents beyond what the window and margin want. */
export const MAX_LOADED_INCIDENTS = 2_500_000;

/** The window widened to whole local days. */
export function dayAligned(window: Range): Range {
  const from = localMidnight(localDate(window.from));
  const last = localMidnight(localDate(Math.max(window.from, window.to - 1)));
  return { from, to: last + DAY_MS };
}

/** The window's margin on each side (ms). */
export function marginOf(window: Range): number {
  const days = Math.ceil((window.to - window.from) / DAY_MS);
  return Math.min(MAX_MARGIN_DAYS, Math.max(MIN_MARGIN_DAYS, days)) * DAY_MS;
}

/** What the page wants loaded for `window`: its days and the margin around them. */
export function wantedRange(window: Range): Range {
  const w = dayAligned(window);
  const m = marginOf(window);
  return { from: w.from - m, to: w.to + m };
}

/** One request of the plan: a stretch to fetch, merged into what is loaded or replacing it. */
export interface LoadStep {
  range: Range;
  replace: boolean;
}

/**
 * The next stretch to fetch for `window`, given the span already loaded (null: nothing yet):
 * first what the window itself lacks (all of it, in place of what is loaded, where the window is
 * further from that than its margin, reaches past it on both sides, or would make it pass the
 * bound), then the margin a chunk at a time, after the window first.
 * Null when nothing more is wanted.
 */
export function nextLoad(loaded: Range | null, window: Range): LoadStep | null {
  const w = dayAligned(window);
  if (!loaded || loaded.to <= loaded.from) return { range: w, replace: true };
  if (w.from >= loaded.from && w.to <= loaded.to) {
    const want = wantedRange(window);
    if (want.to > loaded.to)
      return {
        range: { from: loaded.to, to: Math.min(loaded.to + CHUNK_DAYS * DAY_MS, want.to) },
        replace: false,
      };
    if (want.from < loaded.from)
      return {
        range: { from: Math.max(loaded.from - CHUNK_DAYS * DAY_MS, want.from), to: loaded.from },
        replace: false,
      };
    return null;
  }
  const union = Math.max(loaded.to, w.to) - Math.min(loaded.from, w.from);
  const bothSides = w.from < loaded.from && w.to > loaded.to;
  const gap = Math.max(w.from - loaded.to, loaded.from - w.to, 0);
  if (bothSides || gap > marginOf(window) || union > MAX_LOADED_DAYS * DAY_MS)
    return { range: w, replace: true };
  if (w.to > loaded.to) return { range: { from: loaded.to, to: w.to }, replace: false };
  return { range: { from: w.from, to: loaded.from }, replace: false };
}

/**
 * What is loaded once `chunk` (fetched for `step`) has arrived: merged into `loaded`, or in
 * its place; then, where that passes the bound (MAX_LOADED_DAYS or MAX_LOADED_INCIDENTS), cut
 * to what `window` wants.
 */
export function applyLoad(
  loaded: IncidentColumns | null,
  chunk: IncidentColumns,
  step: LoadStep,
  window: Range,
): IncidentColumns {
  const merged = step.replace || !loaded ? chunk : mergeColumns(loaded, chunk);
  const want = wantedRange(window);
  const maxDays = Math.max(MAX_LOADED_DAYS * DAY_MS, want.to - want.from);
  const over = merged.end - merged.origin > maxDays || merged.count > MAX_LOADED_INCIDENTS;
  return over ? sliceColumns(merged, want) : merged;
}
