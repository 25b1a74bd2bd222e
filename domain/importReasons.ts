/**
 * Why an import refused a row, what it repaired and what it notes: a closed vocabulary of codes
 * with their parameters, each rendered in Chinese and in English by a function of them. The
 * server reports the code and parameters next to the English sentence (its `reason`, for the
 * command line and logs); the admin page renders the code in the page's language.
 *
 * Parameters are data, never sentences, except a `detail` that comes from elsewhere as it is
 * (PostGIS's ST_IsValidReason, a reader's note on a geometry): the Chinese sentence is written
 * around it.
 */

export type ReasonLang = 'zh' | 'en';

/** A refusal in the vocabulary, as a parameter of another (the first of all refused). */
export interface ReasonRow {
  n: number | null;
  field: string | null;
  code: ImportReasonCode;
  params: ReasonParams;
}

/** A coordinate system the numbers suggest, with the share of points it puts in the district. */
export interface ReasonGuess {
  crs: string;
  percent: number;
}

export type ReasonParam =
  string | number | null | readonly string[] | readonly ReasonGuess[] | ReasonRow;
export type ReasonParams = Readonly<Record<string, ReasonParam>>;

/**
 * What a parameter is, which tells how it is rendered: a number or text as it is, a field or
 * layer by its name in the language, a list joined, a refusal rendered in turn, guesses listed.
 */
export type ParamKind =
  'number' | 'text' | 'field' | 'fields' | 'list' | 'layer' | 'row' | 'guesses';

const FIELD_ZH: Record<string, string> = {
  code: '编码',
  name: '名称',
  town: '所属乡镇',
  kind: '类型',
  population: '人口',
  deviceCode: '设备编号',
  bearing: '朝向',
  fov: '视角',
  range: '距离',
  rangeM: '距离',
  status: '状态',
  installedAt: '安装日期',
  sourceId: '警情编号',
  id: '编号',
  time: '报警时间',
  category: '警情类别',
  subcategory: '警情子类',
  address: '地址',
  geometry: '几何',
  position: '位置',
};

const LAYER_ZH: Record<string, string> = {
  towns: '乡镇（街道）',
  communities: '村（社区）',
  cameras: '摄像机',
  sites: '重点场所',
  checkpoints: '卡口',
  posts: '岗亭',
  incidents: '警情',
};

/** How each kind of parameter is written in a language. */
interface Format {
  text(v: ReasonParam | undefined): string;
  field(v: ReasonParam | undefined): string;
  fields(v: ReasonParam | undefined): string;
  list(v: ReasonParam | undefined): string;
  layer(v: ReasonParam | undefined): string;
  row(v: ReasonParam | undefined): string;
  guesses(v: ReasonParam | undefined): string;
}

type Render = (p: ReasonParams, f: Format) => string;

interface ReasonText {
  /** what a refusal, repair or note says; errors are thrown refusals of the file as a whole */
  use: 'refusal' | 'repair' | 'note' | 'error';
  params: Readonly<Record<string, ParamKind>>;
  zh: Render;
  en: Render;
}

const ring = (p: ReasonParams, lang: ReasonLang) =>
  lang === 'zh'
    ? `${p.polygon !== null && p.polygon !== undefined ? `第 ${p.polygon} 个面的` : ''}第 ${p.ring} 个环`
    : `${p.polygon !== null && p.polygon !== undefined ? `polygon ${p.polygon}, ` : ''}ring ${p.ring}`;

const codeKind = (digits: ReasonParam | undefined) =>
  Number(digits) === 20 ? 'a 20-digit GB/T 28181 device id' : `a ${digits}-digit statistical code`;

