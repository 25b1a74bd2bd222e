/**
 * Imports one layer of an agency's own data — the surveyed boundaries of towns and of the
 * villages and communities, a camera ledger, key sites, checkpoints, posts — as rows already read
 * from a file and converted to WGS84 (server/files/read). Historical incidents go through
 * incidentImport.ts.
 *
 * A layer is replaced as a whole: after the import it holds exactly the file's rows. Rows are
 * matched to stored ones by the agency's own key (a town's or community's statistical code, a
 * camera's device id, a site's kind and name, a post's name), so that a stored row keeps its id
 * (and with it what refers to it: incidents' communities, coverage, plan history).
 *
 * Every import runs the whole change in ONE transaction and counts what it did: rows to add, to
 * change, to remove, unchanged, and refused (each refusal with its row or feature number, the
 * field and the reason). A dry run is the same transaction rolled back, so its counts are the
 * commit's to the row; a commit that fails or is killed leaves the previous data as it was.
 *
 * Checked here, where the database is needed: geometry validity (with where a polygon is
 * invalid), the position within the district, the reference of a community to its town.
 * Repairs — ST_MakeValid, closing rings, clipping to the district edge — are made only when
 * asked for, and reported row by row.
 *
 * What follows from the data is rebuilt in the same transaction: a boundary import re-assigns
 * incidents, disputes and sites to communities and reports how the communities tile the
 * district (overlaps and gaps, with areas); a camera import changes the coverage through the
 * cameras' triggers (migration 0005). One audit row per commit: who, the file's name and hash,
 * the counts.
 */
import type { Feature, FeatureCollection, Geometry, Point } from 'geojson';
import { recordAudit } from '../audit/audit';
import type { Database, Queryable } from '../db/database';
import { bumpDataVersion, type DataKind } from './dataVersions';
import { BadInput, codedBadInput } from '../errors';
import { invalidateDataStatus } from '../dataset/status';
import { SNAP_TOLERANCE_DEG, SNAP_TOLERANCE_M, snapCommunitiesToDistrict } from '../dataset/store';
import type { Area } from '../dataset/types';
import type { LayerRows as ReadRows } from '../files/read/rows';
import {
  CAMERA_KINDS,
  CAMERA_STATUSES,
  CAMERA_TYPICAL_OPTICS,
  SITE_KINDS,
  UNIT_STATUSES,
  type CameraKind,
  type CameraStatus,
  type UnitStatus,
} from '../../domain/vocabulary';
import {
  importReason,
  type ImportReason,
  type ImportReasonCode,
  type ReasonParams,
  type ReasonRow,
} from '../../domain/importReasons';

/** The layers a file may replace (incidents are appended: incidentImport.ts). */
export const LAYER_IMPORTS = [
  'towns',
  'communities',
  'cameras',
  'sites',
  'checkpoints',
  'posts',
] as const;
export type LayerImport = (typeof LAYER_IMPORTS)[number];

/** A town as a file gives it (server/files/read/rows.ts), without its record number. */
export type TownRow = Omit<ReadRows['towns'], 'n'>;

/** A community as a file gives it; `town` is the town's code or name, found here. */
export type CommunityRow = Omit<ReadRows['communities'], 'n'>;

export interface CameraRow {
  /** the platform's device id (GB/T 28181: 20 digits) */
  code: string;
  name: string | null;
  kind: CameraKind;
  /** degrees clockwise from north; null: not in the ledger */
  bearing: number | null;
  fov: number | null;
  rangeM: number | null;
  status: CameraStatus | null;
  /** epoch ms; null: keep the stored date (today for a new camera) */
  installedAt: number | null;
  geom: Point;
}

/** A site or checkpoint as a file gives it (its own code, if any, is not stored). */
export type SiteRow = Pick<ReadRows['sites'], 'kind' | 'name' | 'geom'>;

export interface PostRow {
  name: string;
  status: UnitStatus | null;
  geom: Point;
}

export interface LayerRows {
  towns: TownRow;
  communities: CommunityRow;
  cameras: CameraRow;
  sites: SiteRow;
  checkpoints: SiteRow;
  posts: PostRow;
}

/** A refusal or a repair of a row: its code and parameters, and its English sentence. */
export interface ImportRefusal extends ImportReason {
  /** the row (sheet row, header included) or feature number; null for the file as a whole */
  n: number | null;
  field: string | null;
}

/** A note on the import as a whole. */
export type ImportNote = ImportReason;

export interface ImportActor {
  userId: string | null;
  username: string;
  role: string;
  ip?: string | null;
}

export interface LayerImportInput<L extends LayerImport = LayerImport> {
  layer: L;
  /** the rows read and converted, each with its number in the file */
  records: Array<{ n: number; row: LayerRows[L] }>;
  /** rows reading refused already */
  refusals: ImportRefusal[];
  /** rows read in all, refused ones included */
  read: number;
  file: { name: string; sha256: string };
}

