/**
 * The data import routes: POST /api/import/inspect reads a file and suggests how its columns map
 * to a layer's fields and which coordinate system it is in; POST /api/import runs the import,
 * as a dry run or committed, and answers its report. The body is the file's bytes; the file's
 * name and every choice travel in the query string. Only the server's types cross over.
 */
import type { FeatureCollection } from 'geojson';
import type { CrsGuess } from '../../geo/guessCrs';
import type { ReasonParams, ReasonWhere } from '../../domain/importReasons';
import type { ImportLayer, SuggestedMapping } from '../../server/files/read/mapping';
import type { ImportReport } from '../../server/services/dataImport';
import type {
  FileImportResult,
  FileInspection,
  FileSummary,
  SavedMapping,
} from '../../server/services/fileImport';

export type {
  ImportLayer,
  ImportReport,
  SuggestedMapping,
  CrsGuess,
  FeatureCollection,
  SavedMapping,
};

/** The largest file the server takes (bytes). */
export const IMPORT_MAX_BYTES = 200 * 1024 * 1024;

/** The coordinate systems one may choose without a guess (any EPSG:nnnn is taken too). */
export const IMPORT_CRS_CHOICES = ['wgs84', 'cgcs2000', 'gcj02', 'bd09', 'EPSG:4543'] as const;

/** A field's column, or null for "not in this file". */
export type Mapping = Record<string, string | null>;

export type Inspection = FileInspection;
export type ImportAnswer = FileImportResult;
export type InspectedFile = FileSummary;

/** Where in a file to read: a workbook's sheet or a zip's layer, coordinate columns. */
export interface FileChoice {
  layer: ImportLayer;
  name: string;
  sheet?: string | null;
  x?: string | null;
  y?: string | null;
}

export interface ImportChoice extends FileChoice {
  crs: string;
  commit: boolean;
  repair: boolean;
  /** omitted: the saved mapping named `mappingName`, or the server's suggestion */
  mapping?: Mapping;
  /** loaded when no mapping is given; saved under this name on commit */
  mappingName?: string;
  /** incidents: the name of the system they come from */
  source?: string;
}

/** A refusal from the server, with its status: 400/413 say what is wrong with the file. */
export class ImportFailed extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** the refusal's code in the import vocabulary, for the page's language */
    readonly coded?: CodedRefusal,
  ) {
    super(message);
  }
}

/** A refusal of the file as a whole, as the server codes it (domain/importReasons.ts). */
export interface CodedRefusal {
  code: string;
  params: ReasonParams;
  where?: ReasonWhere;
}

function fileParams(c: FileChoice): URLSearchParams {
  const p = new URLSearchParams({ layer: c.layer, name: c.name });
  if (c.sheet) p.set('sheet', c.sheet);
  if (c.x && c.y) {
    p.set('x', c.x);
    p.set('y', c.y);
  }
  return p;
}

/** The query string of an import. */
export function importParams(c: ImportChoice): URLSearchParams {
  const p = fileParams(c);
  p.set('crs', c.crs);
  p.set('commit', c.commit ? '1' : '0');
  p.set('repair', c.repair ? '1' : '0');
  if (c.mapping) p.set('mapping', JSON.stringify(c.mapping));
  if (c.mappingName?.trim()) p.set('mappingName', c.mappingName.trim());
  if (c.layer === 'incidents' && c.source?.trim()) p.set('source', c.source.trim());
  return p;
}

async function post<T>(path: string, params: URLSearchParams, file: Blob): Promise<T> {
  if (file.size > IMPORT_MAX_BYTES)
    throw new ImportFailed(413, `the file is ${Math.ceil(file.size / 2 ** 20)} MB; at most 200 MB`);
  const res = await fetch(`${path}?${params}`, {
    method: 'POST',
    body: file,
    credentials: 'same-origin',
    // the server refuses cookie POSTs without it (a form on another site cannot send it)
    headers: { 'content-type': 'application/octet-stream', 'x-trpc-source': 'pingan-web' },
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: a proxy's page; its status says enough
  }
  if (!res.ok) {
    const message =
      (body as { error?: string; message?: string } | null)?.error ??
      (body as { message?: string } | null)?.message ??
      `${res.status} ${res.statusText}`;
    const coded = body as Partial<CodedRefusal> | null;
    throw new ImportFailed(
      res.status,
      message,
      coded?.code && coded.params
        ? { code: coded.code, params: coded.params, where: coded.where }
        : undefined,
    );
  }
  return body as T;
}

export function inspectFile(c: FileChoice, file: Blob): Promise<Inspection> {
  return post('/api/import/inspect', fileParams(c), file);
}

export function runImport(c: ImportChoice, file: Blob): Promise<ImportAnswer> {
  return post('/api/import', importParams(c), file);
}

/** The mapping a suggestion amounts to: each field's column, null where none maps. */
export function mappingOf(s: SuggestedMapping, fields: readonly string[]): Mapping {
  const out: Mapping = {};
  for (const f of fields) out[f] = s.fields[f]?.column ?? null;
  return out;
}

/**
 * Each layer's fields in the order the mapping editor lists them, required ones marked: the
 * server's LAYER_FIELDS (server/files/read/mapping.ts) without its column names, which a page
 * cannot import. The inspection's `missing` is the server's word on what is required; this list
 * only orders the editor and shows the optional fields no column matched.
 */
export const IMPORT_FIELDS: Readonly<
  Record<ImportLayer, ReadonlyArray<{ field: string; required: boolean }>>
> = {
  communities: fields('name*', 'code*', 'town*', 'kind', 'population'),
  towns: fields('name*', 'code*'),
  cameras: fields(
    'deviceCode*',
    'name',
    'kind*',
    'bearing',
    'fov',
    'rangeM',
    'status',
    'installedAt',
  ),
  sites: fields('name*', 'kind*'),
  checkpoints: fields('name*', 'code'),
  posts: fields('name*', 'kind', 'status'),
  incidents: fields('sourceId*', 'time*', 'category*', 'subcategory', 'status', 'address'),
};

function fields(...spec: string[]) {
  return spec.map((s) => ({ field: s.replace('*', ''), required: s.endsWith('*') }));
}

/** The layers one may import into, in the order the page offers them. */
export const IMPORT_LAYER_CHOICES = Object.keys(IMPORT_FIELDS) as ImportLayer[];