/** The vocabulary: every code the imports report, with its parameters and renderings. */
export const IMPORT_REASONS = {
  // ---- a value of a row (the reader's conversion) ----
  too_long: {
    use: 'refusal',
    params: { max: 'number' },
    zh: (p) => `超过 ${p.max} 个字符`,
    en: (p) => `is longer than ${p.max} characters`,
  },
  empty: {
    use: 'refusal',
    params: {},
    zh: () => '为空',
    en: () => 'is empty',
  },
  not_mapped: {
    use: 'refusal',
    params: {},
    zh: () => '缺失：没有列对应到该字段',
    en: () => 'is missing: no column is mapped to it',
  },
  no_default: {
    use: 'refusal',
    params: {},
    zh: () => '为空，且没有给出默认值',
    en: () => 'is empty, and no default is given for it',
  },
  field_missing: {
    use: 'refusal',
    params: { field: 'field' },
    zh: (p, f) => `缺少${f.field(p.field)}`,
    en: (p) => `${p.field} is missing`,
  },
  not_a_number: {
    use: 'refusal',
    params: { text: 'text' },
    zh: (p) => `“${p.text}”不是数字`,
    en: (p) => `"${p.text}" is not a number`,
  },
  out_of_range: {
    use: 'refusal',
    params: { value: 'number', min: 'number', max: 'number' },
    zh: (p) => `${p.value} 不在 ${p.min} 到 ${p.max} 之间`,
    en: (p) => `${p.value} is not from ${p.min} to ${p.max}`,
  },
  not_whole: {
    use: 'refusal',
    params: { value: 'number' },
    zh: (p) => `${p.value} 不是整数`,
    en: (p) => `${p.value} is not a whole number`,
  },
  unknown_word: {
    use: 'refusal',
    params: { field: 'field', text: 'text', allowed: 'list' },
    zh: (p, f) =>
      `“${p.text}”不是可识别的${f.field(p.field)}：请使用 ${f.list(p.allowed)} 或它们的常用说法`,
    en: (p, f) =>
      `"${p.text}" is not a known ${p.field}: use one of ${f.list(p.allowed)} or the usual words for them`,
  },
  unknown_category: {
    use: 'refusal',
    params: { label: 'text', allowed: 'list' },
    zh: (p, f) =>
      `警情类别“${p.label}”无法识别：请在类别对照中把它对应到 ${f.list(p.allowed)} 之一`,
    en: (p, f) =>
      `"${p.label}" is not a known category: use one of ${f.list(p.allowed)} or the usual words for them`,
  },
  unknown_value: {
    use: 'refusal',
    params: { field: 'field', value: 'text' },
    zh: (p, f) => `${f.field(p.field)}“${p.value}”无法识别`,
    en: (p) => `${p.field} ${p.value} is unknown`,
  },
  bad_code: {
    use: 'refusal',
    params: { text: 'text', digits: 'number' },
    zh: (p) =>
      `“${p.text}”不是 ${p.digits} 位的${Number(p.digits) === 20 ? '国标（GB/T 28181）设备编码' : '统计用区划代码'}`,
    en: (p) => `"${p.text}" is not ${codeKind(p.digits)}`,
  },
  duplicate_id: {
    use: 'refusal',
    params: { id: 'text', firstRow: 'number' },
    zh: (p) => `“${p.id}”与文件第 ${p.firstRow} 条记录重复`,
    en: (p) => `"${p.id}" is already used by record ${p.firstRow} of the file`,
  },
  repeated_id: {
    use: 'refusal',
    params: { id: 'text' },
    zh: (p) => `编号 ${p.id} 在文件中出现了两次`,
    en: (p) => `id ${p.id} occurs twice in the file`,
  },
  bad_date: {
    use: 'refusal',
    params: { text: 'text' },
    zh: (p) => `“${p.text}”不是日期时间（例如 2026-03-05 08:05:00 或 2026/3/5 8:05，北京时间）`,
    en: (p) =>
      `"${p.text}" is not a date and time (e.g. 2026-03-05 08:05:00 or 2026/3/5 8:05, Beijing time)`,
  },
  bad_time: {
    use: 'refusal',
    params: {},
    zh: () => '时间不是有效日期，或在未来',
    en: () => 'the time is not a date or lies in the future',
  },
  cancelled_call: {
    use: 'refusal',
    params: {},
    zh: () => '已撤销的警情不入库',
    en: () => 'a cancelled call is not stored',
  },
  checkpoint_in_sites: {
    use: 'refusal',
    params: {},
    zh: () => '卡口请作为“卡口”图层导入',
    en: () => 'checkpoints are imported as the checkpoints layer',
  },
  not_checkpoint: {
    use: 'refusal',
    params: { kind: 'text' },
    zh: (p) => `卡口的类型应为 checkpoint，而不是 ${p.kind}`,
    en: (p) => `a checkpoint's kind is checkpoint, not ${p.kind}`,
  },
  unknown_town: {
    use: 'refusal',
    params: { town: 'text' },
    zh: (p) => `乡镇（街道）“${p.town}”尚未入库：请先导入乡镇`,
    en: (p) => `town ${p.town} is not stored: import the towns first`,
  },

  // ---- a row's geometry and position ----
  bad_coordinate: {
    use: 'refusal',
    params: { x: 'number', y: 'number' },
    zh: (p) => `[${p.x}, ${p.y}] 无法换算为经纬度：坐标系是否选对了？`,
    en: (p) =>
      `[${p.x}, ${p.y}] does not convert to a longitude and latitude: is the coordinate system right?`,
  },
  not_lonlat: {
    use: 'refusal',
    params: { lon: 'number', lat: 'number' },
    zh: (p) => `${p.lon}, ${p.lat} 不是有效的经纬度`,
    en: (p) => `${p.lon}, ${p.lat} is not a longitude and latitude`,
  },
  no_geometry: {
    use: 'refusal',
    params: { detail: 'text' },
    zh: (p) => `没有可用的几何：${p.detail}`,
    en: (p) => `${p.detail}`,
  },
  not_a_point: {
    use: 'refusal',
    params: { type: 'text' },
    zh: (p) => `几何是 ${p.type}，这里需要点`,
    en: (p) => `is a ${p.type}; a point is needed`,
  },
  not_a_polygon: {
    use: 'refusal',
    params: { type: 'text' },
    zh: (p) => `几何是 ${p.type}，这里需要面`,
    en: (p) => `is a ${p.type}; a polygon is needed`,
  },
  geometry_missing: {
    use: 'refusal',
    params: {},
    zh: () => '缺少几何',
    en: () => 'the geometry is missing',
  },
  geometry_type: {
    use: 'refusal',
    params: { type: 'text', expected: 'text' },
    zh: (p) => `几何类型是 ${p.type}，应为 ${p.expected}`,
    en: (p) => `the geometry is a ${p.type}, not a ${p.expected}`,
  },
  point_not_position: {
    use: 'refusal',
    params: {},
    zh: () => '点的坐标不是有效的经纬度',
    en: () => 'the point is not a position',
  },
  no_rings: {
    use: 'refusal',
    params: { polygon: 'number' },
    zh: (p) => `第 ${p.polygon} 个面没有环`,
    en: (p) => `polygon ${p.polygon} has no rings`,
  },
  bad_position: {
    use: 'refusal',
    params: { polygon: 'number', ring: 'number' },
    zh: (p) => `${ring(p, 'zh')}有不是经纬度的坐标`,
    en: (p) => `${ring(p, 'en')} has a position that is not a longitude and latitude`,
  },
  ring_too_short: {
    use: 'refusal',
    params: { polygon: 'number', ring: 'number', count: 'number' },
    zh: (p) => `${ring(p, 'zh')}只有 ${p.count} 个点，至少需要 4 个`,
    en: (p) => `${ring(p, 'en')} has ${p.count} positions; at least 4 are needed`,
  },
  ring_not_closed: {
    use: 'refusal',
    params: { polygon: 'number', ring: 'number' },
    zh: (p) => `${ring(p, 'zh')}没有闭合`,
    en: (p) => `${ring(p, 'en')} is not closed`,
  },
  ring_open: {
    use: 'refusal',
    params: { polygon: 'number', ring: 'number' },
    zh: (p) => `${ring(p, 'zh')}没有闭合（选择修复可自动闭合）`,
    en: (p) => `${ring(p, 'en')} is not closed (repair closes it)`,
  },
  invalid_geometry: {
    use: 'refusal',
    params: { detail: 'text' },
    zh: (p) => `几何无效：${p.detail}（选择修复可自动修正）`,
    en: (p) => `invalid geometry: ${p.detail} (repair makes it valid)`,
  },
  outside_district: {
    use: 'refusal',
    params: { distanceM: 'number' },
    zh: (p) => `位于辖区外（相距 ${p.distanceM} 米）：坐标系是否选对了？`,
    en: (p) => `lies outside the district (${p.distanceM} m away): is the coordinate system right?`,
  },
  outside_district_at: {
    use: 'refusal',
    params: { lon: 'number', lat: 'number' },
    zh: (p) => `${p.lon}, ${p.lat} 位于辖区外：坐标系是否选对了？`,
    en: (p) => `${p.lon}, ${p.lat} lies outside the district: is the coordinate system right?`,
  },
  beyond_edge: {
    use: 'refusal',
    params: { toleranceM: 'number' },
    zh: (p) => `超出辖区边界 ${p.toleranceM} 米以上（选择修复可裁剪到边界）`,
    en: (p) => `reaches beyond the district edge by more than ${p.toleranceM} m (repair clips it)`,
  },

  // ---- repairs ----
  ring_closed: {
    use: 'repair',
    params: {},
    zh: () => '已闭合环',
    en: () => 'ring closed',
  },
  made_valid: {
    use: 'repair',
    params: { detail: 'text' },
    zh: (p) => `已修正为有效几何（原问题：${p.detail}）`,
    en: (p) => `made valid (was: ${p.detail})`,
  },
  clipped_to_edge: {
    use: 'repair',
    params: {},
    zh: () => '已裁剪到辖区边界',
    en: () => 'clipped to the district edge',
  },

  // ---- notes on the import as a whole ----
  all_refused: {
    use: 'note',
    params: { first: 'row' },
    zh: (p, f) => `所有行都被拒绝（第一条：${f.row(p.first)}）：提交将不会导入任何数据`,
    en: (p, f) => `every row was refused (first: ${f.row(p.first)}): a commit would import nothing`,
  },
  communities_clipped: {
    use: 'note',
    params: { count: 'number', maxM: 'number' },
    zh: (p) => `${p.count} 个村（社区）已裁剪到辖区边界（最多超出 ${p.maxM} 米）`,
    en: (p) => `${p.count} communities clipped to the district edge (at most ${p.maxM} m outside)`,
  },
  cameras_no_bearing: {
    use: 'note',
    params: { count: 'number' },
    zh: (p) => `${p.count} 台摄像机没有朝向：暂按朝北处理，导入含朝向的台账后更新`,
    en: (p) =>
      `${p.count} cameras have no bearing: taken as facing north until a ledger with bearings is imported`,
  },

  // ---- the file as a whole refused (an error answer) ----
  nothing_imported: {
    use: 'error',
    params: { first: 'row' },
    zh: (p, f) => `所有行都被拒绝（第一条：${f.row(p.first)}）：未导入任何数据，图层保持原样`,
    en: (p, f) =>
      `every row was refused (first: ${f.row(p.first)}): nothing was imported, the layer is as it was`,
  },
  town_in_use: {
    use: 'error',
    params: { town: 'text', count: 'number' },
    zh: (p) =>
      `文件中没有乡镇“${p.town}”，但有 ${p.count} 个村（社区）属于它：请先导入带新乡镇的村（社区），或在文件中保留该乡镇`,
    en: (p) =>
      `the file has no town ${p.town}, to which ${p.count} communities belong: import communities with their new towns first, or keep that town in the file`,
  },
  no_district: {
    use: 'error',
    params: {},
    zh: () => '尚未存储辖区边界：请先导入辖区',
    en: () => 'no district is stored: the district comes first',
  },
  too_many_rows: {
    use: 'error',
    params: { count: 'number', layer: 'layer', max: 'number' },
    zh: (p, f) => `文件有 ${p.count} 行：${f.layer(p.layer)}图层最多 ${p.max} 行`,
    en: (p) => `the file has ${p.count} rows: a ${p.layer} layer takes at most ${p.max}`,
  },
  mapping_missing: {
    use: 'error',
    params: { fields: 'fields', columns: 'list' },
    zh: (p, f) => `没有列对应到${f.fields(p.fields)}（文件的列：${f.list(p.columns)}）`,
    en: (p, f) =>
      `no column is mapped to ${f.fields(p.fields)} (the file's columns: ${f.list(p.columns)})`,
  },
  crs_not_declared: {
    use: 'error',
    params: { guesses: 'guesses' },
    zh: (p, f) => `文件没有说明坐标所用的坐标系：请选择一个（${f.guesses(p.guesses)}）`,
    en: (p, f) =>
      `the file does not say which coordinate system its coordinates are in: choose one (${f.guesses(p.guesses)})`,
  },
  xls_refused: {
    use: 'error',
    params: {},
    zh: () => '不读取旧版 Excel（.xls）文件：请在 Excel 或 WPS 中打开并另存为 .xlsx（或 CSV）',
    en: () =>
      'old binary Excel (.xls) files are not read: open it in Excel or WPS and save it as .xlsx (or CSV)',
  },
  undecodable_text: {
    use: 'error',
    params: { encoding: 'text' },
    zh: (p) =>
      p.encoding === 'gb18030'
        ? '文件既不是 UTF-8 也不是 GB18030/GBK 文本：请另存为 UTF-8 后重新上传'
        : `文件不是有效的 ${String(p.encoding).toUpperCase()} 文本：请另存为 UTF-8 后重新上传`,
    en: (p) =>
      p.encoding === 'gb18030'
        ? 'the file is neither UTF-8 nor GB18030/GBK text: save it as UTF-8 and send it again'
        : `the file is not valid ${String(p.encoding).toUpperCase()} text: save it as UTF-8 and send it again`,
  },
  layer_not_chosen: {
    use: 'error',
    params: { layers: 'list' },
    zh: (p, f) =>
      `压缩包中有 ${(p.layers as string[]).length} 个 Shapefile 图层（${f.list(p.layers)}）：请选择一个`,
    en: (p, f) =>
      `the zip holds ${(p.layers as string[]).length} Shapefile layers (${f.list(p.layers)}): choose one`,
  },
} satisfies Record<string, ReasonText>;

