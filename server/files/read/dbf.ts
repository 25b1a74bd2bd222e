/**
 * A Shapefile's attribute table (dBase III .dbf), read here rather than by shpjs's parseDbf,
 * which decodes text leniently (bytes it cannot decode become U+FFFD, mojibake) and reads a
 * 20-digit numeric id as a float. The encoding comes from the .cpg, else the language driver
 * byte, else strict UTF-8, else GB18030; a value that does not decode refuses the file, naming
 * the record and field.
 */
import { isUtf8 } from 'node:buffer';
import { makeColumns } from './columns';
import { cutUtf8Tail, decodeStrict, type TextEncoding } from './decode';
import { READ_LIMITS } from './limits';
import type { ImportReasonCode, ReasonParams } from '../../../domain/importReasons';
import { refuseFile, type CellValue } from './types';

/** Language driver ids (byte 29) that name GBK: 0x4D (936, "Chinese GBK (PRC)") and 0x7A. */
const GBK_DRIVERS = new Set([0x4d, 0x7a]);

/** The encoding a .cpg names (UTF-8, 936, GBK, CP936, GB2312, GB18030…), null for others. */
export function cpgEncoding(cpg: string): TextEncoding | null {
  const c = cpg
    .trim()
    .toUpperCase()
    .replace(/^ANSI\s*/, '');
  if (['UTF-8', 'UTF8', '65001'].includes(c)) return 'utf-8';
  if (['936', 'GBK', 'CP936', 'GB2312', 'GB18030', 'GB_2312-80', 'EUC-CN'].includes(c))
    return 'gb18030';
  return null;
}

export interface DbfTable {
  columns: string[];
  records: Record<string, CellValue>[];
  /** the encoding used, and what decided it */
  encoding: TextEncoding;
  encodingFrom: 'cpg' | 'language driver' | 'content';
}

interface Field {
  name: string;
  type: string;
  offset: number;
  length: number;
  decimals: number;
}

/** Reads a .dbf; `cpg` is the .cpg's text if the layer has one. */
export function readDbf(bytes: Uint8Array, cpg: string | null, entry: string): DbfTable {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const refuse = (code: ImportReasonCode, params: ReasonParams = {}) =>
    refuseFile(code, params, { entry });
  if (bytes.length < 33) throw refuse('dbf_too_short');
  const count = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  const driver = bytes[29]!;
  if (headerLength > bytes.length || headerLength + count * recordLength > bytes.length + 1)
    throw refuse('dbf_truncated', { count, bytes: bytes.length });
  if (count > READ_LIMITS.features)
    throw refuse('too_many_records', { count, max: READ_LIMITS.features });

  const fields: Field[] = [];
  const rawNames: Uint8Array[] = [];
  let offset = 1; // after the deletion flag
  for (let p = 32; p + 32 <= headerLength && bytes[p] !== 0x0d; p += 32) {
    const nameBytes = bytes.subarray(p, p + 11);
    const end = nameBytes.indexOf(0);
    rawNames.push(end >= 0 ? nameBytes.subarray(0, end) : nameBytes);
    const f = {
      name: '',
      type: String.fromCharCode(bytes[p + 11]!),
      offset,
      length: bytes[p + 16]!,
      decimals: bytes[p + 17]!,
    };
    fields.push(f);
    offset += f.length;
  }
  if (offset > recordLength) throw refuse('dbf_fields_too_long');

  const body = bytes.subarray(headerLength, headerLength + count * recordLength);
  let encoding: TextEncoding;
  let encodingFrom: DbfTable['encodingFrom'];
  const fromCpg = cpg === null ? null : cpgEncoding(cpg);
  if (cpg !== null && !fromCpg) throw refuse('cpg_unknown', { encoding: cpg.trim().slice(0, 40) });
  if (fromCpg) [encoding, encodingFrom] = [fromCpg, 'cpg'];
  else if (GBK_DRIVERS.has(driver)) [encoding, encodingFrom] = ['gb18030', 'language driver'];
  else {
    const utf8 =
      isUtf8(body) && rawNames.every((n) => isUtf8(n.subarray(0, n.length - cutUtf8Tail(n))));
    [encoding, encodingFrom] = [utf8 ? 'utf-8' : 'gb18030', 'content'];
  }
  const text = (b: Uint8Array, row: number | undefined, what: string) =>
    decodeStrict(b, encoding, { entry, row }, { field: what });

  fields.forEach((f, i) => (f.name = fieldName(rawNames[i]!, encoding, entry, i)));
  const columns = makeColumns(fields.map((f) => f.name));

  const records: Record<string, CellValue>[] = [];
  for (let r = 0; r < count; r++) {
    const start = r * recordLength;
    const row = r + 1;
    const rec: Record<string, CellValue> = {};
    fields.forEach((f, i) => {
      const raw = body.subarray(start + f.offset, start + f.offset + f.length);
      const s = text(raw, row, columns[i]!).replace(/\0+$/, '').trim();
      rec[columns[i]!] = value(f, s);
    });
    records.push(rec); // a record flagged deleted (*) keeps its number: shapes and records pair by position
  }
  return { columns, records, encoding, encodingFrom };
}

/**
 * A field's name. Names have at most 11 bytes, and writers (GDAL among them) cut a longer name
 * within a character: the cut character's first bytes are dropped, nothing else is forgiven.
 */
function fieldName(raw: Uint8Array, encoding: TextEncoding, entry: string, i: number): string {
  for (let drop = 0; drop < 4 && drop < raw.length; drop++) {
    try {
      return new TextDecoder(encoding, { fatal: true }).decode(raw.subarray(0, raw.length - drop));
    } catch {
      /* a character cut at the end: try without its bytes */
    }
  }
  return decodeStrict(raw, encoding, { entry }, { index: i + 1 });
}

function value(f: Field, s: string): CellValue {
  if (s === '' || /^\*+$/.test(s)) return null;
  switch (f.type) {
    case 'N':
    case 'F': {
      const n = Number(s);
      // an integer too long for a double (a 20-digit device id) stays text
      if (!Number.isFinite(n) || (/^[+-]?\d+$/.test(s) && !Number.isSafeInteger(n))) return s;
      return n;
    }
    case 'D':
      return /^\d{8}$/.test(s) ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s;
    case 'L':
      return /^[YyTt]$/.test(s) ? 'true' : /^[NnFf]$/.test(s) ? 'false' : null;
    default:
      return s;
  }
}
