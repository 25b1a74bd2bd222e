/**
 * What reading one file may cost. Every size that drives time or memory has its limit here, so
 * that an upload is refused early with a message naming the limit instead of exhausting the
 * server. CSV is streamed (only the cell and column limits apply); XLSX, GeoJSON and Shapefiles
 * are read whole and so have file and row limits.
 */
export const READ_LIMITS = {
  /** a CSV is streamed: its size only bounds the time the read takes */
  csvBytes: 2 * 1024 ** 3,
  /** an XLSX is read whole (the workbook's XML expands several times in memory) */
  xlsxBytes: 50 * 1024 ** 2,
  xlsxRows: 200_000,
  /** an XLSX's entries together, uncompressed: its XML is held in memory while it is read */
  xlsxUncompressedBytes: 400 * 1024 ** 2,
  /** a GeoJSON file is parsed whole */
  geojsonBytes: 200 * 1024 ** 2,
  /** a zipped Shapefile, as uploaded */
  zipBytes: 200 * 1024 ** 2,
  /** entries of a zip (an XLSX or a zipped Shapefile) */
  zipEntries: 1_000,
  /** all entries of a zip together, uncompressed: a zip bomb is refused before it expands */
  zipUncompressedBytes: 1024 ** 3,
  /** features of a GeoJSON file or records of one Shapefile layer */
  features: 500_000,
  /** vertices of one feature's geometry */
  vertices: 1_000_000,
  columns: 500,
  /** characters of one cell (a column name included) */
  cellChars: 32_768,
  /** records per batch yielded by a reader */
  batch: 5_000,
} as const;

export type ReadLimits = { -readonly [K in keyof typeof READ_LIMITS]: number };

export { formatBytes } from '../../../domain/importReasons';
