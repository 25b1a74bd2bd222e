/**
 * The window figures at scale (`npm run bench -- --incidents 10000000`): a database seeded with
 * the demo data is timed on a 30-day window (heat, summaries, Gi*, the rankings, the Arrow
 * route), then filled up to N incidents with set-wise SQL and timed again on the same window,
 * each figure next to its demo one. The filled incidents are the five years of history before the
 * demo data begin, so the 30-day window holds the same incidents before and after: what changes
 * is only what is stored, and a query whose cost follows the window keeps its figure (target
 * within 1.3×). A 12-month heat over the densest stretch of the filled history shows what a large
 * window costs at city density (target ≤ 1 s on the server database).
 */
import { ensureIncidentPartitions } from '../server/db/partitions';
import type { Database, Queryable } from '../server/db/database';
import { buildApp } from '../server/app';
import { invalidateDataStatus } from '../server/dataset/status';
import { appRouter } from '../server/router';
import { createCallerFactory, createContextInner } from '../server/trpc';

type Log = (line: string) => void;

/** Years of history the fill spreads over, ending where the stored incidents begin. */
export const FILL_YEARS = 5;
/** Incidents one INSERT … SELECT adds at most (one stretch of time, in time order). */
const CHUNK = 500_000;

/** The monthly partitions the fill writes into [from, to), made before it writes. */
export async function preparePartitions(db: Queryable, from: Date, to: Date): Promise<void> {
  await ensureIncidentPartitions(db, from, to);
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The first stored incident's local day (00:00 in Xining), and how many are stored. */
async function stored(db: Queryable) {
  const [row] = await db.query<{ first: Date | null; n: number }>(
    `SELECT date_trunc('day', min(time), 'Asia/Shanghai') AS first, count(*)::int AS n FROM incidents`,
  );
  if (!row?.first) throw new Error('the fill copies the stored incidents’ mix: seed them first');
  return { first: new Date(row.first), n: row.n };
}

/**
 * Adds incidents until `total` are stored (roughly: each community's share is rounded), over
 * the FILL_YEARS before the first stored incident, in time order, through the parent
 * `incidents` table. Each copies the mix of the stored ones: a community drawn with its share of
 * them, a position drawn inside that community's boundary, and the category, subcategory, status
 * and local time of day of one of its incidents drawn at random, on a day drawn at random.
 * Returns the stretch filled and the rows added.
 */
export async function fillIncidents(
  db: Database,
  total: number,
  log: Log,
): Promise<{ from: Date; to: Date; added: number }> {
  const { first, n } = await stored(db);
  const to = first;
  const from = new Date(
    Date.UTC(to.getUTCFullYear() - FILL_YEARS, to.getUTCMonth(), to.getUTCDate(), to.getUTCHours()),
  );
  const wanted = Math.max(0, total - n);
  if (wanted === 0) return { from, to, added: 0 };
  await preparePartitions(db, from, to);
  await db.exec(`
    DROP TABLE IF EXISTS fill_mix, fill_share;
    CREATE UNLOGGED TABLE fill_mix AS
      SELECT community_id, category, subcategory, status,
             time - date_trunc('day', time, 'Asia/Shanghai') AS tod,
             row_number() OVER (PARTITION BY community_id ORDER BY id)::int AS rn
      FROM incidents WHERE community_id IS NOT NULL AND NOT outside;
    CREATE UNLOGGED TABLE fill_share AS
      SELECT community_id, count(*)::int AS m, count(*)::float8 / sum(count(*)) OVER () AS share
      FROM fill_mix GROUP BY community_id;
    ANALYZE fill_mix, fill_share;`);
  // indexes are built once after the fill (a sorted build), not row by row during it: whatever
  // indexes the table has, on a plain or a partitioned table, as its definitions say
  const indexes = await db.query<{ name: string; def: string }>(
    `SELECT ci.relname AS name, pg_get_indexdef(ix.indexrelid) AS def
     FROM pg_index ix JOIN pg_class ci ON ci.oid = ix.indexrelid
     WHERE ix.indrelid = 'incidents'::regclass AND NOT ix.indisprimary AND NOT ix.indisunique
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid)`,
  );
  for (const ix of indexes) await db.exec(`DROP INDEX ${quoteIdent(ix.name)}`);
  const days = Math.round((to.getTime() - from.getTime()) / 86_400_000);
  const chunks = Math.max(1, Math.ceil(wanted / CHUNK));
  let added = 0;
  const t0 = performance.now();
  for (let k = 0; k < chunks; k++) {
    const d0 = Math.floor((days * k) / chunks);
    const d1 = Math.floor((days * (k + 1)) / chunks);
    const rows = Math.round((wanted * (k + 1)) / chunks) - Math.round((wanted * k) / chunks);
    // local midnights: Xining keeps UTC+8 all year, so a day is always 24 hours
    const [r] = await db.query<{ n: number }>(
      `WITH ins AS (
         INSERT INTO incidents (time, category, subcategory, status, community_id, geom, outside)
         SELECT p.day + x.tod, x.category, x.subcategory, x.status, p.community_id, p.geom, false
         FROM (SELECT s.community_id, d.geom,
                      $1::timestamptz + floor(random() * $2::int) * interval '1 day' AS day,
                      1 + floor(random() * s.m)::int AS pick
               FROM fill_share s JOIN communities c ON c.id = s.community_id,
                    LATERAL ST_Dump(ST_GeneratePoints(c.geom, greatest(1, round($3 * s.share))::int)) d) p
         JOIN fill_mix x ON x.community_id = p.community_id AND x.rn = p.pick
         ORDER BY 1
         RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [new Date(from.getTime() + d0 * 86_400_000).toISOString(), d1 - d0, rows],
    );
    added += r!.n;
    const s = (performance.now() - t0) / 1000;
    log(
      `  filled ${(n + added).toLocaleString('en')} of ${total.toLocaleString('en')} (${s.toFixed(0)} s, ${Math.round(added / s).toLocaleString('en')} rows/s)`,
    );
  }
  await db.exec('DROP TABLE fill_mix, fill_share');
  const t1 = performance.now();
  for (const ix of indexes) await db.exec(ix.def);
  log(`  ${indexes.length} indexes built in ${((performance.now() - t1) / 1000).toFixed(0)} s`);
  // what autovacuum would have done by the time such a table is read
  await db.exec('VACUUM ANALYZE incidents');
  invalidateDataStatus(db);
  return { from, to, added };
}

export interface Timer {
  median(fn: () => Promise<unknown>): Promise<number>;
}

/** A leader's procedure caller on `db`, as the dashboard's requests get. */
export function leaderCaller(db: Database) {
  return createCallerFactory(appRouter)(
    createContextInner({
      db,
      user: {
        id: 'bench',
        username: 'bench',
        role: 'leader',
        areas: { towns: [], communities: [] },
        twoFactorEnabled: false,
        sessionId: 'bench',
      },
    }),
  );
}

/** The session cookie of `username` signed in at `base`. */
export async function signIn(base: string, username: string, password: string): Promise<string> {
  const login = await fetch(`${base}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-trpc-source': 'bench', origin: base },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`bench sign-in failed: ${login.status} ${await login.text()}`);
  return login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** The incidents a window holds. */
async function windowCount(
  caller: ReturnType<typeof leaderCaller>,
  w: { from: string; to: string },
) {
  const rows = await caller.incidents.summary({ ...w, groupBy: 'category' });
  return rows.reduce((a, r) => a + r.count, 0);
}

interface Figure {
  ms: number;
  /** the incidents the window holds */
  rows?: number;
}

/** The dashboard's window queries on [from, to), timed (median). */
async function windowFigures(
  db: Database,
  timer: Timer,
  window: { from: Date; to: Date },
  password: string,
): Promise<Record<string, Figure>> {
  const caller = leaderCaller(db);
  const w = { from: window.from.toISOString(), to: window.to.toISOString() };
  const out: Record<string, Figure> = {};
  out['heat, 100 m'] = {
    ms: await timer.median(() => caller.incidents.heat({ ...w, cellMeters: 100 })),
    rows: await windowCount(caller, w),
  };
  for (const groupBy of ['category', 'community', 'day'] as const)
    out[`summary by ${groupBy}`] = {
      ms: await timer.median(() => caller.incidents.summary({ ...w, groupBy })),
    };
  out['Gi*, 100 m cells, 300 m band'] = {
    ms: await timer.median(() =>
      caller.hotspots.gistar({ ...w, cellMeters: 100, bandMeters: 300, fdr: true }),
    ),
  };
  const at = new Date(window.to.getTime() - 1).toISOString();
  // the month the window ends in, so far, against the same days of the month before
  out['rankings, month to date'] = {
    ms: await timer.median(() => caller.rankings.communities({ period: 'month', at })),
  };
  // the quarter the window ends in against the quarter before: both within the demo data
  out['rankings, quarter to date'] = {
    ms: await timer.median(() => caller.rankings.communities({ period: 'quarter', at })),
  };
  const app = await buildApp({
    db,
    logLevel: 'silent',
    clientDir: '/nonexistent',
    limits: { login: 10_000, api: 100_000 },
  });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const cookie = await signIn(base, 'leader', password);
    let rows = 0;
    const t = await timer.median(async () => {
      const res = await fetch(`${base}/api/incidents.arrow?from=${w.from}&to=${w.to}`, {
        headers: { cookie },
      });
      if (!res.ok) throw new Error(`arrow: HTTP ${res.status}`);
      await res.arrayBuffer();
      rows = Number(res.headers.get('x-incident-count'));
    });
    out['Arrow route'] = { ms: t, rows };
  } finally {
    await app.close();
  }
  return out;
}

const fmt = (f: Figure) =>
  `${f.ms.toFixed(f.ms < 10 ? 1 : 0)} ms${f.rows !== undefined ? ` (${f.rows.toLocaleString('en')} incidents)` : ''}`;

/**
 * On `db` (seeded with the demo data, incidents ending at `end`): the 30-day window's figures,
 * the fill up to `total`, the same figures again with their ratio to the first, and a 12-month
 * heat over the filled history's last year. `set(key, value)` records each line.
 */
export async function runScaleBench(
  db: Database,
  opts: {
    total: number;
    end: Date;
    password: string;
    timer: Timer;
    /** the database the fill writes through (without the app's statement timeout), else db */
    filler?: Database;
  },
  set: (key: string, value: string) => void,
  log: Log,
) {
  const window = { from: new Date(opts.end.getTime() - 30 * 86_400_000), to: opts.end };
  const demo = await windowFigures(db, opts.timer, window, opts.password);
  const t0 = performance.now();
  const filled = await fillIncidents(opts.filler ?? db, opts.total, log);
  invalidateDataStatus(db);
  const [{ n }] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM incidents')) as [
    { n: number },
  ];
  set(
    'fill (INSERT … SELECT, then VACUUM ANALYZE)',
    `${filled.added.toLocaleString('en')} rows over ${filled.from.toISOString().slice(0, 10)} – ${filled.to.toISOString().slice(0, 10)} in ${((performance.now() - t0) / 1000).toFixed(0)} s; ${n.toLocaleString('en')} stored`,
  );
  const scaled = await windowFigures(db, opts.timer, window, opts.password);
  for (const [key, before] of Object.entries(demo)) {
    const after = scaled[key]!;
    set(
      `30 d ${key}: demo → ${n.toLocaleString('en')} stored`,
      `${fmt(before)} → ${fmt(after)}: ${(after.ms / before.ms).toFixed(2)}×`,
    );
  }
  const year = { from: new Date(filled.to.getTime() - 365 * 86_400_000), to: filled.to };
  const caller = leaderCaller(db);
  const y = { from: year.from.toISOString(), to: year.to.toISOString() };
  const count = await windowCount(caller, y);
  const heatYear = await opts.timer.median(() => caller.incidents.heat({ ...y, cellMeters: 100 }));
  set(
    `12-month heat, 100 m (filled history's last year)`,
    `${fmt({ ms: heatYear, rows: count })} (target ≤ 1 s on the server database)`,
  );
}