export interface ImportOptions {
  /** false: a dry run (the same transaction, rolled back) */
  commit: boolean;
  /** repair invalid geometries and clip boundaries to the district edge, reporting each */
  repair: boolean;
  actor: ImportActor;
  /** e.g. the crs and mapping used, kept in the audit row */
  detail?: Record<string, unknown>;
}

export interface ImportCounts {
  read: number;
  add: number;
  change: number;
  remove: number;
  unchanged: number;
  refused: number;
  repaired: number;
}

export interface TilingReport {
  /** pairs of communities that overlap, largest first */
  overlaps: Array<{ a: string; b: string; areaM2: number }>;
  /** parts of the district no community covers, largest first */
  gaps: Array<{ areaM2: number; at: [number, number] }>;
}

export interface ImportReport {
  layer: string;
  committed: boolean;
  counts: ImportCounts;
  /** the first REFUSALS_SHOWN refusals, in file order (counts.refused has them all) */
  refusals: ImportRefusal[];
  /** each repair made, by row */
  repairs: ImportRefusal[];
  /** notes on the import as a whole, e.g. cameras without a bearing */
  notes: ImportNote[];
  /** boundaries: how the communities tile the district after the import */
  tiling: TilingReport | null;
  /** what changes, for a map: properties.change is 'add' | 'change' | 'remove' */
  preview: FeatureCollection;
}

/** At most this many refusals travel in a report (all are counted). */
export const REFUSALS_SHOWN = 1000;
/** At most this many features in a preview. */
export const PREVIEW_MAX = 5000;
/** At most this many rows in one layer import (a district holds hundreds to thousands). */
export const LAYER_ROWS_MAX = 100_000;
/** Overlaps and gaps smaller than this are rounding, not data errors (m²). */
const TILING_MIN_M2 = 1;

/** Refuses row `n`'s `field` for the reason of `code`. */
type Refuse = (
  n: number,
  field: string | null,
  code: ImportReasonCode,
  params?: ReasonParams,
) => void;

/** Thrown inside the transaction to roll a dry run back with its report. */
class DryRun extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

/**
 * Runs an import in one transaction: committed with its audit row when `options.commit`,
 * otherwise rolled back after the whole of it ran, answering the same report.
 */
export async function importTransaction(
  db: Database,
  options: ImportOptions,
  object: string,
  run: (tx: Queryable) => Promise<ImportReport>,
  detail: (report: ImportReport) => Record<string, unknown>,
): Promise<ImportReport> {
  try {
    const report = await db.transaction(async (tx) => {
      const report = await run(tx);
      if (!options.commit) throw new DryRun(report);
      await recordAudit(tx, {
        userId: options.actor.userId,
        username: options.actor.username,
        role: options.actor.role,
        ip: options.actor.ip ?? null,
        action: 'data.import',
        object,
        outcome: 'ok',
        detail: { ...detail(report), counts: report.counts, ...options.detail },
      });
      return report;
    });
    invalidateDataStatus(db);
    return report;
  } catch (err) {
    if (err instanceof DryRun) return err.report;
    throw err;
  }
}

interface Spec<R> {
  table: string;
  /** SQL restricting the stored rows the layer is (alias t) */
  scope: string;
  /** the key of a stored row (alias t) and of an incoming row */
  key: string;
  keyOf: (r: R) => string;
  /** the key's name in refusals */
  keyField: string;
  /** the columns of the temporary table of incoming rows, with SQL types (geom added) */
  columns: Record<string, string>;
  values: (r: R) => Record<string, unknown>;
  polygons: boolean;
  /** what a stored row is compared by (alias t): a change of any of these is a change */
  hash: string;
  /** the SQL that makes the stored rows the incoming ones (import_rows r) */
  apply: (tx: Queryable, actor: ImportActor) => Promise<void>;
  /** a readable label of a stored row (alias t), for previews */
  label: string;
}

const sites = (checkpoints: boolean): Spec<SiteRow> => ({
  table: 'sites',
  scope: checkpoints ? `t.kind = 'checkpoint'` : `t.kind <> 'checkpoint'`,
  key: `t.kind || ':' || t.name`,
  keyOf: (r) => `${r.kind}:${r.name}`,
  keyField: 'name',
  columns: { kind: 'text', name: 'text' },
  values: (r) => ({ kind: r.kind, name: r.name }),
  polygons: false,
  hash: 'ST_AsBinary(t.geom)',
  label: 't.name',
  apply: async (tx) => {
    const scope = checkpoints ? `kind = 'checkpoint'` : `kind <> 'checkpoint'`;
    await tx.query(
      `UPDATE sites t SET geom = r.geom FROM import_rows r
       WHERE t.${scope} AND t.kind = r.kind AND t.name = r.name
         AND ST_AsBinary(t.geom) IS DISTINCT FROM ST_AsBinary(r.geom)`,
    );
    await tx.query(
      `DELETE FROM sites t WHERE t.${scope}
         AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.kind = t.kind AND r.name = t.name)`,
    );
    await tx.query(
      `INSERT INTO sites (kind, name, community_id, geom)
       SELECT r.kind, r.name, NULL, r.geom FROM import_rows r
       WHERE NOT EXISTS (SELECT 1 FROM sites t WHERE t.kind = r.kind AND t.name = r.name)`,
    );
    await assignCommunities(tx, 'sites', `WHERE ${scope}`);
  },
});

