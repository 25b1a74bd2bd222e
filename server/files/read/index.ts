/**
 * Reading an agency's file, whatever its format: the format is told by the file's first bytes
 * (a zip: XLSX or a zipped Shapefile; old binary Excel; JSON) and its name, then the format's
 * reader gives the common output (types.ts). The records are in the file's own coordinates;
 * mapping.ts suggests which columns are which fields, rows.ts makes the layer's rows.
 */
import { readCsv } from './csv';
import { readGeojson } from './geojson';
import { readShapefileZip } from './shapefile';
import { readHead, type ByteSource } from './source';
import { crsFromPrj } from '../../../geo/crsFromPrj';
import { CrsError, parseCrs, type Crs } from '../../../geo/crs';
import {
  FileRefused,
  type CoordinateColumns,
  type FileFormat,
  type FileInfo,
  type FileRead,
} from './types';
import { isZip, openZip } from './zip';
import { readAll } from './source';
import { READ_LIMITS } from './limits';
import { importReason } from '../../../domain/importReasons';

export { READ_LIMITS } from './limits';
export { suggestMapping, IMPORT_LAYERS, LAYER_FIELDS, type ImportLayer } from './mapping';
export { RowConverter, type Refusal, type LayerRows } from './rows';
export * from './types';
export type { ByteSource } from './source';

export interface ReadOptions {
  /** the file's name as uploaded: its extension helps tell CSV from GeoJSON */
  name?: string;
  /** CSV and XLSX: the coordinate columns; found by their names when not given; null: none */
  coordinates?: CoordinateColumns | null;
  /** a zipped Shapefile's layer or a workbook's sheet, when it holds several */
  layer?: string;
  /** CSV: the separator */
  delimiter?: string;
  /** XLSX: the header's row number */
  headerRow?: number;
}

/** The compound-document signature of old binary Office files (.xls, .doc). */
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Tells the file's format by its first bytes and name. */
export async function detectFormat(source: ByteSource, name = ''): Promise<FileFormat> {
  const head = await readHead(source, 512);
  if (OLE2.every((b, i) => head[i] === b)) throw FileRefused.for(importReason('xls_refused'));
  if (isZip(head)) {
    if (/\.xlsx$/i.test(name)) return 'xlsx';
    if (/\.shp$|\.zip$/i.test(name)) return 'shapefile';
    // a workbook holds [Content_Types].xml and xl/; look inside
    const zip = await openZip(await readAll(source, READ_LIMITS.zipBytes, 'zip'));
    return zip.entries.some((e) => e.name.startsWith('xl/')) ? 'xlsx' : 'shapefile';
  }
  if (/\.(geo)?json$/i.test(name)) return 'geojson';
  if (/\.(csv|txt|tsv)$/i.test(name)) return 'csv';
  const text = Buffer.from(head)
    .toString('utf8')
    .replace(/^\ufeff/, '')
    .trimStart();
  return text.startsWith('{') ? 'geojson' : 'csv';
}

/** Reads a file: its columns and how it was read, and its records in batches. */
export async function readFile(source: ByteSource, options: ReadOptions = {}): Promise<FileRead> {
  const format = await detectFormat(source, options.name);
  switch (format) {
    case 'csv':
      return readCsv(source, options);
    case 'geojson':
      return readGeojson(source);
    case 'shapefile':
      return readShapefileZip(source, options);
    case 'xlsx': {
      const { readXlsx } = await import('./xlsx');
      return readXlsx(source, { ...options, sheet: options.layer });
    }
  }
}

/**
 * The coordinate system a file declares: a Shapefile's .prj, a GeoJSON file's legacy `crs`
 * member. Null when it declares none (CSV, XLSX, a .prj-less Shapefile; a GeoJSON file without
 * `crs` is WGS84 by RFC 7946, but files from online maps are often GCJ-02): the caller asks the
 * user, offering geo/guessCrs.ts's guesses. A declared system we cannot convert is refused.
 */
export function declaredCrs(info: FileInfo): Crs | null {
  try {
    if (info.prj) return crsFromPrj(info.prj);
    if (info.crsName) {
      if (/CRS84$/i.test(info.crsName)) return parseCrs('wgs84');
      const code = /EPSG:+(\d+)$/i.exec(info.crsName)?.[1];
      return parseCrs(code ?? info.crsName);
    }
  } catch (err) {
    if (err instanceof CrsError) throw FileRefused.for(err.reason, {}, { cause: err });
    throw err;
  }
  return null;
}
