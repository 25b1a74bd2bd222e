/**
 * Which column of an agency's file is which field we store, per target layer: the fields, the
 * column names that map without asking (Chinese and English, as ledgers and GIS exports name
 * them), and the words agencies use for kinds and statuses. `suggestMapping` proposes a mapping
 * with how sure it is; the caller shows it and may override any field.
 */
import { DEFAULT_CATEGORY_LABELS } from '../../../domain/ingest';
import {
  CAMERA_KINDS,
  CAMERA_STATUSES,
  INCIDENT_CATEGORIES,
  INCIDENT_STATUSES,
  SITE_KINDS,
  UNIT_KINDS,
  UNIT_STATUSES,
  type CameraKind,
  type CameraStatus,
  type IncidentCategory,
  type IncidentStatus,
  type SiteKind,
  type UnitKind,
  type UnitStatus,
} from '../../../domain/vocabulary';
import { importReason, type ImportReason } from '../../../domain/importReasons';
import { codedBadInput } from '../../errors';
import { normalizeName } from './columns';

export const IMPORT_LAYERS = [
  'communities',
  'towns',
  'cameras',
  'sites',
  'checkpoints',
  'posts',
  'incidents',
] as const;
export type ImportLayer = (typeof IMPORT_LAYERS)[number];

export interface FieldSpec {
  field: string;
  required: boolean;
  /** column names that map to the field without asking, best first */
  names: readonly string[];
}

const f = (field: string, required: boolean, ...names: string[]): FieldSpec => ({
  field,
  required,
  names,
});

/** The fields of each layer (besides its geometry, which the record carries). */
export const LAYER_FIELDS: Readonly<Record<ImportLayer, readonly FieldSpec[]>> = {
  communities: [
    f(
      'name',
      true,
      '名称',
      '社区名称',
      '村名',
      '村名称',
      '村社区名称',
      '村（社区）名称',
      '村社区',
      'name',
      'mc',
    ),
    f(
      'code',
      true,
      '代码',
      '区划代码',
      '统计代码',
      '行政区划代码',
      '统计用区划代码',
      '社区代码',
      '村代码',
      'code',
      'dm',
      'qhdm',
    ),
    f(
      'town',
      true,
      // as our own exports name them
      'town_code',
      '街道/镇代码',
      '所属街道/镇',
      'town_name',
      '所属街道',
      '所属乡镇',
      '所属街道乡镇',
      '街道',
      '乡镇',
      '街道乡镇',
      '乡镇街道',
      'town',
      'street',
    ),
    f('kind', false, '类型', '类别', '村社区类型', 'kind', 'type', 'lx'),
    f('population', false, '人口', '人口数', '常住人口', '户籍人口', 'population', 'pop', 'rk'),
  ],
  towns: [
    f('name', true, '名称', '街道名称', '乡镇名称', '街道', '乡镇', 'name', 'mc'),
    f(
      'code',
      true,
      '代码',
      '区划代码',
      '统计代码',
      '行政区划代码',
      '街道代码',
      '乡镇代码',
      'code',
      'dm',
      'qhdm',
    ),
  ],
  cameras: [
    f(
      'deviceCode',
      true,
      '设备编号',
      '设备编码',
      '国标编号',
      '国标编码',
      '设备id',
      '点位编号',
      '编号',
      'deviceid',
      'devicecode',
      'gbid',
      'code',
      'id',
      'sbbh',
    ),
    f('name', false, '设备名称', '点位名称', '名称', '安装位置', 'name', 'sbmc'),
    f('kind', true, '类型', '设备类型', '摄像机类型', '类别', 'kind', 'type', 'lx'),
    f(
      'bearing',
      false,
      '朝向',
      '方向',
      '方位角',
      '朝向角',
      '角度',
      'bearing',
      'direction',
      'azimuth',
      'heading',
    ),
    f('fov', false, '视角', '水平视角', '视场角', 'fov', 'viewangle'),
    f(
      'rangeM',
      false,
      '距离',
      '可视距离',
      '监控距离',
      '视距',
      '半径',
      'range',
      'distance',
      'rangem',
    ),
    f('status', false, '状态', '在线状态', '设备状态', 'status', 'online'),
    f('installedAt', false, '安装时间', '安装日期', '建设时间', 'installedat', 'installdate'),
  ],
  sites: [
    f('name', true, '名称', '场所名称', '单位名称', '重点部位', '部位名称', 'name', 'mc'),
    f('kind', true, '类型', '场所类型', '类别', '部位类型', 'kind', 'type', 'lx'),
  ],
  checkpoints: [
    f('name', true, '名称', '卡口名称', '检查站名称', '检查站', 'name', 'mc'),
    f('code', false, '编号', '卡口编号', '代码', 'code', 'id'),
  ],
  posts: [
    f('name', true, '名称', '岗亭名称', '警务站名称', '点位名称', 'name', 'mc'),
    f('kind', false, '类型', '类别', '岗位类型', 'kind', 'type', 'lx'),
    f('status', false, '状态', '值守状态', 'status'),
  ],
  incidents: [
    f(
      'sourceId',
      true,
      '警情编号',
      '接警单编号',
      '接警编号',
      '警情id',
      '案件编号',
      '编号',
      'sourceid',
      'id',
      'jjdbh',
      'jqbh',
    ),
    f('time', true, '报警时间', '接警时间', '发生时间', '时间', 'time', 'bjsj', 'jjsj'),
    f('category', true, '警情类别', '警情类型', '类别', '警情性质', 'category', 'jqlb'),
    f('subcategory', false, '警情子类', '警情细类', '子类', '案由', 'subcategory', 'jqxl'),
    f('status', false, '状态', '处警状态', '警情状态', 'status', 'zt'),
    f('address', false, '地址', '发生地址', '案发地址', '事发地址', '报警地址', 'address', 'dz'),
  ],
};

