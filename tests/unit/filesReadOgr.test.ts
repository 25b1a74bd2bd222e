/**
 * The readers against files GDAL wrote (tests/setup/ogrFixtures.ts): a zipped Shapefile in
 * EPSG:4543 with .prj and .cpg inside a folder, GBK DBFs without .cpg, a GBK CSV and an XLSX.
 * Chinese text must arrive intact, and coordinates must come back to the sources' WGS84.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Feature, Point, Polygon } from 'geojson';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  declaredCrs,
  FileRefused,
  LayerNotChosen,
  READ_LIMITS,
  readFile,
  RowConverter,
  suggestMapping,
  type FileRead,
  type ReadRecord,
} from '../../server/files/read/index';
import { FIXTURES, makeOgrFiles, type OgrFiles } from '../setup/ogrFixtures';

let files: OgrFiles;
beforeAll(async () => {
  files = await makeOgrFiles();
});
afterAll(() => files?.remove());

async function all(read: FileRead): Promise<ReadRecord[]> {
  const out: ReadRecord[] = [];
  for await (const batch of read.records) out.push(...batch);
  return out;
}

const source = (name: string) =>
  JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as {
    features: Feature<Polygon | Point, Record<string, string | number>>[];
  };
const communities = source('communities.geojson').features;
const cameras = source('cameras.geojson').features;

describe('zipped Shapefiles written by ogr2ogr', () => {
  it('reads the UTF-8 layer inside a folder, with its .prj, back to the source coordinates', async () => {
    const read = await readFile({ path: files.shpUtf8Zip }, { name: 'communities.zip' });
    expect(read.format).toBe('shapefile');
    expect(read.layers).toEqual(['城北区村社区界/communities']);
    expect(read.encoding).toBe('utf-8');
    // GDAL cuts 所属街道 (12 bytes in UTF-8) to 10 bytes: the cut character is dropped
    expect(read.columns).toEqual(['名称', '代码', '所属街', '类型', '人口']);
    const crs = declaredCrs(read);
    expect(crs?.id).toBe('EPSG:4543');
    const records = await all(read);
    expect(records.map((r) => r.n)).toEqual([1, 2, 3]);
    expect(records.map((r) => r.properties['名称'])).toEqual(
      communities.map((f) => f.properties['名称']),
    );
    expect(records[0]!.properties['所属街']).toBe('朝阳街道');
    expect(records[0]!.properties['代码']).toBe('630105001001');
    expect(records[0]!.properties['人口']).toBe(8200);
    // metres in the file, the source's degrees once converted
    const ring = (records[0]!.geometry as Polygon).coordinates[0]!;
    expect(ring[0]![0]).toBeGreaterThan(400_000);
    const back = ring.map(([x, y]) => crs!.toWgs84(x!, y!));
    const want = (communities[0]!.geometry as Polygon).coordinates[0]!;
    for (const p of want)
      expect(back.some(([lon, lat]) => Math.hypot(lon - p[0]!, lat - p[1]!) < 1e-7)).toBe(true);
  });

  it.each([
    ['without .cpg, language driver 0: strict UTF-8 fails, GB18030 reads it', 'shpGbkNoCpgZip'],
    ['without .cpg, language driver 0x4D (code page 936)', 'shpGbkDriverZip'],
  ] as const)('reads a GBK DBF %s', async (_, key) => {
    const read = await readFile({ path: files[key] }, { name: 'x.zip' });
    expect(read.encoding).toBe('gb18030');
    expect(read.columns).toEqual(['名称', '代码', '所属街道', '类型', '人口']);
    const records = await all(read);
    expect(records.map((r) => [r.properties['名称'], r.properties['所属街道']])).toEqual(
      communities.map((f) => [f.properties['名称'], f.properties['所属街道']]),
    );
  });

  it('asks which layer when a zip holds several, and reads the one chosen', async () => {
    const err = await readFile({ path: files.shpTwoLayersZip }, { name: 'x.zip' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LayerNotChosen);
    expect((err as LayerNotChosen).layers).toEqual(['cameras', 'communities']);
    expect((err as Error).message).toMatch(
      /2 Shapefile layers \(cameras, communities\): choose one/,
    );
    const read = await readFile(
      { path: files.shpTwoLayersZip },
      { name: 'x.zip', layer: 'cameras' },
    );
    expect(read.layer).toBe('cameras');
    // 设备编号 is cut by GDAL to 10 bytes (设备编); the mapping still finds it, as a guess
    expect(read.columns.slice(0, 2)).toEqual(['设备编', '设备名']);
    const mapping = suggestMapping('cameras', read.columns);
    expect(mapping.fields.deviceCode).toMatchObject({ column: '设备编', confidence: 'truncated' });
    const records = await all(read);
    expect(records.map((r) => [r.properties['设备编'], r.properties['类型']])).toEqual(
      cameras.map((f) => [f.properties['设备编号'], f.properties['类型']]),
    );
  });

  it('refuses a zip without a .shp, saying what it holds', async () => {
    await expect(readFile({ path: files.zipWithoutShp }, { name: 'x.zip' })).rejects.toThrow(
      /holds no Shapefile \(\.shp\); it holds \d+ entries: communities\.cpg, communities\.dbf/,
    );
  });

  it('makes community rows in WGS84 from the projected layer', async () => {
    const read = await readFile({ path: files.shpGbkNoCpgZip }, { name: 'x.zip' });
    const mapping = suggestMapping('communities', read.columns);
    expect(mapping.missing).toEqual([]);
    const { rows, refusals } = new RowConverter('communities', mapping, declaredCrs(read)!).convert(
      await all(read),
    );
    // the third source polygon is a bow-tie: buildable, so a row; the import's validity check
    // (the database's) refuses it with where it crosses itself
    expect(refusals).toEqual([]);
    expect(rows).toHaveLength(3);
    expect(
      rows.filter((r) => r.n !== 3).map((r) => [r.name, r.code, r.town, r.kind, r.population]),
    ).toEqual([
      ['朝阳社区', '630105001001', '朝阳街道', 'community', 8200],
      ['廿里铺村', '630105102201', '廿里铺镇', 'village', 1530],
    ]);
    const [lon, lat] = (rows[0]!.geom as Polygon).coordinates[0]![0]!;
    expect(lon).toBeCloseTo(101.74, 6);
    expect(lat).toBeCloseTo(36.66, 6);
  });
});

describe('tables written by ogr2ogr', () => {
  it('reads the GBK CSV: Chinese intact, coordinate columns found, rows numbered as a sheet', async () => {
    const read = await readFile({ path: files.csvGbk }, { name: '摄像头台账.csv' });
    expect(read.format).toBe('csv');
    expect(read.encoding).toBe('gb18030');
    expect(read.coordinateColumns).toEqual({ x: '经度', y: '纬度' });
    const records = await all(read);
    expect(records.map((r) => r.n)).toEqual([2, 3, 4, 5]);
    expect(records.map((r) => r.properties['设备名称'])).toEqual(
      cameras.map((f) => f.properties['设备名称']),
    );
    expect(records.map((r) => (r.geometry as Point).coordinates)).toEqual(
      cameras.map((f) => (f.geometry as Point).coordinates),
    );
  });

  it('reads the XLSX and maps the camera ledger without being asked', async () => {
    const read = await readFile({ path: files.xlsx }, { name: '摄像头台账.xlsx' });
    expect(read.format).toBe('xlsx');
    expect(read.layers).toEqual(['cameras']);
    const records = await all(read);
    expect(records.map((r) => r.n)).toEqual([2, 3, 4, 5]);
    expect(records[0]!.properties['设备编号']).toBe('63010500001310000001');
    const mapping = suggestMapping('cameras', read.columns, {
      exclude: [read.coordinateColumns!.x, read.coordinateColumns!.y],
    });
    expect(
      Object.fromEntries(Object.entries(mapping.fields).map(([f, m]) => [f, m.column])),
    ).toEqual({
      deviceCode: '设备编号',
      name: '设备名称',
      kind: '类型',
      bearing: '朝向',
      fov: '视角',
      rangeM: '距离',
    });
    expect(mapping.missing).toEqual([]);
    const { rows, refusals } = new RowConverter(
      'cameras',
      mapping,
      declaredCrs(read) ?? {
        toWgs84: (x, y) => [x, y],
      },
    ).convert(records);
    expect(refusals).toEqual([]);
    expect(rows.map((r) => [r.deviceCode, r.kind, r.bearing, r.fov, r.rangeM])).toEqual([
      ['63010500001310000001', 'dome', 0, 360, 80],
      ['63010500001310000002', 'bullet', 135, 60, 60],
      ['63010500001210000003', 'checkpoint', 270, 40, 50],
      ['63010500001310000004', 'dome', 90, 360, 30],
    ]);
    expect(rows[1]!.geom.coordinates).toEqual([101.7688, 36.6655]);
  });
});

describe('what a reader refuses rather than garble', () => {
  it('refuses a GBK DBF whose .cpg says UTF-8, naming the record and field', async () => {
    const zip = await JSZip.loadAsync(readFileSync(files.shpGbkNoCpgZip));
    zip.file('communities.cpg', 'UTF-8');
    const bytes = await zip.generateAsync({ type: 'uint8array' });
    const err = await readFile({ bytes }, { name: 'x.zip' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FileRefused);
    expect((err as Error).message).toMatch(/is not valid UTF-8 text.*\(in communities\.dbf/);
  });

  it('refuses a .cpg naming an encoding it does not read', async () => {
    const zip = await JSZip.loadAsync(readFileSync(files.shpGbkNoCpgZip));
    zip.file('communities.cpg', 'Big5');
    const bytes = await zip.generateAsync({ type: 'uint8array' });
    await expect(readFile({ bytes }, { name: 'x.zip' })).rejects.toThrow(
      /"Big5", which is not read/,
    );
  });
});

describe('workbooks', () => {
  it('skips a title row, reads dates as the wall-clock time shown, and numbers rows as the sheet', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('警情');
    ws.addRow(['城北区2026年3月警情']);
    ws.addRow(['警情编号', '报警时间', '警情类别', '经度', '纬度']);
    ws.addRow([
      'J1',
      new Date(Date.UTC(2026, 2, 5, 8, 5)),
      { richText: [{ text: '刑' }, { text: '事' }] },
      101.75,
      36.67,
    ]);
    ws.addRow([]);
    ws.addRow(['J2', '2026/3/5 9:00', '交通', { formula: '101+0.7', result: 101.7 }, 36.6]);
    wb.addWorksheet('说明').addRow(['x']);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const read = await readFile({ bytes }, { name: '警情.xlsx' });
    expect(read.layers).toEqual(['警情', '说明']);
    const records = await all(read);
    expect(records.map((r) => [r.n, ...Object.values(r.properties)])).toEqual([
      [3, 'J1', '2026-03-05 08:05:00', '刑事', 101.75, 36.67],
      [5, 'J2', '2026/3/5 9:00', '交通', 101.7, 36.6],
    ]);
    const { rows } = new RowConverter(
      'incidents',
      suggestMapping('incidents', read.columns, { exclude: ['经度', '纬度'] }),
      { toWgs84: (x, y) => [x, y] },
    ).convert(records);
    expect(rows.map((r) => new Date(r.time).toISOString())).toEqual([
      '2026-03-05T00:05:00.000Z',
      '2026-03-05T01:00:00.000Z',
    ]);
    await expect(readFile({ bytes }, { name: 'a.xlsx', layer: '附表' })).rejects.toThrow(
      /no sheet "附表"; its sheets are 警情, 说明/,
    );
  });

  it('refuses a sheet longer than the row limit, pointing to CSV', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('警情');
    ws.addRow(['警情编号', '报警时间']);
    ws.getRow(READ_LIMITS.xlsxRows + 1).getCell(1).value = 'J';
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    await expect(readFile({ bytes }, { name: 'a.xlsx' })).rejects.toThrow(
      /has 200001 rows; an XLSX sheet may have at most 200000 \(send a larger table as CSV\)/,
    );
  });
});
