/**
 * Test files written by GDAL (ogr2ogr), not by this code base, from the small GeoJSON sources in
 * tests/fixtures/files/: what an agency's desktop GIS or spreadsheet would send. Made in a
 * temporary folder in a test file's set-up; `ogrAvailable` says whether GDAL is installed
 * (CI installs gdal-bin).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import JSZip from 'jszip';

export const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/files');

export const ogrAvailable = spawnSync('ogr2ogr', ['--version']).status === 0;

export interface OgrFiles {
  dir: string;
  /** communities in EPSG:4543 (CGCS2000 3° Gauss-Krüger, CM 102°E), UTF-8 DBF with .cpg, in a folder of the zip */
  shpUtf8Zip: string;
  /** the same in GBK (CP936) without its .cpg, the language driver byte left as GDAL writes it (0) */
  shpGbkNoCpgZip: string;
  /** the same in GBK without .cpg, the language driver byte set to 0x4D (code page 936) */
  shpGbkDriverZip: string;
  /** two layers: communities and cameras */
  shpTwoLayersZip: string;
  /** a zip without a .shp */
  zipWithoutShp: string;
  /** the camera ledger as CSV in GBK (GDAL writes UTF-8; iconv makes it GBK) */
  csvGbk: string;
  /** the camera ledger as XLSX */
  xlsx: string;
  remove(): void;
}

const ogr = (...args: string[]) => execFileSync('ogr2ogr', args, { stdio: 'pipe' });

/** A Shapefile of `source` in `dir`, named `name`, with the layer creation options given. */
function shapefile(dir: string, source: string, name: string, ...lco: string[]): string[] {
  const out = path.join(dir, name);
  ogr(
    '-f',
    'ESRI Shapefile',
    '-t_srs',
    'EPSG:4543',
    ...lco.flatMap((o) => ['-lco', o]),
    `${out}.shp`,
    source,
  );
  return readdirSync(dir)
    .filter((f) => f.startsWith(`${name}.`))
    .map((f) => path.join(dir, f));
}

/** Zips files under `folder` inside the archive. */
async function zip(out: string, files: string[], folder = ''): Promise<string> {
  const z = new JSZip();
  for (const f of files) z.file(folder + path.basename(f), readFileSync(f));
  writeFileSync(out, await z.generateAsync({ type: 'uint8array', compression: 'DEFLATE' }));
  return out;
}

export async function makeOgrFiles(): Promise<OgrFiles> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ogr-fixtures-'));
  const communities = path.join(FIXTURES, 'communities.geojson');
  const cameras = path.join(FIXTURES, 'cameras.geojson');
  const sub = (name: string) => {
    const d = path.join(dir, name);
    execFileSync('mkdir', ['-p', d]);
    return d;
  };

  const utf8 = shapefile(sub('utf8'), communities, 'communities', 'ENCODING=UTF-8');
  const shpUtf8Zip = await zip(path.join(dir, 'utf8.zip'), utf8, '城北区村社区界/');

  const gbk = shapefile(sub('gbk'), communities, 'communities', 'ENCODING=CP936');
  const cpg = gbk.find((f) => f.endsWith('.cpg'));
  if (cpg) unlinkSync(cpg);
  const gbkFiles = gbk.filter((f) => f !== cpg);
  const shpGbkNoCpgZip = await zip(path.join(dir, 'gbk.zip'), gbkFiles);

  const dbf = gbkFiles.find((f) => f.endsWith('.dbf'))!;
  const bytes = readFileSync(dbf);
  bytes[29] = 0x4d;
  writeFileSync(dbf, bytes);
  const shpGbkDriverZip = await zip(path.join(dir, 'gbk-driver.zip'), gbkFiles);

  const cams = shapefile(sub('two'), cameras, 'cameras', 'ENCODING=UTF-8');
  const shpTwoLayersZip = await zip(path.join(dir, 'two.zip'), [...utf8, ...cams]);
  const zipWithoutShp = await zip(
    path.join(dir, 'no-shp.zip'),
    utf8.filter((f) => !f.endsWith('.shp')),
  );

  const csvUtf8 = path.join(dir, 'cameras-utf8.csv');
  ogr('-f', 'CSV', csvUtf8, cameras);
  const csvGbk = path.join(dir, 'cameras-gbk.csv');
  writeFileSync(csvGbk, execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK', csvUtf8]));

  const xlsx = path.join(dir, 'cameras.xlsx');
  ogr('-f', 'XLSX', xlsx, cameras);

  return {
    dir,
    shpUtf8Zip,
    shpGbkNoCpgZip,
    shpGbkDriverZip,
    shpTwoLayersZip,
    zipWithoutShp,
    csvGbk,
    xlsx,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
