/**
 * The export writers, read back by GDAL: Chinese text intact in a UTF-8 DBF (widths in bytes,
 * long values cut at a character boundary), polygons with holes and multipolygons wound as the
 * Shapefile format asks whatever their input winding, one Shapefile per geometry type, the CSV's
 * BOM and quoting, GeoJSON's "crs" member, empty tables.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Geometry } from 'geojson';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCrs } from '../../geo/crs';
import { utf8Prefix } from '../../server/files/write/dbf';
import { writeTable, type ExportFormat } from '../../server/files/write';
import type { ExportField, ExportRow, ExportTable } from '../../server/files/write/table';

const dir = mkdtempSync(path.join(tmpdir(), 'writers-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIELDS: ExportField[] = [
  { key: 'id', short: 'id', header: '编号', type: 'int' },
  { key: 'name', short: 'name', header: '名称', type: 'text' },
  { key: 'pop', short: 'population', header: '人口', type: 'int' },
  { key: 'share', short: 'share', header: '占比', type: 'real' },
  { key: 'day', short: 'day', header: '日期', type: 'date' },
  { key: 'at', short: 'at', header: '时间', type: 'datetime' },
];

const LONG = '祁连路'.repeat(40); // 120 characters, 360 bytes
// exterior ring clockwise and hole counter-clockwise: the opposite of RFC 7946
const holed: Geometry = {
  type: 'Polygon',
  coordinates: [
    [
      [101.7, 36.6],
      [101.7, 36.7],
      [101.8, 36.7],
      [101.8, 36.6],
      [101.7, 36.6],
    ],
    [
      [101.72, 36.62],
      [101.74, 36.62],
      [101.74, 36.64],
      [101.72, 36.64],
      [101.72, 36.62],
    ],
  ],
};
const twoParts: Geometry = {
  type: 'MultiPolygon',
  coordinates: [
    [
      [
        [101.8, 36.6],
        [101.9, 36.6],
        [101.9, 36.7],
        [101.8, 36.6],
      ],
    ],
    [
      [
        [101.6, 36.5],
        [101.65, 36.5],
        [101.65, 36.55],
        [101.6, 36.5],
      ],
    ],
  ],
};
const ROWS: ExportRow[] = [
  {
    geometry: holed,
    values: {
      id: 1,
      name: '朝阳社区,"东"',
      pop: 1234,
      share: 0.25,
      day: '2026-12-05',
      at: Date.parse('2026-12-05T00:30:00Z'),
    },
  },
  {
    geometry: twoParts,
    values: { id: 2, name: LONG, pop: null, share: null, day: null, at: null },
  },
];

const table = (rows: ExportRow[], geometry: ExportTable['geometry'] = 'area'): ExportTable => ({
  id: 'areas',
  name: '面图层',
  geometry,
  fields: FIELDS,
  rows: (async function* () {
    yield* rows;
  })(),
});

async function write(format: ExportFormat, t: ExportTable, crs = 'wgs84') {
  const file = path.join(
    dir,
    `${t.id}-${crs.replace(':', '')}-${t.geometry}.${format === 'shp' ? 'zip' : format}`,
  );
  await writeTable(format, t, parseCrs(crs), createWriteStream(file));
  return file;
}

/** GDAL's reading of a file: its features as GeoJSON. */
function gdal(source: string, ...args: string[]) {
  return JSON.parse(
    execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', ...args, source]).toString('utf8'),
  ) as { features: { properties: Record<string, unknown>; geometry: Geometry }[] };
}

/** The rings of each polygon record of a .shp, read as the format's specification lays it out. */
function shapeRings(shp: Buffer): [number, number][][][] {
  const out: [number, number][][][] = [];
  for (let at = 100; at < shp.length;) {
    const length = shp.readInt32BE(at + 4) * 2;
    const c = at + 8;
    const nParts = shp.readInt32LE(c + 36);
    const nPoints = shp.readInt32LE(c + 40);
    const starts = Array.from({ length: nParts }, (_, i) => shp.readInt32LE(c + 44 + 4 * i));
    const pts = c + 44 + 4 * nParts;
    const point = (i: number): [number, number] => [
      shp.readDoubleLE(pts + 16 * i),
      shp.readDoubleLE(pts + 16 * i + 8),
    ];
    out.push(
      starts.map((s, i) =>
        Array.from({ length: (starts[i + 1] ?? nPoints) - s }, (_, k) => point(s + k)),
      ),
    );
    at = c + length;
  }
  return out;
}

