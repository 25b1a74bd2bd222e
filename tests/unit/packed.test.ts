import { describe, expect, it } from 'vitest';
import { unpackFloat32, unpackInt32, unpackUint32 } from '../../server/db/packed';

/** What Postgres' float4send / int4send produce: big-endian words. */
function bigEndian(values: number[], kind: 'f32' | 'i32' | 'u32') {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    if (kind === 'f32') view.setFloat32(i * 4, v, false);
    else if (kind === 'i32') view.setInt32(i * 4, v, false);
    else view.setUint32(i * 4, v, false);
  });
  return out;
}

describe('packed columns', () => {
  it('reads big-endian float4 words', () => {
    expect(Array.from(unpackFloat32(bigEndian([101.75, 36.65, -1.5], 'f32')))).toEqual([
      Math.fround(101.75),
      Math.fround(36.65),
      -1.5,
    ]);
  });
  it('reads big-endian int4 and uint4 words', () => {
    expect(Array.from(unpackInt32(bigEndian([1, -2, 2_000_000_000], 'i32')))).toEqual([
      1, -2, 2_000_000_000,
    ]);
    expect(Array.from(unpackUint32(bigEndian([1_782_835_200], 'u32')))).toEqual([1_782_835_200]);
  });
  it('reads an unaligned slice (a view into a larger driver buffer)', () => {
    const buf = new Uint8Array(13);
    buf.set(bigEndian([7, 8, 9], 'i32'), 1);
    expect(Array.from(unpackInt32(buf.subarray(1)))).toEqual([7, 8, 9]);
  });
  it('treats NULL (no rows) as empty and rejects torn words', () => {
    expect(unpackInt32(null)).toHaveLength(0);
    expect(() => unpackInt32(new Uint8Array(6))).toThrow(/not a whole number of 4-byte words/);
  });
});