/** The kinds of data an import into each table changes (with what it re-assigns). */
const TABLE_DATA: Record<string, DataKind[]> = {
  // a town gone takes its patrol zones' town with it
  towns: ['places', 'plan'],
  communities: ['places', 'incidents', 'plan'],
  cameras: [],
  sites: ['plan'],
  patrol_units: ['plan'],
};

const SPECS: { [L in LayerImport]: Spec<LayerRows[L]> } = {
  towns: {
    table: 'towns',
    scope: 'true',
    key: 't.code',
    keyOf: (r) => r.code,
    keyField: 'code',
    columns: { code: 'text', name: 'text' },
    values: (r) => ({ code: r.code, name: r.name }),
    polygons: true,
    hash: `t.name || ST_AsBinary(t.geom)::text`,
    label: 't.name',
    apply: async (tx) => {
      const [used] = await tx.query<{ name: string; n: number }>(
        `SELECT t.name, count(*)::int AS n FROM towns t JOIN communities c ON c.town_id = t.id
         WHERE NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.code = t.code)
         GROUP BY t.name ORDER BY t.name LIMIT 1`,
      );
      if (used)
        throw codedBadInput(
          undefined,
          importReason('town_in_use', { town: used.name, count: used.n }),
        );
      await tx.query(
        `UPDATE towns t SET name = r.name, geom = r.geom, geometry_source = 'imported'
         FROM import_rows r WHERE t.code = r.code
           AND (t.name, ST_AsBinary(t.geom)) IS DISTINCT FROM (r.name, ST_AsBinary(r.geom))`,
      );
      await tx.query(
        `UPDATE patrol_zones z SET town_id = NULL FROM towns t
         WHERE z.town_id = t.id AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.code = t.code)`,
      );
      await tx.query(
        `DELETE FROM towns t WHERE NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.code = t.code)`,
      );
      await tx.query(
        `INSERT INTO towns (id, code, name, geometry_source, geom)
         SELECT (SELECT coalesce(max(id), 0) FROM towns) + row_number() OVER (ORDER BY r.n),
                r.code, r.name, 'imported', r.geom
         FROM import_rows r WHERE NOT EXISTS (SELECT 1 FROM towns t WHERE t.code = r.code)`,
      );
    },
  },
  communities: {
    table: 'communities',
    scope: 'true',
    key: 't.code',
    keyOf: (r) => r.code,
    keyField: 'code',
    columns: {
      code: 'text',
      name: 'text',
      town: 'text',
      town_id: 'int',
      kind: 'text',
      population: 'int',
    },
    values: (r) => ({
      code: r.code,
      name: r.name,
      town: r.town,
      kind: r.kind,
      population: r.population,
    }),
    polygons: true,
    hash: `t.name || t.town_id || t.kind || t.population || ST_AsBinary(t.geom)::text`,
    label: 't.name',
    apply: async (tx) => {
      await tx.query(
        `UPDATE communities t
         SET name = r.name, town_id = r.town_id, kind = r.kind,
             population = coalesce(r.population, t.population), synthetic = false,
             geometry_source = 'imported', geom = r.geom
         FROM import_rows r WHERE t.code = r.code
           AND (t.name, t.town_id, t.kind, t.population, ST_AsBinary(t.geom))
               IS DISTINCT FROM (r.name, r.town_id, r.kind, coalesce(r.population, t.population),
                                 ST_AsBinary(r.geom))`,
      );
      // what referred to a community that goes is re-assigned below
      for (const table of ['incidents', 'disputes', 'sites'])
        await tx.query(
          `UPDATE ${table} x SET community_id = NULL FROM communities t
           WHERE x.community_id = t.id
             AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.code = t.code)`,
        );
      await tx.query(
        `DELETE FROM communities t WHERE NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.code = t.code)`,
      );
      await tx.query(
        `INSERT INTO communities (id, code, name, town_id, kind, population, synthetic, geometry_source, geom)
         SELECT (SELECT coalesce(max(id), 0) FROM communities) + row_number() OVER (ORDER BY r.n),
                r.code, r.name, r.town_id, r.kind, coalesce(r.population, 0), false, 'imported', r.geom
         FROM import_rows r WHERE NOT EXISTS (SELECT 1 FROM communities t WHERE t.code = r.code)`,
      );
    },
  },
  cameras: {
    table: 'cameras',
    scope: 'true',
    key: `coalesce(t.code, 'id:' || t.id)`,
    keyOf: (r) => r.code,
    keyField: 'code',
    columns: {
      code: 'text',
      name: 'text',
      kind: 'text',
      bearing: 'real',
      fov: 'real',
      range_m: 'real',
      status: 'text',
      installed_at: 'date',
    },
    values: (r) => ({
      code: r.code,
      name: r.name,
      kind: r.kind,
      bearing: r.bearing ?? 0,
      fov: r.fov ?? CAMERA_TYPICAL_OPTICS[r.kind].fov,
      range_m: r.rangeM ?? CAMERA_TYPICAL_OPTICS[r.kind].rangeM,
      status: r.status,
      installed_at:
        r.installedAt === null ? null : new Date(r.installedAt).toISOString().slice(0, 10),
    }),
    polygons: false,
    hash: `concat_ws('|', t.name, t.kind, t.bearing, t.fov, t.range_m, t.status, t.installed_at, ST_AsBinary(t.geom)::text)`,
    label: `coalesce(t.name, t.code, t.kind || ' #' || t.id)`,
    apply: async (tx) => {
      await tx.query(
        `UPDATE cameras t
         SET name = r.name, kind = r.kind, bearing = r.bearing, fov = r.fov, range_m = r.range_m,
             status = coalesce(r.status, t.status), installed_at = coalesce(r.installed_at, t.installed_at),
             geom = r.geom
         FROM import_rows r WHERE t.code = r.code
           AND (t.name, t.kind, t.bearing, t.fov, t.range_m, t.status, t.installed_at, ST_AsBinary(t.geom))
               IS DISTINCT FROM (r.name, r.kind, r.bearing, r.fov, r.range_m, coalesce(r.status, t.status),
                                 coalesce(r.installed_at, t.installed_at), ST_AsBinary(r.geom))`,
      );
      await tx.query(
        `DELETE FROM cameras t WHERE t.code IS NULL
            OR NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.code = t.code)`,
      );
      await tx.query(
        `INSERT INTO cameras (code, name, kind, bearing, fov, range_m, status, batch, installed_at, geom)
         SELECT r.code, r.name, r.kind, r.bearing, r.fov, r.range_m, coalesce(r.status, 'online'),
                'existing', coalesce(r.installed_at, current_date), r.geom
         FROM import_rows r WHERE NOT EXISTS (SELECT 1 FROM cameras t WHERE t.code = r.code)`,
      );
    },
  },
  sites: sites(false),
  checkpoints: sites(true),
  posts: {
    table: 'patrol_units',
    scope: `t.kind = 'post'`,
    key: 't.name',
    keyOf: (r) => r.name,
    keyField: 'name',
    columns: { name: 'text', status: 'text' },
    values: (r) => ({ name: r.name, status: r.status }),
    polygons: false,
    hash: `t.status || ST_AsBinary(t.geom)::text`,
    label: 't.name',
    apply: async (tx, actor) => {
      await tx.query(
        `UPDATE patrol_units t
         SET status = coalesce(r.status, t.status), geom = r.geom, version = t.version + 1,
             updated_at = now(), updated_by = $1
         FROM import_rows r WHERE t.kind = 'post' AND t.name = r.name
           AND (t.status, ST_AsBinary(t.geom)) IS DISTINCT FROM (coalesce(r.status, t.status), ST_AsBinary(r.geom))`,
        [actor.username],
      );
      await tx.query(
        `DELETE FROM patrol_units t WHERE t.kind = 'post'
           AND NOT EXISTS (SELECT 1 FROM import_rows r WHERE r.name = t.name)`,
      );
      await tx.query(
        `INSERT INTO patrol_units (kind, name, status, updated_by, geom)
         SELECT 'post', r.name, coalesce(r.status, 'available'), $1, r.geom FROM import_rows r
         WHERE NOT EXISTS (SELECT 1 FROM patrol_units t WHERE t.kind = 'post' AND t.name = r.name)`,
        [actor.username],
      );
    },
  },
};