/** Twice the signed area of a ring: positive when counter-clockwise. */
function ringArea2(ring: [number, number][]) {
  let twice = 0;
  for (let i = 0; i < ring.length - 1; i++)
    twice += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
  return twice;
}

const info = (source: string) => execFileSync('ogrinfo', ['-so', '-al', source]).toString('utf8');

describe('utf8Prefix', () => {
  it('cuts at a character boundary, never inside one', () => {
    expect(utf8Prefix('社区', 5).toString('utf8')).toBe('社');
    expect(utf8Prefix('社区', 6).toString('utf8')).toBe('社区');
    expect(utf8Prefix('a社', 3).toString('utf8')).toBe('a');
  });
});

describe('zipped Shapefile', () => {
  it('keeps Chinese text, sizes text fields in bytes, cuts long values at 254 bytes', async () => {
    const zip = await write('shp', table(ROWS));
    const text = info(`/vsizip/${zip}`);
    expect(text).toMatch(/Feature Count: 2/);
    // the longest name is 360 bytes: the field is 254 bytes wide
    expect(text).toMatch(/name: String \(254\.0\)/);
    const read = gdal(`/vsizip/${zip}`);
    expect(read.features[0]!.properties).toMatchObject({
      id: 1,
      name: '朝阳社区,"东"',
      population: 1234,
      share: 0.25,
      day: '2026-12-05',
      at: '2026-12-05T08:30:00+08:00',
    });
    // 254 bytes hold 84 whole characters (252 bytes)
    expect(read.features[1]!.properties.name).toBe(LONG.slice(0, 84));
    expect(read.features[1]!.properties.population).toBeNull();
    expect(readFileSync(zip).subarray(0, 2).toString('latin1')).toBe('PK');
    expect(execFileSync('unzip', ['-Z1', zip]).toString().trim().split('\n').sort()).toEqual([
      'areas.cpg',
      'areas.dbf',
      'areas.prj',
      'areas.shp',
      'areas.shx',
    ]);
  });

  it('keeps the hole of a polygon and the parts of a multipolygon, whatever the input winding', async () => {
    // the same polygon wound as RFC 7946 asks (exterior counter-clockwise, hole clockwise)
    const rfc: Geometry = {
      type: 'Polygon',
      coordinates: (holed as { coordinates: number[][][] }).coordinates.map((r) =>
        [...r].reverse(),
      ),
    };
    const rows = [...ROWS, { geometry: rfc, values: { id: 3 } }];
    const read = gdal(`/vsizip/${await write('shp', { ...table(rows), id: 'wound' })}`);
    const [a, b, c] = read.features;
    for (const f of [a!, c!]) {
      expect(f.geometry.type).toBe('Polygon');
      expect((f.geometry as { coordinates: unknown[] }).coordinates).toHaveLength(2);
    }
    expect(b!.geometry.type).toBe('MultiPolygon');
    expect((b!.geometry as { coordinates: unknown[] }).coordinates).toHaveLength(2);
    // GDAL sorts rings out by containment whatever their winding: read the winding itself
    const zip = await JSZip.loadAsync(readFileSync(path.join(dir, 'wound-wgs84-area.zip')));
    const shp = Buffer.from(await zip.file('wound.shp')!.async('uint8array'));
    const windings = shapeRings(shp).map((rings) =>
      rings.map((r) => (ringArea2(r) < 0 ? 'cw' : 'ccw')),
    );
    expect(windings).toEqual([
      ['cw', 'ccw'],
      ['cw', 'cw'],
      ['cw', 'ccw'],
    ]);
  });

  it('writes one Shapefile per geometry type of a mixed table', async () => {
    const point: ExportRow = {
      geometry: { type: 'Point', coordinates: [101.75, 36.65] },
      values: { id: 3, name: '岗亭' },
    };
    const zip = await write('shp', { ...table([ROWS[0]!, point], 'mixed'), id: 'mixed' });
    expect(execFileSync('unzip', ['-Z1', zip]).toString()).toMatch(
      /mixed_point\.shp[\s\S]*mixed_polygon\.shp|mixed_polygon\.shp[\s\S]*mixed_point\.shp/,
    );
    expect(gdal(`/vsizip/${zip}/mixed_point.shp`).features[0]!.properties.name).toBe('岗亭');
  });

  it('writes an empty table as an empty Shapefile GDAL opens', async () => {
    const zip = await write('shp', { ...table([]), id: 'empty' });
    expect(info(`/vsizip/${zip}`)).toMatch(/Feature Count: 0/);
  });

  it('names EPSG:4543 in the .prj', async () => {
    const zip = await write('shp', { ...table(ROWS), id: 'gk' }, 'EPSG:4543');
    const srs = execFileSync('gdalsrsinfo', ['-e', `/vsizip/${zip}/gk.prj`]).toString();
    expect(srs).toMatch(/EPSG:4543/);
  });
});

