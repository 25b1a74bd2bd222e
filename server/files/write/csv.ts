/**
 * CSV for Excel and for GIS: UTF-8 with a byte order mark (without it Excel reads the Chinese
 * text as the local code page), CRLF line ends, RFC 4180 quoting. A point table carries its
 * coordinates in two columns, 经度/纬度 in degrees or X/Y in metres for a projected system; any
 * other table carries its geometry as WKT in one column (GDAL: -oo GEOM_POSSIBLE_NAMES=WKT).
 */
import type { Crs } from '../../../geo/crs';
import { projectGeometry, toWkt, valueText, type ExportTable } from './table';

/** The geometry columns' headers: coordinates for a point table, else one WKT column. */
export function geometryColumns(table: ExportTable, crs: Crs): string[] {
  if (table.geometry !== 'point') return ['WKT'];
  return crs.projected ? ['X', 'Y'] : ['经度', '纬度'];
}

/** One CSV cell: quoted when it holds a separator, a quote or a line break. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows this many at a time go out as one piece. */
const PIECE_ROWS = 500;

/** The file's text in pieces of PIECE_ROWS rows. */
export async function* writeCsv(table: ExportTable, crs: Crs): AsyncGenerator<string> {
  const line = (cells: string[]) => `${cells.map(csvCell).join(',')}\r\n`;
  let piece = `\uFEFF${line([...table.fields.map((f) => f.header), ...geometryColumns(table, crs)])}`;
  let n = 0;
  for await (const row of table.rows) {
    const g = projectGeometry(row.geometry, crs);
    let geomCells: string[];
    if (table.geometry === 'point') {
      if (g.type !== 'Point') throw new Error(`table ${table.name}: a ${g.type} among points`);
      geomCells = [String(g.coordinates[0]), String(g.coordinates[1])];
    } else geomCells = [toWkt(g)];
    const cells = table.fields.map((f) => valueText(row.values[f.key] ?? null, f.type));
    piece += line([...cells, ...geomCells]);
    if (++n % PIECE_ROWS === 0) {
      yield piece;
      piece = '';
    }
  }
  if (piece) yield piece;
}
