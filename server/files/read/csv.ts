/**
 * CSV (and tab- or semicolon-separated text) read as a stream: the text is decoded on the way
 * (decode.ts), parsed by csv-parse and yielded in batches, so a file of a million incidents is
 * read with flat memory. Cells are text (a code such as 630105001001 or a 20-digit device id
 * keeps its digits); an empty cell is null.
 */
import { parse, CsvError } from 'csv-parse';
import { pipeline, Readable } from 'node:stream';
import { chooseCoordinateColumns, makeColumns, pointFrom } from './columns';
import { StreamDecoder } from './decode';
import { READ_LIMITS } from './limits';
import { byteStream, checkSize, type ByteSource } from './source';
import {
  FileRefused,
  refuseFile,
  type CellValue,
  type CoordinateColumns,
  type FileRead,
  type ReadRecord,
} from './types';

export interface CsvOptions {
  /** the coordinate columns; undefined: found by their names; null: none */
  coordinates?: CoordinateColumns | null;
  /** the separator; found from the header line when not given */
  delimiter?: string;
}

const DELIMITERS = [',', '\t', ';', '|'];

/** The separator the header line uses most, comma when it has none. */
function detectDelimiter(firstLine: string): string {
  let best = ',';
  let count = 0;
  for (const d of DELIMITERS) {
    const n = firstLine.split(d).length - 1;
    if (n > count) [best, count] = [d, n];
  }
  return best;
}

/** UTF-8 chunks of the decoded text. */
async function* decoded(source: ByteSource, decoder: StreamDecoder): AsyncGenerator<Buffer> {
  for await (const chunk of byteStream(source)) {
    const out = decoder.push(chunk as Uint8Array);
    if (out.length) yield out;
  }
  const out = decoder.end();
  if (out.length) yield out;
}

function refusal(err: unknown): unknown {
  if (err instanceof CsvError) {
    const line = (err as CsvError & { lines?: number }).lines;
    const where = line ? { line } : {};
    if (err.code === 'CSV_MAX_RECORD_SIZE')
      return refuseFile('cell_too_long', { max: READ_LIMITS.cellChars }, where, { cause: err });
    if (err.code === 'CSV_QUOTE_NOT_CLOSED')
      return refuseFile('quote_not_closed', {}, where, { cause: err });
    return refuseFile('csv_unreadable', { detail: err.message }, where, { cause: err });
  }
  return err;
}

const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');

/** Opens a CSV: reads up to its header, then yields its records in batches. */
export async function readCsv(source: ByteSource, options: CsvOptions = {}): Promise<FileRead> {
  await checkSize(source, READ_LIMITS.csvBytes, 'CSV');
  const decoder = new StreamDecoder();
  const chunks = decoded(source, decoder);

  // the first line decides the separator
  const head: Buffer[] = [];
  let delimiter = options.delimiter;
  if (!delimiter) {
    let seen = Buffer.alloc(0);
    for (;;) {
      const next = await chunks.next();
      if (next.done) break;
      head.push(next.value);
      seen = Buffer.concat([seen, next.value]);
      if (seen.includes(10) || seen.length > READ_LIMITS.cellChars * 4) break;
    }
    const text = seen.toString('utf8');
    delimiter = detectDelimiter(text.slice(0, text.search(/\r?\n|$/)));
  }

  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: READ_LIMITS.cellChars,
  });
  // pipeline passes a decoding refusal on to the parser, and so to the iterator below
  pipeline(
    Readable.from(
      (async function* () {
        yield* head;
        yield* chunks;
      })(),
    ),
    parser,
    () => undefined,
  );
  const it = parser[Symbol.asyncIterator]() as AsyncIterator<string[]>;

  let row = 0;
  let header: string[] | null = null;
  try {
    while (!header) {
      const next = await it.next();
      if (next.done) throw refuseFile('no_header');
      row++;
      if (!isBlank(next.value)) header = next.value;
    }
  } catch (err) {
    parser.destroy();
    throw refusal(err);
  }
  const headerRow = row;
  const columns = makeColumns(header, headerRow);
  const coordinateColumns = chooseCoordinateColumns(columns, options.coordinates);
  const xi = coordinateColumns ? columns.indexOf(coordinateColumns.x) : -1;
  const yi = coordinateColumns ? columns.indexOf(coordinateColumns.y) : -1;
  const width = columns.length;

  async function* records(): AsyncGenerator<ReadRecord[]> {
    let batch: ReadRecord[] = [];
    try {
      for (;;) {
        const next = await it.next();
        if (next.done) break;
        row++;
        const cells = next.value;
        if (isBlank(cells)) continue;
        if (cells.length > width && !isBlank(cells.slice(width)))
          throw refuseFile('row_too_wide', { cells: cells.length, width }, { row });
        const properties: Record<string, CellValue> = {};
        for (let i = 0; i < width; i++) {
          const v = i < cells.length ? cells[i]!.trim() : '';
          properties[columns[i]!] = v === '' ? null : v;
        }
        const rec: ReadRecord = { n: row, properties, geometry: null };
        if (coordinateColumns) {
          const p = pointFrom(cells[xi]?.trim(), cells[yi]?.trim(), coordinateColumns);
          if ('geometry' in p) rec.geometry = p.geometry;
          else rec.geometryProblem = p.problem;
        }
        batch.push(rec);
        if (batch.length >= READ_LIMITS.batch) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
    } catch (err) {
      const r = refusal(err);
      if (r instanceof FileRefused && r.where.row === undefined && r.where.line === undefined)
        throw r.at({ row: row + 1 });
      throw r;
    } finally {
      parser.destroy();
    }
  }

  return {
    format: 'csv',
    columns,
    coordinateColumns,
    // chosen at the first non-ASCII bytes, which may come after the header
    get encoding() {
      return decoder.encoding ?? 'utf-8';
    },
    prj: null,
    crsName: null,
    layers: [],
    layer: null,
    records: records(),
  };
}
