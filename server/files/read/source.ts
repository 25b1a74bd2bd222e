/** Where a file's bytes come from: a path on disk (streamed when the format allows) or bytes in memory. */
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { refuseFile } from './types';

export type ByteSource = { path: string } | { bytes: Uint8Array };

export async function sourceSize(source: ByteSource): Promise<number> {
  return 'bytes' in source ? source.bytes.length : (await stat(source.path)).size;
}

/** Refuses a file larger than `limit` bytes, naming the format's limit. */
export async function checkSize(source: ByteSource, limit: number, format: string): Promise<void> {
  const size = await sourceSize(source);
  if (size > limit) throw refuseFile('file_too_large', { size, format, max: limit });
}

/** The whole file, after checking its size. */
export async function readAll(
  source: ByteSource,
  limit: number,
  format: string,
): Promise<Uint8Array> {
  await checkSize(source, limit, format);
  return 'bytes' in source ? source.bytes : new Uint8Array(await readFile(source.path));
}

/** The first `n` bytes (fewer for a shorter file). */
export async function readHead(source: ByteSource, n: number): Promise<Uint8Array> {
  if ('bytes' in source) return source.bytes.subarray(0, n);
  const fh = await open(source.path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The bytes as a stream of chunks of about 64 KB. */
export function byteStream(source: ByteSource): Readable {
  if ('path' in source) return createReadStream(source.path, { highWaterMark: 1 << 16 });
  const b = source.bytes;
  return Readable.from(
    (function* () {
      for (let i = 0; i < b.length; i += 1 << 16) yield b.subarray(i, i + (1 << 16));
    })(),
  );
}