export type Confidence = 'caller' | 'name' | 'contains' | 'truncated';

export interface FieldMatch {
  column: string;
  confidence: Confidence;
  /** why this column, in English (code and params: the same, for the page's language) */
  why: string;
  code: ImportReason['code'];
  params: ImportReason['params'];
}

/** A match's reason as a FieldMatch carries it. */
const because = (r: ImportReason) => ({ why: r.reason, code: r.code, params: r.params });

export interface SuggestedMapping {
  layer: ImportLayer;
  /** field → the column it is read from */
  fields: Record<string, FieldMatch>;
  /** required fields no column maps to */
  missing: string[];
  /** columns mapped to no field */
  unused: string[];
}

/** What the caller decides: a column for a field, or null for "this field is not in the file". */
export type MappingOverride = Record<string, string | null>;

const SCORE: Record<Exclude<Confidence, 'caller'>, number> = {
  name: 3,
  contains: 2,
  truncated: 1,
};

/** How a column's name matches a field's names, if it does. */
function match(
  column: string,
  spec: FieldSpec,
): { confidence: Confidence; why: ImportReason; rank: number } | null {
  const c = normalizeName(column);
  if (!c) return null;
  let best: { confidence: Confidence; why: ImportReason; rank: number } | null = null;
  spec.names.forEach((name, rank) => {
    const n = normalizeName(name);
    const m: Exclude<Confidence, 'caller'> | null =
      c === n
        ? 'name'
        : /[\u4e00-\u9fff]/.test(n) && n.length >= 2 && c.includes(n)
          ? 'contains'
          : // a DBF keeps 10 bytes of a name: 所属街道 may arrive as 所属街
            c.length >= 3 && n.startsWith(c)
            ? 'truncated'
            : null;
    if (!m) return;
    const why = importReason(
      m === 'name' ? 'column_named' : m === 'contains' ? 'column_contains' : 'column_truncated',
      { name },
    );
    if (
      !best ||
      SCORE[m] > SCORE[best.confidence as keyof typeof SCORE] ||
      (SCORE[m] === SCORE[best.confidence as keyof typeof SCORE] && rank < best.rank)
    )
      best = { confidence: m, why, rank };
  });
  return best;
}

/**
 * The suggested column for each field of `layer`: the caller's choices first, then the best
 * matches by name (a column serves one field; a better match wins it). `exclude` are columns
 * not to map (the coordinate columns).
 */
export function suggestMapping(
  layer: ImportLayer,
  columns: readonly string[],
  options: { override?: MappingOverride; exclude?: readonly string[] } = {},
): SuggestedMapping {
  const specs = LAYER_FIELDS[layer];
  const override = options.override ?? {};
  for (const [field, column] of Object.entries(override)) {
    if (!specs.some((s) => s.field === field))
      throw codedBadInput(
        'mapping',
        importReason('mapping_no_field', {
          layer,
          field: field.slice(0, 100),
          fields: specs.map((s) => s.field),
        }),
      );
    if (column !== null && !columns.includes(column))
      throw codedBadInput('mapping', importReason('mapping_column_missing', { column, field }));
  }
  const fields: Record<string, FieldMatch> = {};
  const used = new Set<string>(options.exclude ?? []);
  for (const [field, column] of Object.entries(override))
    if (column !== null) {
      fields[field] = { column, confidence: 'caller', ...because(importReason('column_chosen')) };
      used.add(column);
    }

  const candidates: {
    field: string;
    column: string;
    score: number;
    rank: number;
    order: number;
    m: FieldMatch;
  }[] = [];
  specs.forEach((spec, order) => {
    if (spec.field in override) return;
    for (const column of columns) {
      const m = match(column, spec);
      if (m)
        candidates.push({
          field: spec.field,
          column,
          score: SCORE[m.confidence as keyof typeof SCORE],
          rank: m.rank,
          order,
          m: { column, confidence: m.confidence, ...because(m.why) },
        });
    }
  });
  candidates.sort((a, b) => b.score - a.score || a.rank - b.rank || a.order - b.order);
  for (const c of candidates) {
    if (fields[c.field] || used.has(c.column)) continue;
    fields[c.field] = c.m;
    used.add(c.column);
  }
  return {
    layer,
    fields,
    missing: specs.filter((s) => s.required && !fields[s.field]).map((s) => s.field),
    unused: columns.filter((c) => !used.has(c)),
  };
}

