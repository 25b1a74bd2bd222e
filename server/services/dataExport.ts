/**
 * Exports of the map's layers and of the incidents of a window, in the formats agencies use
 * (server/files/write): which layers there are, what each one's fields are called (short English
 * names for DBF, Chinese headers elsewhere, codes beside their Chinese labels), who may export
 * what, and the rows, read from the database page by page so that no table sits in memory.
 *
 * Who may export a layer: whoever may see it (domain/layers.ts permission; a display limited to
 * some layers only those). Camera positions need cameras:read (an analyst has none), and no other
 * layer carries them. Incidents one by one need incidents:read.
 */
import type { Geometry } from 'geojson';
import { z } from 'zod';
import { can, LAYERS, type MapLayer, type Permission, type Role } from '../../domain/policy';
import { localDate } from '../../domain/time';
import { parseCrs, type Crs } from '../../geo/crs';
import {
  CAMERA_KINDS,
  CAMERA_STATUSES,
  CATEGORY_NAMES_ZH,
  INCIDENT_STATUSES,
  RINGS,
  SHIFTS,
  SITE_KINDS,
  UNIT_STATUSES,
} from '../../domain/vocabulary';
import type { Queryable } from '../db/database';
import { Forbidden, InvalidInput, TooLarge } from '../errors';
import { EXPORT_FORMATS, FORMAT_FILES, type ExportFormat } from '../files/write';
import type { ExportField, ExportRow, ExportTable, FieldValue } from '../files/write/table';
import { categories as categoryList, checkWindow, windowShape } from '../inputs';
import { whereIncidents } from './incidents';

/** The most rows one export writes (an XLSX sheet holds 1,048,576). */
export const MAX_EXPORT_ROWS = 1_000_000;

/** Rows read from the database at a time. */
const PAGE_ROWS = 5_000;

/** A field and the SQL expression of its value. */
interface LayerField extends ExportField {
  sql: string;
}

interface LayerSpec {
  /** the Chinese name, in file names and the XLSX sheet */
  zh: string;
  /** the map layer whose permission (and display limit) the export needs */
  mapLayer: MapLayer;
  /** a permission needed besides the map layer's */
  permission?: Exclude<Permission, 'public'>;
  geometry: ExportTable['geometry'];
  from: string;
  /** the alias of the layer's table in `from`: its id orders the pages, its geom is written */
  alias: string;
  where?: string;
  /** the incidents of a window and categories */
  windowed?: boolean;
  fields: LayerField[];
}

/** SQL turning a code into its Chinese label (the codes are the vocabulary's, the labels here). */
function labelSql(column: string, labels: Readonly<Record<string, string>>) {
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  const whens = Object.entries(labels).map(([k, v]) => `WHEN ${quote(k)} THEN ${quote(v)}`);
  return `CASE ${column} ${whens.join(' ')} END`;
}

/** Every code of a vocabulary list with its label (the compiler checks none is missing). */
const labels = <T extends string>(_list: readonly T[], table: Record<T, string>) => table;

const INCIDENT_STATUS_ZH = labels(INCIDENT_STATUSES, {
  open: '已接警',
  dispatched: '已派警',
  on_scene: '已到场',
  closed: '已办结',
});
const CAMERA_KIND_ZH = labels(CAMERA_KINDS, { bullet: '枪机', dome: '球机', checkpoint: '卡口' });
const CAMERA_STATUS_ZH = labels(CAMERA_STATUSES, { online: '在线', offline: '离线' });
const SITE_KIND_ZH = labels(SITE_KINDS, {
  school: '学校',
  hospital: '医院',
  hazchem: '危化品单位',
  gas: '加油加气站',
  government: '党政机关',
  market: '商场市场',
  checkpoint: '外圈卡点',
});
const COMMUNITY_KIND_ZH = { village: '村', community: '社区' };
const RING_ZH = labels(RINGS, { outer: '外圈', middle: '中圈', inner: '内圈' });
const SHIFT_ZH = labels(SHIFTS, { day: '白班', night: '夜班', all: '全天' });
const UNIT_STATUS_ZH = labels(UNIT_STATUSES, {
  available: '在岗空闲',
  busy: '处警中',
  off_duty: '不在岗',
});

const f = (
  key: string,
  short: string,
  header: string,
  type: ExportField['type'],
  sql: string,
): LayerField => ({ key, short, header, type, sql });

/** A coded value as two fields: its code, and its Chinese label beside it. */
const coded = (
  key: string,
  short: [string, string],
  header: string,
  column: string,
  labels: Readonly<Record<string, string>>,
): LayerField[] => [
  f(key, short[0], `${header}代码`, 'text', column),
  f(`${key}Name`, short[1], header, 'text', labelSql(column, labels)),
];

