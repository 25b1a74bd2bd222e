/**
 * The dataset contract: storeDataset's modes (upsert replaces changed rows and keeps the others,
 * append adds incidents and moves the data span that health reports), a refused dataset that
 * leaves every table exactly as it was and names the table and row, and the migration that
 * renames an earlier version's 'demo.*' description keys.
 */
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_FOLDER } from '../../server/db/migrate';
import { dataStatus, invalidateDataStatus } from '../../server/dataset/status';
import { DatasetError, storeDataset } from '../../server/dataset/store';
import type { Dataset, IncidentColumns, Town } from '../../server/dataset/types';
import { INCIDENT_CATEGORIES, INCIDENT_STATUSES } from '../../domain/vocabulary';
import { startTestServer, type TestServer } from '../setup/testServer';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.close();
});

// the test data's anchor is 2026-06-30: its coverage ends at 2026-07-01T00:00+08:00
const END = Date.parse('2026-07-01T00:00:00+08:00');
const source = { kind: 'import', name: 'test' } as const;

const TABLES = [
  'district',
  'towns',
  'communities',
  'incidents',
  'disputes',
  'cameras',
  'sites',
  'protection_circles',
  'patrol_zones',
  'patrol_units',
  'app_meta',
  'camera_sectors',
  'community_coverage',
  'coverage_changes',
];

/** Every row of every data table, as a count and a digest per table. */
async function snapshot() {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    const [r] = await s.db.query<{ n: number; h: string | null }>(
      `SELECT count(*)::int AS n, md5(string_agg(md5(x::text), '' ORDER BY md5(x::text))) AS h
       FROM ${t} x`,
    );
    out[t] = `${r!.n}:${r!.h}`;
  }
  return out;
}

async function towns(): Promise<Town[]> {
  const rows = await s.db.query<{
    id: number;
    code: string;
    name: string;
    geometry_source: string;
    geom: string;
  }>(`SELECT id, code, name, geometry_source, ST_AsGeoJSON(geom) AS geom FROM towns ORDER BY id`);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    geometrySource: r.geometry_source,
    geom: JSON.parse(r.geom) as Town['geom'],
  }));
}

/** Points inside the district: one per community, on its surface. */
async function inside(n: number) {
  return s.db.query<{ x: number; y: number; id: number }>(
    `SELECT ST_X(p) AS x, ST_Y(p) AS y, id
     FROM (SELECT id, ST_PointOnSurface(geom) AS p FROM communities ORDER BY id LIMIT $1) c`,
    [n],
  );
}

async function incidents(times: number[]): Promise<IncidentColumns> {
  const pts = await inside(times.length);
  const n = times.length;
  return {
    count: n,
    lon: Float64Array.from(pts, (p) => p.x),
    lat: Float64Array.from(pts, (p) => p.y),
    time: Float64Array.from(times),
    category: new Uint8Array(n).fill(INCIDENT_CATEGORIES.indexOf('criminal')),
    subcategory: new Uint8Array(n),
    subcategories: ['theft'],
    status: new Uint8Array(n).fill(INCIDENT_STATUSES.indexOf('open')),
    communityId: Int16Array.from(pts, (p) => p.id),
  };
}

async function refusal(dataset: Dataset, modes: Parameters<typeof storeDataset>[2]) {
  const err = await storeDataset(s.db, dataset, modes).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DatasetError);
  const message = (err as Error).message;
  // the database's own words stay out of it
  expect(message).not.toMatch(/violates|duplicate key|relation "|SQLSTATE/);
  return err as DatasetError;
}