/** Checks of a row's values that need no database (the reader checks them too). */
function rowProblem(layer: LayerImport, row: LayerRows[LayerImport]): ImportRefusal | null {
  const r = row as unknown as Record<string, unknown>;
  const bad = (
    field: string,
    code: ImportReasonCode,
    params: ReasonParams = {},
  ): ImportRefusal => ({
    n: null,
    field,
    ...importReason(code, params),
  });
  const unknown = (field: string, value: unknown) =>
    bad(field, 'unknown_value', { field, value: String(value) });
  const range = (field: string, value: number, min: number, max: number) =>
    bad(field, 'out_of_range', { value, min, max });
  const need = (field: string) =>
    typeof r[field] !== 'string' || !(r[field] as string).trim()
      ? bad(field, 'field_missing', { field })
      : null;
  switch (layer) {
    case 'towns':
      return need('code') ?? need('name');
    case 'communities':
      if (r.kind !== 'village' && r.kind !== 'community') return unknown('kind', r.kind);
      if (
        r.population !== null &&
        !(Number.isInteger(r.population) && (r.population as number) >= 0)
      )
        return bad('population', 'not_whole', { value: String(r.population) });
      return need('code') ?? need('name') ?? need('town');
    case 'cameras': {
      const c = row as CameraRow;
      if (!CAMERA_KINDS.includes(c.kind)) return unknown('kind', c.kind);
      if (c.status !== null && !CAMERA_STATUSES.includes(c.status))
        return unknown('status', c.status);
      if (c.bearing !== null && !(c.bearing >= 0 && c.bearing < 360))
        return range('bearing', c.bearing, 0, 359.99);
      if (c.fov !== null && !(c.fov > 0 && c.fov <= 360)) return range('fov', c.fov, 0.01, 360);
      if (c.rangeM !== null && !(c.rangeM > 0 && c.rangeM <= 5000))
        return range('range', c.rangeM, 0.01, 5000);
      return need('code');
    }
    case 'sites':
    case 'checkpoints': {
      const s = row as SiteRow;
      if (!SITE_KINDS.includes(s.kind)) return unknown('kind', s.kind);
      if (layer === 'sites' && s.kind === 'checkpoint') return bad('kind', 'checkpoint_in_sites');
      if (layer === 'checkpoints' && s.kind !== 'checkpoint')
        return bad('kind', 'not_checkpoint', { kind: s.kind });
      return need('name');
    }
    case 'posts': {
      const p = row as PostRow;
      if (p.status !== null && !UNIT_STATUSES.includes(p.status))
        return unknown('status', p.status);
      return need('name');
    }
  }
}

