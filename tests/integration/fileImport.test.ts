/**
 * An admin's files in over real HTTP (POST /api/import/inspect, /api/import): a camera ledger
 * as Chinese Excel saves it (GBK CSV, GCJ-02 picked on an online map) inspected, refused without
 * a coordinate system, dry-run, committed with its mapping saved; and a round trip of the
 * boundaries through a Shapefile in CGCS2000 Gauss-Krüger that GDAL reads, imported again with
 * the same figures. Only admins, only from this application's pages.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import gcoord from 'gcoord';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReason } from '../../domain/importReasons';
import { configureReads, DEFAULT_READ_DEADLINES } from '../../server/files/read/offThread';
import type { FileImportResult, FileInspection } from '../../server/services/fileImport';
import { adminCookie, loginCookie, startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
let dir: string;
let ledger: Buffer;
let admin: string;

beforeAll(async () => {
  s = await startTestServer();
  admin = await adminCookie(s);
  dir = mkdtempSync(path.join(tmpdir(), 'import-test-'));
  const points = await s.db.query<{ x: number; y: number }>(
    `SELECT ST_X(p) AS x, ST_Y(p) AS y
     FROM (SELECT ST_PointOnSurface(geom) AS p FROM communities ORDER BY id LIMIT 6) c`,
  );
  const lines = ['设备编号,设备名称,经度,纬度,类型,朝向,视角,距离'];
  points.forEach((p, i) => {
    const [x, y] = gcoord.transform([p.x, p.y], gcoord.WGS84, gcoord.GCJ02) as number[];
    const kind = i % 2 ? '球机' : '枪机';
    lines.push(
      `630105000013200000${i}0,城北${i}号,${x!.toFixed(6)},${y!.toFixed(6)},${kind},${i % 2 ? '' : 45},,`,
    );
  });
  lines.push('123,坏编号,101.77,36.66,球机,,,');
  lines.push('63010500001320009999,远处,87.6,43.8,球机,,,');
  const utf8 = path.join(dir, 'ledger-utf8.csv');
  writeFileSync(utf8, lines.join('\r\n') + '\r\n');
  // as Excel on a Chinese Windows saves it: GBK, no BOM
  ledger = execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK', utf8]);
});
afterAll(async () => {
  await s?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const upload = (
  route: string,
  query: Record<string, string>,
  body: Buffer,
  headers: Record<string, string> = {},
) =>
  fetch(`${s.url}${route}?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: {
      cookie: admin,
      origin: s.url,
      'x-trpc-source': 'test',
      'content-type': 'application/octet-stream',
      ...headers,
    },
    body: new Uint8Array(body),
  });

async function json<T>(res: Response, status = 200): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

const count = async (sql: string) =>
  (await s.db.query<{ n: number }>(`SELECT (${sql})::int AS n`))[0]!.n;

const file = { layer: 'cameras', name: '雪亮工程台账.csv' };

describe('a camera ledger from a video platform', () => {
  it('is inspected: GBK read, columns mapped by their Chinese names, GCJ-02 offered', async () => {
    const info = await json<FileInspection>(await upload('/api/import/inspect', file, ledger));
    expect(info.file).toMatchObject({ format: 'csv', encoding: 'gb18030', declaredCrs: null });
    expect(info.file.columns).toContain('设备名称');
    expect(
      Object.fromEntries(Object.entries(info.mapping.fields).map(([f, m]) => [f, m.column])),
    ).toMatchObject({ deviceCode: '设备编号', name: '设备名称', kind: '类型', bearing: '朝向' });
    expect(info.mapping.missing).toEqual([]);
    expect(info.crs.guesses.map((g) => g.crs)).toContain('gcj02');
    expect(info.sample[0]!.properties['设备名称']).toBe('城北0号');
  });

  it('is refused without a coordinate system, the guesses named', async () => {
    const res = await upload('/api/import', { ...file, commit: '1' }, ledger);
    const body = await json<{ error: string; code: string; params: unknown }>(res, 400);
    expect(body.error).toMatch(/does not say which coordinate system.*gcj02 puts \d+%/);
    // coded, for the page to say it in its language
    expect(body.code).toBe('crs_not_declared');
    expect(body.params).toEqual({
      guesses: expect.arrayContaining([{ crs: 'gcj02', percent: expect.any(Number) }]),
    });
    expect(await count(`SELECT count(*) FROM cameras WHERE code IS NOT NULL`)).toBe(0);
  });

  it('a dry run reports, the commit imports and saves the mapping', async () => {
    const stored = await count('SELECT count(*) FROM cameras');
    const query = { ...file, crs: 'gcj02', mappingName: '雪亮台账' };
    const dry = await json<FileImportResult>(
      await upload('/api/import', { ...query, commit: '0' }, ledger),
    );
    expect(dry.report.counts).toMatchObject({ read: 8, add: 6, remove: stored, refused: 2 });
    expect(dry.report.refusals.map((r) => r.n)).toEqual([8, 9]);
    expect(dry.report.refusals[1]!.reason).toMatch(/outside the district/);
    // each refusal coded, with its parameters
    expect(dry.report.refusals).toEqual([
      expect.objectContaining({
        code: 'bad_code',
        params: { text: '123', digits: 20 },
        field: 'deviceCode (设备编号)',
      }),
      expect.objectContaining({
        code: 'outside_district',
        params: { distanceM: expect.any(Number) },
      }),
    ]);
    expect(await count('SELECT count(*) FROM cameras')).toBe(stored);

    const done = await json<FileImportResult>(
      await upload('/api/import', { ...query, commit: '1' }, ledger),
    );
    expect(done.report.counts).toEqual(dry.report.counts);
    expect(await count('SELECT count(*) FROM cameras')).toBe(6);
    // converted from GCJ-02: within a metre of where the test took the points
    const [far] = await s.db.query<{ m: number }>(
      `SELECT max(ST_Distance(c.geom::geography, p.p::geography)) AS m
       FROM cameras c JOIN (SELECT row_number() OVER (ORDER BY id) - 1 AS i, ST_PointOnSurface(geom) AS p
                            FROM communities) p ON c.code = '630105000013200000' || p.i || '0'`,
    );
    expect(far!.m).toBeLessThan(1);
    // the next import of that source needs no mapping nor system
    const again = await json<FileImportResult>(
      await upload('/api/import', { ...file, mappingName: '雪亮台账', commit: '0' }, ledger),
    );
    expect(again.crs).toBe('gcj02');
    expect(again.report.counts).toMatchObject({ add: 0, unchanged: 6 });
  });

  it('only admins, only from this application, only files', async () => {
    const analyst = await loginCookie(s.url, 'analyst');
    const res = await upload('/api/import/inspect', file, ledger, { cookie: analyst });
    expect(res.status).toBe(403);
    const noHeader = await fetch(`${s.url}/api/import/inspect?${new URLSearchParams(file)}`, {
      method: 'POST',
      headers: { cookie: admin, origin: s.url, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(ledger),
    });
    expect(noHeader.status).toBe(403);
    const bad = await upload('/api/import', { ...file, crs: 'mars', commit: '1' }, ledger);
    expect((await json<{ error: string }>(bad, 400)).error).toMatch(
      /crs: coordinate system "mars"/,
    );
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]);
    const old = await upload('/api/import/inspect', { ...file, name: '台账.xls' }, xls);
    const oldBody = await json<{ error: string; code: string }>(old, 400);
    expect(oldBody.error).toMatch(/save it as \.xlsx/);
    expect(oldBody.code).toBe('xls_refused');
  });
});

describe('boundaries through a Shapefile in CGCS2000 Gauss-Krüger', () => {
  it('export, read by GDAL, import again: nothing added or removed, the same figures', async () => {
    const byCommunity = () =>
      s.db.query<{ code: string; n: number }>(
        `SELECT c.code, count(i.id)::int AS n FROM communities c
         LEFT JOIN incidents i ON i.community_id = c.id GROUP BY c.code ORDER BY c.code`,
      );
    const before = await byCommunity();
    const res = await fetch(`${s.url}/api/export?layer=communities&format=shp&crs=EPSG:4543`, {
      headers: { cookie: admin },
    });
    expect(res.status).toBe(200);
    const zip = path.join(dir, 'communities.zip');
    writeFileSync(zip, Buffer.from(await res.arrayBuffer()));
    const info = execFileSync('ogrinfo', ['-so', '-al', `/vsizip/${zip}`]).toString();
    expect(info).toMatch(new RegExp(`Feature Count: ${before.length}\\b`));
    expect(info).toMatch(/CGCS2000 \/ 3-degree Gauss-Kruger CM 102E/);

    const query = { layer: 'communities', name: 'communities.zip' };
    const inspected = await json<FileInspection>(
      await upload('/api/import/inspect', query, readFileSync(zip)),
    );
    expect(inspected.crs.declared).toBe('EPSG:4543');
    expect(inspected.mapping.missing).toEqual([]);
    const done = await json<FileImportResult>(
      await upload('/api/import', { ...query, commit: '1' }, readFileSync(zip)),
    );
    expect(done.report.counts, JSON.stringify(done.report.refusals.slice(0, 3))).toMatchObject({
      add: 0,
      remove: 0,
      refused: 0,
    });
    expect(done.report.counts.change + done.report.counts.unchanged).toBe(before.length);
    expect(await byCommunity()).toEqual(before);
  });
});

describe('a large file is read off the thread that answers requests', () => {
  it('health answers while a 19 MB CSV is read and converted, before the import ends', async () => {
    // ~330,000 calls of a category nobody maps: every row is read, converted and refused, so
    // the work is the reading thread's, not the database's
    const lines = ['警情编号,报警时间,警情类别,经度,纬度'];
    for (let i = 0; lines.length < 330_000; i++)
      lines.push(
        `J${String(i).padStart(12, '0')},2026-03-05 08:05:00,未知类别${i % 7},101.77,36.64`,
      );
    const big = Buffer.from(lines.join('\n') + '\n');
    expect(big.length).toBeGreaterThan(19 * 1024 ** 2);
    const events: string[] = [];
    let done = false;
    const importing = upload(
      '/api/import',
      { layer: 'incidents', name: 'big.csv', crs: 'wgs84', commit: '0' },
      big,
    ).then(async (res) => {
      done = true;
      events.push('import');
      return json<FileImportResult>(res);
    });
    // health, again and again while the file is read: every answer comes back while the
    // import still runs
    while (!done) {
      const health = await s.client.system.health.query();
      expect(health.status).toBe('ok');
      if (!done) events.push('health');
    }
    const result = await importing;
    expect(result.report.counts).toMatchObject({ read: 329_999, refused: 329_999, add: 0 });
    expect(result.report.refusals[0]).toMatchObject({ n: 2, field: 'category (警情类别)' });
    // several answers, and all of them before the import's
    expect(events.slice(0, 3)).toEqual(['health', 'health', 'health']);
    expect(events.at(-1)).toBe('import');
  });

  it('a read past its deadline is stopped, and the answer says so', async () => {
    // no thread can even start within a millisecond
    configureReads({ inspectMs: 1 });
    try {
      const res = await upload('/api/import/inspect', file, ledger);
      expect((await json<{ error: string }>(res, 408)).error).toMatch(
        /^reading the file took longer than 1 ms and was stopped/,
      );
    } finally {
      configureReads(DEFAULT_READ_DEADLINES);
    }
    // the next read has its deadline back
    expect((await upload('/api/import/inspect', file, ledger)).status).toBe(200);
  });

  it('a file the reading thread refuses is the same clear 400, saying where', async () => {
    const bad = Buffer.from(
      '警情编号,报警时间,警情类别,经度,纬度\nA1,2026-03-05 08:05,盗窃,101.77,36.64\nA2,盗窃,,,,x,y\n',
    );
    const res = await upload('/api/import/inspect', { layer: 'incidents', name: 'bad.csv' }, bad);
    const body = await json<Coded>(res, 400);
    expect(body).toEqual({
      error: 'file: the row has 7 cells; the header has 5 (at row 3)',
      code: 'row_too_wide',
      params: { cells: 7, width: 5 },
      where: { row: 3 },
    });
    // the page renders the code in its language
    expect(renderReason(body, 'zh')).toBe('该行有 7 个单元格，表头只有 5 列');
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    const old = await upload(
      '/api/import',
      { layer: 'incidents', name: 'a.xls', commit: '0' },
      xls,
    );
    expect((await json<{ error: string }>(old, 400)).error).toMatch(
      /^file: old binary Excel .*\.xlsx/,
    );
  });
});

interface Coded {
  error: string;
  code: string;
  params: Record<string, never>;
  where?: Record<string, unknown>;
}

describe('files refused as a whole carry their code for the page', () => {
  it('a zip of too many entries, an empty file, a cut quote, a system of another datum', async () => {
    const zip = new JSZip();
    for (let i = 0; i < 1001; i++) zip.file(`parts/${i}.txt`, 'x');
    const many = await zip.generateAsync({ type: 'nodebuffer' });
    const tooMany = await json<Coded>(
      await upload('/api/import/inspect', { layer: 'communities', name: '边界.zip' }, many),
      400,
    );
    expect(tooMany).toMatchObject({
      code: 'zip_too_many_entries',
      params: { archive: 'zip', count: 1001, max: 1000 },
    });
    expect(tooMany.error).toBe('file: the zip holds 1001 entries; at most 1000 are read');
    expect(renderReason(tooMany, 'zh')).toBe('压缩包中有 1001 个文件，最多读取 1000 个');

    const empty = await json<Coded>(
      await upload('/api/import/inspect', file, Buffer.alloc(0)),
      400,
    );
    expect(empty).toMatchObject({ code: 'file_empty', error: 'body: the file is empty' });

    const quote = await json<Coded>(
      await upload(
        '/api/import/inspect',
        { layer: 'incidents', name: 'q.csv' },
        Buffer.from('警情编号,报警时间\nA1,"2026-03-05\n'),
      ),
      400,
    );
    expect(quote).toMatchObject({ code: 'quote_not_closed' });

    // a GeoJSON file in Beijing 1954 (EPSG:4214) names a system that is not converted
    const bj54 = await json<Coded>(
      await upload(
        '/api/import/inspect',
        { layer: 'communities', name: 'bj54.geojson' },
        Buffer.from(
          JSON.stringify({
            type: 'FeatureCollection',
            crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4214' } },
            features: [],
          }),
        ),
      ),
      400,
    );
    expect(bj54).toMatchObject({ code: 'crs_unknown', params: { text: '4214' } });
    expect(renderReason(bj54, 'zh')).toMatch(/^不支持坐标系“4214”/);

    // incidents keyed under a source named by blanks alone
    const blank = await json<Coded>(
      await upload(
        '/api/import',
        { layer: 'incidents', name: 'calls.csv', crs: 'wgs84', commit: '0', source: '   ' },
        Buffer.from(
          '警情编号,报警时间,警情类别,经度,纬度\nA1,2026-03-05 08:05,盗窃,101.77,36.64\n',
        ),
      ),
      400,
    );
    expect(blank).toMatchObject({
      code: 'source_name',
      error: 'source: must be a name of 1 to 64 characters',
    });
    expect(renderReason(blank, 'zh')).toBe('来源名称须为 1 至 64 个字符');
  });
});