const epochMs = (col: string) => `(extract(epoch FROM ${col}) * 1000)::float8`;

const siteFields = (alias: string) => [
  f('id', 'id', '编号', 'int', `${alias}.id`),
  f('name', 'name', '名称', 'text', `${alias}.name`),
  ...coded('kind', ['kind', 'kind_name'], '类型', `${alias}.kind`, SITE_KIND_ZH),
  f('communityCode', 'comm_code', '村/社区代码', 'text', 'c.code'),
  f('communityName', 'comm_name', '所属村/社区', 'text', 'c.name'),
];

const SITES_FROM = 'sites s LEFT JOIN communities c ON c.id = s.community_id';

export const EXPORT_LAYERS = {
  communities: {
    zh: '社区',
    mapLayer: 'communities',
    geometry: 'area',
    from: 'communities c JOIN towns t ON t.id = c.town_id',
    alias: 'c',
    fields: [
      f('id', 'id', '编号', 'int', 'c.id'),
      f('code', 'code', '代码', 'text', 'c.code'),
      f('name', 'name', '名称', 'text', 'c.name'),
      ...coded('kind', ['kind', 'kind_name'], '类型', 'c.kind', COMMUNITY_KIND_ZH),
      f('townCode', 'town_code', '街道/镇代码', 'text', 't.code'),
      f('townName', 'town_name', '所属街道/镇', 'text', 't.name'),
      f('population', 'population', '人口', 'int', 'c.population'),
      f('synthetic', 'synthetic', '演示边界', 'bool', 'c.synthetic'),
    ],
  },
  towns: {
    zh: '街道',
    mapLayer: 'towns',
    geometry: 'area',
    from: 'towns t',
    alias: 't',
    fields: [
      f('id', 'id', '编号', 'int', 't.id'),
      f('code', 'code', '代码', 'text', 't.code'),
      f('name', 'name', '名称', 'text', 't.name'),
    ],
  },
  cameras: {
    zh: '摄像头',
    mapLayer: 'cameras',
    geometry: 'point',
    from: 'cameras k',
    alias: 'k',
    fields: [
      f('id', 'id', '编号', 'int', 'k.id'),
      ...coded('kind', ['kind', 'kind_name'], '类型', 'k.kind', CAMERA_KIND_ZH),
      f('bearing', 'bearing', '朝向（度）', 'real', 'k.bearing'),
      f('fov', 'fov', '视场角（度）', 'real', 'k.fov'),
      f('rangeM', 'range_m', '视距（米）', 'real', 'k.range_m'),
      ...coded('status', ['status', 'stat_name'], '状态', 'k.status', CAMERA_STATUS_ZH),
      f('batch', 'batch', '建设批次', 'text', 'k.batch'),
      f('installedAt', 'installed', '安装日期', 'date', "to_char(k.installed_at, 'YYYY-MM-DD')"),
    ],
  },
  sites: {
    zh: '重点场所',
    mapLayer: 'sites',
    geometry: 'point',
    from: SITES_FROM,
    alias: 's',
    fields: siteFields('s'),
  },
  checkpoints: {
    zh: '卡点',
    mapLayer: 'sites',
    geometry: 'point',
    from: SITES_FROM,
    alias: 's',
    where: "s.kind = 'checkpoint'",
    fields: siteFields('s'),
  },
  posts: {
    zh: '岗亭',
    mapLayer: 'posts',
    // a post is placed at a point (posts.create/update take a position)
    geometry: 'point',
    from: 'patrol_units u',
    alias: 'u',
    where: "u.kind = 'post'",
    fields: [
      f('id', 'id', '编号', 'int', 'u.id'),
      f('name', 'name', '名称', 'text', 'u.name'),
      ...coded('status', ['status', 'stat_name'], '状态', 'u.status', UNIT_STATUS_ZH),
      f('updatedAt', 'updated', '更新时间', 'datetime', epochMs('u.updated_at')),
      f('updatedBy', 'updated_by', '更新人', 'text', 'u.updated_by'),
    ],
  },
  circles: {
    zh: '防控圈',
    mapLayer: 'circles',
    geometry: 'area',
    from: 'protection_circles p',
    alias: 'p',
    fields: [
      f('id', 'id', '编号', 'int', 'p.id'),
      ...coded('ring', ['ring', 'ring_name'], '圈层', 'p.ring', RING_ZH),
      f('name', 'name', '名称', 'text', 'p.name'),
      f('description', 'descr', '说明', 'text', 'p.description'),
    ],
  },
  zones: {
    zh: '巡区',
    mapLayer: 'zones',
    geometry: 'area',
    from: 'patrol_zones z LEFT JOIN towns t ON t.id = z.town_id',
    alias: 'z',
    fields: [
      f('id', 'id', '编号', 'int', 'z.id'),
      f('name', 'name', '名称', 'text', 'z.name'),
      f('unit', 'unit', '责任单位', 'text', 'z.unit'),
      ...coded('shift', ['shift', 'shift_name'], '班次', 'z.shift', SHIFT_ZH),
      f('townName', 'town_name', '所属街道/镇', 'text', 't.name'),
      f('version', 'version', '版本', 'int', 'z.version'),
      f('updatedAt', 'updated', '更新时间', 'datetime', epochMs('z.updated_at')),
      f('updatedBy', 'updated_by', '更新人', 'text', 'z.updated_by'),
    ],
  },
  incidents: {
    zh: '警情',
    mapLayer: 'points',
    permission: 'incidents:read',
    geometry: 'point',
    from: 'incidents i LEFT JOIN communities c ON c.id = i.community_id',
    alias: 'i',
    windowed: true,
    fields: [
      f('id', 'id', '编号', 'int', 'i.id'),
      f('time', 'time', '接警时间', 'datetime', epochMs('i.time')),
      ...coded('category', ['category', 'cat_name'], '类别', 'i.category', CATEGORY_NAMES_ZH),
      f('subcategory', 'subcat', '细类代码', 'text', 'i.subcategory'),
      ...coded('status', ['status', 'stat_name'], '状态', 'i.status', INCIDENT_STATUS_ZH),
      f('communityCode', 'comm_code', '村/社区代码', 'text', 'c.code'),
      f('communityName', 'comm_name', '所属村/社区', 'text', 'c.name'),
      f('address', 'address', '地址', 'text', 'i.address'),
      f('source', 'source', '来源', 'text', 'i.source'),
      f('sourceId', 'source_id', '接警单编号', 'text', 'i.source_id'),
    ],
  },
} as const satisfies Record<string, LayerSpec>;

