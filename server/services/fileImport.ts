/**
 * An agency's file from upload (or the command line) to the database: read it
 * (server/files/read), decide which columns are which fields (suggested from their names,
 * overridden by the user, or a mapping saved under a name for the source), decide the
 * coordinate system (declared by the file or chosen by the user; a guess from the numbers is
 * offered, never applied), convert the rows to WGS84 and import them (dataImport.ts for a
 * layer, incidentImport.ts for incidents) as a dry run or a commit.
 *
 * `inspectFile` answers what a user needs to decide: the file's columns and encoding, the
 * suggested mapping, the declared system and the guesses, a sample of records and the mappings
 * saved for the layer.
 */
import type { MultiPolygon, Point } from 'geojson';
import type { Database, Queryable } from '../db/database';
import { BadInput, codedBadInput } from '../errors';
import { importReason, type ReasonGuess } from '../../domain/importReasons';
import { CrsError, parseCrs } from '../../geo/crs';
import { createAreaIndex } from '../../geo/createAreaIndex';
import { guessCrs, type CrsGuess } from '../../geo/guessCrs';
import {
  suggestMapping,
  IMPORT_LAYERS,
  type ByteSource,
  type CoordinateColumns,
  type FileInfo,
  type ImportLayer,
  type LayerRows as ReadRows,
  type ReadRecord,
  type Refusal,
} from '../files/read';
import { openForImport, openForInspect } from '../files/read/offThread';
import type { ConvertedBatch } from '../files/read/threadTask';
import type { MappingOverride, SuggestedMapping } from '../files/read/mapping';
import {
  importLayer,
  type ImportActor,
  type ImportRefusal,
  type ImportReport,
  type LayerImport,
  type LayerRows,
} from './dataImport';
import { importIncidents, type IncidentBatch } from './incidentImport';

export interface FileRequest {
  /** the file's name as uploaded (its extension helps tell the format) */
  name: string;
  layer: ImportLayer;
  /** a zipped Shapefile's layer or a workbook's sheet */
  sheet?: string;
  /** CSV/XLSX: the coordinate columns, when not found by their names */
  coordinates?: CoordinateColumns;
}

export interface ImportRequest extends FileRequest {
  /** the coordinate system chosen; needed when the file declares none */
  crs?: string;
  /** fields to columns, over the suggestion (null: the field is not in the file) */
  mapping?: MappingOverride;
  /**
   * a saved mapping: used when no `mapping` is given (the suggestion when none is saved under
   * that name yet); saved under that name, with the crs, on commit
   */
  mappingName?: string;
  commit: boolean;
  repair: boolean;
  actor: ImportActor;
  /** incidents: the source the rows are keyed under (default 'import') */
  source?: string;
  /** the file's SHA-256, for the audit row */
  sha256: string;
  /** incidents: told the rows read so far, now and then */
  progress?: (read: number) => void;
}

export interface SavedMapping {
  name: string;
  layer: string;
  mapping: MappingOverride;
  crs: string | null;
}

export interface FileSummary extends Omit<FileInfo, 'prj'> {
  /** the coordinate system the file declares (its id for parseCrs), if any */
  declaredCrs: string | null;
}

export interface FileInspection {
  file: FileSummary;
  mapping: SuggestedMapping;
  crs: { declared: string | null; guesses: CrsGuess[] };
  /** the first records as read, in the file's coordinates */
  sample: ReadRecord[];
  saved: SavedMapping[];
}

export interface FileImportResult {
  file: FileSummary;
  mapping: SuggestedMapping;
  crs: string;
  report: ImportReport;
}

const SAMPLE = 20;
/** Points the guess of a coordinate system looks at. */
const GUESS_POINTS = 500;

function checkLayer(layer: string): asserts layer is ImportLayer {
  if (!(IMPORT_LAYERS as readonly string[]).includes(layer))
    throw new BadInput('layer', `must be one of ${IMPORT_LAYERS.join(', ')}`);
}

function summary(info: FileInfo, declared: string | null): FileSummary {
  const { prj: _prj, ...rest } = info as FileInfo & { records?: unknown };
  delete (rest as { records?: unknown }).records;
  return { ...rest, declaredCrs: declared };
}