/**
 * A geometry's shape problem that the database would refuse outright (wrong type, too few
 * points, a ring not closed, a coordinate not a number), or null. With `repair`, unclosed
 * rings are closed (in place) and reported.
 */
function shapeProblem(
  g: Geometry | null | undefined,
  polygons: boolean,
  repair: boolean,
  repaired: () => void,
): ImportReason | null {
  if (!g || typeof g !== 'object') return importReason('geometry_missing');
  const types = polygons ? ['Polygon', 'MultiPolygon'] : ['Point'];
  if (!types.includes(g.type))
    return importReason('geometry_type', { type: g.type, expected: types.join(' or ') });
  const position = (p: unknown) =>
    Array.isArray(p) &&
    p.length >= 2 &&
    Number.isFinite(p[0]) &&
    Number.isFinite(p[1]) &&
    Math.abs(p[0] as number) <= 180 &&
    Math.abs(p[1] as number) <= 90;
  if (g.type === 'Point')
    return position(g.coordinates) ? null : importReason('point_not_position');
  const polys = g.type === 'Polygon' ? [g.coordinates] : (g as Area).coordinates;
  if (!Array.isArray(polys) || !polys.length) return importReason('no_rings', { polygon: 1 });
  for (const [pi, rings] of (polys as number[][][][]).entries()) {
    if (!Array.isArray(rings) || !rings.length)
      return importReason('no_rings', { polygon: pi + 1 });
    for (const [ri, ring] of rings.entries()) {
      const where = { polygon: pi + 1, ring: ri + 1 };
      if (!Array.isArray(ring) || !ring.every(position)) return importReason('bad_position', where);
      const [first, last] = [ring[0]!, ring[ring.length - 1]!];
      if (first[0] !== last[0] || first[1] !== last[1]) {
        if (!repair) return importReason('ring_open', where);
        ring.push([first[0]!, first[1]!]);
        repaired();
      }
      if (ring.length < 4) return importReason('ring_too_short', { ...where, count: ring.length });
    }
  }
  return null;
}

/**
 * Imports a layer's rows: a dry run unless `options.commit`. Refused rows never block the
 * others; a refusal of the file as a whole (a town still in use) is a BadInput.
 */
