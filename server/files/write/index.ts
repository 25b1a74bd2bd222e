/**
 * The export formats: each writes an ExportTable in a coordinate system (geo/crs.ts) to a byte stream, row by row.
 * See each writer for its limits.
 */
import type { Crs } from '../../../geo/crs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeCsv } from './csv';
import { writeGeojson } from './geojson';
import { writeShapefileZip } from './shapefile';
import type { ExportTable } from './table';
import { writeXlsx } from './xlsx';

export const EXPORT_FORMATS = ['geojson', 'csv', 'xlsx', 'shp'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Each format's file name extension and media type. */
export const FORMAT_FILES: Readonly<Record<ExportFormat, { ext: string; type: string }>> = {
  geojson: { ext: 'geojson', type: 'application/geo+json; charset=utf-8' },
  csv: { ext: 'csv', type: 'text/csv; charset=utf-8' },
  xlsx: { ext: 'xlsx', type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
  shp: { ext: 'zip', type: 'application/zip' },
};

/** Writes `table` in `format` to `out` and ends it; rejects (leaving `out` to the caller) on failure. */
export async function writeTable(
  format: ExportFormat,
  table: ExportTable,
  crs: Crs,
  out: Writable,
): Promise<void> {
  switch (format) {
    case 'geojson':
      return pipeline(Readable.from(writeGeojson(table, crs)), out);
    case 'csv':
      return pipeline(Readable.from(writeCsv(table, crs)), out);
    case 'xlsx':
      return writeXlsx(table, crs, out);
    case 'shp':
      return writeShapefileZip(table, crs, out);
  }
}

export type { ExportField, ExportRow, ExportTable, FieldType } from './table';
