/**
 * What every writer takes: a table of features (typed fields, one geometry each) read row by row,
 * and the coordinate system to write it in (geo/crs.ts: every coordinate goes through its
 * fromWgs84). The writers never hold a whole table in memory.
 */
import type { Geometry, Position } from 'geojson';
import { formatLocal } from '../../../domain/time';
import type { Crs } from '../../../geo/crs';

/** A field's type: how the writers format and declare it (DBF types, Excel cells, JSON). */
export type FieldType = 'text' | 'int' | 'real' | 'date' | 'datetime' | 'bool';

export interface ExportField {
  /** the value's key in a row */
  key: string;
  /**
   * The Shapefile (DBF) name: ASCII, at most 10 bytes, unique in the table. A Chinese name takes
   * 3 bytes a character in UTF-8, so DBF names are short English words and the Chinese `header`
   * goes into the formats without that limit.
   */
  short: string;
  /** the readable (Chinese) name: CSV, XLSX and GeoJSON use it */
  header: string;
  type: FieldType;
}

/** A field value: datetime as epoch milliseconds, date as YYYY-MM-DD text. */
export type FieldValue = string | number | boolean | null;

export interface ExportRow {
  /** WGS84 (EPSG:4326) longitude/latitude */
  geometry: Geometry;
  values: Readonly<Record<string, FieldValue>>;
}

export interface ExportTable {
  /** the layer's name in ASCII: the base name of the files inside a zipped Shapefile */
  id: string;
  /** the layer's readable name: the XLSX sheet's, the GeoJSON's "name" */
  name: string;
  fields: readonly ExportField[];
  /**
   * What its geometries are: points only, lines, areas (Polygon or MultiPolygon), or a mix
   * (a Shapefile holds one type: a mixed table becomes one Shapefile per type).
   */
  geometry: 'point' | 'line' | 'area' | 'mixed';
  rows: AsyncIterable<ExportRow>;
}

/** The decimals written: 7 in degrees (about 1 cm), 3 in metres. */
export const decimals = (crs: Crs) => (crs.projected ? 3 : 7);

/** Rounds to `d` decimals (a number, so that JSON writes it short). */
export function round(v: number, d: number) {
  const f = 10 ** d;
  return Math.round(v * f) / f;
}

/** A copy of a geometry with every position transformed and rounded for `crs`. */
export function projectGeometry(g: Geometry, crs: Crs): Geometry {
  const d = decimals(crs);
  const p = (pos: Position): Position => {
    const [x, y] = crs.fromWgs84(pos[0]!, pos[1]!);
    return [round(x, d), round(y, d)];
  };
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: p(g.coordinates) };
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: g.coordinates.map(p) };
    case 'LineString':
      return { type: 'LineString', coordinates: g.coordinates.map(p) };
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: g.coordinates.map((l) => l.map(p)) };
    case 'Polygon':
      return { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(p)) };
    case 'MultiPolygon':
      return {
        type: 'MultiPolygon',
        coordinates: g.coordinates.map((poly) => poly.map((r) => r.map(p))),
      };
    case 'GeometryCollection':
      return {
        type: 'GeometryCollection',
        geometries: g.geometries.map((c) => projectGeometry(c, crs)),
      };
  }
}

/** Well-known text of a geometry (already projected and rounded). */
export function toWkt(g: Geometry): string {
  const pos = (c: Position) => `${c[0]} ${c[1]}`;
  const line = (cs: Position[]) => `(${cs.map(pos).join(', ')})`;
  const poly = (rings: Position[][]) => `(${rings.map(line).join(', ')})`;
  switch (g.type) {
    case 'Point':
      return `POINT (${pos(g.coordinates)})`;
    case 'MultiPoint':
      return `MULTIPOINT (${g.coordinates.map((c) => `(${pos(c)})`).join(', ')})`;
    case 'LineString':
      return `LINESTRING ${line(g.coordinates)}`;
    case 'MultiLineString':
      return `MULTILINESTRING (${g.coordinates.map(line).join(', ')})`;
    case 'Polygon':
      return `POLYGON ${poly(g.coordinates)}`;
    case 'MultiPolygon':
      return `MULTIPOLYGON (${g.coordinates.map(poly).join(', ')})`;
    case 'GeometryCollection':
      return `GEOMETRYCOLLECTION (${g.geometries.map(toWkt).join(', ')})`;
  }
}

/** A datetime field's text: the command centre's local time with its offset (domain/time.ts). */
export function formatDatetime(ms: number): string {
  return formatLocal(ms, "yyyy-MM-dd'T'HH:mm:ssxxx");
}

/** A value as text (CSV, DBF text): '' for null. */
export function valueText(v: FieldValue, type: FieldType): string {
  if (v === null) return '';
  if (type === 'datetime' && typeof v === 'number') return formatDatetime(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return String(v);
}

/** A value for JSON and spreadsheet cells: datetimes as text with their offset, the rest as is. */
export function cellValue(v: FieldValue, type: FieldType): FieldValue {
  return type === 'datetime' && typeof v === 'number' ? formatDatetime(v) : v;
}
