/**
 * What every reader gives, whatever the file's format: the file's columns and how it was read
 * (encoding, coordinate columns, the .prj text), then its records in batches. Coordinates are
 * the file's own: changing them to WGS84 is the caller's step (rows.ts), once the coordinate
 * system is known.
 */
import type { Geometry } from 'geojson';
import { BadInput, type CodedReason } from '../../errors';
import {
  importReason,
  type ImportReason,
  type ImportReasonCode,
  type ReasonParams,
} from '../../../domain/importReasons';

/** A cell as a file gives it: text, a number (XLSX and DBF numeric cells), or empty. */
export type CellValue = string | number | null;

export interface ReadRecord {
  /**
   * The record's number as a user sees it: for CSV and XLSX the sheet's row number (the header
   * line is row 1 when it is the first line), for GeoJSON and Shapefiles the feature's number
   * from 1.
   */
  n: number;
  properties: Record<string, CellValue>;
  /** GeoJSON in the file's coordinates; a Point from coordinate columns; null when it has none */
  geometry: Geometry | null;
  /** why `geometry` is null although the file has geometries or coordinate columns */
  geometryProblem?: ImportReason;
}

export type FileFormat = 'geojson' | 'csv' | 'xlsx' | 'shapefile';

/** The columns holding a point's coordinates: x is the longitude or easting. */
export interface CoordinateColumns {
  x: string;
  y: string;
}

export interface FileInfo {
  format: FileFormat;
  /** the columns (attribute names), in the file's order */
  columns: string[];
  /** the coordinate columns used for the Point geometries (CSV, XLSX), null when none */
  coordinateColumns: CoordinateColumns | null;
  /** the text encoding the file was read in ('utf-8', 'utf-16le', 'gb18030'), null for XLSX */
  encoding: string | null;
  /** a Shapefile's .prj text, when it has one */
  prj: string | null;
  /** a GeoJSON file's legacy `crs` name (e.g. 'urn:ogc:def:crs:EPSG::4543'), when it has one */
  crsName: string | null;
  /** the layers of a zipped Shapefile or the sheets of a workbook; `layer` is the one read */
  layers: string[];
  layer: string | null;
}

export interface FileRead extends FileInfo {
  /** the records, in batches of at most READ_LIMITS.batch; to be iterated once */
  records: AsyncIterable<ReadRecord[]>;
}

/** Where in a file a problem lies, as precisely as the reader knows it. */
export interface FileWhere {
  /** the record's number (see ReadRecord.n) */
  row?: number;
  /** the line of a text file (1-based; a quoted cell may span lines, so it may differ from the row) */
  line?: number;
  /** the byte offset from the file's start (0-based) */
  byte?: number;
  /** the entry of a zip */
  entry?: string;
}

/**
 * A file refused: the message says what is wrong and, where known, where (row, byte offset, zip
 * entry). A bad-input error: the caller sent a file the reader cannot read as it is.
 */
export class FileRefused extends BadInput {
  constructor(
    readonly problem: string,
    readonly where: FileWhere = {},
    options?: ErrorOptions & { coded?: CodedReason },
  ) {
    super('file', problem + describeWhere(where), options);
  }

  /** The same refusal, placed in the file (where it is known better than where it was thrown). */
  at(where: FileWhere): FileRefused {
    return new FileRefused(
      this.problem,
      { ...this.where, ...where },
      {
        cause: this,
        ...(this.coded ? { coded: this.coded } : {}),
      },
    );
  }

  /** A file refused for a reason of the import vocabulary (its message the English sentence). */
  static for(r: ImportReason, where: FileWhere = {}, options?: ErrorOptions): FileRefused {
    return new FileRefused(r.reason, where, {
      ...options,
      coded: { code: r.code, params: r.params },
    });
  }
}

function describeWhere(w: FileWhere): string {
  const parts: string[] = [];
  if (w.entry !== undefined) parts.push(`in ${w.entry}`);
  if (w.row !== undefined) parts.push(`at row ${w.row}`);
  if (w.line !== undefined) parts.push(`line ${w.line}`);
  if (w.byte !== undefined) parts.push(`byte ${w.byte}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** A zipped Shapefile holding several layers, read without saying which: `layers` lists them. */
export class LayerNotChosen extends FileRefused {
  constructor(readonly layers: string[]) {
    const r = importReason('layer_not_chosen', { layers });
    super(r.reason, {}, { coded: { code: r.code, params: r.params } });
  }
}

/** A file refused for `code` of the import vocabulary, with its parameters. */
export const refuseFile = (
  code: ImportReasonCode,
  params: ReasonParams = {},
  where: FileWhere = {},
  options?: ErrorOptions,
): FileRefused => FileRefused.for(importReason(code, params), where, options);
