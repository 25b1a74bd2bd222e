/**
 * Time windows as the client resolves them and the API takes them. The rules of local time,
 * presets and comparisons are domain/time.ts's.
 */
import { resolveWindow, type Range, type TimeWindow } from '../../domain/time';

export type { Range } from '../../domain/time';

/** As the API wants it. */
export const isoRange = (r: Range) => ({
  from: new Date(r.from).toISOString(),
  to: new Date(r.to).toISOString(),
});

/**
 * "Now" for the presets (domain/time.ts's reference): the end of the data where that is earlier
 * than the clock (data anchored in the past), else the clock.
 *
 * The end of the data is what the page knows of it at this moment: health's answer (asked every
 * 30 s), moved on at once by the latest incident the live stream has sent (`latestLive`, epoch
 * ms; the data then end just after it, as health counts it). So a window anchored at now slides
 * with the clock (`clock`, each minute) where the data reach it, and with the incidents as they
 * arrive where they stop short of it: the first incident after midnight moves "today" on in the
 * frame it arrives in, not at health's next answer. Without a data end (health not answered, or
 * no data) the clock is "now".
 *
 * @example
 * presetReference(Date.parse('2026-07-01T00:05:00+08:00'), Date.parse('2026-06-30T23:58:00+08:00'),
 *   Date.parse('2026-07-01T00:01:00+08:00')); // 2026-07-01T00:01:00.001+08:00: today is 1 July
 */
export function presetReference(
  clock: number,
  dataEnd: number | null,
  latestLive: number | null = null,
): number {
  if (dataEnd === null) return clock;
  const end = latestLive === null ? dataEnd : Math.max(dataEnd, latestLive + 1);
  return Math.min(clock, end);
}

/**
 * The window's instants, shared. A dozen components ask at every window change, and resolving
 * one takes time-zone arithmetic, so the last few resolutions are kept; and since the reference
 * moves far more often than the windows it resolves to (a preset changes only at local
 * midnight), a window resolved anew to the same instants gives the same object as before: memos
 * and layers keyed on the range stay put while "now" moves.
 */
export function rangeCache(size = 4) {
  const resolved: { window: TimeWindow; reference: number; range: Range }[] = [];
  return (window: TimeWindow, reference: number): Range => {
    let hit = resolved.find((r) => r.window === window && r.reference === reference);
    if (!hit) {
      const range = resolveWindow(window, reference);
      const same = resolved.find(
        (r) => r.window === window && r.range.from === range.from && r.range.to === range.to,
      );
      hit = { window, reference, range: same?.range ?? range };
      resolved.unshift(hit);
      resolved.length = Math.min(resolved.length, size);
    }
    return hit.range;
  };
}
