/**
 * The incidents of the whole data span, once, as typed columns ready for deck.gl: the time window
 * and the category filter then act on the GPU (DataFilterExtension) without refetching or
 * rebuilding buffers.
 */
import { tableFromIPC } from 'apache-arrow';
import { DAY_MS } from '../../domain/time';
import { INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import { CATEGORY_COLOURS } from '../theme';

export interface IncidentColumns {
  count: number;
  /** epoch ms of the span's start: filter values count minutes from here */
  origin: number;
  id: Int32Array;
  /** interleaved lon, lat */
  positions: Float32Array;
  /** epoch seconds, ascending */
  time: Uint32Array;
  /**
   * whole minutes since origin (the minute each incident falls in): integers stay exact in
   * float32 up to 2^24 minutes (31 years), so GPU filtering by window is exact too
   */
  minutes: Float32Array;
  /** index into INCIDENT_CATEGORIES */
  category: Uint8Array;
  /** the same, as floats for the GPU category filter */
  categoryF: Float32Array;
  /** RGBA per incident, by category */
  colours: Uint8Array;
}

export function columnsFromArrow(bytes: Uint8Array, origin: number): IncidentColumns {
  const table = tableFromIPC(bytes);
  const n = table.numRows;
  const lon = table.getChild('lon')!.toArray() as Float32Array;
  const lat = table.getChild('lat')!.toArray() as Float32Array;
  const time = table.getChild('time')!.toArray() as Uint32Array;
  const id = table.getChild('id')!.toArray() as Int32Array;
  const catVector = table.getChild('category')!;
  // dictionary indices, mapped onto our own category order in case the server's differs
  const dict = catVector.data[0]?.dictionary;
  const remap = new Uint8Array(256);
  if (dict) for (let i = 0; i < dict.length; i++) remap[i] = INCIDENT_CATEGORIES.indexOf(dict.get(i));
  const category = new Uint8Array(n);
  let offset = 0;
  for (const chunk of catVector.data) {
    const idx = chunk.values as Uint8Array;
    for (let i = 0; i < chunk.length; i++) category[offset + i] = remap[idx[i]!]!;
    offset += chunk.length;
  }
  const positions = new Float32Array(n * 2);
  const minutes = new Float32Array(n);
  const categoryF = new Float32Array(n);
  const colours = new Uint8Array(n * 4);
  const originS = origin / 1000;
  for (let i = 0; i < n; i++) {
    positions[2 * i] = lon[i]!;
    positions[2 * i + 1] = lat[i]!;
    minutes[i] = Math.floor((time[i]! - originS) / 60);
    const c = category[i]!;
    categoryF[i] = c;
    colours.set(CATEGORY_COLOURS[INCIDENT_CATEGORIES[c]!], 4 * i);
  }
  return { count: n, origin, id, positions, time, minutes, category, categoryF, colours };
}

export async function fetchIncidentColumns(from: number, to: number, signal?: AbortSignal) {
  const q = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  const res = await fetch(`/api/incidents.arrow?${q}`, { signal });
  if (!res.ok) throw new Error(`incidents could not be loaded (HTTP ${res.status})`);
  return columnsFromArrow(new Uint8Array(await res.arrayBuffer()), from);
}

/** Index of the first incident at or after `ms` (times ascend). */
export function lowerBound(c: IncidentColumns, ms: number): number {
  const s = ms / 1000;
  let lo = 0;
  let hi = c.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.time[mid]! < s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Incidents per local day from `dayStart` (a local midnight, epoch ms) for `days` days, counting
 * only the categories in `mask` (bit i = INCIDENT_CATEGORIES[i]).
 */
export function countPerDay(c: IncidentColumns, dayStart: number, days: number, mask: number): Int32Array {
  const out = new Int32Array(days);
  const first = lowerBound(c, dayStart);
  const startS = dayStart / 1000;
  for (let i = first; i < c.count; i++) {
    const d = Math.floor((c.time[i]! - startS) / (DAY_MS / 1000));
    if (d >= days) break;
    if (mask & (1 << c.category[i]!)) out[d]!++;
  }
  return out;
}