export async function importLayer<L extends LayerImport>(
  db: Database,
  input: LayerImportInput<L>,
  options: ImportOptions,
): Promise<ImportReport> {
  const spec = SPECS[input.layer] as unknown as Spec<LayerRows[L]>;
  if (!spec) throw new BadInput(undefined, `layer ${String(input.layer)} cannot be imported`);
  if (input.records.length > LAYER_ROWS_MAX)
    throw codedBadInput(
      undefined,
      importReason('too_many_rows', {
        count: input.records.length,
        layer: input.layer,
        max: LAYER_ROWS_MAX,
      }),
    );
  const refusals: ImportRefusal[] = [...input.refusals];
  const repairs: ImportRefusal[] = [];
  const refuse: Refuse = (n, field, code, params) =>
    refusals.push({ n, field, ...importReason(code, params) });

  // checks that need no database; the first row of a key wins, later ones are refused
  const first = new Map<string, number>();
  const rows: Array<{ n: number; row: LayerRows[L] }> = [];
  for (const { n, row } of input.records) {
    const problem = rowProblem(input.layer, row);
    if (problem) {
      refusals.push({ ...problem, n });
      continue;
    }
    const shape = shapeProblem(row.geom, spec.polygons, options.repair, () =>
      repairs.push({ n, field: 'geometry', ...importReason('ring_closed') }),
    );
    if (shape) {
      refusals.push({ n, field: 'geometry', ...shape });
      continue;
    }
    const key = spec.keyOf(row);
    const seen = first.get(key);
    if (seen !== undefined) {
      refuse(n, spec.keyField, 'duplicate_id', { id: key, firstRow: seen });
      continue;
    }
    first.set(key, n);
    rows.push({ n, row });
  }

  const run = async (tx: Queryable): Promise<ImportReport> => {
    if (!rows.length && input.read) {
      // a file of nothing but refusals never empties a layer
      const firstRefusal = [...refusals].sort((a, b) => (a.n ?? 0) - (b.n ?? 0))[0]!;
      const first: ReasonRow = {
        n: firstRefusal.n,
        field: firstRefusal.field,
        code: firstRefusal.code,
        params: firstRefusal.params,
      };
      if (options.commit) throw codedBadInput('file', importReason('nothing_imported', { first }));
      return {
        layer: input.layer,
        committed: false,
        counts: {
          read: input.read,
          add: 0,
          change: 0,
          remove: 0,
          unchanged: 0,
          refused: refusals.length,
          repaired: 0,
        },
        refusals: refusals.sort((a, b) => (a.n ?? 0) - (b.n ?? 0)).slice(0, REFUSALS_SHOWN),
        repairs: [],
        notes: [importReason('all_refused', { first })],
        tiling: null,
        preview: { type: 'FeatureCollection', features: [] },
      };
    }
    const [district] = await tx.query<{ n: number }>('SELECT count(*)::int AS n FROM district');
    if (!district?.n) throw codedBadInput(undefined, importReason('no_district'));
    await stage(tx, spec, rows);
    await checkGeometries(tx, spec, options.repair, refuse, repairs);
    if (input.layer === 'communities') await resolveTowns(tx, refuse);
    await tx.query(
      `CREATE TEMP TABLE import_before ON COMMIT DROP AS
       SELECT ${spec.key} AS k, md5(string_agg(${spec.hash}, ',')) AS h,
              min(${spec.label}) AS label, ST_AsGeoJSON(ST_Collect(t.geom), 6) AS geom
       FROM ${spec.table} t WHERE ${spec.scope} GROUP BY 1`,
    );
    await spec.apply(tx, options.actor);
    const notes: ImportNote[] = [];
    let tiling: TilingReport | null = null;
    if (input.layer === 'communities') {
      const snapped = await snapCommunitiesToDistrict(tx);
      if (snapped.moved)
        notes.push(
          importReason('communities_clipped', {
            count: snapped.moved,
            maxM: +snapped.maxM.toFixed(3),
          }),
        );
    }
    const counts = await countChanges(tx, spec);
    if (input.layer === 'communities' && (counts.add || counts.change || counts.remove)) {
      for (const table of ['incidents', 'disputes']) await assignCommunities(tx, table, '');
      await assignCommunities(tx, 'sites', '');
    }
    if (input.layer === 'communities') tiling = await checkTiling(tx);
    if (input.layer === 'cameras') {
      const unaimed = rows.filter(
        ({ row }) => (row as CameraRow).kind !== 'dome' && (row as CameraRow).bearing === null,
      ).length;
      if (unaimed) notes.push(importReason('cameras_no_bearing', { count: unaimed }));
    }
    const preview = await previewChanges(tx, spec);
    refusals.sort((a, b) => (a.n ?? 0) - (b.n ?? 0));
    const report: ImportReport = {
      layer: input.layer,
      committed: options.commit,
      counts: {
        read: input.read,
        ...counts,
        refused: refusals.length,
        repaired: repairs.length,
      },
      refusals: refusals.slice(0, REFUSALS_SHOWN),
      repairs: repairs.slice(0, REFUSALS_SHOWN),
      notes,
      tiling,
      preview,
    };
    // last, and only when something changed: the versions' rows stay locked to the end of the
    // transaction (writers of the same data wait), and a dry run changes nothing
    if (options.commit && counts.add + counts.change + counts.remove)
      await bumpDataVersion(tx, ...TABLE_DATA[spec.table]!);
    return report;
  };

  const report = await importTransaction(db, options, `layer:${input.layer}`, run, () => ({
    file: input.file.name,
    sha256: input.file.sha256,
    repair: options.repair,
  }));
  if (options.commit && db.kind === 'server') await db.exec(`ANALYZE ${spec.table}`);
  return report;
}

