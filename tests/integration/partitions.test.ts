/**
 * Incidents are partitioned by month (Asia/Shanghai) on their time (migration 0015): the write
 * paths create a month's partition before writing into it, a call's key stays unique across
 * months (a corrected call moved to another month is still one incident, with its id), and the
 * migration converts a database of migration 0014 with its rows, ids and identity sequence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbedded, openServer, type Database } from '../../server/db/database';
import { migrate, MIGRATIONS_FOLDER } from '../../server/db/migrate';
import { ensureIncidentPartitions } from '../../server/db/partitions';
import type { ImportActor } from '../../server/services/dataImport';
import { importIncidents, type IncidentImportRow } from '../../server/services/incidentImport';
import { categoryTable, ingestIncidents } from '../../server/services/ingest';
import { adminQuery, databaseUrl } from '../setup/serverAdmin';
import { backend, openTestDatabase, type TestDatabase } from '../setup/testDb';

let t: TestDatabase;
let db: Database;
let inside: { lon: number; lat: number };
const actor: ImportActor = { userId: null, username: 'admin', role: 'admin' };

beforeAll(async () => {
  t = await openTestDatabase();
  db = t.db;
  const [p] = await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(p) AS lon, ST_Y(p) AS lat
     FROM (SELECT ST_PointOnSurface(geom) AS p FROM communities ORDER BY id LIMIT 1) c`,
  );
  inside = { lon: Number(p!.lon), lat: Number(p!.lat) };
});
afterAll(async () => {
  await t?.dispose();
});

/** The incidents' partitions by name, with how many rows each holds. */
async function partitions(): Promise<Map<string, number>> {
  const names = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits h JOIN pg_class c ON c.oid = h.inhrelid
     WHERE h.inhparent = 'incidents'::regclass ORDER BY 1`,
  );
  const out = new Map<string, number>();
  for (const { name } of names) {
    const [r] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`);
    out.set(name, r!.n);
  }
  return out;
}

/** The partition that holds the incident `id`. */
async function partitionOf(id: number) {
  const rows = await db.query<{ part: string }>(
    `SELECT tableoid::regclass::text AS part FROM incidents WHERE id = $1`,
    [id],
  );
  return rows.map((r) => r.part);
}

describe('the partitioned table', () => {
  it('is partitioned by range of time, with BRIN on time and GiST on position, no default', async () => {
    const [p] = await db.query<{ strategy: string; key: string; fallback: number }>(
      `SELECT p.partstrat AS strategy, a.attname AS key, p.partdefid::int AS fallback
       FROM pg_partitioned_table p
       JOIN pg_attribute a ON a.attrelid = p.partrelid AND a.attnum = p.partattrs[0]
       WHERE p.partrelid = 'incidents'::regclass`,
    );
    expect(p).toEqual({ strategy: 'r', key: 'time', fallback: 0 });
    const indexes = await db.query<{ name: string; method: string }>(
      `SELECT c.relname AS name, am.amname AS method
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
       WHERE i.indrelid = 'incidents'::regclass ORDER BY 1`,
    );
    expect(indexes).toEqual(
      expect.arrayContaining([
        { name: 'incidents_time_idx', method: 'brin' },
        { name: 'incidents_geom_idx', method: 'gist' },
        { name: 'incidents_id_time_pk', method: 'btree' },
      ]),
    );
    // the demo data's 24 months (and the months around now), each in its own partition
    const parts = await partitions();
    expect([...parts.keys()]).toEqual(
      expect.arrayContaining(['incidents_p2024_07', 'incidents_p2025_06', 'incidents_p2026_06']),
    );
    const [all] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents');
    expect([...parts.values()].reduce((a, b) => a + b, 0)).toBe(all!.n);
    expect(parts.get('incidents_p2026_06')).toBeGreaterThan(0);
  });

  it('reads a window from its months only', async () => {
    const plan = await db.query<Record<string, string>>(
      `EXPLAIN SELECT count(*) FROM incidents
       WHERE time >= '2026-03-01T00:00:00+08:00' AND time < '2026-04-01T00:00:00+08:00'`,
    );
    const text = plan.map((r) => Object.values(r)[0]).join('\n');
    expect(text).toContain('incidents_p2026_03');
    expect(text).not.toContain('incidents_p2026_02');
    expect(text).not.toContain('incidents_p2026_04');
  });

  it('refuses a row of a month without its partition, and makes it when asked', async () => {
    const insert = () =>
      db.query(
        `INSERT INTO incidents (time, category, subcategory, status, geom)
         VALUES ('2040-05-02T00:00:00+08:00', 'fire', 'fire', 'closed', ST_SetSRID(ST_MakePoint($1, $2), 4326))`,
        [inside.lon, inside.lat],
      );
    await expect(insert()).rejects.toThrow();
    expect(
      await ensureIncidentPartitions(
        db,
        Date.parse('2040-05-01T00:00:00+08:00'),
        Date.parse('2040-05-31T00:00:00+08:00'),
      ),
    ).toBe(1);
    // a second time, nothing to make
    expect(
      await ensureIncidentPartitions(
        db,
        Date.parse('2040-05-10T00:00:00Z'),
        Date.parse('2040-05-11T00:00:00Z'),
      ),
    ).toBe(0);
    await insert();
    expect((await partitions()).get('incidents_p2040_05')).toBe(1);
    // months are Shanghai's: the first hours of a month (UTC+8) are the new month's
    await ensureIncidentPartitions(
      db,
      Date.parse('2040-05-31T16:30:00Z'),
      Date.parse('2040-05-31T16:30:00Z'),
    );
    expect((await partitions()).has('incidents_p2040_06')).toBe(true);
    await db.query(`DELETE FROM incidents WHERE time >= '2040-01-01'`);
  });
});

