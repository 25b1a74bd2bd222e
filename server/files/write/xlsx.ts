/**
 * XLSX through exceljs's streaming writer: each row is committed (written out and forgotten) as
 * it comes, so a table of hundreds of thousands of rows does not sit in memory. One sheet, the
 * Chinese headers in a frozen first row, then the geometry as in the CSV (coordinate columns for
 * points, WKT otherwise).
 *
 * Limits: a sheet holds at most 1,048,576 rows (the export allows fewer, MAX_EXPORT_ROWS); a
 * cell holds at most 32,767 characters, so an area whose WKT is longer gets a note in its cell
 * instead (Shapefile and GeoJSON carry any geometry).
 */
import type { Crs } from '../../../geo/crs';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { geometryColumns } from './csv';
import { cellValue, projectGeometry, toWkt, type ExportTable } from './table';

/** Excel's most characters in one cell. */
export const XLSX_CELL_MAX = 32_767;

export const WKT_TOO_LONG = '（几何图形超出Excel单元格长度，请导出Shapefile或GeoJSON）';

/** A sheet name Excel accepts: no []:*?/\ and at most 31 characters. */
export const sheetName = (name: string) =>
  name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet1';

/** Writes the workbook to `out` and ends it. */
export async function writeXlsx(table: ExportTable, crs: Crs, out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: true,
  });
  const sheet = wb.addWorksheet(sheetName(table.name), { views: [{ state: 'frozen', ySplit: 1 }] });
  const headers = [...table.fields.map((f) => f.header), ...geometryColumns(table, crs)];
  sheet.columns = headers.map((h, i) => ({
    header: h,
    key: `c${i}`,
    width: i < table.fields.length ? Math.max(10, h.length * 2 + 2) : 16,
  }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for await (const row of table.rows) {
    const g = projectGeometry(row.geometry, crs);
    const cells: (string | number | boolean | null)[] = table.fields.map((f) =>
      cellValue(row.values[f.key] ?? null, f.type),
    );
    if (table.geometry === 'point') {
      if (g.type !== 'Point') throw new Error(`table ${table.name}: a ${g.type} among points`);
      cells.push(g.coordinates[0]!, g.coordinates[1]!);
    } else {
      const wkt = toWkt(g);
      cells.push(wkt.length <= XLSX_CELL_MAX ? wkt : WKT_TOO_LONG);
    }
    sheet.addRow(cells).commit();
  }
  sheet.commit();
  await wb.commit();
}
