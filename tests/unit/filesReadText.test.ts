/**
 * Reading text and refusing what cannot be read: encodings (BOM, UTF-8, GB18030), undecodable
 * bytes named by line and byte, old binary Excel, broken CSV rows, and the streaming reader's
 * batches and row numbers over a file larger than one batch.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText, StreamDecoder } from '../../server/files/read/decode';
import {
  FileRefused,
  READ_LIMITS,
  readFile,
  type FileRead,
  type ReadRecord,
} from '../../server/files/read/index';

async function all(read: FileRead): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  for await (const batch of read.records) out.push(...batch);
  return out;
}
const gbk = (s: string) =>
  new Uint8Array(execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: s }));
const utf16le = (s: string) =>
  new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]));
const csv = (bytes: Uint8Array, name = 'a.csv') => readFile({ bytes }, { name });

const LEDGER = '名称,经度,纬度\n朝阳社区警务室,101.7512,36.6701\n廿里铺派出所,101.7688,36.6655\n';

describe('text encodings', () => {
  it.each([
    ['UTF-8 with BOM', new Uint8Array(Buffer.from('\ufeff' + LEDGER)), 'utf-8'],
    ['UTF-8 without BOM', new Uint8Array(Buffer.from(LEDGER)), 'utf-8'],
    ['GBK', gbk(LEDGER), 'gb18030'],
    ['UTF-16LE with BOM', utf16le(LEDGER), 'utf-16le'],
  ] as const)('reads a CSV in %s', async (_, bytes, encoding) => {
    const read = await csv(bytes);
    expect(read.encoding).toBe(encoding);
    expect(read.columns).toEqual(['名称', '经度', '纬度']);
    const records = await all(read);
    expect(records.map((r) => r.properties['名称'])).toEqual(['朝阳社区警务室', '廿里铺派出所']);
    expect(records[1]!.geometry).toEqual({ type: 'Point', coordinates: [101.7688, 36.6655] });
  });

  it('decides between UTF-8 and GBK at the first non-ASCII bytes, however late', async () => {
    const head = 'id,x,y\n' + Array.from({ length: 20_000 }, (_, i) => `${i},1,2\n`).join('');
    const read = await csv(gbk(head + '20001,廿里铺,3\n'));
    const records = await all(read);
    expect(read.encoding).toBe('gb18030');
    expect(records.at(-1)!.properties['x']).toBe('廿里铺');
  });

  it('refuses bytes neither UTF-8 nor GB18030 decode, naming line and byte', async () => {
    const bytes = new Uint8Array([...Buffer.from('名称,经度\n城北,1\n'), 0xff, 0xfe, 0x0a]);
    const err = await csv(bytes).then(all, (e: unknown) => e);
    expect(err).toBeInstanceOf(FileRefused);
    const at = Buffer.byteLength('名称,经度\n城北,1\n');
    expect((err as FileRefused).where).toEqual({ line: 3, byte: at });
    expect((err as Error).message).toMatch(
      new RegExp(`neither UTF-8 nor GB18030/GBK.*save it as UTF-8.*line 3, byte ${at}`),
    );
  });

  it('refuses bytes that break a UTF-8 stream after the first chunk, never returning mojibake', async () => {
    const good = '名称\n' + '城北区\n'.repeat(50_000);
    const bytes = new Uint8Array([...Buffer.from(good), 0xe5, 0x41, 0x0a]);
    const read = await csv(bytes);
    expect(read.encoding).toBe('utf-8');
    const err = await all(read).catch((e: unknown) => e);
    expect((err as FileRefused).where).toMatchObject({
      line: 50_002,
      byte: Buffer.byteLength(good),
    });
  });

  it('decodes a whole text (GeoJSON) the same way', () => {
    expect(decodeText(gbk('{"名称":"城北"}'))).toEqual({
      text: '{"名称":"城北"}',
      encoding: 'gb18030',
    });
    expect(() => decodeText(new Uint8Array([0x7b, 0x81, 0x20]))).toThrow(/byte 1/);
  });

  it('passes UTF-8 through in chunks cut inside a character', () => {
    const bytes = Buffer.from('城北区');
    const d = new StreamDecoder();
    const out = Buffer.concat([d.push(bytes.subarray(0, 4)), d.push(bytes.subarray(4)), d.end()]);
    expect(out.toString('utf8')).toBe('城北区');
  });
});

describe('CSV structure', () => {
  it('yields batches of at most READ_LIMITS.batch with sheet row numbers, blank lines counted', async () => {
    const n = READ_LIMITS.batch * 2 + 7;
    const text =
      '\n编号,经度,纬度\n' + Array.from({ length: n }, (_, i) => `${i},101.${i},36.5`).join('\n');
    const read = await csv(new Uint8Array(Buffer.from(text)));
    const sizes: number[] = [];
    const numbers: number[] = [];
    for await (const batch of read.records) {
      sizes.push(batch.length);
      numbers.push(...batch.map((r) => r.n));
    }
    expect(sizes).toEqual([READ_LIMITS.batch, READ_LIMITS.batch, 7]);
    expect(numbers[0]).toBe(3); // a blank line, then the header on row 2
    expect(numbers.at(-1)).toBe(n + 2);
  });

  it('finds the separator, tabs included, and keeps codes as text', async () => {
    const read = await csv(new Uint8Array(Buffer.from('代码\t名称\n630105001001\t朝阳社区\n')));
    const [r] = await all(read);
    expect(r!.properties).toEqual({ 代码: '630105001001', 名称: '朝阳社区' });
    expect(read.coordinateColumns).toBeNull();
  });

  it('names coordinates that are not numbers on the record', async () => {
    const [r] = await all(await csv(new Uint8Array(Buffer.from('lng,lat\n１０１.７,abc\n'))));
    expect(r!.geometry).toBeNull();
    expect(r!.geometryProblem).toEqual({
      code: 'coordinate_not_number',
      params: { column: 'lat', text: 'abc' },
      reason: 'lat "abc" is not a number',
    });
  });

  it('takes the coordinate columns the caller chooses, and refuses unknown ones', async () => {
    const bytes = new Uint8Array(Buffer.from('东,北\n500000,4000000\n'));
    const read = await readFile({ bytes }, { name: 'a.csv', coordinates: { x: '东', y: '北' } });
    expect((await all(read))[0]!.geometry).toEqual({
      type: 'Point',
      coordinates: [500000, 4000000],
    });
    await expect(
      readFile({ bytes }, { name: 'a.csv', coordinates: { x: 'X', y: '北' } }),
    ).rejects.toThrow(/"X" is not in the file/);
  });

  it('refuses a row with more cells than the header, naming the row', async () => {
    const read = await csv(new Uint8Array(Buffer.from('a,b\n1,2\n1,2,3\n')));
    await expect(all(read)).rejects.toThrow(/the row has 3 cells; the header has 2 \(at row 3\)/);
  });

  it('refuses a cell over the length limit and an unclosed quote', async () => {
    const long = 'a\n' + 'x'.repeat(READ_LIMITS.cellChars + 10) + '\n';
    await expect(csv(new Uint8Array(Buffer.from(long))).then(all)).rejects.toThrow(
      new RegExp(`longer than ${READ_LIMITS.cellChars} characters`),
    );
    await expect(csv(new Uint8Array(Buffer.from('a,b\n"1,2\n'))).then(all)).rejects.toThrow(
      /never closed/,
    );
  });

  it('refuses too many columns', async () => {
    const header = Array.from({ length: READ_LIMITS.columns + 1 }, (_, i) => `c${i}`).join(',');
    await expect(csv(new Uint8Array(Buffer.from(header + '\n')))).rejects.toThrow(
      /at most 500 are read/,
    );
  });

  it('streams a file from disk', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'read-csv-'));
    try {
      const file = path.join(dir, '警情.csv');
      writeFileSync(file, gbk('警情编号,经度,纬度\nJ1,101.7,36.6\n'));
      const read = await readFile({ path: file }, { name: file });
      expect((await all(read)).map((r) => r.properties['警情编号'])).toEqual(['J1']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('formats refused', () => {
  it('refuses old binary Excel by its signature, asking for .xlsx', async () => {
    const xls = new Uint8Array([
      0xd0,
      0xcf,
      0x11,
      0xe0,
      0xa1,
      0xb1,
      0x1a,
      0xe1,
      ...new Array(504).fill(0),
    ]);
    const err = await readFile({ bytes: xls }, { name: '台账.xlsx' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileRefused);
    expect((err as Error).message).toMatch(/\.xls\).*save it as \.xlsx/);
  });

  it('refuses GeoJSON that is not JSON or not GeoJSON', async () => {
    const json = (s: string) =>
      readFile({ bytes: new Uint8Array(Buffer.from(s)) }, { name: 'a.geojson' });
    await expect(json('{"type":"FeatureCollection",')).rejects.toThrow(/not JSON/);
    await expect(json('{"type":"Topology"}')).rejects.toThrow(
      /not GeoJSON \(its type is "Topology"\)/,
    );
  });

  it('reads GeoJSON features with their numbers, legacy crs and geometry problems', async () => {
    const read = await readFile(
      {
        bytes: new Uint8Array(
          Buffer.from(
            JSON.stringify({
              type: 'FeatureCollection',
              crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4543' } },
              features: [
                {
                  type: 'Feature',
                  properties: { 名称: '甲', 人口: 5 },
                  geometry: { type: 'Point', coordinates: [1, 2] },
                },
                { type: 'Feature', properties: { 名称: '乙', 备注: { a: 1 } }, geometry: null },
                {
                  type: 'Feature',
                  properties: {},
                  geometry: { type: 'Point', coordinates: ['a', 2] },
                },
              ],
            }),
          ),
        ),
      },
      { name: 'x.json' },
    );
    expect(read.crsName).toBe('urn:ogc:def:crs:EPSG::4543');
    expect(read.columns).toEqual(['名称', '人口', '备注']);
    const records = await all(read);
    expect(records.map((r) => r.n)).toEqual([1, 2, 3]);
    expect(records[0]!.properties).toEqual({ 名称: '甲', 人口: 5, 备注: null });
    expect(records[1]!.properties['备注']).toBe('{"a":1}');
    expect(records[1]!.geometryProblem?.reason).toBe('the feature has no geometry');
    expect(records[2]!.geometryProblem).toMatchObject({
      code: 'coordinates_not_numbers',
      reason: "the Point's coordinates are not numbers",
    });
  });
});
