/**
 * The embedded database (PGlite, a directory) after a `kill -9` of the process importing into it
 * mid-import: opened again, it holds exactly what it held before, and the same import run again
 * lands once. The server database's case: tests/server-only/importKill.test.ts.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openEmbedded } from '../../server/db/database';
import { importCli } from '../setup/importCli';

const INCIDENTS = 300_000;
/** the import is killed once it has read this many rows (it writes months as it reads) */
const KILL_AFTER = '200,000 rows read';
let dataDir: string;
let points: [number, number][];

/** What a look at the database finds: the incidents' count and checksum, imports, audit rows. */
async function look() {
  const db = await openEmbedded(path.join(dataDir, 'pglite'));
  try {
    const [row] = await db.query<{ n: number; sum: string; imported: number; audits: number }>(
      `SELECT count(*)::int AS n, md5(string_agg(t::text, '|' ORDER BY t.id)) AS sum,
         count(*) FILTER (WHERE t.source = 'import')::int AS imported,
         (SELECT count(*)::int FROM audit_log WHERE action = 'data.import') AS audits
       FROM incidents t`,
    );
    return row!;
  } finally {
    await db.close();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'pingan-import-kill-'));
  cpSync(inject('embeddedTemplate'), path.join(dataDir, 'pglite'), { recursive: true });
  const db = await openEmbedded(path.join(dataDir, 'pglite'));
  try {
    const rows = await db.query<{ x: number; y: number }>(
      // as the file writes them (6 decimals), and inside the district so written
      `SELECT q.x, q.y
       FROM (SELECT round(ST_X(p.geom)::numeric, 6)::float8 AS x, round(ST_Y(p.geom)::numeric, 6)::float8 AS y
             FROM communities c, ST_Dump(ST_GeneratePoints(c.geom, 20, c.id)) p) q, district d
       WHERE ST_Contains(d.geom, ST_SetSRID(ST_MakePoint(q.x, q.y), 4326))`,
    );
    points = rows.map((r) => [Number(r.x), Number(r.y)]);
  } finally {
    await db.close();
  }
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npm run data:import` on the embedded database in dataDir. */
function importCliHere(file: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  delete env.DATABASE_URL;
  return importCli('incidents', file, env);
}

it('a kill -9 mid-import leaves the embedded database as it was; run again, the rows land once', async () => {
  const file = path.join(dataDir, 'incidents.csv');
  const lines = ['警情编号,报警时间,警情类别,经度,纬度,地址'];
  for (let i = 0; i < INCIDENTS; i++) {
    const [x, y] = points[i % points.length]!;
    // ten minutes apart from 2019 on: months are written while later ones are read
    const time = new Date(Date.UTC(2019, 0, 1) + i * 600_000)
      .toISOString()
      .slice(0, 19)
      .replace('T', ' ');
    lines.push(
      `E630105${String(i).padStart(12, '0')},${time},${['刑事', '治安', '交通'][i % 3]},${x.toFixed(6)},${y.toFixed(6)},城北区祁连路${i % 200}号`,
    );
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  const before = await look();
  expect(before.n).toBeGreaterThan(0);
  expect(before.imported).toBe(0);

  const run = importCliHere(file);
  await Promise.race([
    run.printed(KILL_AFTER),
    run.exited.then(() => {
      throw new Error(`the import ended before it was killed:\n${run.output()}`);
    }),
  ]);
  run.child.kill('SIGKILL');
  expect(await run.exited).toEqual({ code: null, signal: 'SIGKILL' });
  expect(run.output()).not.toContain('committed');
  expect(await look()).toEqual(before);

  const again = importCliHere(file);
  expect((await again.exited).code, again.output()).toBe(0);
  expect(again.output()).toContain(`${INCIDENTS} read, ${INCIDENTS} to add`);
  const after = await look();
  expect(after).toMatchObject({
    n: before.n + INCIDENTS,
    imported: INCIDENTS,
    audits: before.audits + 1,
  });
}, 300_000);
