/**
 * Imports on the server database beside other work. An import killed mid-commit (`kill -9` of
 * `npm run data:import` while its transaction writes) leaves the stored data exactly as it was,
 * and the same import run again lands once: 200,000 historical incidents (appended, keyed by
 * source and id) and a camera ledger of 5,000 devices (a layer replaced as a whole). An import
 * whose file keeps it waiting still commits; a key its source gets from another writer meanwhile
 * is updated, not refused by the database.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openServer } from '../../server/db/database';
import { ensureIncidentPartitions } from '../../server/db/partitions';
import { importIncidents, type IncidentImportRow } from '../../server/services/incidentImport';
import { importCli } from '../setup/importCli';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';

const INCIDENTS = 200_000;
const CAMERAS = 5_000;
let t: TestDatabase;
let dir: string;
let points: [number, number][];

beforeAll(async () => {
  t = await openTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'pingan-import-kill-'));
  const rows = await t.db.query<{ x: number; y: number }>(
    // as the file writes them (6 decimals), and inside the district so written
    `SELECT q.x, q.y
     FROM (SELECT round(ST_X(p.geom)::numeric, 6)::float8 AS x, round(ST_Y(p.geom)::numeric, 6)::float8 AS y
           FROM communities c, ST_Dump(ST_GeneratePoints(c.geom, 20, c.id)) p) q, district d
     WHERE ST_Contains(d.geom, ST_SetSRID(ST_MakePoint(q.x, q.y), 4326))`,
  );
  points = rows.map((r) => [Number(r.x), Number(r.y)]);
});
afterAll(async () => {
  await t?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `npm run data:import` against the test database. */
const importCliHere = (layer: string, file: string) =>
  importCli(layer, file, { ...process.env, DATABASE_URL: t.url! });

/** Another backend on this database with a write transaction open whose statement matches `like`. */
async function writer(like: string): Promise<number | null> {
  const [row] = await t.db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity
     WHERE datname = current_database() AND pid <> pg_backend_pid()
       AND backend_xid IS NOT NULL AND query ILIKE $1
     LIMIT 1`,
    [like],
  );
  return row?.pid ?? null;
}

/**
 * Waits until the import's transaction has written for `settleMs` (its statement matching
 * `like`), then kills the process with SIGKILL and waits until the server has rolled its
 * transaction back (the backend gone).
 */
async function killInsideCommit(
  run: ReturnType<typeof importCli>,
  like: string,
  settleMs: number,
): Promise<void> {
  let exited = false;
  void run.exited.then(() => (exited = true));
  const deadline = Date.now() + 120_000;
  let pid: number | null = null;
  while (pid === null) {
    if (exited) throw new Error(`the import ended before it was killed:\n${run.output()}`);
    if (Date.now() > deadline) throw new Error(`the import never wrote:\n${run.output()}`);
    pid = await writer(like);
    if (pid === null) await sleep(5);
  }
  await sleep(settleMs);
  // still inside its transaction: else the kill would prove nothing
  expect(exited).toBe(false);
  const [inside] = await t.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND backend_xid IS NOT NULL`,
    [pid],
  );
  expect(inside!.n).toBe(1);
  run.child.kill('SIGKILL');
  expect((await run.exited).signal).toBe('SIGKILL');
  // the server sees the connection gone and rolls the transaction back
  for (let i = 0; ; i++) {
    const [left] = await t.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1',
      [pid],
    );
    if (left!.n === 0) break;
    if (i > 600) throw new Error(`backend ${pid} is still there after the kill`);
    await sleep(100);
  }
}

/** Count and checksum of a table's rows, in id order. */
async function fingerprint(table: string) {
  const [row] = await t.db.query<{ n: number; sum: string | null }>(
    `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t.id)) AS sum FROM ${table} t`,
  );
  return row!;
}