/** The incoming rows in a temporary table (import_rows), geometries built. */
async function stage<R>(tx: Queryable, spec: Spec<R>, rows: Array<{ n: number; row: R }>) {
  const columns = Object.entries(spec.columns);
  await tx.query(
    `CREATE TEMP TABLE import_rows (n int PRIMARY KEY, k text NOT NULL,
       ${columns.map(([c, t]) => `${c} ${t}`).join(', ')}, geom geometry NOT NULL) ON COMMIT DROP`,
  );
  const defs = columns.map(([c, t]) => `${c} ${t}`).join(', ');
  const names = columns.map(([c]) => c).join(', ');
  const geom = spec.polygons
    ? 'ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(x.g), 4326))'
    : 'ST_SetSRID(ST_GeomFromGeoJSON(x.g), 4326)';
  for (let from = 0; from < rows.length; from += 5000) {
    const batch = rows.slice(from, from + 5000).map(({ n, row }) => ({
      n,
      k: spec.keyOf(row),
      ...spec.values(row),
      g: JSON.stringify((row as { geom: Geometry }).geom),
    }));
    await tx.query(
      `INSERT INTO import_rows (n, k, ${names}, geom)
       SELECT x.n, x.k, ${columns.map(([c]) => `x.${c}`).join(', ')}, ${geom}
       FROM json_to_recordset($1::json) AS x(n int, k text, ${defs}, g text)`,
      [JSON.stringify(batch)],
    );
  }
}

/**
 * Invalid geometries (refused with where, or repaired with `repair`) and positions outside the
 * district (points: refused; boundaries: refused beyond the snapping tolerance, clipped to the
 * district with `repair`). Refused rows leave import_rows.
 */
async function checkGeometries<R>(
  tx: Queryable,
  spec: Spec<R>,
  repair: boolean,
  refuse: Refuse,
  repairs: ImportRefusal[],
) {
  const invalid = await tx.query<{ n: number; reason: string }>(
    `SELECT n, ST_IsValidReason(geom) AS reason FROM import_rows WHERE NOT ST_IsValid(geom) ORDER BY n`,
  );
  for (const { n, reason } of invalid) {
    if (repair)
      repairs.push({ n, field: 'geometry', ...importReason('made_valid', { detail: reason }) });
    else refuse(n, 'geometry', 'invalid_geometry', { detail: reason });
  }
  if (invalid.length && repair)
    await tx.query(
      `UPDATE import_rows SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3))
       WHERE NOT ST_IsValid(geom)`,
    );
  else if (invalid.length)
    await tx.query('DELETE FROM import_rows WHERE n = ANY($1::int[])', [invalid.map((r) => r.n)]);
  const outside = await tx.query<{ n: number; m: number }>(
    `SELECT r.n, ST_Distance(r.geom::geography, d.geom::geography) AS m
     FROM import_rows r, (SELECT geom FROM district LIMIT 1) d
     WHERE NOT ST_CoveredBy(r.geom, d.geom) AND ${
       spec.polygons
         ? `NOT ST_CoveredBy(r.geom, ST_Buffer(d.geom, ${SNAP_TOLERANCE_DEG}))`
         : `NOT ST_DWithin(r.geom, d.geom, ${SNAP_TOLERANCE_DEG})`
     } ORDER BY r.n`,
  );
  const refused: number[] = [];
  for (const { n, m } of outside) {
    if (spec.polygons && m === 0 && repair) {
      repairs.push({ n, field: 'geometry', ...importReason('clipped_to_edge') });
      continue;
    }
    refused.push(n);
    if (spec.polygons && m === 0)
      refuse(n, 'geometry', 'beyond_edge', { toleranceM: SNAP_TOLERANCE_M });
    else refuse(n, 'geometry', 'outside_district', { distanceM: Math.round(m) });
  }
  if (repair && spec.polygons)
    await tx.query(
      `UPDATE import_rows r
       SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(r.geom, d.geom)), 3))
       FROM (SELECT geom FROM district LIMIT 1) d
       WHERE NOT ST_CoveredBy(r.geom, ST_Buffer(d.geom, ${SNAP_TOLERANCE_DEG}))
         AND ST_Intersects(r.geom, d.geom)`,
    );
  if (refused.length) await tx.query('DELETE FROM import_rows WHERE n = ANY($1::int[])', [refused]);
}

