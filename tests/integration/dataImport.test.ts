/**
 * A layer import replaces the layer with the file's rows, matched by the agency's keys: a dry run
 * counts exactly what the commit then does and leaves everything as it was; refused rows (with
 * their number, field and reason) never block the others; repairs only when asked; boundaries
 * re-assign incidents and report the tiling; cameras change the coverage; one audit row per
 * commit.
 */
import type { MultiPolygon, Point, Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import {
  importLayer,
  type CameraRow,
  type CommunityRow,
  type ImportActor,
  type LayerImport,
  type LayerImportInput,
  type LayerRows,
} from '../../server/services/dataImport';
import { importIncidents, type IncidentImportRow } from '../../server/services/incidentImport';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';

let t: TestDatabase;
let db: Database;
const actor: ImportActor = { userId: null, username: 'admin', role: 'admin' };

beforeAll(async () => {
  t = await openTestDatabase();
  db = t.db;
});
afterAll(async () => {
  await t?.dispose();
});

function input<L extends LayerImport>(
  layer: L,
  rows: LayerRows[L][],
  name = `${layer}.csv`,
): LayerImportInput<L> {
  return {
    layer,
    records: rows.map((row, i) => ({ n: i + 2, row })),
    refusals: [],
    read: rows.length,
    file: { name, sha256: 'ab'.repeat(32) },
  };
}

const dryRun = <L extends LayerImport>(i: LayerImportInput<L>, repair = false) =>
  importLayer(db, i, { commit: false, repair, actor });
const commit = <L extends LayerImport>(i: LayerImportInput<L>, repair = false) =>
  importLayer(db, i, { commit: true, repair, actor });

const count = async (sql: string) =>
  (await db.query<{ n: number }>(`SELECT (${sql})::int AS n`))[0]!.n;

/** points inside the district: the communities' inner points */
async function insidePoints(n: number): Promise<Point[]> {
  const rows = await db.query<{ g: string }>(
    `SELECT ST_AsGeoJSON(ST_PointOnSurface(geom)) AS g FROM communities ORDER BY id LIMIT ${n}`,
  );
  return rows.map((r) => JSON.parse(r.g) as Point);
}

const camera = (i: number, geom: Point, extra: Partial<CameraRow> = {}): CameraRow => ({
  code: `630105000013200${String(i).padStart(5, '0')}`,
  name: `城北摄像机${i}`,
  kind: i % 2 ? 'dome' : 'bullet',
  bearing: i % 4 === 0 ? null : (i * 37) % 360,
  fov: null,
  rangeM: null,
  status: null,
  installedAt: null,
  geom,
  ...extra,
});

describe('cameras', () => {
  let ledger: CameraRow[];
  beforeAll(async () => {
    const points = await insidePoints(40);
    ledger = points.map((p, i) => camera(i + 1, p));
  });

  it('a dry run counts the change and leaves cameras and coverage as they were', async () => {
    const stored = await count('SELECT count(*) FROM cameras');
    const sectors = await count('SELECT count(*) FROM camera_sectors');
    expect(stored).toBeGreaterThan(100);
    const report = await dryRun(input('cameras', ledger));
    expect(report.committed).toBe(false);
    // the demo's cameras have no device ids: the ledger replaces them all
    expect(report.counts).toMatchObject({ read: 40, add: 40, change: 0, remove: stored });
    expect(report.preview.features.filter((f) => f.properties!.change === 'add')).toHaveLength(40);
    expect(report.notes).toContainEqual({
      code: 'cameras_no_bearing',
      params: { count: 10 },
      reason: expect.stringMatching(/^10 cameras have no bearing/),
    });
    expect(await count('SELECT count(*) FROM cameras')).toBe(stored);
    expect(await count('SELECT count(*) FROM camera_sectors')).toBe(sectors);
    expect(await count(`SELECT count(*) FROM audit_log WHERE action = 'data.import'`)).toBe(0);
  });

  it('the commit does what the dry run said; the coverage follows; one audit row', async () => {
    const dry = await dryRun(input('cameras', ledger));
    const report = await commit(input('cameras', ledger));
    expect(report.counts).toEqual(dry.counts);
    expect(await count('SELECT count(*) FROM cameras')).toBe(40);
    expect(await count('SELECT count(*) FROM camera_sectors')).toBe(40);
    const [c] = await db.query<{ fov: number; range_m: number; status: string; name: string }>(
      `SELECT fov, range_m, status, name FROM cameras WHERE code = $1`,
      [ledger[0]!.code],
    );
    expect(c).toMatchObject({ fov: 360, range_m: 120, status: 'online', name: '城北摄像机1' });
    const audit = await db.query<{ object: string; detail: { file: string; counts: object } }>(
      `SELECT object, detail FROM audit_log WHERE action = 'data.import'`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      object: 'layer:cameras',
      detail: { file: 'cameras.csv', counts: { add: 40 } },
    });
  });

  it('the same ledger again changes nothing; one changed bearing is one change', async () => {
    const again = await commit(input('cameras', ledger));
    expect(again.counts).toMatchObject({ add: 0, change: 0, remove: 0, unchanged: 40 });
    const turned = ledger.map((c, i) => (i === 1 ? { ...c, bearing: 90 } : c));
    const [before] = await db.query<{ id: number }>(`SELECT id FROM cameras WHERE code = $1`, [
      ledger[1]!.code,
    ]);
    const report = await commit(input('cameras', turned.slice(0, 39)));
    expect(report.counts).toMatchObject({ add: 0, change: 1, remove: 1, unchanged: 38 });
    // a matched camera keeps its id
    const [after] = await db.query<{ id: number; bearing: number }>(
      `SELECT id, bearing FROM cameras WHERE code = $1`,
      [ledger[1]!.code],
    );
    expect(after).toEqual({ id: before!.id, bearing: 90 });
  });

  it('refuses bad rows with their number and reason, and stores the rest', async () => {
    const far: Point = { type: 'Point', coordinates: [87.6, 43.8] };
    const rows = [
      ...ledger.slice(0, 5),
      camera(100, far),
      { ...ledger[0]!, name: 'again' },
      camera(101, ledger[2]!.geom, { fov: 400 }),
      camera(102, ledger[3]!.geom, { code: '' }),
    ];
    const report = await commit(input('cameras', rows));
    // the second camera turned back to its first bearing
    expect(report.counts).toMatchObject({ read: 9, refused: 4, add: 0, change: 1, unchanged: 4 });
    expect(report.refusals).toEqual([
      {
        n: 7,
        field: 'geometry',
        code: 'outside_district',
        params: { distanceM: expect.any(Number) },
        reason: expect.stringMatching(/outside the district \(\d+ m/),
      },
      {
        n: 8,
        field: 'code',
        code: 'duplicate_id',
        params: { id: ledger[0]!.code, firstRow: 2 },
        reason: `"${ledger[0]!.code}" is already used by record 2 of the file`,
      },
      {
        n: 9,
        field: 'fov',
        code: 'out_of_range',
        params: { value: 400, min: 0.01, max: 360 },
        reason: '400 is not from 0.01 to 360',
      },
      {
        n: 10,
        field: 'code',
        code: 'field_missing',
        params: { field: 'code' },
        reason: 'code is missing',
      },
    ]);
    expect(await count('SELECT count(*) FROM cameras')).toBe(5);
  });
});

describe('boundaries', () => {
  let stored: CommunityRow[];
  let gaps: unknown;
  beforeAll(async () => {
    const rows = await db.query<{
      code: string;
      name: string;
      town: string;
      kind: 'village' | 'community';
      population: number;
      g: string;
    }>(
      `SELECT c.code, c.name, t.code AS town, c.kind, c.population, ST_AsGeoJSON(c.geom, 15) AS g
       FROM communities c JOIN towns t ON t.id = c.town_id ORDER BY c.id`,
    );
    stored = rows.map((r) => ({ ...r, geom: JSON.parse(r.g) as MultiPolygon }));
  });

  it('the stored boundaries again change nothing and tile the district', async () => {
    const report = await dryRun(input('communities', stored));
    expect(report.counts).toMatchObject({ add: 0, change: 0, remove: 0, refused: 0 });
    expect(report.counts.unchanged).toBe(stored.length);
    expect(report.tiling!.overlaps).toEqual([]);
    gaps = report.tiling!.gaps;
  });

  it('a community left out goes; its incidents lose it and a gap is reported', async () => {
    const gone = stored[0]!;
    const [{ id }] = (await db.query<{ id: number }>('SELECT id FROM communities WHERE code = $1', [
      gone.code,
    ])) as [{ id: number }];
    const held = await count(`SELECT count(*) FROM incidents WHERE community_id = ${id}`);
    expect(held).toBeGreaterThan(0);
    const before = await count('SELECT count(*) FROM incidents WHERE community_id IS NULL');
    const report = await commit(input('communities', stored.slice(1)));
    expect(report.counts).toMatchObject({ remove: 1, unchanged: stored.length - 1 });
    expect(report.tiling!.gaps[0]!.areaM2).toBeGreaterThan(10_000);
    expect(report.tiling!.gaps.length).toBe((gaps as unknown[]).length + 1);
    expect(await count('SELECT count(*) FROM incidents WHERE community_id IS NULL')).toBe(
      before + held,
    );
    // back again: a new id, and its incidents are its own again
    const back = await commit(input('communities', stored));
    expect(back.counts).toMatchObject({ add: 1, remove: 0 });
    expect(back.tiling!.gaps).toEqual(gaps);
    expect(await count('SELECT count(*) FROM incidents WHERE community_id IS NULL')).toBe(before);
  });

  it('an invalid boundary is refused with where, or made valid when asked', async () => {
    const victim = stored[1]!;
    const ring = (victim.geom as MultiPolygon).coordinates[0]![0]!;
    const [a, b] = [ring[0]!, ring[Math.floor(ring.length / 2)]!];
    // a bow-tie: the ring crosses itself
    const bowtie: Polygon = {
      type: 'Polygon',
      coordinates: [[a, b, [a[0]!, b[1]!], [b[0]!, a[1]!], a]],
    };
    const rows = stored.map((c, i) => (i === 1 ? { ...c, geom: bowtie } : c));
    const refused = await dryRun(input('communities', rows));
    expect(refused.refusals).toEqual([
      {
        n: 3,
        field: 'geometry',
        code: 'invalid_geometry',
        // PostGIS's own words, kept as a parameter
        params: { detail: expect.stringMatching(/^Self-intersection\[/) },
        reason: expect.stringMatching(/^invalid geometry: Self-intersection\[/),
      },
    ]);
    const repaired = await dryRun(input('communities', rows), true);
    expect(repaired.counts.refused).toBe(0);
    expect(repaired.repairs).toEqual([
      expect.objectContaining({ n: 3, field: 'geometry', code: 'made_valid' }),
    ]);
    const open = { type: 'Polygon' as const, coordinates: [ring.slice(0, -1)] };
    const unclosed = await dryRun(
      input(
        'communities',
        stored.map((c, i) => (i === 1 ? { ...c, geom: open } : c)),
      ),
    );
    expect(unclosed.refusals[0]).toMatchObject({
      n: 3,
      reason: expect.stringMatching(/not closed/),
    });
  });

  it('a town still used by communities cannot go; an unknown town is refused', async () => {
    const towns = await db.query<{ code: string; name: string; g: string }>(
      'SELECT code, name, ST_AsGeoJSON(geom, 15) AS g FROM towns ORDER BY id',
    );
    const rows = towns.map((t) => ({ code: t.code, name: t.name, geom: JSON.parse(t.g) }));
    await expect(dryRun(input('towns', rows.slice(1)))).rejects.toThrow(
      /the file has no town .*, to which \d+ communities belong/,
    );
    const report = await dryRun(
      input(
        'communities',
        stored.map((c, i) => (i === 0 ? { ...c, town: '不存在镇' } : c)),
      ),
    );
    expect(report.refusals).toEqual([
      {
        n: 2,
        field: 'town',
        code: 'unknown_town',
        params: { town: '不存在镇' },
        reason: 'town 不存在镇 is not stored: import the towns first',
      },
    ]);
  });
});

describe('sites and posts', () => {
  it('checkpoints replace only checkpoints; posts keep their ids by name', async () => {
    const [p1, p2] = await insidePoints(2);
    const others = await count(`SELECT count(*) FROM sites WHERE kind <> 'checkpoint'`);
    const report = await commit(
      input('checkpoints', [
        { kind: 'checkpoint', name: '朝阳卡口', geom: p1! },
        { kind: 'checkpoint', name: '小桥卡口', geom: p2! },
      ]),
    );
    expect(report.counts.add).toBe(2);
    expect(await count(`SELECT count(*) FROM sites WHERE kind = 'checkpoint'`)).toBe(2);
    expect(await count(`SELECT count(*) FROM sites WHERE kind <> 'checkpoint'`)).toBe(others);
    const wrong = await dryRun(input('checkpoints', [{ kind: 'school', name: 'x', geom: p1! }]));
    expect(wrong.refusals[0]).toMatchObject({ field: 'kind' });

    const [post] = await db.query<{ id: number; name: string; g: string }>(
      `SELECT id, name, ST_AsGeoJSON(geom) AS g FROM patrol_units WHERE kind = 'post' ORDER BY id LIMIT 1`,
    );
    const moved = await commit(input('posts', [{ name: post!.name, status: 'busy', geom: p2! }]));
    expect(moved.counts).toMatchObject({ change: 1, add: 0 });
    const [after] = await db.query<{ id: number; status: string; version: number }>(
      `SELECT id, status, version FROM patrol_units WHERE kind = 'post'`,
    );
    expect(after).toMatchObject({ id: post!.id, status: 'busy' });
    expect(after!.version).toBeGreaterThan(1);
  });
});

describe('historical incidents', () => {
  const at = Date.parse('2025-03-05T00:05:00Z');
  let rows: IncidentImportRow[];
  beforeAll(async () => {
    const points = await insidePoints(30);
    rows = points.map((p, i) => ({
      sourceId: i < 20 ? `J630105${String(i).padStart(6, '0')}` : null,
      time: at + i * 3_600_000,
      category: i % 3 ? 'criminal' : 'traffic',
      subcategory: null,
      status: null,
      address: `城北区${i}号`,
      lon: p.coordinates[0]!,
      lat: p.coordinates[1]!,
    }));
  });

  async function* batches(all: IncidentImportRow[], size = 12) {
    for (let i = 0; i < all.length; i += size)
      yield {
        records: all.slice(i, i + size).map((row, k) => ({ n: i + k + 2, row })),
        refusals: [],
        read: Math.min(size, all.length - i),
      };
  }
  const run = (all: IncidentImportRow[], commit: boolean) =>
    importIncidents(db, batches(all), {
      commit,
      repair: false,
      actor,
      source: 'import',
      file: { name: '警情2025.csv', sha256: 'cd'.repeat(32) },
    });
  const imported = () => count(`SELECT count(*) FROM incidents WHERE source = 'import'`);

  it('a dry run counts, the commit adds the same, and a second import adds nothing', async () => {
    const total = await count('SELECT count(*) FROM incidents');
    const dry = await run(rows, false);
    expect(dry.counts).toMatchObject({ read: 30, add: 30, change: 0, refused: 0 });
    expect(await count('SELECT count(*) FROM incidents')).toBe(total);
    const done = await run(rows, true);
    expect(done.counts).toEqual(dry.counts);
    expect(await imported()).toBe(30);
    const [first] = await db.query<{ status: string; subcategory: string; community_id: number }>(
      `SELECT status, subcategory, community_id FROM incidents WHERE source_id = 'J630105000000'`,
    );
    expect(first).toMatchObject({ status: 'closed', subcategory: 'traffic' });
    expect(first!.community_id).toBeGreaterThan(0);
    // rows without an id too: the same export again changes nothing
    const again = await run(rows, true);
    expect(again.counts).toMatchObject({ add: 0, change: 0, unchanged: 30 });
    const fixed = rows.map((r, i) => (i === 4 ? { ...r, category: 'fire' as const } : r));
    expect((await run(fixed, true)).counts).toMatchObject({ add: 0, change: 1, unchanged: 29 });
    expect(await imported()).toBe(30);
  });

  it('refuses rows outside the district, in the future or before 1900, twice in the file or of unknown category', async () => {
    const bad: IncidentImportRow[] = [
      { ...rows[0]!, sourceId: 'X1', lon: 87.6, lat: 43.8 },
      { ...rows[0]!, sourceId: 'X2', time: Date.now() + 3_600_000 },
      { ...rows[0]!, sourceId: 'X3', category: 'weather' as never },
      { ...rows[1]!, sourceId: 'X4' },
      { ...rows[1]!, sourceId: 'X4' },
      { ...rows[0]!, sourceId: 'X5', time: Date.UTC(1899, 5, 1) },
    ];
    const report = await run(bad, true);
    expect(report.counts).toMatchObject({ read: 6, add: 1, refused: 5 });
    expect(report.refusals.map((r) => [r.n, r.field])).toEqual([
      [2, 'position'],
      [3, 'time'],
      [4, 'category'],
      [6, 'id'],
      [7, 'time'],
    ]);
    expect(report.refusals[0]!.reason).toMatch(/outside the district/);
  });

  it('a call a feed cancelled stays out; one audit row per commit', async () => {
    await db.query(
      `INSERT INTO incident_cancellations (source, source_id) VALUES ('import', 'C1')`,
    );
    const report = await run([{ ...rows[2]!, sourceId: 'C1' }], true);
    expect(report.counts).toMatchObject({ add: 0, unchanged: 1 });
    const audits = await db.query<{ detail: { file: string; source: string } }>(
      `SELECT detail FROM audit_log WHERE object = 'layer:incidents'`,
    );
    expect(audits.length).toBe(5);
    expect(audits[0]!.detail).toMatchObject({ file: '警情2025.csv', source: 'import' });
  });

  it('stores ids and addresses as written, whatever characters they hold', async () => {
    // the rows travel as array literals: quotes, backslashes, commas, braces and the word NULL
    // must come back as they were, and a missing address as none
    const addresses = ['他说"快来"', 'C:\\路\\3号', '{1,2}', 'NULL', '', null];
    const odd = addresses.map((address, i) => ({
      ...rows[i]!,
      sourceId: `Q${i} "\\,{}`,
      address,
    }));
    expect((await run(odd, true)).counts).toMatchObject({ add: 6, refused: 0 });
    const stored = await db.query<{ source_id: string; address: string | null }>(
      `SELECT source_id, address FROM incidents WHERE source_id LIKE 'Q%' ORDER BY source_id`,
    );
    expect(stored).toEqual(odd.map((r) => ({ source_id: r.sourceId, address: r.address })));
    expect((await run(odd, true)).counts).toMatchObject({ add: 0, change: 0, unchanged: 6 });
  });
});

describe('historical incidents written while they are read', () => {
  // months are written once the file has moved past them: here after 3 rows, 4 rows at a time
  const pace = { batchRows: 4, monthDoneAfter: 3, writeMinRows: 1 };
  const source = 'import-paced';
  let points: Point[];
  beforeAll(async () => {
    points = await insidePoints(12);
  });
  /** a call of `month` (1–12 of 2019, Beijing time), `day` of it */
  const call = (id: string, month: number, day: number, category = 'criminal') =>
    ({
      sourceId: id,
      time: Date.parse(
        `2019-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T09:00:00+08:00`,
      ),
      category,
      subcategory: null,
      status: null,
      address: `${id}号`,
      lon: points[day % points.length]!.coordinates[0]!,
      lat: points[day % points.length]!.coordinates[1]!,
    }) as IncidentImportRow;
  async function* batches(all: IncidentImportRow[]) {
    for (let i = 0; i < all.length; i += 4)
      yield {
        records: all.slice(i, i + 4).map((row, k) => ({ n: i + k + 2, row })),
        refusals: [],
        read: Math.min(4, all.length - i),
      };
  }
  const run = (all: IncidentImportRow[], commit: boolean) =>
    importIncidents(db, batches(all), {
      commit,
      repair: false,
      actor,
      source,
      file: { name: '2019.csv', sha256: 'ef'.repeat(32) },
      pace,
    });
  const stored = () =>
    db.query<{ source_id: string; month: string; category: string; address: string }>(
      `SELECT i.source_id, to_char(i.time AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
              i.category, i.address
       FROM incidents i JOIN incident_keys k
         ON k.source = i.source AND k.source_id = i.source_id AND k.incident_id = i.id
            AND k.time = i.time
       WHERE i.source = '${source}' ORDER BY i.source_id`,
    );

  it('a file in time order, with a late row of a month written already: as if written at the end', async () => {
    const file = [
      ...[1, 2, 3, 4, 5, 6].map((d) => call(`A${d}`, 1, d)),
      ...[1, 2, 3, 4, 5, 6].map((d) => call(`B${d}`, 2, d)),
      ...[1, 2, 3, 4, 5, 6].map((d) => call(`C${d}`, 3, d)),
      // January's rows were written long before this one came
      call('A7', 1, 28),
    ];
    const dry = await run(file, false);
    expect(dry.counts).toMatchObject({ read: 19, add: 19, change: 0, unchanged: 0, refused: 0 });
    expect(await stored()).toEqual([]);
    const done = await run(file, true);
    expect(done.counts).toEqual(dry.counts);
    const months = new Map<string, number>();
    for (const r of await stored()) months.set(r.month, (months.get(r.month) ?? 0) + 1);
    expect(Object.fromEntries(months)).toEqual({ '2019-01': 7, '2019-02': 6, '2019-03': 6 });
    // each in its month's partition
    expect(await count(`SELECT count(*) FROM incidents_p2019_01 WHERE source = '${source}'`)).toBe(
      7,
    );
    // again: nothing to add; one call corrected in a month written early
    expect((await run(file, true)).counts).toMatchObject({ add: 0, change: 0, unchanged: 19 });
    const fixed = file.map((r) => (r.sourceId === 'A2' ? { ...r, category: 'fire' as const } : r));
    expect((await run(fixed, true)).counts).toMatchObject({ add: 0, change: 1, unchanged: 18 });
    expect((await stored()).find((r) => r.source_id === 'A2')!.category).toBe('fire');
  });

  it('a call met twice in the file, however far apart: the later row is refused, the first stands', async () => {
    const g = (d: number) => call(`G${d}`, 3, d);
    // a call without an id: its key is made from its time, place and category
    const anonymous = { ...call('-', 3, 25), sourceId: null };
    const file = [
      // D1 first in March (written last), then in January (written long before)
      call('D1', 3, 10, 'traffic'),
      g(1),
      anonymous,
      g(3),
      call('E1', 1, 1),
      call('D1', 1, 20, 'dispute'),
      // D2 twice in February, three rows apart (not in one batch)
      call('D2', 2, 1, 'traffic'),
      g(4),
      call('D2', 2, 2, 'fire'),
      ...[5, 6, 7, 8, 9].map(g),
      { ...anonymous, address: '又报' },
      ...[11, 12].map(g),
    ];
    const first = await run(file, true);
    expect(first.refusals.map((r) => [r.n, r.field, r.code])).toEqual([
      [7, 'id', 'repeated_id'],
      [10, 'id', 'repeated_id'],
      [16, 'id', 'repeated_id'],
    ]);
    expect(first.counts).toMatchObject({ read: 17, add: 14, change: 0, refused: 3 });
    const byId = new Map((await stored()).map((r) => [r.source_id, r]));
    expect(byId.get('D1')).toMatchObject({ month: '2019-03', category: 'traffic' });
    expect(byId.get('D2')).toMatchObject({ month: '2019-02', category: 'traffic' });
    // again, every call stored: the same refusals, nothing changed
    const again = await run(file, true);
    expect(again.refusals.map((r) => r.n)).toEqual([7, 10, 16]);
    expect(again.counts).toMatchObject({ add: 0, change: 0, unchanged: 14, refused: 3 });
    expect(
      await count(
        `SELECT count(*) FROM incidents WHERE source = '${source}' AND source_id LIKE 'D%'`,
      ),
    ).toBe(2);
  });
});