describe('storeDataset', () => {
  it('upserts: replaces the changed rows by key and keeps the others', async () => {
    const before = await towns();
    expect(before).toHaveLength(6);
    const changed = { ...before[1]!, name: `${before[1]!.name}（新）` };
    await storeDataset(s.db, { source, towns: [changed, before[2]!] }, { towns: 'upsert' });
    const after = await towns();
    expect(after).toHaveLength(6);
    expect(after[1]!.name).toBe(changed.name);
    for (const i of [0, 2, 3, 4, 5]) expect(after[i]!.name).toBe(before[i]!.name);
    // and back: a row with no change at all is left alone
    await storeDataset(s.db, { source, towns: before }, { towns: 'upsert' });
    expect((await towns()).map((t) => t.name)).toEqual(before.map((t) => t.name));
  });

  it('appends incidents, and the data span ends after the latest of them', async () => {
    const h0 = await s.anonymous.system.health.query();
    expect(Date.parse(h0.data.end!)).toBe(END);
    const [{ n: n0 }] = (await s.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM incidents',
    )) as [{ n: number }];
    const later = END + 36 * 3_600_000 + 123;
    await storeDataset(
      s.db,
      { source, incidents: await incidents([END + 3_600_000, later, END + 60_000]) },
      { incidents: 'append' },
    );
    const [{ n }] = (await s.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM incidents',
    )) as [{ n: number }];
    expect(n).toBe(n0 + 3);
    const h = await s.anonymous.system.health.query();
    expect(Date.parse(h.data.end!)).toBe(later + 1);
    expect(h.data.start).toBe(h0.data.start);
    // the demo's description stays; the last source and its time are recorded
    expect(h.data.anchor).toBe('2026-06-30');
    expect(h.data.source).toBe('import');
    expect(Date.parse(h.data.coverageEnd!)).toBe(END);
  });

  it('refuses an incident outside the district mid-way, leaving every table as it was', async () => {
    const before = await snapshot();
    const t = await towns();
    const inc = await incidents(Array.from({ length: 50 }, (_, i) => END + i * 60_000));
    inc.lon[36] = 100.0; // far west of Xining
    const err = await refusal(
      {
        source,
        // written before the incidents, so that there is something to undo
        towns: [{ ...t[0]!, name: 'renamed' }],
        incidents: inc,
      },
      { towns: 'upsert', incidents: 'append' },
    );
    expect(err.table).toBe('incidents');
    expect(err.row).toBe(37);
    expect(err.message).toMatch(/^incidents row 37: .*outside the district/);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a category outside the vocabulary, naming the row, and stores nothing', async () => {
    const before = await snapshot();
    const inc = await incidents([END, END + 1, END + 2]);
    inc.category[1] = INCIDENT_CATEGORIES.length;
    const err = await refusal({ source, incidents: inc }, { incidents: 'append' });
    expect(err.message).toMatch(/^incidents row 2: category/);
    expect(await snapshot()).toEqual(before);
  });

  it('turns a row the database refuses into an error naming the table, and undoes the rest', async () => {
    const before = await snapshot();
    const t = await towns();
    const err = await refusal(
      {
        source,
        towns: [{ ...t[0]!, name: 'renamed' }],
        // an id already stored, appended: the primary key refuses it
        communities: [
          {
            id: 1,
            code: '630105999999',
            name: '重复',
            townId: t[0]!.id,
            kind: 'community',
            population: 10,
            synthetic: true,
            geometrySource: 'generated',
            geom: t[0]!.geom,
          },
        ],
      },
      { towns: 'upsert', communities: 'append' },
    );
    expect(err.table).toBe('communities');
    expect(err.message).toMatch(
      /^communities: a row has the key of a stored row.*communities_pkey/,
    );
    expect(await snapshot()).toEqual(before);
  });

  it('refuses to insert into a table holding rows, and to upsert a table without a key', async () => {
    const t = await towns();
    expect((await refusal({ source, towns: t }, {})).message).toBe(
      'towns: holds rows already: store with upsert or append',
    );
    expect(
      (await refusal({ source, incidents: await incidents([END]) }, { incidents: 'upsert' }))
        .message,
    ).toMatch(/^incidents: has no key to upsert by/);
  });
});

describe('migration 0009', () => {
  it("renames an earlier version's demo.* keys to data.*", async () => {
    // 0009, found by what it does (later migrations follow it)
    const last = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER }).find((m) =>
      m.sql.some((stmt) => stmt.includes("key = 'demo.seed'")),
    )!;
    await s.db.transaction(async (tx) => {
      const rows = await tx.query<{ key: string; value: string }>(
        `SELECT key, value FROM app_meta WHERE key IN ('data.seed', 'data.anchor', 'data.coverageStart', 'data.coverageEnd')`,
      );
      const old = new Map(rows.map((r) => [r.key, r.value]));
      // the database as the previous version left it
      await tx.query(`DELETE FROM app_meta WHERE key LIKE 'data.%' AND key <> 'data.loadedAt'`);
      const keys = { seed: 'data.seed', anchor: 'data.anchor', start: 'data.coverageStart' };
      for (const [k, v] of Object.entries(keys))
        await tx.query(`INSERT INTO app_meta (key, value) VALUES ($1, $2)`, [
          `demo.${k}`,
          old.get(v),
        ]);
      await tx.query(`INSERT INTO app_meta (key, value) VALUES ('demo.end', $1)`, [
        old.get('data.coverageEnd'),
      ]);
      for (const stmt of last.sql) if (stmt.trim()) await tx.query(stmt);
    });
    invalidateDataStatus(s.db);
    const keys = await s.db.query<{ key: string }>(`SELECT key FROM app_meta ORDER BY key`);
    expect(keys.map((k) => k.key).filter((k) => k.startsWith('demo.'))).toEqual([]);
    const status = await dataStatus(s.db);
    expect(status.source).toBe('demo');
    expect(status.seed).toBe('chengbei');
    expect(status.anchor).toBe('2026-06-30');
    expect(Date.parse(status.coverageEnd!)).toBe(END);
  });
});