describe('CSV, XLSX, GeoJSON', () => {
  it('CSV: BOM, Chinese headers, quoted cells, WKT for areas', async () => {
    const file = await write('csv', table(ROWS));
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const read = gdal(file, '-oo', 'GEOM_POSSIBLE_NAMES=WKT', '-oo', 'KEEP_GEOM_COLUMNS=NO');
    expect(Object.keys(read.features[0]!.properties)).toEqual([
      '编号',
      '名称',
      '人口',
      '占比',
      '日期',
      '时间',
    ]);
    expect(read.features[0]!.properties['名称']).toBe('朝阳社区,"东"');
    expect(read.features[0]!.geometry.type).toBe('Polygon');
    expect(read.features[1]!.geometry.type).toBe('MultiPolygon');
  });

  it('CSV of points in a projected system: X and Y columns', async () => {
    const point: ExportRow = {
      geometry: { type: 'Point', coordinates: [101.77, 36.66] },
      values: { id: 1 },
    };
    const file = await write('csv', { ...table([point], 'point'), id: 'pts' }, 'EPSG:4543');
    const header = readFileSync(file, 'utf8').split('\r\n')[0]!;
    expect(header).toBe('\uFEFF编号,名称,人口,占比,日期,时间,X,Y');
  });

  it('XLSX: GDAL finds the Chinese headers and the rows', async () => {
    const file = await write('xlsx', table(ROWS));
    const text = info(file);
    expect(text).toMatch(/Feature Count: 2/);
    expect(text).toMatch(/名称: String/);
    expect(gdal(file).features[0]!.properties['名称']).toBe('朝阳社区,"东"');
  });

  it('GeoJSON in EPSG:4543 names its system, and GDAL reads it so', async () => {
    const file = await write('geojson', table(ROWS), 'EPSG:4543');
    expect(JSON.parse(readFileSync(file, 'utf8')).crs).toEqual({
      type: 'name',
      properties: { name: 'urn:ogc:def:crs:EPSG::4543' },
    });
    expect(info(file)).toMatch(
      /ID\["EPSG",4543\]\]\s*$|CGCS2000 \/ 3-degree Gauss-Kruger CM 102E/m,
    );
  });

  it('GeoJSON in WGS84 is RFC 7946: no crs member, exterior rings counter-clockwise', async () => {
    const body = JSON.parse(readFileSync(await write('geojson', table(ROWS)), 'utf8'));
    expect(body.crs).toBeUndefined();
    const ring = body.features[0].geometry.coordinates[0] as [number, number][];
    expect(ringArea2(ring)).toBeGreaterThan(0);
  });
});
