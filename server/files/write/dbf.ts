/**
 * dBASE III tables (the .dbf of a Shapefile) in UTF-8, declared by the .cpg beside it.
 *
 * Written here rather than through @mapbox/shp-write (0.4.3, with dbf 0.2.0): that one writes
 * each UTF-16 code unit of a string as one byte (`setUint8(charCodeAt(i))`), which turns every
 * Chinese character into a wrong single byte, and sizes text fields in characters, not bytes.
 *
 * Text fields are as wide as their longest value in UTF-8 bytes (at most 254; a longer value is
 * cut at a character boundary). Field names are ASCII of at most 10 bytes.
 */
import type { ExportField, FieldValue } from './table';
import { formatDatetime } from './table';

/** The widest character field dBASE allows. */
export const DBF_TEXT_MAX = 254;

/** A field as written: its dBASE type, width and decimals. */
export interface DbfColumn {
  name: string;
  type: 'C' | 'N' | 'L' | 'D';
  width: number;
  decimals: number;
}

/** Decimals of a real number field. */
const REAL_DECIMALS = 6;

/** The text a value takes in its field, before padding. */
export function dbfText(v: FieldValue, field: ExportField): string {
  if (v === null) return '';
  switch (field.type) {
    case 'bool':
      return v ? 'T' : 'F';
    case 'date':
      return String(v).replaceAll('-', '').slice(0, 8);
    case 'datetime':
      return typeof v === 'number' ? formatDatetime(v) : String(v);
    case 'real':
      return Number(v).toFixed(REAL_DECIMALS);
    case 'int':
      return String(Math.trunc(Number(v)));
    case 'text':
      return String(v);
  }
}

/** `text` cut to at most `max` UTF-8 bytes without splitting a character. */
export function utf8Prefix(text: string, max: number): Buffer {
  const b = Buffer.from(text, 'utf8');
  if (b.length <= max) return b;
  let end = max;
  // step back over continuation bytes (10xxxxxx) to the start of the cut character
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--;
  return b.subarray(0, end);
}

/** Tracks the widest value of each field, for the header written after the rows. */
export class DbfWidths {
  readonly widths: number[];
  constructor(private readonly fields: readonly ExportField[]) {
    this.widths = fields.map(() => 1);
  }
  see(values: Readonly<Record<string, FieldValue>>) {
    this.fields.forEach((f, i) => {
      const n = Buffer.byteLength(dbfText(values[f.key] ?? null, f), 'utf8');
      if (n > this.widths[i]!) this.widths[i] = Math.min(n, DBF_TEXT_MAX);
    });
  }
  columns(): DbfColumn[] {
    return this.fields.map((f, i) => {
      const w = this.widths[i]!;
      switch (f.type) {
        case 'bool':
          return { name: f.short, type: 'L', width: 1, decimals: 0 };
        case 'date':
          return { name: f.short, type: 'D', width: 8, decimals: 0 };
        case 'int':
          return { name: f.short, type: 'N', width: Math.max(w, 10), decimals: 0 };
        case 'real':
          return { name: f.short, type: 'N', width: Math.max(w, 12), decimals: REAL_DECIMALS };
        default:
          return { name: f.short, type: 'C', width: w, decimals: 0 };
      }
    });
  }
}

/** Checks the fields' DBF names: ASCII letters, digits and _, at most 10 bytes, unique. */
export function checkDbfNames(fields: readonly ExportField[]) {
  const seen = new Set<string>();
  for (const f of fields) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,9}$/.test(f.short))
      throw new Error(`DBF field name ${JSON.stringify(f.short)} is not 1–10 ASCII letters/digits`);
    const key = f.short.toUpperCase();
    if (seen.has(key)) throw new Error(`DBF field name ${f.short} is used twice`);
    seen.add(key);
  }
}

/** The header: 32 bytes, 32 a field, the terminator. */
export function dbfHeader(columns: readonly DbfColumn[], records: number, now = new Date()) {
  const headerLength = 32 + 32 * columns.length + 1;
  const recordLength = 1 + columns.reduce((s, c) => s + c.width, 0);
  const b = Buffer.alloc(headerLength);
  b.writeUInt8(0x03, 0);
  b.writeUInt8(now.getUTCFullYear() - 1900, 1);
  b.writeUInt8(now.getUTCMonth() + 1, 2);
  b.writeUInt8(now.getUTCDate(), 3);
  b.writeUInt32LE(records, 4);
  b.writeUInt16LE(headerLength, 8);
  b.writeUInt16LE(recordLength, 10);
  columns.forEach((c, i) => {
    const at = 32 + 32 * i;
    b.write(c.name, at, 10, 'ascii');
    b.write(c.type, at + 11, 1, 'ascii');
    b.writeUInt8(c.width, at + 16);
    b.writeUInt8(c.decimals, at + 17);
  });
  b.writeUInt8(0x0d, headerLength - 1);
  return b;
}

/** One record: the deletion flag (a space), then each field padded to its width. */
export function dbfRecord(
  fields: readonly ExportField[],
  columns: readonly DbfColumn[],
  values: Readonly<Record<string, FieldValue>>,
): Buffer {
  const width = 1 + columns.reduce((s, c) => s + c.width, 0);
  const b = Buffer.alloc(width, 0x20);
  let at = 1;
  fields.forEach((f, i) => {
    const c = columns[i]!;
    const text = utf8Prefix(dbfText(values[f.key] ?? null, f), c.width);
    // numbers right-aligned, everything else left-aligned
    if (c.type === 'N') text.copy(b, at + c.width - text.length);
    else text.copy(b, at);
    at += c.width;
  });
  return b;
}

/** The end-of-file mark after the last record. */
export const DBF_EOF = Buffer.from([0x1a]);
