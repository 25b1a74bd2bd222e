/**
 * Exports over real HTTP, read back by GDAL (ogrinfo, ogr2ogr): each format opens with the right
 * feature count, fields and Chinese text; a Shapefile asked for in EPSG:4543 says so in its .prj
 * and lies within 1 m of GDAL's own transformation of the WGS84 export. Who may export what
 * (no camera positions for an analyst, a display only its layers), 400 with the reason for bad
 * parameters, and the audit row of each export.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLayers } from '../../server/auth/accounts';
import { listAudit } from '../../server/audit/audit';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
let dir: string;
beforeAll(async () => {
  s = await startTestServer();
  dir = mkdtempSync(path.join(tmpdir(), 'export-test-'));
});
afterAll(async () => {
  await s?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = (query: string, cookie = s.cookie) =>
  fetch(`${s.url}/api/export?${query}`, { headers: { cookie } });

/** Downloads an export into the test folder and returns its path. */
async function download(query: string, name: string, cookie = s.cookie) {
  const res = await get(query, cookie);
  expect(
    res.status,
    await res
      .clone()
      .text()
      .catch(() => ''),
  ).toBe(200);
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return { file, res };
}

/** The features of a file as GDAL reads them, written back as GeoJSON. */
function gdalFeatures(source: string, ...args: string[]) {
  const out = execFileSync('ogr2ogr', ['-f', 'GeoJSON', '/vsistdout/', ...args, source], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(out.toString('utf8')) as {
    features: {
      properties: Record<string, unknown>;
      geometry: { type: string; coordinates: unknown };
    }[];
  };
}

/** Every coordinate pair of a geometry, flattened. */
function pairs(c: unknown): [number, number][] {
  if (Array.isArray(c) && typeof c[0] === 'number') return [[c[0], c[1] as number]];
  return (c as unknown[]).flatMap(pairs);
}

describe('export formats read back by GDAL', () => {
  it('communities as a zipped Shapefile in EPSG:4543, within 1 m of ogr2ogr', async () => {
    const n = (await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM communities'))[0]!.n;
    const names = (
      await s.db.query<{ name: string }>('SELECT name FROM communities ORDER BY id')
    ).map((r) => r.name);
    const shp = await download('layer=communities&format=shp&crs=EPSG:4543', 'c4543.zip');
    expect(shp.res.headers.get('content-type')).toBe('application/zip');
    expect(shp.res.headers.get('content-disposition')).toMatch(
      /filename\*=UTF-8''.*%E7%A4%BE%E5%8C%BA-\d{4}-\d{2}-\d{2}\.zip$/, // 社区
    );
    const info = execFileSync('ogrinfo', ['-so', '-al', `/vsizip/${shp.file}`]).toString();
    expect(info).toMatch(new RegExp(`Feature Count: ${n}\\b`));
    expect(info).toMatch(/Geometry: Polygon/);
    expect(
      execFileSync('gdalsrsinfo', ['-e', `/vsizip/${shp.file}/communities.prj`]).toString(),
    ).toMatch(/EPSG:4543/);
    const projected = gdalFeatures(`/vsizip/${shp.file}`);
    expect(projected.features.map((f) => f.properties.name)).toEqual(names);
    expect(Object.keys(projected.features[0]!.properties)).toEqual([
      'id',
      'code',
      'name',
      'kind',
      'kind_name',
      'town_code',
      'town_name',
      'population',
      'synthetic',
    ]);

    const wgs = await download('layer=communities&format=geojson', 'c.geojson');
    const byGdal = gdalFeatures(wgs.file, '-t_srs', 'EPSG:4543');
    expect(byGdal.features).toHaveLength(n);
    byGdal.features.forEach((f, i) => {
      expect(f.properties['名称']).toBe(names[i]);
      const ours = pairs(projected.features[i]!.geometry.coordinates);
      const theirs = pairs(f.geometry.coordinates);
      expect(ours.length).toBe(theirs.length);
      // the Shapefile's rings may start where GDAL's do or be wound the other way: compare sets
      const key = (p: [number, number]) => `${Math.round(p[0] / 2)}:${Math.round(p[1] / 2)}`;
      const theirSet = new Set(theirs.map(key));
      for (const p of ours) {
        const near = theirs.some((q) => Math.hypot(p[0] - q[0], p[1] - q[1]) < 1);
        if (!near)
          expect.fail(`community ${names[i]}: ${p} has no match within 1 m (${theirSet.size})`);
      }
    });
  });

  it('incidents of a window and categories as CSV, XLSX and GeoJSON', async () => {
    const q = 'from=2026-06-01&to=2026-07-01&categories=criminal,traffic';
    const [counted] = await s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM incidents WHERE time >= '2026-06-01T00:00:00+08:00'
        AND time < '2026-07-01T00:00:00+08:00' AND NOT outside AND category IN ('criminal', 'traffic')`,
    );
    const n = counted!.n;
    expect(n).toBeGreaterThan(0);
    const csv = await download(`layer=incidents&format=csv&${q}`, 'i.csv');
    expect(csv.res.headers.get('x-export-rows')).toBe(String(n));
    const csvRead = gdalFeatures(
      csv.file,
      '-oo',
      'X_POSSIBLE_NAMES=经度',
      '-oo',
      'Y_POSSIBLE_NAMES=纬度',
    );
    expect(csvRead.features).toHaveLength(n);
    expect(Object.keys(csvRead.features[0]!.properties)).toEqual(
      expect.arrayContaining(['编号', '接警时间', '类别代码', '类别', '经度', '纬度']),
    );
    expect(new Set(csvRead.features.map((f) => f.properties['类别']))).toEqual(
      new Set(['刑事', '交通']),
    );
    expect(csvRead.features[0]!.geometry.type).toBe('Point');

    const xlsx = await download(`layer=incidents&format=xlsx&${q}`, 'i.xlsx');
    const xlsxInfo = execFileSync('ogrinfo', ['-so', '-al', xlsx.file]).toString();
    expect(xlsxInfo).toMatch(new RegExp(`Feature Count: ${n}\\b`));
    expect(xlsxInfo).toMatch(/类别: String/);

    const gj = await download(`layer=incidents&format=geojson&crs=gcj02&${q}`, 'i.geojson');
    const body = JSON.parse(await import('node:fs').then((fs) => fs.readFileSync(gj.file, 'utf8')));
    expect(body.crs).toEqual({ type: 'name', properties: { name: 'GCJ-02' } });
    expect(body.features).toHaveLength(n);
  });
  it('every layer in every format opens in GDAL with all its rows', async () => {
    const tables: Record<string, string> = {
      communities: 'communities',
      towns: 'towns',
      cameras: 'cameras',
      sites: 'sites',
      checkpoints: "sites WHERE kind = 'checkpoint'",
      posts: "patrol_units WHERE kind = 'post'",
      circles: 'protection_circles',
      zones: 'patrol_zones',
    };
    for (const [layer, from] of Object.entries(tables)) {
      const [counted] = await s.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${from}`);
      expect(counted!.n, layer).toBeGreaterThan(0);
      for (const format of ['shp', 'xlsx', 'csv', 'geojson']) {
        const ext = format === 'shp' ? 'zip' : format;
        const { file } = await download(
          `layer=${layer}&format=${format}&crs=EPSG:4543`,
          `${layer}.${ext}`,
        );
        const read = gdalFeatures(format === 'shp' ? `/vsizip/${file}` : file);
        expect(read.features, `${layer} ${format}`).toHaveLength(counted!.n);
        // the inner circle (1,800 vertices) is too long for an Excel cell: a note stands for it
        if (format === 'xlsx')
          expect(JSON.stringify(read.features).includes('超出Excel单元格长度'), layer).toBe(
            layer === 'circles',
          );
      }
    }
  });
});