export type ImportReasonCode = keyof typeof IMPORT_REASONS;

/** A reason as the reports carry it: its code and parameters, and its English sentence. */
export interface ImportReason {
  code: ImportReasonCode;
  params: ReasonParams;
  /** the English rendering (the command line's and the logs') */
  reason: string;
}

function format(lang: ReasonLang): Format {
  const zh = lang === 'zh';
  const list = (v: ReasonParam | undefined, each: (s: string) => string = (s) => s) =>
    Array.isArray(v) ? (v as string[]).map(each).join(zh ? '、' : ', ') : String(v);
  const field = (v: ReasonParam | undefined) =>
    zh ? (FIELD_ZH[String(v)] ?? String(v)) : String(v);
  const f: Format = {
    text: (v) => String(v ?? ''),
    field,
    fields: (v) => list(v, field),
    list: (v) => list(v),
    layer: (v) => (zh ? (LAYER_ZH[String(v)] ?? String(v)) : String(v)),
    row: (v) => {
      const r = v as ReasonRow;
      const text = renderReason(r, lang);
      if (zh) return `第 ${r.n ?? '-'} 行${r.field ? `（${r.field}）` : ''}：${text}`;
      return `row ${r.n ?? '-'}${r.field ? ` (${r.field})` : ''}: ${text}`;
    },
    guesses: (v) => {
      const g = v as readonly ReasonGuess[];
      if (!g.length)
        return zh
          ? '按数值看，没有一种支持的坐标系能把这些点放进辖区'
          : 'its numbers fit none of the supported systems inside the district';
      return zh
        ? `按数值推测：${g.map((x) => `${x.crs} 有 ${x.percent}% 的点落在辖区内`).join('；')}`
        : `by its numbers: ${g.map((x) => `${x.crs} puts ${x.percent}% in the district`).join(', ')}`;
    },
  };
  return f;
}

