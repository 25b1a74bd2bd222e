/**
 * Columns packed in SQL as one bytea each (`string_agg(float4send(x), ''::bytea)`), read into
 * typed arrays. Postgres' send functions are big-endian; typed arrays use the machine's order.
 */
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Copies `bytes` into a fresh, aligned buffer with every 4-byte word's order reversed. */
function swap32(bytes: Uint8Array | null): ArrayBuffer {
  const n = bytes ? bytes.byteLength : 0;
  if (n % 4 !== 0)
    throw new Error(`packed column of ${n} bytes is not a whole number of 4-byte words`);
  const out = new Uint8Array(n);
  if (!bytes) return out.buffer;
  if (!LITTLE) {
    out.set(bytes);
    return out.buffer;
  }
  for (let i = 0; i < n; i += 4) {
    out[i] = bytes[i + 3]!;
    out[i + 1] = bytes[i + 2]!;
    out[i + 2] = bytes[i + 1]!;
    out[i + 3] = bytes[i]!;
  }
  return out.buffer;
}

export const unpackFloat32 = (b: Uint8Array | null) => new Float32Array(swap32(b));
export const unpackInt32 = (b: Uint8Array | null) => new Int32Array(swap32(b));
export const unpackUint32 = (b: Uint8Array | null) => new Uint32Array(swap32(b));
/** One byte per value (`set_byte` / `decode(…, 'hex')`): no order to fix. */
export const unpackUint8 = (b: Uint8Array | null) => (b ? new Uint8Array(b) : new Uint8Array(0));