/** Words for a value, normalized as column names are, to the code they mean. */
function table<T extends string>(
  codes: readonly T[],
  words: Record<string, T>,
): ReadonlyMap<string, T> {
  const m = new Map<string, T>(codes.map((c) => [normalizeName(c), c]));
  for (const [w, c] of Object.entries(words)) m.set(normalizeName(w), c);
  return m;
}

export const CAMERA_KIND_WORDS = table<CameraKind>(CAMERA_KINDS, {
  球机: 'dome',
  球型: 'dome',
  球型摄像机: 'dome',
  半球: 'dome',
  半球机: 'dome',
  半球摄像机: 'dome',
  全景: 'dome',
  枪机: 'bullet',
  枪型: 'bullet',
  枪型摄像机: 'bullet',
  筒机: 'bullet',
  卡口: 'checkpoint',
  治安卡口: 'checkpoint',
  卡口相机: 'checkpoint',
  电警: 'checkpoint',
});

export const CAMERA_STATUS_WORDS = table<CameraStatus>(CAMERA_STATUSES, {
  在线: 'online',
  正常: 'online',
  离线: 'offline',
  故障: 'offline',
  损坏: 'offline',
});

export const SITE_KIND_WORDS = table<SiteKind>(SITE_KINDS, {
  学校: 'school',
  中学: 'school',
  小学: 'school',
  幼儿园: 'school',
  医院: 'hospital',
  卫生院: 'hospital',
  诊所: 'hospital',
  危化品: 'hazchem',
  危险化学品: 'hazchem',
  危化: 'hazchem',
  加油站: 'gas',
  加气站: 'gas',
  燃气: 'gas',
  党政机关: 'government',
  政府: 'government',
  机关: 'government',
  市场: 'market',
  商场: 'market',
  集贸市场: 'market',
  检查站: 'checkpoint',
  卡口: 'checkpoint',
});

export const UNIT_KIND_WORDS = table<UnitKind>(UNIT_KINDS, {
  岗亭: 'post',
  治安岗亭: 'post',
  警务站: 'post',
  便民警务站: 'post',
  执勤点: 'post',
  巡逻车: 'car',
  警车: 'car',
  步巡: 'foot',
  徒步巡逻: 'foot',
  联勤: 'joint_patrol',
  联勤武装巡逻: 'joint_patrol',
});

export const UNIT_STATUS_WORDS = table<UnitStatus>(UNIT_STATUSES, {
  值守: 'available',
  空闲: 'available',
  在岗: 'available',
  忙碌: 'busy',
  处警中: 'busy',
  下班: 'off_duty',
  不在岗: 'off_duty',
});

export const INCIDENT_STATUS_WORDS = table<IncidentStatus | 'cancelled'>(
  [...INCIDENT_STATUSES, 'cancelled'],
  {
    待处理: 'open',
    未处理: 'open',
    已接警: 'open',
    已派警: 'dispatched',
    已派单: 'dispatched',
    处理中: 'dispatched',
    已出警: 'dispatched',
    已到场: 'on_scene',
    到场: 'on_scene',
    已处理: 'closed',
    已结束: 'closed',
    已办结: 'closed',
    已反馈: 'closed',
    结案: 'closed',
    已撤销: 'cancelled',
    撤销: 'cancelled',
    作废: 'cancelled',
  },
);

export const COMMUNITY_KIND_WORDS = table<'village' | 'community'>(['village', 'community'], {
  村: 'village',
  行政村: 'village',
  村委会: 'village',
  社区: 'community',
  居委会: 'community',
  社区居委会: 'community',
});

/** Category labels (the ingest's, and a deployment's extra) and codes to category codes. */
export function incidentCategoryWords(
  extra: Readonly<Record<string, IncidentCategory>> = {},
): ReadonlyMap<string, IncidentCategory> {
  const m = new Map<string, IncidentCategory>();
  for (const [w, c] of Object.entries({ ...DEFAULT_CATEGORY_LABELS, ...extra }))
    m.set(normalizeName(w), c);
  for (const c of INCIDENT_CATEGORIES) m.set(normalizeName(c), c);
  return m;
}

/** The code a word means in `words`, or undefined. */
export function lookUp<T>(words: ReadonlyMap<string, T>, value: string): T | undefined {
  return words.get(normalizeName(value));
}