describe('who may export what', () => {
  it('refuses camera positions to an analyst, with an audit row; a leader gets them', async () => {
    const analyst = await s.login('analyst');
    const res = await get('layer=cameras&format=csv', analyst.cookie);
    expect(res.status).toBe(403);
    expect((await res.json()).error).toMatch(/may not export camera positions/);
    const { items } = await listAudit(s.db, { limit: 5 });
    expect(items.find((r) => r.action === 'data.export')).toMatchObject({
      username: 'analyst',
      outcome: 'denied',
    });
    // what an analyst may see, they may export
    expect((await get('layer=sites&format=geojson', analyst.cookie)).status).toBe(200);
    const leader = await get('layer=cameras&format=csv');
    expect(leader.status).toBe(200);
    expect((await leader.text()).split('\r\n')[0]).toMatch(/经度,纬度$/);
  });

  it('no layer an analyst may export carries camera positions', async () => {
    const analyst = await s.login('analyst');
    const cams = new Set(
      (
        await s.db.query<{ p: string }>(
          `SELECT ST_X(geom)::numeric(12,7) || ' ' || ST_Y(geom)::numeric(12,7) AS p FROM cameras`,
        )
      ).map((r) => r.p),
    );
    for (const layer of ['sites', 'checkpoints', 'posts', 'circles', 'zones']) {
      const res = await get(`layer=${layer}&format=geojson`, analyst.cookie);
      expect(res.status, layer).toBe(200);
      const fc = (await res.json()) as { features: { geometry: { coordinates: unknown } }[] };
      for (const f of fc.features)
        for (const p of pairs(f.geometry.coordinates))
          expect(cams.has(`${p[0].toFixed(7)} ${p[1].toFixed(7)}`), layer).toBe(false);
    }
  });

  it('a limited display exports only its layers', async () => {
    const wall = await s.login('wall');
    await setLayers(s.db, 'wall', ['circles']);
    expect((await get('layer=circles&format=geojson', wall.cookie)).status).toBe(200);
    const refused = await get('layer=zones&format=geojson', wall.cookie);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatch(/not configured to show zones/);
    await setLayers(s.db, 'wall', null);
  });

  it('writes one audit row for an export: who, layer, format, system, window, rows', async () => {
    await download('layer=towns&format=xlsx&crs=EPSG:4543', 't.xlsx');
    const { items } = await listAudit(s.db, { limit: 5 });
    const row = items.find((r) => r.action === 'data.export')!;
    expect(row).toMatchObject({
      username: 'leader',
      role: 'leader',
      outcome: 'ok',
      object: 'layer:towns',
    });
    const n = (await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM towns'))[0]!.n;
    expect(row.detail).toEqual({ layer: 'towns', format: 'xlsx', crs: 'EPSG:4543', rows: n });
  });
});

describe('bad parameters', () => {
  it.each([
    ['layer=roads&format=shp', /layer/],
    ['layer=towns&format=kml', /format/],
    ['layer=towns&format=shp&crs=EPSG:9999', /crs: coordinate system "EPSG:9999" is not supported/],
    ['layer=incidents&format=csv', /from: is required for incidents/],
    ['layer=incidents&format=csv&from=2026-07-01&to=2026-06-01', /to: must be after from/],
    ['layer=incidents&format=csv&from=2026-06-01&to=2026-07-01&categories=arson', /categories/],
    ['layer=towns&format=csv&from=2026-06-01', /from: applies to incidents only/],
  ])('%s → 400', async (query, reason) => {
    const res = await get(query);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatch(reason);
  });

  it('asks for a session', async () => {
    expect((await fetch(`${s.url}/api/export?layer=towns&format=csv`)).status).toBe(401);
  });
});
