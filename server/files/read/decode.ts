/**
 * Text encodings of agencies' files. A byte-order mark decides (UTF-8, UTF-16); without one a
 * file is strict UTF-8 if it decodes as such, else GB18030 (a superset of GBK and GB2312, what
 * Chinese Windows writes as "ANSI"). Every decoder is fatal: bytes that do not decode refuse the
 * file, naming the byte (and line), so that mojibake never reaches a user.
 */
import { isUtf8 } from 'node:buffer';
import { refuseFile, type FileRefused, type FileWhere } from './types';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

/** The encoding a byte-order mark names, and the mark's length; null without one. */
export function detectBom(bytes: Uint8Array): { encoding: TextEncoding; length: number } | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

const fatal = (encoding: TextEncoding) => new TextDecoder(encoding, { fatal: true });

/**
 * The offset of the first byte `encoding` cannot decode (a sequence cut by the end counts as
 * bad), or -1. Only for error messages: it decodes prefixes, O(n log n).
 */
export function firstUndecodable(bytes: Uint8Array, encoding: TextEncoding): number {
  const ok = (k: number) => {
    try {
      fatal(encoding).decode(bytes.subarray(0, k), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  if (ok(bytes.length)) {
    try {
      fatal(encoding).decode(bytes);
      return -1;
    } catch {
      // cut at the end: find where the cut sequence starts
      let k = bytes.length;
      while (k > 0 && bytes.length - k < 4) {
        k--;
        try {
          fatal(encoding).decode(bytes.subarray(0, k));
          return k;
        } catch {
          /* keep looking */
        }
      }
      return bytes.length;
    }
  }
  let lo = 0; // ok(lo)
  let hi = bytes.length; // !ok(hi)
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (ok(mid)) lo = mid;
    else hi = mid;
  }
  // bytes[lo] is where the decoder gave up: the bad sequence may have started a few bytes before
  for (let k = lo; k >= 0 && lo - k < 4; k--) {
    try {
      fatal(encoding).decode(bytes.subarray(0, k));
      return k;
    } catch {
      /* inside the bad sequence: step back */
    }
  }
  return lo;
}

/** 1-based line of byte offset `at` in `bytes` (line feeds are one byte in every encoding here but UTF-16). */
function lineAt(bytes: Uint8Array, at: number): number {
  let line = 1;
  for (let i = bytes.indexOf(10); i !== -1 && i < at; i = bytes.indexOf(10, i + 1)) line++;
  return line;
}

/**
 * The part of a file a text is: the file itself (undefined), an entry of a zip (a .prj, a .cpg),
 * a DBF field's value or the name of its field `index` (from 1).
 */
export type TextPart = { entry: string } | { field: string } | { index: number } | undefined;

function undecodable(encoding: TextEncoding, where: FileWhere, part: TextPart): FileRefused {
  if (!part) return refuseFile('undecodable_text', { encoding }, where);
  if ('entry' in part) return refuseFile('undecodable_entry', { ...part, encoding }, where);
  if ('field' in part) return refuseFile('undecodable_field', { ...part, encoding }, where);
  return refuseFile('undecodable_field_name', { ...part, encoding }, where);
}

/**
 * Decodes a whole text (a GeoJSON file, a DBF value): by its byte-order mark, else strict UTF-8,
 * else GB18030. Refuses bytes neither decodes, naming the first bad byte and its line.
 */
export function decodeText(
  bytes: Uint8Array,
  part?: TextPart,
): { text: string; encoding: TextEncoding } {
  const bom = detectBom(bytes);
  const body = bom ? bytes.subarray(bom.length) : bytes;
  const tries: TextEncoding[] = bom ? [bom.encoding] : ['utf-8', 'gb18030'];
  for (const encoding of tries) {
    try {
      return { text: fatal(encoding).decode(body), encoding };
    } catch {
      /* the next encoding */
    }
  }
  const last = tries[tries.length - 1]!;
  const at = firstUndecodable(body, last);
  const byte = at + (bom?.length ?? 0);
  throw undecodable(
    last,
    { byte, ...(last.startsWith('utf-16') ? {} : { line: lineAt(body, at) }) },
    part,
  );
}

/** Decodes `bytes` in a known encoding, refusing what does not decode. */
export function decodeStrict(
  bytes: Uint8Array,
  encoding: TextEncoding,
  where: FileWhere,
  part: TextPart,
): string {
  try {
    return fatal(encoding).decode(bytes);
  } catch {
    throw undecodable(encoding, where, part);
  }
}

/** How many bytes at the end of `b` start a UTF-8 sequence the chunk cuts (0..3). */
export function cutUtf8Tail(b: Uint8Array): number {
  const n = b.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const c = b[n - back]!;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? back : 0;
  }
  return 0;
}

/** Non-ASCII bytes to see before choosing between UTF-8 and GB18030 (unless the text ends first). */
const SNIFF_BYTES = 256;

/**
 * Decodes a byte stream chunk by chunk into UTF-8 bytes: UTF-8 input passes through after a
 * check (no copy of the text), other encodings are decoded and re-encoded. Without a BOM the
 * encoding is chosen at the first non-ASCII bytes (all ASCII before reads the same in both).
 * Throws FileRefused with the byte offset and line of the first byte that does not decode.
 */
export class StreamDecoder {
  /** the encoding chosen, null while only ASCII has been seen */
  encoding: TextEncoding | null = null;
  private started = false;
  private offset = 0; // bytes of input before `pending`
  private lines = 1; // line of the first byte of `pending`
  private pending: Uint8Array = new Uint8Array(0);
  private decoder: TextDecoder | null = null;

  constructor(private readonly part?: TextPart) {}

  /** Takes the next chunk; returns the UTF-8 bytes decoded so far. */
  push(chunk: Uint8Array): Buffer {
    let bytes = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = new Uint8Array(0);
    if (!this.started) {
      if (bytes.length < 3) {
        this.pending = bytes;
        return Buffer.alloc(0);
      }
      this.started = true;
      const bom = detectBom(bytes);
      if (bom) {
        this.encoding = bom.encoding;
        bytes = bytes.subarray(bom.length);
        this.offset = bom.length;
        if (bom.encoding !== 'utf-8') this.decoder = fatal(bom.encoding);
      }
    }
    return this.take(bytes, false);
  }

  /** The end of input: decodes what was held back, refusing a sequence cut by the end. */
  end(): Buffer {
    this.started = true;
    const out = this.take(this.pending, true);
    this.pending = new Uint8Array(0);
    return out;
  }

  private take(bytes: Uint8Array, last: boolean): Buffer {
    if (this.encoding === null) {
      let i = 0;
      while (i < bytes.length && bytes[i]! < 0x80) i++;
      if (i === bytes.length) return this.passUtf8(bytes, last);
      if (bytes.length - i < SNIFF_BYTES && !last) {
        // too little non-ASCII text to tell: pass the ASCII on, wait for more
        const out = this.passUtf8(bytes.subarray(0, i), false);
        this.pending = bytes.subarray(i);
        return out;
      }
      const sample = bytes.subarray(i);
      const cut = last ? 0 : cutUtf8Tail(sample);
      this.encoding = isUtf8(sample.subarray(0, sample.length - cut)) ? 'utf-8' : 'gb18030';
      if (this.encoding === 'gb18030') this.decoder = fatal('gb18030');
    }
    if (this.encoding === 'utf-8') return this.passUtf8(bytes, last);
    return this.decode(bytes, last);
  }

  private passUtf8(bytes: Uint8Array, last: boolean): Buffer {
    const cut = last ? 0 : cutUtf8Tail(bytes);
    const whole = bytes.subarray(0, bytes.length - cut);
    if (!isUtf8(whole)) this.fail(whole, 'utf-8', last);
    if (cut) this.pending = bytes.subarray(bytes.length - cut);
    this.advance(whole);
    return Buffer.from(whole.buffer, whole.byteOffset, whole.length);
  }

  private decode(bytes: Uint8Array, last: boolean): Buffer {
    let text: string;
    try {
      text = this.decoder!.decode(bytes, { stream: !last });
    } catch {
      this.fail(bytes, this.encoding!, last);
    }
    this.advance(bytes);
    return Buffer.from(text, 'utf8');
  }

  private advance(bytes: Uint8Array) {
    this.offset += bytes.length;
    if (this.encoding === 'utf-16le' || this.encoding === 'utf-16be') return;
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) this.lines++;
  }

  private fail(bytes: Uint8Array, encoding: TextEncoding, last: boolean): never {
    let at = firstUndecodable(bytes, encoding);
    if (at < 0) at = last ? bytes.length : 0;
    const utf16 = encoding.startsWith('utf-16');
    throw undecodable(
      encoding,
      { byte: this.offset + at, ...(utf16 ? {} : { line: this.lines + lineAt(bytes, at) - 1 }) },
      this.part,
    );
  }
}
