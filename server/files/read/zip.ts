/**
 * Zip archives (a zipped Shapefile, an XLSX) opened with limits: the number of entries and the
 * uncompressed size the archive declares are checked before anything expands, and each entry is
 * expanded with a cap, so that a zip bomb (or an archive lying about its sizes) is refused.
 */
import JSZip from 'jszip';
import { READ_LIMITS } from './limits';
import { refuseFile } from './types';

export interface ZipEntry {
  /** the path inside the archive, with forward slashes */
  name: string;
  /** the uncompressed size the archive declares */
  size: number;
}

export interface OpenZip {
  entries: ZipEntry[];
  /** an entry's bytes, expanded with at most `cap` bytes (default: the declared size) */
  read(name: string): Promise<Uint8Array>;
}

/** What jszip has but does not type: the declared size, and the entry as a stream. */
type JSZipEntry = JSZip.JSZipObject & {
  _data?: { uncompressedSize?: number };
  internalStream(type: 'uint8array'): InternalStream;
};
interface InternalStream {
  on(event: 'data', fn: (chunk: Uint8Array) => void): InternalStream;
  on(event: 'error', fn: (err: Error) => void): InternalStream;
  on(event: 'end', fn: () => void): InternalStream;
  pause(): InternalStream;
  resume(): InternalStream;
}

/**
 * Opens a zip; `archive` names it in messages ('zip', or 'workbook' for an XLSX).
 */
export async function openZip(
  bytes: Uint8Array,
  archive: 'zip' | 'workbook' = 'zip',
): Promise<OpenZip> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
  } catch (err) {
    throw refuseFile(
      'zip_unreadable',
      { archive, detail: (err as Error).message },
      {},
      {
        cause: err,
      },
    );
  }
  const files = Object.values(zip.files as Record<string, JSZipEntry>).filter((f) => !f.dir);
  if (files.length > READ_LIMITS.zipEntries)
    throw refuseFile('zip_too_many_entries', {
      archive,
      count: files.length,
      max: READ_LIMITS.zipEntries,
    });
  const entries = files.map((f) => ({ name: f.name, size: f._data?.uncompressedSize ?? 0 }));
  const total = entries.reduce((s, e) => s + e.size, 0);
  if (total > READ_LIMITS.zipUncompressedBytes)
    throw refuseFile('zip_too_large', {
      archive,
      size: total,
      max: READ_LIMITS.zipUncompressedBytes,
    });
  const byName = new Map(files.map((f) => [f.name, f]));
  return {
    entries,
    read: (name) => {
      const f = byName.get(name);
      if (!f) throw new Error(`no entry ${name}`);
      return expand(f, f._data?.uncompressedSize ?? 0);
    },
  };
}

/** Expands an entry, refusing it as soon as it grows past the size it declared. */
function expand(f: JSZipEntry, declared: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const parts: Uint8Array[] = [];
    let size = 0;
    const stream = f.internalStream('uint8array');
    stream
      .on('data', (chunk: Uint8Array) => {
        size += chunk.length;
        if (size > declared) {
          stream.pause();
          reject(refuseFile('entry_too_large', { declared }, { entry: f.name }));
          return;
        }
        parts.push(chunk);
      })
      .on('error', (err: Error) =>
        reject(
          refuseFile(
            'entry_unreadable',
            { detail: err.message },
            { entry: f.name },
            { cause: err },
          ),
        ),
      )
      .on('end', () => resolve(Buffer.concat(parts)))
      .resume();
  });
}

/** The file starts as a zip archive does (PK\x03\x04, or an empty archive's PK\x05\x06). */
export function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && (head[2] === 3 || head[2] === 5);
}