export type ExportLayer = keyof typeof EXPORT_LAYERS;
export const EXPORT_LAYER_IDS = Object.keys(EXPORT_LAYERS) as ExportLayer[];

/** An export's parameters, as the route's query and the command line give them (text). */
export const exportParams = z
  .object({
    layer: z.enum(EXPORT_LAYER_IDS as [ExportLayer, ...ExportLayer[]]),
    format: z.enum(EXPORT_FORMATS),
    crs: z
      .string()
      .max(40)
      .default('wgs84')
      .transform((s, ctx) => {
        try {
          return parseCrs(s);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: (err as Error).message });
          return z.NEVER;
        }
      }),
    from: windowShape.from.optional(),
    to: windowShape.to.optional(),
    categories: z
      .string()
      .max(200)
      .optional()
      .transform((s) => (s ? s.split(',').map((c) => c.trim()) : undefined))
      .pipe(categoryList.optional()),
  })
  .superRefine((v, ctx) => {
    const windowed = (EXPORT_LAYERS[v.layer] as LayerSpec | undefined)?.windowed;
    if (windowed) {
      if (!v.from)
        ctx.addIssue({ code: 'custom', path: ['from'], message: 'is required for incidents' });
      if (!v.to)
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'is required for incidents' });
      if (v.from && v.to) checkWindow({ from: v.from, to: v.to }, ctx);
    } else if (v.layer && (v.from || v.to || v.categories))
      ctx.addIssue({
        code: 'custom',
        path: [v.from || v.to ? 'from' : 'categories'],
        message: `applies to incidents only, not to ${v.layer}`,
      });
  });

export type ExportParams = z.output<typeof exportParams>;

/** Who asks: a role, and for a display the layers it is limited to. */
export interface Exporter {
  role: Role;
  layers?: readonly string[] | null;
}

/**
 * Throws Forbidden unless `who` may export `layer`: the permission of the map layer it is, any
 * further permission, and for a limited display that layer among its own.
 */
export function checkExport(who: Exporter, layer: ExportLayer) {
  const spec: LayerSpec = EXPORT_LAYERS[layer];
  const needs: Exclude<Permission, 'public'>[] = [LAYERS[spec.mapLayer].permission];
  if (spec.permission) needs.push(spec.permission);
  for (const p of needs)
    if (!can(who.role, p))
      throw new Forbidden(
        p === 'cameras:read'
          ? `the role ${who.role} may not export camera positions (${layer})`
          : `the role ${who.role} may not export ${layer} (it needs ${p})`,
      );
  if (who.role === 'display' && who.layers && !who.layers.includes(spec.mapLayer))
    throw new Forbidden(`this display is not configured to show ${spec.mapLayer}`);
}