const audits = async () =>
  (
    await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'data.import'`,
    )
  )[0]!.n;

function writeCsv(name: string, header: string, line: (i: number) => string, rows: number) {
  const file = path.join(dir, name);
  const lines = [header];
  for (let i = 0; i < rows; i++) lines.push(line(i));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

it('a kill -9 inside the commit of 200,000 incidents leaves them as they were; run again, they land once', async () => {
  const file = writeCsv(
    'incidents.csv',
    '警情编号,报警时间,警情类别,经度,纬度,地址',
    (i) => {
      const [x, y] = points[i % points.length]!;
      // ten minutes apart: 46 months, written one after another at the end of the import
      const time = new Date(Date.UTC(2020, 0, 1) + i * 600_000)
        .toISOString()
        .slice(0, 19)
        .replace('T', ' ');
      return `K630105${String(i).padStart(12, '0')},${time},${['刑事', '治安', '交通'][i % 3]},${x.toFixed(6)},${y.toFixed(6)},城北区柴达木路${i % 200}号`;
    },
    INCIDENTS,
  );
  const before = await fingerprint('incidents');
  const auditsBefore = await audits();
  expect(before.n).toBeGreaterThan(0);
  const imported = `SELECT count(*)::int AS n, count(DISTINCT source_id)::int AS ids FROM incidents WHERE source = 'import'`;
  expect((await t.db.query<{ n: number }>(imported))[0]!.n).toBe(0);

  // killed once its writes of the incidents have gone on for a while (a few months in)
  await killInsideCommit(importCliHere('incidents', file), '%INSERT INTO incidents%', 300);
  expect(await fingerprint('incidents')).toEqual(before);
  expect((await t.db.query<{ n: number }>(imported))[0]!.n).toBe(0);
  expect(await audits()).toBe(auditsBefore);

  const again = importCliHere('incidents', file);
  expect((await again.exited).code, again.output()).toBe(0);
  expect(again.output()).toContain(`${INCIDENTS} read, ${INCIDENTS} to add`);
  expect((await t.db.query(imported))[0]).toEqual({ n: INCIDENTS, ids: INCIDENTS });
  expect((await fingerprint('incidents')).n).toBe(before.n + INCIDENTS);
  expect(await audits()).toBe(auditsBefore + 1);
}, 300_000);

it('a kill -9 inside the commit of a camera ledger leaves the stored cameras as they were', async () => {
  const file = writeCsv(
    'cameras.csv',
    '设备编号,设备名称,类型,朝向,经度,纬度',
    (i) => {
      const [x, y] = points[(i * 7) % points.length]!;
      return `63010500001320${String(i).padStart(6, '0')},柴达木路${i}号,${i % 4 ? '枪机' : '球机'},${(i * 37) % 360},${x.toFixed(6)},${y.toFixed(6)}`;
    },
    CAMERAS,
  );
  const before = await fingerprint('cameras');
  const auditsBefore = await audits();
  expect(before.n).toBeGreaterThan(0);
  expect(before.n).not.toBe(CAMERAS);

  // inside the transaction once it writes the stored cameras (the ledger is in its scratch table)
  await killInsideCommit(importCliHere('cameras', file), '%cameras%', 0);
  expect(await fingerprint('cameras')).toEqual(before);
  expect(await audits()).toBe(auditsBefore);

  const again = importCliHere('cameras', file);
  expect((await again.exited).code, again.output()).toBe(0);
  const [after] = await t.db.query<{ n: number; codes: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT code)::int AS codes FROM cameras`,
  );
  expect(after).toEqual({ n: CAMERAS, codes: CAMERAS });
  expect(await audits()).toBe(auditsBefore + 1);
}, 300_000);

/** A call of the file for importIncidents, at the `i`-th sample point. */
const incidentRow = (
  sourceId: string,
  time: number,
  i: number,
  category: IncidentImportRow['category'],
): IncidentImportRow => ({
  sourceId,
  time,
  category,
  subcategory: null,
  status: null,
  address: null,
  lon: points[i % points.length]![0],
  lat: points[i % points.length]![1],
});

it('an import whose file keeps it waiting longer than a transaction may idle still commits', async () => {
  // a pool whose connections may idle in a transaction for 1 s only (30 s in service)
  const db = openServer(t.url!, () => {}, { idleInTransactionMs: 1_000 });
  try {
    const call = (i: number) =>
      incidentRow(`W${i}`, Date.UTC(2018, Math.floor(i / 4), 3, 1, i), i, 'traffic');
    async function* slowFile() {
      for (let b = 0; b < 4; b++) {
        // before the first rows, and after months were written (no COPY open then)
        if (b === 0 || b === 3) await sleep(1_500);
        yield {
          records: [0, 1, 2, 3].map((k) => ({ n: b * 4 + k + 2, row: call(b * 4 + k) })),
          refusals: [],
          read: 4,
        };
      }
    }
    const report = await importIncidents(db, slowFile(), {
      commit: true,
      repair: false,
      actor: { userId: null, username: 'admin', role: 'admin' },
      source: 'import-slow',
      file: { name: 'slow.csv', sha256: 'ab'.repeat(32) },
      pace: { batchRows: 4, monthDoneAfter: 3, writeMinRows: 1 },
    });
    expect(report.counts).toMatchObject({ read: 16, add: 16, refused: 0 });
    const [row] = await t.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM incidents WHERE source = 'import-slow'`,
    );
    expect(row!.n).toBe(16);
  } finally {
    await db.close();
  }
});

it('a key of the source stored by another writer while the import reads is updated, not refused', async () => {
  const at = (i: number) => Date.UTC(2025, 2, 3, 1, i);
  await ensureIncidentPartitions(t.db, at(0), at(20));
  const call = (i: number) => incidentRow(`R${i}`, at(i), i, 'fire');
  async function* file() {
    yield { records: [0, 1, 2, 3].map((i) => ({ n: i + 2, row: call(i) })), refusals: [], read: 4 };
    // a feed of the same name stores R5 now, committed, before the import writes its month
    await t.db.query(
      `WITH i AS (INSERT INTO incidents (time, category, subcategory, status, geom, source, source_id)
         VALUES ($1, 'traffic', 'traffic', 'open', ST_SetSRID(ST_MakePoint($2, $3), 4326), 'import-race', 'R5')
         RETURNING id, time)
       INSERT INTO incident_keys (source, source_id, incident_id, time)
       SELECT 'import-race', 'R5', id, time FROM i`,
      [new Date(at(5)).toISOString(), points[0]![0], points[0]![1]],
    );
    yield { records: [4, 5, 6, 7].map((i) => ({ n: i + 2, row: call(i) })), refusals: [], read: 4 };
  }
  const report = await importIncidents(t.db, file(), {
    commit: true,
    repair: false,
    actor: { userId: null, username: 'admin', role: 'admin' },
    source: 'import-race',
    file: { name: 'race.csv', sha256: 'ab'.repeat(32) },
  });
  expect(report.counts).toMatchObject({ read: 8, add: 7, change: 1, refused: 0 });
  const rows = await t.db.query<{ source_id: string; category: string }>(
    `SELECT source_id, category FROM incidents WHERE source = 'import-race' ORDER BY source_id`,
  );
  expect(rows.length).toBe(8);
  expect(rows.every((r) => r.category === 'fire')).toBe(true);
});
