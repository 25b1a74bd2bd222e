/**
 * The import figures of `npm run bench`: historical incidents from a 110 system's CSV export
 * (columns 警情编号,报警时间,警情类别,经度,纬度,地址; GB18030 as such exports are), imported
 * as `npm run data:import -- --layer incidents` does, into a freshly seeded demo database. The
 * positions are sample points inside the stored communities. The import runs in a process of its
 * own (bench/importChild.ts): rows/s, and its peak RSS and V8 heap sampled during the run; then
 * the same file again (a replay: every row unchanged).
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { openEmbedded, openServer } from '../server/db/database';
import { prepareDatabase } from '../server/db/open';
import { writeCsvFile } from './csvFile';
import type { ImportChildMessage } from './importChild';

export interface ImportBenchOptions {
  /** rows of the CSV */
  rows: number;
  /** the demo accounts' password */
  password: string;
  /** a scratch directory for the CSV */
  dir: string;
  /** write the importing process's CPU profile (node --cpu-prof) into this directory */
  cpuProfileDir?: string;
}

const CATEGORIES = ['刑事', '治安', '交通', '纠纷', '求助', '火警', '举报', '其他'];
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

/** Seeds the demo data into `target` and returns sample points inside its communities. */
async function seed(target: string, password: string): Promise<[number, number][]> {
  const db = /^postgres(ql)?:\/\//.test(target)
    ? await openServer(target, () => {})
    : await openEmbedded(target);
  try {
    await prepareDatabase(
      db,
      { demo: true, seed: 'chengbei', anchor: '2026-06-30', demoPassword: password },
      () => {},
    );
    const rows = await db.query<{ x: number; y: number }>(
      // as the file writes them (6 decimals), and inside the district so written
      `SELECT q.x, q.y
     FROM (SELECT round(ST_X(p.geom)::numeric, 6)::float8 AS x, round(ST_Y(p.geom)::numeric, 6)::float8 AS y
           FROM communities c, ST_Dump(ST_GeneratePoints(c.geom, 100, c.id)) p) q, district d
     WHERE ST_Contains(d.geom, ST_SetSRID(ST_MakePoint(q.x, q.y), 4326))`,
    );
    return rows.map((r) => [Number(r.x), Number(r.y)]);
  } finally {
    await db.close();
  }
}

/** Writes the CSV of `rows` calls in GB18030 and returns its path. */
async function writeCsv(dir: string, rows: number, points: [number, number][]): Promise<string> {
  const file = path.join(dir, 'incidents.csv');
  const start = Date.UTC(2024, 0, 1);
  await writeCsvFile(
    file,
    '警情编号,报警时间,警情类别,经度,纬度,地址',
    rows,
    (i) => {
      // Beijing time, a call every 30 s from 2024 on
      const t = new Date(start + i * 30_000).toISOString().slice(0, 19).replace('T', ' ');
      const [x, y] = points[i % points.length]!;
      return `J630105${String(i).padStart(12, '0')},${t},${CATEGORIES[i % CATEGORIES.length]},${x.toFixed(6)},${y.toFixed(6)},城北区朝阳西路${i % 500}号`;
    },
    true,
  );
  return file;
}

/** One import in a process of its own. */
function importOnce(target: string, file: string, opts: ImportBenchOptions, label: string) {
  const child = fork(path.join(import.meta.dirname, 'importChild.ts'), [target, file], {
    execArgv: [
      '--import',
      'tsx',
      ...(opts.cpuProfileDir
        ? ['--cpu-prof', '--cpu-prof-dir', path.join(opts.cpuProfileDir, label)]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<Extract<ImportChildMessage, { kind: 'done' }>>((resolve, reject) => {
    let answer: ImportChildMessage | null = null;
    child.once('message', (m: ImportChildMessage) => (answer = m));
    child.once('exit', (code) => {
      if (answer?.kind === 'done') resolve(answer);
      else
        reject(
          new Error(
            `the import process failed (${code}): ${answer?.kind === 'failed' ? answer.message : ''}`,
          ),
        );
    });
  });
}

/** Runs the import figures against `target` (a directory or a postgres:// URL). */
export async function runImportBench(
  target: string,
  opts: ImportBenchOptions,
  set: (key: string, value: string) => void,
) {
  const points = await seed(target, opts.password);
  const file = await writeCsv(opts.dir, opts.rows, points);
  const rows = opts.rows.toLocaleString('en');
  for (const [label, what] of [
    ['first', `import ${rows} incidents (GB18030 CSV)`],
    ['replay', `import replayed (${rows} unchanged)`],
  ] as const) {
    const r = await importOnce(target, file, opts, label);
    const c = r.counts;
    const expected = label === 'first' ? c.add : c.unchanged;
    if (expected !== opts.rows || c.refused)
      throw new Error(`${label} import: ${JSON.stringify(c)}, not ${rows} rows`);
    set(
      what,
      `${((opts.rows / r.ms) * 1000).toLocaleString('en', { maximumFractionDigits: 0 })} rows/s (${(r.ms / 1000).toFixed(1)} s)`,
    );
    set(
      `${what}: peak RSS / heap`,
      `${mb(r.peakRss)} / ${mb(r.peakHeap)} (RSS ${mb(r.rssBefore)} at start)`,
    );
  }
}