/** The WHERE clause of a layer's export and its parameters. */
function whereOf(spec: LayerSpec, p: ExportParams, params: unknown[]) {
  const parts: string[] = [];
  if (spec.where) parts.push(spec.where);
  if (spec.windowed && p.from && p.to)
    parts.push(whereIncidents({ from: p.from, to: p.to, categories: p.categories }, params, 'i'));
  return parts;
}

/** The rows of a layer, page by page in the order of its key. */
async function* layerRows(
  db: Queryable,
  spec: LayerSpec,
  p: ExportParams,
): AsyncGenerator<ExportRow> {
  const cols = spec.fields.map((fl) => `${fl.sql} AS "${fl.key}"`).join(', ');
  let after: number | null = null;
  for (;;) {
    const params: unknown[] = [];
    const where = whereOf(spec, p, params);
    if (after !== null) where.push(`${spec.alias}.id > $${params.push(after)}`);
    const rows = await db.query<Record<string, FieldValue> & { __id: number; __geom: string }>(
      `SELECT ${spec.alias}.id AS __id, ST_AsGeoJSON(${spec.alias}.geom, 7) AS __geom, ${cols}
       FROM ${spec.from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY ${spec.alias}.id LIMIT ${PAGE_ROWS}`,
      params,
    );
    for (const r of rows) {
      const { __id: _id, __geom, ...values } = r;
      yield { geometry: JSON.parse(__geom) as Geometry, values };
    }
    if (rows.length < PAGE_ROWS) return;
    after = Number(rows[rows.length - 1]!.__id);
  }
}

/** How many rows an export would write. */
async function countRows(db: Queryable, spec: LayerSpec, p: ExportParams) {
  const params: unknown[] = [];
  const where = whereOf(spec, p, params);
  const [row] = await db.query<{ n: string | number }>(
    `SELECT count(*) AS n FROM ${spec.from} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
    params,
  );
  return Number(row?.n ?? 0);
}

export interface PreparedExport {
  table: ExportTable;
  crs: Crs;
  format: ExportFormat;
  rows: number;
  /** e.g. 城北区-社区-2026-12-05.zip */
  fileName: string;
  /** the same in ASCII, for clients that do not read RFC 5987 names */
  asciiFileName: string;
  /** what the audit row says */
  audit: Record<string, unknown>;
}

/**
 * Checks who asks and counts the rows (TooLarge past MAX_EXPORT_ROWS); the rows themselves are
 * read when the table is written.
 */
export async function prepareExport(
  db: Queryable,
  who: Exporter,
  p: ExportParams,
  now: Date,
): Promise<PreparedExport> {
  checkExport(who, p.layer);
  const spec: LayerSpec = EXPORT_LAYERS[p.layer];
  const rows = await countRows(db, spec, p);
  if (rows > MAX_EXPORT_ROWS)
    throw new TooLarge(
      `${rows} rows: an export writes at most ${MAX_EXPORT_ROWS}; choose a shorter window or fewer categories`,
    );
  const [district] = await db.query<{ name: string }>(
    'SELECT name FROM district ORDER BY id LIMIT 1',
  );
  const { ext } = FORMAT_FILES[p.format];
  const day = localDate(now.getTime());
  const span =
    spec.windowed && p.from && p.to
      ? `${localDate(p.from.getTime())}至${localDate(p.to.getTime() - 1)}`
      : day;
  const fileName = `${district ? `${district.name}-` : ''}${spec.zh}-${span}.${ext}`;
  return {
    table: {
      id: p.layer,
      name: spec.zh,
      geometry: spec.geometry,
      fields: spec.fields,
      rows: layerRows(db, spec, p),
    },
    crs: p.crs,
    format: p.format,
    rows,
    fileName,
    asciiFileName: `${p.layer}-${day}.${ext}`,
    audit: {
      layer: p.layer,
      format: p.format,
      crs: p.crs.id,
      ...(spec.windowed
        ? {
            from: p.from?.toISOString(),
            to: p.to?.toISOString(),
            categories: p.categories ?? 'all',
          }
        : {}),
      rows,
    },
  };
}

/** The parameters' problems as field messages (for a 400 and the command line). */
export function parseExportParams(raw: unknown): ExportParams {
  const parsed = exportParams.safeParse(raw);
  if (!parsed.success)
    throw new InvalidInput(
      parsed.error.issues.map((i) => ({
        field: i.path.join('.') || '(query)',
        message: i.message,
      })),
    );
  return parsed.data;
}
