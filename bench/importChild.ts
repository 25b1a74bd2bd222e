/**
 * The importing process of the import benchmark (bench/import.ts), in a process of its own so
 * that its memory is the import's alone: opens the database named on the command line (a
 * directory: embedded; a postgres:// URL: the server), imports the CSV as historical incidents
 * (committed) through importFile, as `npm run data:import` does, and tells its parent the time,
 * the counts and the peak RSS and V8 heap, sampled every 50 ms during the run.
 */
import { openEmbedded, openServer } from '../server/db/database';
import type { ImportReport } from '../server/services/dataImport';
import { importFile } from '../server/services/fileImport';

export type ImportChildMessage =
  | {
      kind: 'done';
      ms: number;
      counts: ImportReport['counts'];
      encoding: string | null;
      rssBefore: number;
      peakRss: number;
      peakHeap: number;
    }
  | { kind: 'failed'; message: string };

const [target, file] = process.argv.slice(2) as [string, string];
const send = (m: ImportChildMessage) => process.send!(m);

try {
  const db = /^postgres(ql)?:\/\//.test(target)
    ? await openServer(target, () => {})
    : await openEmbedded(target);
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = setInterval(sample, 50);
  const t0 = performance.now();
  const result = await importFile(
    db,
    { path: file },
    {
      name: 'incidents.csv',
      layer: 'incidents',
      crs: 'wgs84',
      commit: true,
      repair: false,
      sha256: 'bench',
      actor: { userId: null, username: 'bench', role: 'system' },
    },
  );
  const ms = performance.now() - t0;
  clearInterval(sampler);
  sample();
  await db.close();
  send({
    kind: 'done',
    ms,
    counts: result.report.counts,
    encoding: result.file.encoding ?? null,
    rssBefore,
    peakRss,
    peakHeap,
  });
  process.exit(0);
} catch (err) {
  send({ kind: 'failed', message: (err as Error).stack ?? String(err) });
  process.exit(1);
}