const FORMATS: Record<ReasonLang, Format> = { zh: format('zh'), en: format('en') };

/** A code with its parameters, in `lang`. An unknown code (a newer server) is rendered as it is. */
export function renderReason(r: { code: string; params: ReasonParams }, lang: ReasonLang): string {
  const text = (IMPORT_REASONS as Record<string, ReasonText>)[r.code];
  if (!text) return r.code;
  return text[lang](r.params, FORMATS[lang]);
}

/** A reason with its English sentence. */
export function importReason(code: ImportReasonCode, params: ReasonParams = {}): ImportReason {
  return { code, params, reason: renderReason({ code, params }, 'en') };
}

/** Where in a file a problem lies (server/files/read/types.ts FileWhere). */
export interface ReasonWhere {
  row?: number;
  line?: number;
  byte?: number;
  entry?: string;
}

/** Where, in `lang`, to follow a rendered reason: ' (at row 3, line 4)' / '（第 3 行，第 4 行文本）'. */
export function renderWhere(w: ReasonWhere | undefined, lang: ReasonLang): string {
  if (!w) return '';
  const zh = lang === 'zh';
  const parts: string[] = [];
  if (w.entry !== undefined) parts.push(zh ? `在 ${w.entry} 中` : `in ${w.entry}`);
  if (w.row !== undefined) parts.push(zh ? `第 ${w.row} 行` : `at row ${w.row}`);
  if (w.line !== undefined) parts.push(zh ? `文本第 ${w.line} 行` : `line ${w.line}`);
  if (w.byte !== undefined) parts.push(zh ? `第 ${w.byte} 字节` : `byte ${w.byte}`);
  if (!parts.length) return '';
  return zh ? `（${parts.join('，')}）` : ` (${parts.join(', ')})`;
}
