/**
 * `npm run data:import -- --layer cameras [--crs gcj02] [--dry-run] [--repair]
 *   [--mapping NAME] [--map field=column ...] [--source NAME] [--sheet NAME] FILE`
 *
 * Imports an agency's file into the configured database (DATABASE_URL, or the embedded one) as
 * the admin page does, beside a running server: one transaction, audited as the role `system` by
 * the user `cli`. Prints the counts and the refusals. Exit status: 0 when the import was
 * committed (or the dry run ran), 1 when nothing was committed (every row refused, or the
 * import failed), 2 for bad arguments.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/open';
import { readEnv } from '../env';
import { DomainError } from '../errors';
import { IMPORT_LAYERS, type ImportLayer } from '../files/read/mapping';
import { importFile } from './fileImport';
import type { ImportReport } from './dataImport';

const log = (msg: string) => console.log(`[data:import] ${msg}`);
const fail = (msg: string, code: number): never => {
  console.error(`[data:import] ${msg}`);
  process.exit(code);
};

let parsed;
try {
  parsed = parseArgs({
    allowPositionals: true,
    options: {
      layer: { type: 'string' },
      crs: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      repair: { type: 'boolean', default: false },
      mapping: { type: 'string' },
      map: { type: 'string', multiple: true },
      source: { type: 'string' },
      sheet: { type: 'string' },
    },
    strict: true,
  });
} catch (err) {
  fail((err as Error).message, 2);
}
const { values, positionals } = parsed!;
const layer = values.layer as ImportLayer;
if (!(IMPORT_LAYERS as readonly string[]).includes(layer))
  fail(`--layer must be one of ${IMPORT_LAYERS.join(', ')}`, 2);
if (positionals.length !== 1) fail('give one file to import', 2);
const file = positionals[0]!;
if (!existsSync(file)) fail(`${file}: no such file`, 2);
let mapping: Record<string, string | null> | undefined;
for (const pair of values.map ?? []) {
  const at = pair.indexOf('=');
  if (at < 1) fail(`--map ${pair}: write field=column (or field= for "not in the file")`, 2);
  (mapping ??= {})[pair.slice(0, at)] = pair.slice(at + 1) || null;
}

const sha256 = await new Promise<string>((resolve, reject) => {
  const hash = createHash('sha256');
  createReadStream(file)
    .on('data', (c) => hash.update(c))
    .on('end', () => resolve(hash.digest('hex')))
    .on('error', reject);
});

function print(report: ImportReport) {
  const c = report.counts;
  log(
    `${report.committed ? 'committed' : 'dry run'}: ${c.read} read, ${c.add} to add, ` +
      `${c.change} to change, ${c.remove} to remove, ${c.unchanged} unchanged, ` +
      `${c.refused} refused, ${c.repaired} repaired`,
  );
  for (const note of report.notes) log(`note: ${note.reason}`);
  for (const r of report.repairs) log(`repaired ${r.n ?? ''} ${r.field ?? ''}: ${r.reason}`);
  for (const r of report.refusals)
    log(`refused row ${r.n ?? '-'}${r.field ? ` (${r.field})` : ''}: ${r.reason}`);
  if (c.refused > report.refusals.length)
    log(`… and ${c.refused - report.refusals.length} more refusals`);
  if (report.tiling) {
    for (const o of report.tiling.overlaps) log(`overlap: ${o.a} / ${o.b}: ${o.areaM2} m²`);
    for (const g of report.tiling.gaps)
      log(`gap: ${g.areaM2} m² at ${g.at[0].toFixed(5)}, ${g.at[1].toFixed(5)}`);
  }
}

const db = await openDatabase(readEnv(), () => {});
try {
  const result = await importFile(
    db,
    { path: file },
    {
      name: file.split(/[\\/]/).pop()!,
      layer,
      sheet: values.sheet,
      crs: values.crs,
      mapping,
      mappingName: values.mapping,
      source: values.source,
      commit: !values['dry-run'],
      repair: values.repair,
      sha256,
      actor: { userId: null, username: 'cli', role: 'system' },
      progress: (read) => log(`${read.toLocaleString('en')} rows read…`),
    },
  );
  log(
    `${result.file.format}${result.file.encoding ? `, ${result.file.encoding}` : ''}, ` +
      `coordinates in ${result.crs}`,
  );
  for (const [field, m] of Object.entries(result.mapping.fields))
    log(`field ${field} ← column ${m.column}`);
  print(result.report);
  const c = result.report.counts;
  if (result.report.committed && c.refused > 0 && c.add + c.change + c.unchanged === 0)
    process.exitCode = 1;
} catch (err) {
  process.exitCode = 1;
  console.error(
    `[data:import] nothing was imported: ${err instanceof DomainError ? err.message : String(err)}`,
  );
} finally {
  await db.close();
}
