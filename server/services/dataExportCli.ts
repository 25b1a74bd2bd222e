/**
 * `npm run data:export -- --layer communities --format shp --out communities.zip
 *   [--crs wgs84|cgcs2000|gcj02|bd09|EPSG:4543] [--from 2026-11-01 --to 2026-12-01]
 *   [--categories criminal,traffic]`
 *
 * Writes one layer (or the incidents of a window) from the configured database (DATABASE_URL,
 * or the embedded one) to a file, as the download route does, audited as the role `system` by
 * the user `cli`. Exits 2 on bad arguments, 1 on any other failure.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { recordAudit } from '../audit/audit';
import { openDatabase } from '../db/open';
import { readEnv } from '../env';
import { DomainError, InvalidInput } from '../errors';
import { writeTable } from '../files/write';
import { parseExportParams, prepareExport } from './dataExport';

const fail = (msg: string, code: number) => {
  console.error(`[data:export] ${msg}`);
  process.exit(code);
};

const { values } = parseArgs({
  options: {
    layer: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    crs: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    categories: { type: 'string' },
  },
  strict: true,
});
const { out, ...query } = values;
if (!out) fail('--out FILE is required', 2);
let params;
try {
  params = parseExportParams(query);
} catch (err) {
  fail(err instanceof InvalidInput ? err.message : String(err), 2);
}

const db = await openDatabase(readEnv(), () => {});
const partial = `${out}.partial`;
try {
  // the command line may export every layer: it runs with the database's own credentials
  const prepared = await prepareExport(db, { role: 'admin' }, params!, new Date());
  await recordAudit(db, {
    username: 'cli',
    role: 'system',
    action: 'data.export',
    object: `layer:${prepared.table.id}`,
    outcome: 'ok',
    detail: prepared.audit,
  });
  await writeTable(prepared.format, prepared.table, prepared.crs, createWriteStream(partial));
  await rename(partial, out!);
  console.log(`[data:export] ${prepared.rows} rows of ${prepared.table.id} written to ${out}`);
} catch (err) {
  await rm(partial, { force: true });
  process.exitCode = 1;
  console.error(`[data:export] ${err instanceof DomainError ? err.message : String(err)}`);
} finally {
  await db.close();
}
