/** The reader's set of ids seen: each id's first record, across growth, in a few bytes an id. */
import { describe, expect, it } from 'vitest';
import { KeySet } from '../../server/files/read/keySet';

describe('KeySet', () => {
  it('answers the record that used an id first, for ids seen again however far apart', () => {
    const s = new KeySet();
    const N = 300_000;
    let seen = 0;
    for (let i = 0; i < N; i++)
      if (s.add(`J6301052026${String(i).padStart(9, '0')}`, i + 2) !== undefined) seen++;
    expect(seen).toBe(0);
    expect(s.size).toBe(N);
    for (const i of [0, 1, 4095, 4096, 123_456, N - 1])
      expect(s.add(`J6301052026${String(i).padStart(9, '0')}`, N + 10)).toBe(i + 2);
    // the second use is not recorded: the first stays the answer
    expect(s.add('J6301052026000000000', N + 11)).toBe(2);
    expect(s.size).toBe(N);
  });

  it('tells apart ids that differ in one character, in length, or only in non-ASCII text', () => {
    const s = new KeySet();
    const ids = ['a', 'b', 'ab', 'ba', 'aa', '', '警情1', '警情2', '警清1', 'a\u0000', '\u0000a'];
    ids.forEach((id, i) => expect(s.add(id, i)).toBeUndefined());
    ids.forEach((id, i) => expect(s.add(id, 99)).toBe(i));
  });

  it('refuses what is not a record number', () => {
    expect(() => new KeySet().add('x', -1)).toThrow(/not a record number/);
    expect(() => new KeySet().add('x', 1.5)).toThrow(/not a record number/);
  });
});
