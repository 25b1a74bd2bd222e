/**
 * The ids a file has used so far, with the record that used each first, in a few bytes an id:
 * a file of millions of incidents is checked for ids seen twice without holding millions of
 * strings. Each id is kept as a 64-bit hash (two independent 32-bit FNV-1a variants) in an
 * open-addressing table of typed arrays, 12 bytes a slot at most half full. Two different ids
 * of one file share a hash with a chance of about n² / 2⁶⁵ (under one in a million for 5,000,000
 * ids): the price of flat memory.
 */
export class KeySet {
  private hi = new Uint32Array(1 << 12);
  private lo = new Uint32Array(1 << 12);
  /** 1 + the record that used the id first; 0: an empty slot */
  private first = new Int32Array(1 << 12);
  private count = 0;

  /** The record that used `key` before, or undefined (and `key` is now used by record `n`). */
  add(key: string, n: number): number | undefined {
    if (!(Number.isInteger(n) && n >= 0 && n < 0x7fffffff))
      throw new Error(`${n} is not a record number`);
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ key.length;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 >>>= 0;
    h2 >>>= 0;
    const found = this.find(h1, h2);
    if (this.first[found] !== 0) return this.first[found]! - 1;
    this.hi[found] = h1;
    this.lo[found] = h2;
    this.first[found] = n + 1;
    if (++this.count * 2 > this.first.length) this.grow();
    return undefined;
  }

  get size(): number {
    return this.count;
  }

  /** The slot of hash (h1, h2): where it is, or the empty one where it goes. */
  private find(h1: number, h2: number): number {
    const mask = this.first.length - 1;
    let i = (h1 ^ Math.imul(h2, 0x9e3779b1)) & mask;
    while (this.first[i] !== 0 && (this.hi[i] !== h1 || this.lo[i] !== h2)) i = (i + 1) & mask;
    return i;
  }

  private grow() {
    const [hi, lo, first] = [this.hi, this.lo, this.first];
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(lo.length * 2);
    this.first = new Int32Array(first.length * 2);
    for (let i = 0; i < first.length; i++)
      if (first[i] !== 0) {
        const at = this.find(hi[i]!, lo[i]!);
        this.hi[at] = hi[i]!;
        this.lo[at] = lo[i]!;
        this.first[at] = first[i]!;
      }
  }
}
