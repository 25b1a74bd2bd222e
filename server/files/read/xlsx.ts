/**
 * XLSX workbooks, read whole (exceljs) within a size and a row limit, one sheet at a time. The
 * header is the first row with two or more cells filled (a title row above it is skipped); row
 * numbers are the sheet's. Dates are given as local text (2026-03-05 08:05:00), the wall-clock
 * time the cell shows; numbers stay numbers. Old binary Excel (.xls) is refused asking for .xlsx.
 */
import ExcelJS from 'exceljs';
import { chooseCoordinateColumns, makeColumns, pointFrom } from './columns';
import { READ_LIMITS } from './limits';
import { inBatches } from './shapefile';
import { readAll, type ByteSource } from './source';
import {
  refuseFile,
  type CellValue,
  type CoordinateColumns,
  type FileRead,
  type ReadRecord,
} from './types';
import { openZip } from './zip';

export interface XlsxOptions {
  /** the sheet to read; the first one by default */
  sheet?: string;
  /** undefined: found by their names; null: none */
  coordinates?: CoordinateColumns | null;
  /** the header's row number, when the first row with two cells filled is not it */
  headerRow?: number;
}

/** The rows looked at for the header. */
const HEADER_SEARCH_ROWS = 20;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A cell's value as text, number or null. */
export function cellValue(v: ExcelJS.CellValue): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string') return v.trim() === '' ? null : v.trim();
  if (typeof v === 'boolean') return String(v);
  if (v instanceof Date) {
    // exceljs gives the wall-clock time the cell shows as if it were UTC
    if (Number.isNaN(v.getTime())) return null;
    const d = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    const t = `${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}:${pad(v.getUTCSeconds())}`;
    return t === '00:00:00' ? d : `${d} ${t}`;
  }
  if ('richText' in v) return cellValue(v.richText.map((r) => r.text).join(''));
  if ('formula' in v || 'sharedFormula' in v)
    return cellValue((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('hyperlink' in v) return cellValue((v as ExcelJS.CellHyperlinkValue).text);
  if ('error' in v) return null;
  return null;
}

function rowCells(row: ExcelJS.Row, width: number): CellValue[] {
  const out: CellValue[] = [];
  for (let c = 1; c <= width; c++) {
    const v = cellValue(row.getCell(c).value);
    if (typeof v === 'string' && v.length > READ_LIMITS.cellChars)
      throw refuseFile('cell_too_long', { max: READ_LIMITS.cellChars }, { row: row.number });
    out.push(v);
  }
  return out;
}

export async function readXlsx(source: ByteSource, options: XlsxOptions = {}): Promise<FileRead> {
  const bytes = await readAll(source, READ_LIMITS.xlsxBytes, 'XLSX');
  // refuses a zip bomb, and a workbook too large to hold, before exceljs expands it
  const zip = await openZip(bytes, 'workbook');
  const expanded = zip.entries.reduce((s, e) => s + e.size, 0);
  if (expanded > READ_LIMITS.xlsxUncompressedBytes)
    throw refuseFile('workbook_too_large', {
      size: expanded,
      max: READ_LIMITS.xlsxUncompressedBytes,
    });
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length) as never);
  } catch (err) {
    throw refuseFile('workbook_unreadable', { detail: (err as Error).message }, {}, { cause: err });
  }
  const sheets = wb.worksheets.map((w) => w.name);
  const ws = options.sheet === undefined ? wb.worksheets[0] : wb.getWorksheet(options.sheet);
  if (!ws)
    throw options.sheet === undefined
      ? refuseFile('no_sheet')
      : refuseFile('sheet_not_found', { sheet: options.sheet, sheets });
  if (ws.rowCount > READ_LIMITS.xlsxRows)
    throw refuseFile('sheet_too_many_rows', {
      sheet: ws.name,
      count: ws.rowCount,
      max: READ_LIMITS.xlsxRows,
    });
  const width = ws.columnCount;
  if (width > READ_LIMITS.columns)
    throw refuseFile('too_many_columns', { count: width, max: READ_LIMITS.columns });

  let headerRow = options.headerRow;
  if (headerRow === undefined) {
    for (let r = 1; r <= Math.min(ws.rowCount, HEADER_SEARCH_ROWS); r++) {
      const filled = rowCells(ws.getRow(r), width).filter((v) => v !== null).length;
      if (filled >= 2 || (filled === 1 && width === 1)) {
        headerRow = r;
        break;
      }
    }
  }
  if (headerRow === undefined)
    throw refuseFile('no_header_row', { sheet: ws.name, rows: HEADER_SEARCH_ROWS });

  const header = rowCells(ws.getRow(headerRow), width);
  while (header.length && header[header.length - 1] === null) header.pop();
  const columns = makeColumns(header, headerRow);
  const coordinateColumns = chooseCoordinateColumns(columns, options.coordinates);
  const xi = coordinateColumns ? columns.indexOf(coordinateColumns.x) : -1;
  const yi = coordinateColumns ? columns.indexOf(coordinateColumns.y) : -1;

  const all: ReadRecord[] = [];
  for (let r = headerRow + 1; r <= ws.rowCount; r++) {
    const cells = rowCells(ws.getRow(r), width);
    if (cells.every((v) => v === null)) continue;
    if (cells.slice(columns.length).some((v) => v !== null))
      throw refuseFile('row_beyond_header', { width: columns.length }, { row: r });
    const properties: Record<string, CellValue> = {};
    columns.forEach((c, i) => (properties[c] = cells[i] ?? null));
    const rec: ReadRecord = { n: r, properties, geometry: null };
    if (coordinateColumns) {
      const p = pointFrom(cells[xi], cells[yi], coordinateColumns);
      if ('geometry' in p) rec.geometry = p.geometry;
      else rec.geometryProblem = p.problem;
    }
    all.push(rec);
  }
  return {
    format: 'xlsx',
    columns,
    coordinateColumns,
    encoding: null,
    prj: null,
    crsName: null,
    layers: sheets,
    layer: ws.name,
    records: inBatches(all),
  };
}