/** The mappings saved for a layer, newest first. */
export async function savedMappings(db: Queryable, layer: string): Promise<SavedMapping[]> {
  return db.query<SavedMapping>(
    `SELECT name, layer, mapping, crs FROM import_mappings WHERE layer = $1
     ORDER BY updated_at DESC, name LIMIT 100`,
    [layer],
  );
}

/** Whether a point lies in the stored district (for the guesses). */
async function districtTest(db: Queryable): Promise<(lon: number, lat: number) => boolean> {
  const [d] = await db.query<{ g: string }>('SELECT ST_AsGeoJSON(geom) AS g FROM district LIMIT 1');
  if (!d) return () => false;
  const index = createAreaIndex([JSON.parse(d.g) as MultiPolygon], 64);
  return (lon, lat) => index.find(lon, lat) >= 0;
}

/** Reads the file's head: what a user needs to map it and choose its coordinate system. */
export async function inspectFile(
  db: Database,
  source: ByteSource,
  req: FileRequest,
): Promise<FileInspection> {
  checkLayer(req.layer);
  const { read, info, declared } = await openForInspect(source, readOptions(req));
  try {
    const { sample, points } = await read.sample(SAMPLE, GUESS_POINTS);
    return {
      file: summary(info, declared),
      mapping: suggestMapping(req.layer, info.columns),
      crs: { declared, guesses: guessCrs(points, await districtTest(db)) },
      sample,
      saved: await savedMappings(db, req.layer),
    };
  } finally {
    await read.close();
  }
}

/** How the reader is to read the file the request names. */
const readOptions = (req: FileRequest) => ({
  name: req.name,
  layer: req.sheet,
  coordinates: req.coordinates,
});

/**
 * The coordinate system to read the file in: the user's choice, else the file's declaration
 * (its id; the reading thread makes the system of the same id).
 */
async function chooseCrs(
  chosen: string | undefined,
  declared: string | null,
  guesses: () => Promise<ReasonGuess[]>,
): Promise<{ id: string; chosen: string | null }> {
  if (chosen) {
    try {
      return { id: parseCrs(chosen).id, chosen };
    } catch (err) {
      if (err instanceof CrsError) throw codedBadInput('crs', err.reason);
      throw err;
    }
  }
  if (declared) return { id: declared, chosen: null };
  throw codedBadInput('crs', importReason('crs_not_declared', { guesses: await guesses() }));
}