describe('writes into a month far from now', () => {
  const source = 'feed-far';
  const categories = categoryTable();
  /** the clock of the feed's calls: in 2031 */
  const LATER = Date.parse('2031-04-01T00:00:00Z');
  const record = (sourceId: string, time: string, status = 'open') => ({
    sourceId,
    time,
    category: 'criminal',
    status,
    lon: inside.lon,
    lat: inside.lat,
  });

  /** Sends one record of `source` to the feed's ingest, its clock at `now`. */
  const send = (sourceId: string, time: string, status = 'open', now = LATER) =>
    ingestIncidents(db, source, [record(sourceId, time, status)], { categories, now });

  it('a live call of a later month creates its partition', async () => {
    expect((await partitions()).has('incidents_p2031_02')).toBe(false);
    const answer = await send(
      'F1',
      '2031-02-15T10:00:00+08:00',
      'open',
      Date.parse('2031-02-15T03:00:00Z'),
    );
    expect(answer.counts.created).toBe(1);
    expect(await partitionOf(answer.results[0]!.id!)).toEqual(['incidents_p2031_02']);
  });

  it('a corrected call whose time moves to another month stays one incident, with its id', async () => {
    const first = await send('F2', '2031-03-02T09:00:00+08:00');
    const id = first.results[0]!.id!;
    expect(await partitionOf(id)).toEqual(['incidents_p2031_03']);
    // the same call, its time corrected into February
    const corrected = await send('F2', '2031-02-27T21:00:00+08:00', 'dispatched');
    expect(corrected.results[0]).toMatchObject({ outcome: 'updated', id });
    expect(await partitionOf(id)).toEqual(['incidents_p2031_02']);
    const rows = await db.query<{ id: number }>(
      `SELECT id FROM incidents WHERE source = $1 AND source_id = 'F2'`,
      [source],
    );
    expect(rows).toEqual([{ id }]);
    const [key] = await db.query<{ incident_id: number; time: Date | string }>(
      `SELECT incident_id, time FROM incident_keys WHERE source = $1 AND source_id = 'F2'`,
      [source],
    );
    expect(key!.incident_id).toBe(id);
    expect(new Date(key!.time).toISOString()).toBe('2031-02-27T13:00:00.000Z');
    // sent again: unchanged; moved back: still the one incident
    const again = await send('F2', '2031-02-27T21:00:00+08:00', 'dispatched');
    expect(again.counts.unchanged).toBe(1);
    const back = await send('F2', '2031-03-05T21:00:00+08:00', 'closed');
    expect(back.results[0]).toMatchObject({ outcome: 'updated', id });
    expect(await partitionOf(id)).toEqual(['incidents_p2031_03']);
  });

  it('a cancelled call leaves no key behind', async () => {
    await send('F3', '2031-03-10T09:00:00+08:00');
    await send('F3', '2031-03-10T09:00:00+08:00', 'cancelled');
    const keys = await db.query(
      `SELECT 1 FROM incident_keys WHERE source = $1 AND source_id = 'F3'`,
      [source],
    );
    expect(keys).toEqual([]);
  });

  const importRows = (rows: IncidentImportRow[]) =>
    importIncidents(
      db,
      (async function* () {
        yield {
          records: rows.map((row, i) => ({ n: i + 2, row })),
          refusals: [],
          read: rows.length,
        };
      })(),
      {
        commit: true,
        repair: false,
        actor,
        source: 'import-far',
        file: { name: '2015.csv', sha256: 'ab'.repeat(32) },
      },
    );
  const row = (sourceId: string, time: string): IncidentImportRow => ({
    sourceId,
    time: Date.parse(time),
    category: 'traffic',
    subcategory: null,
    status: null,
    address: null,
    lon: inside.lon,
    lat: inside.lat,
  });

  it('an import of an earlier year creates its months, and a moved row stays one incident', async () => {
    const done = await importRows([
      row('H1', '2015-05-03T08:00:00+08:00'),
      row('H2', '2015-07-31T23:00:00+08:00'),
    ]);
    expect(done.counts).toMatchObject({ add: 2, change: 0 });
    const parts = await partitions();
    expect(parts.get('incidents_p2015_05')).toBe(1);
    // a month without rows gets no partition from an import
    expect(parts.has('incidents_p2015_06')).toBe(false);
    expect(parts.get('incidents_p2015_07')).toBe(1);
    const [h2] = await db.query<{ id: number }>(
      `SELECT id FROM incidents WHERE source = 'import-far' AND source_id = 'H2'`,
    );
    // H2 corrected into August
    const moved = await importRows([
      row('H1', '2015-05-03T08:00:00+08:00'),
      row('H2', '2015-08-01T01:00:00+08:00'),
    ]);
    expect(moved.counts).toMatchObject({ add: 0, change: 1, unchanged: 1 });
    expect(await partitionOf(h2!.id)).toEqual(['incidents_p2015_08']);
    // its key follows it, so that the next correction finds it where it now is
    const [key] = await db.query<{ time: Date }>(
      `SELECT time FROM incident_keys WHERE source = 'import-far' AND source_id = 'H2'`,
    );
    expect(new Date(key!.time).getTime()).toBe(Date.parse('2015-08-01T01:00:00+08:00'));
    const back = await importRows([
      row('H1', '2015-05-03T08:00:00+08:00'),
      row('H2', '2015-07-30T09:00:00+08:00'),
    ]);
    expect(back.counts).toMatchObject({ add: 0, change: 1, unchanged: 1 });
    expect(await partitionOf(h2!.id)).toEqual(['incidents_p2015_07']);
    const [n] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM incidents WHERE source = 'import-far'`,
    );
    expect(n!.n).toBe(2);
  });
});

/** An empty database of this test's backend, and how to drop it. */
async function emptyDatabase(): Promise<{ db: Database; dispose: () => Promise<void> }> {
  if (backend() === 'embedded') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pingan-migrate-'));
    const empty = await openEmbedded(dir);
    return {
      db: empty,
      dispose: async () => {
        await empty.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `pingan_m_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const empty = openServer(databaseUrl(name), () => {});
  return {
    db: empty,
    dispose: async () => {
      await empty.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

it('migration 0015 converts a database of 0014 with its rows, ids and sequence', async () => {
  const { db: old, dispose } = await emptyDatabase();
  try {
    // migrated by hand up to 0014, as drizzle's bookkeeping records it
    const all = readMigrationFiles({ migrationsFolder: MIGRATIONS_FOLDER });
    const upTo14 = all.filter((m) => m.folderMillis <= 1795990000000);
    // the next one is 0015
    expect(all[upTo14.length]!.folderMillis).toBe(1796000000000);
    await old.exec('CREATE SCHEMA IF NOT EXISTS drizzle');
    await old.exec(
      'CREATE TABLE drizzle.__drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)',
    );
    for (const m of upTo14)
      await old.transaction(async (tx) => {
        for (const stmt of m.sql) if (stmt.trim()) await tx.query(stmt);
        await tx.query(
          'INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ($1, $2)',
          [m.hash, m.folderMillis],
        );
      });
    await old.query(
      `INSERT INTO incidents (time, category, subcategory, status, geom, source, source_id, address)
       VALUES ('2025-01-31T23:30:00+08:00', 'fire', 'fire', 'closed', ST_SetSRID(ST_MakePoint(101.7, 36.6), 4326), NULL, NULL, NULL),
              ('2025-02-01T00:30:00+08:00', 'traffic', 'crash', 'open', ST_SetSRID(ST_MakePoint(101.71, 36.61), 4326), 'feed', 'A1', '城北区1号'),
              ('2026-06-15T12:00:00+08:00', 'criminal', 'theft', 'on_scene', ST_SetSRID(ST_MakePoint(101.72, 36.62), 4326), 'import', 'B2', NULL)`,
    );
    // a gap in the ids, as deletions leave
    await old.query(`DELETE FROM incidents WHERE source_id = 'A1'`);
    await old.query(
      `INSERT INTO incidents (time, category, subcategory, status, geom, source, source_id)
       VALUES ('2025-02-03T10:00:00+08:00', 'traffic', 'crash', 'open', ST_SetSRID(ST_MakePoint(101.71, 36.61), 4326), 'feed', 'A1')`,
    );
    const snapshot = `SELECT id, time, category, subcategory, status, ST_AsText(geom) AS g, source, source_id, address, outside
                      FROM incidents ORDER BY id`;
    const before = await old.query(snapshot);
    expect(before.map((r) => r.id)).toEqual([1, 3, 4]);
    expect(before.map((r) => r.source_id)).toEqual([null, 'B2', 'A1']);

    expect(await migrate(old)).toBe(all.length - upTo14.length);
    const [kind] = await old.query<{ kind: string }>(
      `SELECT relkind::text AS kind FROM pg_class WHERE oid = 'incidents'::regclass`,
    );
    expect(kind!.kind).toBe('p');
    expect(await old.query(snapshot)).toEqual(before);
    const parts = await old.query<{ part: string; id: number }>(
      `SELECT tableoid::regclass::text AS part, id FROM incidents ORDER BY id`,
    );
    expect(parts).toEqual([
      { part: 'incidents_p2025_01', id: 1 },
      { part: 'incidents_p2026_06', id: 3 },
      { part: 'incidents_p2025_02', id: 4 },
    ]);
    const keys = await old.query(
      `SELECT source, source_id, incident_id FROM incident_keys ORDER BY incident_id`,
    );
    expect(keys).toEqual([
      { source: 'import', source_id: 'B2', incident_id: 3 },
      { source: 'feed', source_id: 'A1', incident_id: 4 },
    ]);
    // the identity sequence goes on where it was
    const [next] = await old.query<{ id: number }>(
      `INSERT INTO incidents (time, category, subcategory, status, geom)
       VALUES ('2026-06-16T12:00:00+08:00', 'fire', 'fire', 'open', ST_SetSRID(ST_MakePoint(101.7, 36.6), 4326))
       RETURNING id`,
    );
    expect(next!.id).toBe(5);
    const tables = await old.query(`SELECT 1 FROM pg_class WHERE relname = 'incidents_old'`);
    expect(tables).toEqual([]);
  } finally {
    await dispose();
  }
}, 120_000);
