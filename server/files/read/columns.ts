/**
 * Columns of a table file: the header made usable (trimmed, unique, never empty), the columns
 * holding coordinates found by their usual names, and numbers as agencies write them.
 */
import { READ_LIMITS } from './limits';
import { importReason, type ImportReason } from '../../../domain/importReasons';
import { refuseFile, type CoordinateColumns } from './types';

/** A name made comparable: lower case, half-width, without spaces, brackets' contents or separators. */
export function normalizeName(name: string): string {
  return toHalfWidth(name)
    .toLowerCase()
    .replace(/\(.*?\)|\[.*?\]|【.*?】/g, '')
    .replace(/[\s_\-.:：/]+/g, '');
}

/** Full-width ASCII (ＡＢＣ１２３．) as ASCII, as Chinese input methods often type it. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/**
 * The header as columns: names trimmed, an empty name called after its position (列3), a name
 * seen before given a suffix (名称_2). Refuses too many columns or too long a name.
 */
export function makeColumns(header: readonly unknown[], row?: number): string[] {
  if (header.length > READ_LIMITS.columns)
    throw refuseFile(
      'too_many_columns',
      { count: header.length, max: READ_LIMITS.columns },
      { row },
    );
  const seen = new Map<string, number>();
  return header.map((h, i) => {
    let name = h === null || h === undefined ? '' : String(h).replace(/\s+/g, ' ').trim();
    if (name.length > 200)
      throw refuseFile('column_name_too_long', { column: i + 1, max: 200 }, { row });
    if (name === '') name = `列${i + 1}`;
    const k = (seen.get(name) ?? 0) + 1;
    seen.set(name, k);
    return k === 1 ? name : `${name}_${k}`;
  });
}

/** Usual names of the x (longitude, easting) and y columns, normalized, best first. */
const X_NAMES = [
  '经度',
  '东经',
  'longitude',
  'lon',
  'lng',
  'long',
  'jd',
  'x',
  'x坐标',
  '横坐标',
  'pointx',
  'gpsx',
  'coordx',
];
const Y_NAMES = [
  '纬度',
  '北纬',
  'latitude',
  'lat',
  'wd',
  'y',
  'y坐标',
  '纵坐标',
  'pointy',
  'gpsy',
  'coordy',
];
/** Words that mark a coordinate column within a longer name (GPS经度, 经度WGS84). */
const X_PARTS = ['经度', '东经', 'longitude'];
const Y_PARTS = ['纬度', '北纬', 'latitude'];

function findColumn(columns: readonly string[], names: string[], parts: string[]): string | null {
  const norm = columns.map(normalizeName);
  for (const n of names) {
    const i = norm.indexOf(n);
    if (i >= 0) return columns[i]!;
  }
  for (const p of parts) {
    const i = norm.findIndex((c) => c.includes(p));
    if (i >= 0) return columns[i]!;
  }
  return null;
}

/** The coordinate columns by their names, or null unless both are found. */
export function detectCoordinateColumns(columns: readonly string[]): CoordinateColumns | null {
  const x = findColumn(columns, X_NAMES, X_PARTS);
  const y = findColumn(columns, Y_NAMES, Y_PARTS);
  return x && y && x !== y ? { x, y } : null;
}

/** Coordinate columns the caller chose, checked against the file's, else those detected. */
export function chooseCoordinateColumns(
  columns: readonly string[],
  chosen: CoordinateColumns | null | undefined,
): CoordinateColumns | null {
  if (chosen === null) return null;
  if (!chosen) return detectCoordinateColumns(columns);
  for (const c of [chosen.x, chosen.y])
    if (!columns.includes(c))
      throw refuseFile('coordinate_column_missing', { column: c, columns: [...columns] });
  return chosen;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** A number as written in a cell ("106.78", "１０６．７８", " 3e2 "), or NaN. */
export function parseNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return NaN;
  const s = toHalfWidth(v).trim();
  return NUMBER.test(s) ? Number(s) : NaN;
}

/** A Point from a record's coordinate cells, or why there is none. */
export function pointFrom(
  x: unknown,
  y: unknown,
  cols: CoordinateColumns,
): { geometry: GeoJSON.Point } | { problem: ImportReason } {
  const empty = (v: unknown) => v === null || v === undefined || v === '';
  if (empty(x) && empty(y))
    return { problem: importReason('no_coordinates', { x: cols.x, y: cols.y }) };
  for (const [v, c] of [
    [x, cols.x],
    [y, cols.y],
  ] as const) {
    if (empty(v)) return { problem: importReason('coordinate_empty', { column: c }) };
    if (!Number.isFinite(parseNumber(v)))
      return { problem: importReason('coordinate_not_number', { column: c, text: String(v) }) };
  }
  return { geometry: { type: 'Point', coordinates: [parseNumber(x), parseNumber(y)] } };
}