/** Reads, maps, converts and imports a file: a dry run unless `req.commit`. */
export async function importFile(
  db: Database,
  source: ByteSource,
  req: ImportRequest,
): Promise<FileImportResult> {
  checkLayer(req.layer);
  let override = req.mapping;
  let savedCrs: string | undefined;
  if (req.mappingName !== undefined && !/^.{1,64}$/u.test(req.mappingName))
    throw new BadInput('mappingName', 'must be 1 to 64 characters');
  if (!override && req.mappingName) {
    // a name not saved yet: the suggestion, saved under that name on commit
    const saved = (await savedMappings(db, req.layer)).find((m) => m.name === req.mappingName);
    override = saved?.mapping;
    savedCrs = saved?.crs ?? undefined;
  }
  const { read, info, declared } = await openForImport(source, readOptions(req));
  let mapping: SuggestedMapping;
  let crs: { id: string; chosen: string | null };
  let report: ImportReport;
  try {
    mapping = suggestMapping(req.layer, info.columns, { override });
    if (mapping.missing.length)
      throw codedBadInput(
        'mapping',
        importReason('mapping_missing', { fields: mapping.missing, columns: info.columns }),
      );
    crs = await chooseCrs(req.crs ?? savedCrs, declared, async () =>
      guessCrs(await read.points(GUESS_POINTS), await districtTest(db))
        .filter((g) => g.inside > 0)
        .slice(0, 3)
        .map((g) => ({ crs: g.crs, percent: Math.round(g.inside * 100) })),
    );
    const batches = read.convert(req.layer, mapping, crs.chosen);
    const detail = { crs: crs.id, mapping: mappingOf(mapping) };
    report =
      req.layer === 'incidents'
        ? await importIncidents(db, incidentBatches(batches), {
            commit: req.commit,
            repair: req.repair,
            actor: req.actor,
            source: req.source ?? 'import',
            file: { name: req.name, sha256: req.sha256 },
            detail,
            progress: req.progress,
            // the reader refuses an id met twice in the file (server/files/read/rows.ts)
            idsUnique: true,
          })
        : await importLayerFile(db, req, batches, detail, () => read.close());
  } finally {
    await read.close();
  }
  if (req.commit && req.mappingName)
    await db.query(
      `INSERT INTO import_mappings (name, layer, mapping, crs, updated_by)
       VALUES ($1, $2, $3::jsonb, $4, $5)
       ON CONFLICT (name) DO UPDATE SET layer = EXCLUDED.layer, mapping = EXCLUDED.mapping,
         crs = EXCLUDED.crs, updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [req.mappingName, req.layer, JSON.stringify(mappingOf(mapping)), crs.id, req.actor.username],
    );
  return { file: summary(info, declared), mapping, crs: crs.id, report };
}

/** A refusal of the reader as the import reports it. */
const refused = (r: Refusal): ImportRefusal => ({
  n: r.n,
  field: r.field,
  code: r.code,
  params: r.params,
  reason: r.reason,
});

/** The converted incidents as the incident import takes them (a cancelled call is refused). */
async function* incidentBatches(
  batches: AsyncIterable<ConvertedBatch>,
): AsyncIterable<IncidentBatch> {
  for await (const batch of batches) {
    const out: IncidentBatch = {
      records: [],
      refusals: batch.refusals.map(refused),
      read: batch.read,
    };
    for (const row of batch.rows as ReadRows['incidents'][]) {
      if (row.status === 'cancelled') {
        out.refusals.push({ n: row.n, field: 'status', ...importReason('cancelled_call') });
        continue;
      }
      out.records.push({
        n: row.n,
        row: {
          sourceId: row.sourceId,
          time: row.time,
          category: row.category,
          subcategory: row.subcategory,
          status: row.status,
          address: row.address,
          lon: row.lon,
          lat: row.lat,
        },
      });
    }
    yield out;
  }
}

/**
 * A layer's rows, all read (a layer holds at most LAYER_ROWS_MAX rows), then imported; the
 * reading thread is ended (`done`) before the database's part.
 */
async function importLayerFile(
  db: Database,
  req: ImportRequest,
  batches: AsyncIterable<ConvertedBatch>,
  detail: Record<string, unknown>,
  done: () => Promise<void>,
): Promise<ImportReport> {
  const layer = req.layer as LayerImport;
  const records: Array<{ n: number; row: LayerRows[LayerImport] }> = [];
  const refusals: ImportRefusal[] = [];
  let count = 0;
  for await (const batch of batches) {
    count += batch.read;
    refusals.push(...batch.refusals.map(refused));
    for (const row of batch.rows) records.push({ n: row.n, row: toLayerRow(layer, row) });
  }
  await done();
  return importLayer(
    db,
    { layer, records, refusals, read: count, file: { name: req.name, sha256: req.sha256 } },
    { commit: req.commit, repair: req.repair, actor: req.actor, detail },
  );
}

/** A mapping as saved: field → column. */
function mappingOf(m: SuggestedMapping): MappingOverride {
  return Object.fromEntries(Object.entries(m.fields).map(([f, match]) => [f, match.column]));
}

/** A row as the reader makes it, as the layer import takes it. */
function toLayerRow(layer: LayerImport, row: ReadRows[ImportLayer]): LayerRows[LayerImport] {
  switch (layer) {
    case 'cameras': {
      const c = row as ReadRows['cameras'];
      return {
        code: c.deviceCode,
        name: c.name,
        kind: c.kind,
        bearing: c.bearing,
        fov: c.fov,
        rangeM: c.rangeM,
        status: c.status,
        installedAt: c.installedAt,
        geom: c.geom,
      };
    }
    case 'posts': {
      const p = row as ReadRows['posts'];
      // a patrol route (a line) is not a post: the import's shape check refuses it by its row
      return { name: p.name, status: p.status, geom: p.geom as Point };
    }
    // the same shapes: the record number and a checkpoint's own code are not stored
    case 'sites':
    case 'checkpoints':
    case 'towns':
    case 'communities':
      return row as LayerRows['sites' | 'towns' | 'communities'];
  }
}