/** A community's town by code or name; unknown towns refused. */
async function resolveTowns(tx: Queryable, refuse: Refuse) {
  await tx.query(
    `UPDATE import_rows r SET town_id = t.id FROM towns t
     WHERE t.code = trim(r.town) OR t.name = trim(r.town)`,
  );
  const unknown = await tx.query<{ n: number; town: string }>(
    `SELECT n, town FROM import_rows WHERE town_id IS NULL ORDER BY n`,
  );
  for (const { n, town } of unknown) refuse(n, 'town', 'unknown_town', { town });
  if (unknown.length) await tx.query('DELETE FROM import_rows WHERE town_id IS NULL');
}

/** Compares the layer after the change with import_before. */
async function countChanges<R>(tx: Queryable, spec: Spec<R>) {
  await tx.query(
    `CREATE TEMP TABLE import_after ON COMMIT DROP AS
     SELECT ${spec.key} AS k, md5(string_agg(${spec.hash}, ',')) AS h,
            min(${spec.label}) AS label, ST_AsGeoJSON(ST_Collect(t.geom), 6) AS geom
     FROM ${spec.table} t WHERE ${spec.scope} GROUP BY 1`,
  );
  const [c] = await tx.query<{ add: number; change: number; remove: number; unchanged: number }>(
    `SELECT count(*) FILTER (WHERE b.k IS NULL)::int AS add,
            count(*) FILTER (WHERE a.k IS NOT NULL AND b.k IS NOT NULL AND a.h <> b.h)::int AS change,
            count(*) FILTER (WHERE a.k IS NULL)::int AS remove,
            count(*) FILTER (WHERE a.h = b.h)::int AS unchanged
     FROM import_after a FULL JOIN import_before b ON a.k = b.k`,
  );
  return c!;
}

async function previewChanges<R>(tx: Queryable, _spec: Spec<R>): Promise<FeatureCollection> {
  const rows = await tx.query<{ change: string; k: string; label: string; geom: string }>(
    `SELECT CASE WHEN b.k IS NULL THEN 'add' WHEN a.k IS NULL THEN 'remove' ELSE 'change' END AS change,
            coalesce(a.k, b.k) AS k, coalesce(a.label, b.label) AS label,
            coalesce(a.geom, b.geom) AS geom
     FROM import_after a FULL JOIN import_before b ON a.k = b.k
     WHERE a.k IS NULL OR b.k IS NULL OR a.h <> b.h
     ORDER BY 1, 2 LIMIT ${PREVIEW_MAX}`,
  );
  return {
    type: 'FeatureCollection',
    features: rows.map((r): Feature => ({
      type: 'Feature',
      properties: { change: r.change, key: r.k, label: r.label },
      geometry: JSON.parse(r.geom) as Geometry,
    })),
  };
}

/** Points of `table` re-assigned to the community that holds them (the lowest id on an edge). */
async function assignCommunities(tx: Queryable, table: string, where: string) {
  // the table alone, no join with itself: the partitioned incidents are updated partition by
  // partition (a join by id would look each row up in every partition)
  const community = `(SELECT c.id FROM communities c WHERE ST_Intersects(c.geom, x.geom)
                      ORDER BY c.id LIMIT 1)`;
  await tx.query(
    `UPDATE ${table} x SET community_id = ${community}
     ${where ? `${where} AND` : 'WHERE'} x.community_id IS DISTINCT FROM ${community}`,
  );
}

/** Overlaps between communities and parts of the district none covers, with their areas. */
async function checkTiling(tx: Queryable): Promise<TilingReport> {
  const overlaps = await tx.query<{ a: string; b: string; m2: number }>(
    `SELECT a.name AS a, b.name AS b,
            ST_Area(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3)::geography) AS m2
     FROM communities a JOIN communities b ON a.id < b.id AND ST_Intersects(a.geom, b.geom)
       AND NOT ST_Touches(a.geom, b.geom)`,
  );
  const gaps = await tx.query<{ m2: number; x: number; y: number }>(
    `SELECT ST_Area(g.geom::geography) AS m2, ST_X(ST_PointOnSurface(g.geom)) AS x,
            ST_Y(ST_PointOnSurface(g.geom)) AS y
     FROM (SELECT (ST_Dump(ST_CollectionExtract(ST_Difference(d.geom,
             coalesce((SELECT ST_Union(geom) FROM communities), ST_GeomFromText('POLYGON EMPTY', 4326))), 3))).geom
           FROM (SELECT geom FROM district LIMIT 1) d) g`,
  );
  return {
    overlaps: overlaps
      .filter((o) => o.m2 >= TILING_MIN_M2)
      .sort((x, y) => y.m2 - x.m2)
      .map((o) => ({ a: o.a, b: o.b, areaM2: Math.round(o.m2) })),
    gaps: gaps
      .filter((g) => g.m2 >= TILING_MIN_M2)
      .sort((x, y) => y.m2 - x.m2)
      .map((g) => ({ areaM2: Math.round(g.m2), at: [g.x, g.y] })),
  };
}
