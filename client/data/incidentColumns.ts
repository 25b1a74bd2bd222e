/**
 * The incidents of a stretch of time (the window shown and a margin around it, data/incidentLoad.ts)
 * as typed columns ready for deck.gl: the time window and the category filter then act on the GPU
 * (DataFilterExtension) without refetching or rebuilding buffers while the window stays within
 * what is loaded.
 */
import { tableFromIPC } from 'apache-arrow';
import { DAY_MS, type Range } from '../../domain/time';
import { INCIDENT_CATEGORIES } from '../../domain/vocabulary';
import { CATEGORY_COLOURS } from '../theme';

export interface IncidentColumns {
  count: number;
  /** epoch ms of the span's start: filter values count minutes from here */
  origin: number;
  /** epoch ms of the span's end (exclusive): incidents from then on are not held */
  end: number;
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

export function columnsFromArrow(
  bytes: Uint8Array,
  origin: number,
  end = Number.POSITIVE_INFINITY,
): IncidentColumns {
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
  return { count: n, origin, end, id, positions, time, minutes, category, categoryF, colours };
}

export async function fetchIncidentColumns(
  from: number,
  to: number,
  signal?: AbortSignal,
  area?: readonly [number, number, number, number],
) {
  const q = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  if (area) q.set('bbox', area.join(','));
  const res = await fetch(`/api/incidents.arrow?${q}`, { signal });
  if (!res.ok) throw new Error(`incidents could not be loaded (HTTP ${res.status})`);
  return columnsFromArrow(new Uint8Array(await res.arrayBuffer()), from, to);
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

/**
 * The incidents of window [from, to) per category (indexed as INCIDENT_CATEGORIES), counted as
 * the server's incidents.summary counts them: from ≤ time < to, the district's incidents only
 * (the columns never hold those placed outside). Null where the columns cannot say exactly: a
 * bound that is not a whole second (they hold times to the second, floored), or a window that
 * reaches outside their span [origin, end).
 */
export function countByCategory(c: IncidentColumns, range: Range): Int32Array | null {
  if (range.from % 1000 !== 0 || range.to % 1000 !== 0) return null;
  if (range.from < c.origin || range.to > c.end) return null;
  const out = new Int32Array(INCIDENT_CATEGORIES.length);
  const last = lowerBound(c, range.to);
  for (let i = lowerBound(c, range.from); i < last; i++) out[c.category[i]!]!++;
  return out;
}

/** An incident as a live change leaves it: its fields the columns hold, or null when removed. */
export interface IncidentChange {
  id: number;
  incident: {
    time: string;
    lon: number;
    lat: number;
    category: string;
    /** placed outside the district: the columns leave it out, as the Arrow route does */
    outside?: boolean;
  } | null;
}

/** A column set's full-length arrays: the columns are views of their first `count` entries. */
interface Arrays {
  id: Int32Array;
  positions: Float32Array;
  time: Uint32Array;
  minutes: Float32Array;
  category: Uint8Array;
  categoryF: Float32Array;
  colours: Uint8Array;
}
/** Arrays shared by the columns made from them, and the newest of those: only its end may be written past. */
interface Store {
  arrays: Arrays;
  tail: IncidentColumns | null;
}
const stores = new WeakMap<IncidentColumns, Store>();

/** One incident as the columns hold it. */
interface Row {
  id: number;
  lon: number;
  lat: number;
  /** epoch seconds */
  time: number;
  category: number;
}

function columnsOf(store: Store, count: number, span: Range): IncidentColumns {
  const s = store.arrays;
  const c: IncidentColumns = {
    count,
    origin: span.from,
    end: span.to,
    id: s.id.subarray(0, count),
    positions: s.positions.subarray(0, 2 * count),
    time: s.time.subarray(0, count),
    minutes: s.minutes.subarray(0, count),
    category: s.category.subarray(0, count),
    categoryF: s.categoryF.subarray(0, count),
    colours: s.colours.subarray(0, 4 * count),
  };
  store.tail = c;
  stores.set(c, store);
  return c;
}

/** Empty full-length arrays for `capacity` incidents, with the first `keep` of `c` copied in. */
function allocate(c: IncidentColumns, capacity: number, keep: number): Store {
  const s = emptyArrays(capacity);
  copyRows(c, 0, s, 0, keep);
  return { arrays: s, tail: null };
}

function copyRows(c: IncidentColumns, from: number, s: Arrays, to: number, n: number) {
  if (n <= 0) return;
  s.id.set(c.id.subarray(from, from + n), to);
  s.positions.set(c.positions.subarray(2 * from, 2 * (from + n)), 2 * to);
  s.time.set(c.time.subarray(from, from + n), to);
  s.minutes.set(c.minutes.subarray(from, from + n), to);
  s.category.set(c.category.subarray(from, from + n), to);
  s.categoryF.set(c.categoryF.subarray(from, from + n), to);
  s.colours.set(c.colours.subarray(4 * from, 4 * (from + n)), 4 * to);
}

function writeRow(s: Arrays, i: number, r: Row, originS: number) {
  s.id[i] = r.id;
  s.positions[2 * i] = r.lon;
  s.positions[2 * i + 1] = r.lat;
  s.time[i] = r.time;
  s.minutes[i] = Math.floor((r.time - originS) / 60);
  s.category[i] = r.category;
  s.categoryF[i] = r.category;
  s.colours.set(CATEGORY_COLOURS[INCIDENT_CATEGORIES[r.category]!], 4 * i);
}

/** Room for this many more incidents, and an eighth more, when the arrays are made anew. */
const SPARE = 256;
const grown = (n: number) => n + (n >> 3) + SPARE;

/** Index of incident `id` in `c`, or -1 (searched from the end: new incidents are the latest). */
function indexOfId(c: IncidentColumns, id: number): number {
  return c.id.lastIndexOf(id);
}

/**
 * The columns with `changes` applied, in order (the last change of an incident wins): a new
 * incident is put in its place by time, an update moves or recolours one, a removal (or one now
 * outside the district, or outside the columns' span [origin, end)) takes one away. The columns
 * stay sorted by time. New incidents at the end (the usual case) are written in place past the
 * end of arrays kept with spare room, without copying those before; anything else makes new
 * arrays. `c` itself is never changed; the same columns come back when nothing changes.
 */
export function applyIncidentChanges(
  c: IncidentColumns,
  changes: readonly IncidentChange[],
): IncidentColumns {
  const last = new Map<number, IncidentChange['incident']>();
  for (const ch of changes) last.set(ch.id, ch.incident);
  const originS = c.origin / 1000;
  const remove = new Set<number>();
  const add: Row[] = [];
  for (const [id, inc] of last) {
    const at = indexOfId(c, id);
    const time = inc ? Math.floor(Date.parse(inc.time) / 1000) : NaN;
    const category = inc ? INCIDENT_CATEGORIES.indexOf(inc.category as never) : -1;
    const keep =
      inc && !inc.outside && category >= 0 && time >= originS && time * 1000 < c.end;
    if (!keep) {
      if (at >= 0) remove.add(at);
      continue;
    }
    const row: Row = { id, lon: Math.fround(inc.lon), lat: Math.fround(inc.lat), time, category };
    if (
      at >= 0 &&
      c.time[at] === row.time &&
      c.category[at] === row.category &&
      c.positions[2 * at] === row.lon &&
      c.positions[2 * at + 1] === row.lat
    )
      continue;
    if (at >= 0) remove.add(at);
    add.push(row);
  }
  if (!remove.size && !add.length) return c;
  add.sort((a, b) => a.time - b.time || a.id - b.id);

  const lastTime = c.count ? c.time[c.count - 1]! : 0;
  if (!remove.size && add[0]!.time >= lastTime) {
    // new incidents at the end: in place when there is room and nothing newer was made from here
    const n = c.count + add.length;
    const own = stores.get(c);
    const store =
      own && own.tail === c && own.arrays.id.length >= n ? own : allocate(c, grown(n), c.count);
    add.forEach((r, k) => writeRow(store.arrays, c.count + k, r, originS));
    return columnsOf(store, n, { from: c.origin, to: c.end });
  }

  // anything else: merge the kept incidents and the new ones into new arrays
  const n = c.count - remove.size + add.length;
  const store = allocate(c, grown(n), 0);
  const s = store.arrays;
  const removed = [...remove].sort((a, b) => a - b);
  let i = 0;
  let out = 0;
  let k = 0;
  let r = 0;
  while (i < c.count) {
    const nextRemoved = r < removed.length ? removed[r]! : c.count;
    // a new incident goes after those of its second already there
    const nextInsert = k < add.length ? upperBound(c, add[k]!.time, i) : c.count;
    const stop = Math.min(nextRemoved, nextInsert);
    copyRows(c, i, s, out, stop - i);
    out += stop - i;
    i = stop;
    if (k < add.length && i === nextInsert) writeRow(s, out++, add[k++]!, originS);
    else if (i === nextRemoved && i < c.count) {
      i++;
      r++;
    }
  }
  while (k < add.length) writeRow(s, out++, add[k++]!, originS);
  return columnsOf(store, n, { from: c.origin, to: c.end });
}

/** Index of the first incident from `lo` on whose time (epoch s) is after `s`. */
function upperBound(c: IncidentColumns, s: number, lo: number): number {
  let hi = c.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c.time[mid]! <= s) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the columns hold every incident of `range` (within their span [origin, end)). */
export function covers(c: IncidentColumns, range: Range): boolean {
  return range.from >= c.origin && range.to <= c.end;
}

/** Columns holding no incident over `span`: what is loaded of a window drawn from cells. */
export function emptyColumns(span: Range): IncidentColumns {
  return columnsOf({ arrays: emptyArrays(SPARE), tail: null }, 0, span);
}

function emptyArrays(capacity: number): Arrays {
  return {
    id: new Int32Array(capacity),
    positions: new Float32Array(2 * capacity),
    time: new Uint32Array(capacity),
    minutes: new Float32Array(capacity),
    category: new Uint8Array(capacity),
    categoryF: new Float32Array(capacity),
    colours: new Uint8Array(4 * capacity),
  };
}

/** Rows [from, from + n) of `c`, copied to `to` on in `s`, their minutes counted from `originS`. */
function copyRebased(c: IncidentColumns, from: number, s: Arrays, to: number, n: number, originS: number) {
  copyRows(c, from, s, to, n);
  if (c.origin / 1000 === originS) return;
  for (let k = 0; k < n; k++) s.minutes[to + k] = Math.floor((s.time[to + k]! - originS) / 60);
}

/**
 * The incidents of `a` and of `b` (a chunk loaded next to or over part of `a`'s span) as one set
 * of columns over both spans: where the spans overlap, `b`'s incidents replace `a`'s (they are the
 * newer answer). The spans must touch or overlap, so that the result's span holds every incident
 * within it. Neither `a` nor `b` is changed.
 */
export function mergeColumns(a: IncidentColumns, b: IncidentColumns): IncidentColumns {
  if (b.origin > a.end || b.end < a.origin)
    throw new Error('columns merged must have spans that touch or overlap');
  const span = { from: Math.min(a.origin, b.origin), to: Math.max(a.end, b.end) };
  const before = lowerBound(a, b.origin);
  const after = lowerBound(a, b.end);
  const n = before + b.count + (a.count - after);
  const store: Store = { arrays: emptyArrays(grown(n)), tail: null };
  const originS = span.from / 1000;
  copyRebased(a, 0, store.arrays, 0, before, originS);
  copyRebased(b, 0, store.arrays, before, b.count, originS);
  copyRebased(a, after, store.arrays, before + b.count, a.count - after, originS);
  return columnsOf(store, n, span);
}

/** The incidents of `c` within `range` (cut to `c`'s span), as columns over that span. */
export function sliceColumns(c: IncidentColumns, range: Range): IncidentColumns {
  const span = { from: Math.max(c.origin, range.from), to: Math.min(c.end, range.to) };
  if (span.to <= span.from) return emptyColumns({ from: span.from, to: span.from });
  const first = lowerBound(c, span.from);
  const n = lowerBound(c, span.to) - first;
  const store: Store = { arrays: emptyArrays(grown(n)), tail: null };
  copyRebased(c, first, store.arrays, 0, n, span.from / 1000);
  return columnsOf(store, n, span);
}
