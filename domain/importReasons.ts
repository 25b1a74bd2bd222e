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
  | 'number'
  | 'text'
  | 'field'
  | 'fields'
  | 'list'
  | 'layer'
  | 'row'
  | 'guesses'
  | 'bytes'
  | 'duration';

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
  bytes(v: ReasonParam | undefined): string;
  duration(v: ReasonParam | undefined): string;
}

type Render = (p: ReasonParams, f: Format) => string;

interface ReasonText {
  /**
   * what a refusal, repair or note says; errors are thrown refusals of the file as a whole;
   * hints say why a column or a coordinate system is suggested
   */
  use: 'refusal' | 'repair' | 'note' | 'error' | 'hint';
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

/** A byte count for a message: 52428800 → "50 MB". */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** A duration for a message: 1500 → "1.5 s". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} s`;
}

/** What text in `encoding` failed to be, in each language. */
const notText = (encoding: ReasonParam | undefined, lang: ReasonLang) => {
  const gb = encoding === 'gb18030';
  const name = String(encoding).toUpperCase();
  if (lang === 'zh') return gb ? '既不是 UTF-8 也不是 GB18030/GBK 文本' : `不是有效的 ${name} 文本`;
  return gb ? 'is neither UTF-8 nor GB18030/GBK text' : `is not valid ${name} text`;
};

/** The kinds of container and file the readers name, in Chinese (other values as they are). */
const THING_ZH: Record<string, string> = {
  zip: '压缩包',
  workbook: '工作簿',
  'zipped Shapefile': 'Shapefile 压缩包',
};
const thingZh = (v: ReasonParam | undefined) => THING_ZH[String(v)] ?? String(v);

/** What a coordinate system the file names may be instead. */
const CRS_SUPPORTED = {
  zh: '请使用 WGS84、CGCS2000（地理坐标或高斯-克吕格投影）或 WGS84 UTM；北京54、西安80 坐标请先转换为 CGCS2000',
  en:
    'use WGS84, CGCS2000 (geographic or Gauss-Krüger) or WGS84 UTM; convert Beijing 1954 or ' +
    'Xian 1980 data to CGCS2000 first',
};

/** The start of a message about a read of a file on its own thread (size: the import's read). */
const reading = (size: ReasonParam | undefined, lang: ReasonLang, f: Format) =>
  lang === 'zh'
    ? size === null || size === undefined
      ? '读取文件'
      : `读取并换算文件（${f.bytes(size)}）`
    : size === null || size === undefined
      ? 'reading the file'
      : `reading and converting the file (${f.bytes(size)})`;

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

  // ---- why a record has no geometry (the reader's word on it) ----
  record_no_geometry: {
    use: 'refusal',
    params: {},
    zh: () => '该记录没有几何',
    en: () => 'the record has no geometry',
  },
  no_coordinates: {
    use: 'refusal',
    params: { x: 'text', y: 'text' },
    zh: (p) => `没有坐标（${p.x}、${p.y} 为空）`,
    en: (p) => `no coordinates (${p.x}, ${p.y} are empty)`,
  },
  coordinate_empty: {
    use: 'refusal',
    params: { column: 'text' },
    zh: (p) => `${p.column} 为空`,
    en: (p) => `${p.column} is empty`,
  },
  coordinate_not_number: {
    use: 'refusal',
    params: { column: 'text', text: 'text' },
    zh: (p) => `${p.column}“${p.text}”不是数字`,
    en: (p) => `${p.column} "${p.text}" is not a number`,
  },
  not_a_feature: {
    use: 'refusal',
    params: {},
    zh: () => '不是 GeoJSON 要素（Feature）',
    en: () => 'not a Feature',
  },
  feature_no_geometry: {
    use: 'refusal',
    params: {},
    zh: () => '该要素没有几何',
    en: () => 'the feature has no geometry',
  },
  not_geometry_type: {
    use: 'refusal',
    params: { type: 'text' },
    zh: (p) => `“${p.type}”不是几何类型`,
    en: (p) => `"${p.type}" is not a geometry type`,
  },
  collection_empty: {
    use: 'refusal',
    params: {},
    zh: () => '几何集合（GeometryCollection）没有几何',
    en: () => 'a GeometryCollection without geometries',
  },
  coordinates_not_numbers: {
    use: 'refusal',
    params: { type: 'text' },
    zh: (p) => `${p.type} 的坐标不是数字`,
    en: (p) => `the ${p.type}'s coordinates are not numbers`,
  },
  too_many_vertices: {
    use: 'refusal',
    params: { count: 'number', max: 'number' },
    zh: (p) => `几何有 ${p.count} 个顶点，最多 ${p.max} 个`,
    en: (p) => `the geometry has ${p.count} vertices; at most ${p.max}`,
  },
  null_shape: {
    use: 'refusal',
    params: {},
    zh: () => '图形为空（空图形记录）',
    en: () => 'the shape is empty (a null shape)',
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
  incident_rows_over: {
    use: 'error',
    params: { max: 'number' },
    zh: (p) => `文件超过 ${p.max} 行：请拆分后分别导入`,
    en: (p) => `the file has more than ${p.max} rows: split it`,
  },
  month_rows_over: {
    use: 'error',
    params: { max: 'number', month: 'text' },
    zh: (p) => `${p.month} 的警情超过 ${p.max} 条：请拆分文件`,
    en: (p) => `more than ${p.max} incidents in ${p.month}: split the file`,
  },
  source_name: {
    use: 'error',
    params: {},
    zh: () => '来源名称须为 1 至 64 个字符',
    en: () => 'must be a name of 1 to 64 characters',
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
  // ---- the file refused by its reader (an error answer) ----
  file_too_large: {
    use: 'error',
    params: { size: 'bytes', format: 'text', max: 'bytes' },
    zh: (p, f) => `文件大小为 ${f.bytes(p.size)}：${thingZh(p.format)}文件最大 ${f.bytes(p.max)}`,
    en: (p, f) =>
      `the file is ${f.bytes(p.size)}; a ${p.format} file may be at most ${f.bytes(p.max)}`,
  },
  file_empty: {
    use: 'error',
    params: {},
    zh: () => '文件为空',
    en: () => 'the file is empty',
  },
  upload_too_large: {
    use: 'error',
    params: { max: 'bytes' },
    zh: (p, f) => `文件超过 ${f.bytes(p.max)}：请用命令行 npm run data:import 导入`,
    en: (p, f) => `the file is larger than ${f.bytes(p.max)}: import it with npm run data:import`,
  },
  upload_cut: {
    use: 'error',
    params: {},
    zh: () => '上传中断：请重新上传',
    en: () => 'the upload was cut short',
  },
  body_not_file: {
    use: 'error',
    params: {},
    zh: () => '请求正文应为文件本身（application/octet-stream）',
    en: () => 'send the file itself as the body (application/octet-stream)',
  },
  import_running: {
    use: 'error',
    params: {},
    zh: () => '另一项导入正在进行：请待其完成后再试',
    en: () => 'another import is running: try again when it has finished',
  },
  read_timeout: {
    use: 'error',
    params: { size: 'bytes', ms: 'duration' },
    zh: (p, f) =>
      `${reading(p.size, 'zh', f)}超过 ${f.duration(p.ms)}，已停止：请发送较小的文件（或用命令行 npm run data:import 导入）`,
    en: (p, f) =>
      `${reading(p.size, 'en', f)} took longer than ${f.duration(p.ms)} and was stopped; send a smaller file (or import it with npm run data:import)`,
  },
  read_out_of_memory: {
    use: 'error',
    params: { size: 'bytes', mb: 'number' },
    zh: (p, f) =>
      `${reading(p.size, 'zh', f)}需要超过 ${p.mb} MB 内存，已停止：请以 CSV 发送表格，或发送较小的文件`,
    en: (p, f) =>
      `${reading(p.size, 'en', f)} needed more than ${p.mb} MB of memory and was stopped; send the table as CSV, or a smaller file`,
  },
  read_stopped: {
    use: 'error',
    params: { size: 'bytes' },
    zh: (p, f) => `${reading(p.size, 'zh', f)}已中止：请重试`,
    en: (p, f) => `${reading(p.size, 'en', f)} was stopped`,
  },
  undecodable_entry: {
    use: 'error',
    params: { entry: 'text', encoding: 'text' },
    zh: (p) => `${p.entry} ${notText(p.encoding, 'zh')}：请另存为 UTF-8 后重新上传`,
    en: (p) => `${p.entry} ${notText(p.encoding, 'en')}: save it as UTF-8 and send it again`,
  },
  undecodable_field: {
    use: 'error',
    params: { field: 'text', encoding: 'text' },
    zh: (p) => `字段 ${p.field} 的值${notText(p.encoding, 'zh')}：请另存为 UTF-8 后重新上传`,
    en: (p) => `field ${p.field} ${notText(p.encoding, 'en')}: save it as UTF-8 and send it again`,
  },
  undecodable_field_name: {
    use: 'error',
    params: { index: 'number', encoding: 'text' },
    zh: (p) => `第 ${p.index} 个字段的名称${notText(p.encoding, 'zh')}：请另存为 UTF-8 后重新上传`,
    en: (p) =>
      `field ${p.index}'s name ${notText(p.encoding, 'en')}: save it as UTF-8 and send it again`,
  },
  zip_unreadable: {
    use: 'error',
    params: { archive: 'text', detail: 'text' },
    zh: (p) => `${thingZh(p.archive)}无法打开：${p.detail}`,
    en: (p) => `the ${p.archive} cannot be opened: ${p.detail}`,
  },
  zip_too_many_entries: {
    use: 'error',
    params: { archive: 'text', count: 'number', max: 'number' },
    zh: (p) => `${thingZh(p.archive)}中有 ${p.count} 个文件，最多读取 ${p.max} 个`,
    en: (p) => `the ${p.archive} holds ${p.count} entries; at most ${p.max} are read`,
  },
  zip_too_large: {
    use: 'error',
    params: { archive: 'text', size: 'bytes', max: 'bytes' },
    zh: (p, f) => `${thingZh(p.archive)}解压后为 ${f.bytes(p.size)}，最多读取 ${f.bytes(p.max)}`,
    en: (p, f) =>
      `the ${p.archive} expands to ${f.bytes(p.size)}; at most ${f.bytes(p.max)} are read`,
  },
  entry_too_large: {
    use: 'error',
    params: { declared: 'bytes' },
    zh: (p, f) => `解压后超过其声明的 ${f.bytes(p.declared)}`,
    en: (p, f) => `expands past the ${f.bytes(p.declared)} it declares`,
  },
  entry_unreadable: {
    use: 'error',
    params: { detail: 'text' },
    zh: (p) => `无法解压：${p.detail}`,
    en: (p) => `cannot be expanded: ${p.detail}`,
  },
  cell_too_long: {
    use: 'error',
    params: { max: 'number' },
    zh: (p) => `有单元格超过 ${p.max} 个字符`,
    en: (p) => `a cell is longer than ${p.max} characters`,
  },
  quote_not_closed: {
    use: 'error',
    params: {},
    zh: () => '有带引号的单元格没有结束引号',
    en: () => 'a quoted cell is never closed',
  },
  csv_unreadable: {
    use: 'error',
    params: { detail: 'text' },
    zh: (p) => `CSV 无法读取：${p.detail}`,
    en: (p) => `the CSV cannot be read: ${p.detail}`,
  },
  no_header: {
    use: 'error',
    params: {},
    zh: () => '文件没有表头行',
    en: () => 'the file has no header line',
  },
  row_too_wide: {
    use: 'error',
    params: { cells: 'number', width: 'number' },
    zh: (p) => `该行有 ${p.cells} 个单元格，表头只有 ${p.width} 列`,
    en: (p) => `the row has ${p.cells} cells; the header has ${p.width}`,
  },
  too_many_columns: {
    use: 'error',
    params: { count: 'number', max: 'number' },
    zh: (p) => `文件有 ${p.count} 列，最多读取 ${p.max} 列`,
    en: (p) => `the file has ${p.count} columns; at most ${p.max} are read`,
  },
  column_name_too_long: {
    use: 'error',
    params: { column: 'number', max: 'number' },
    zh: (p) => `第 ${p.column} 列的列名超过 ${p.max} 个字符`,
    en: (p) => `column ${p.column}'s name is longer than ${p.max} characters`,
  },
  coordinate_column_missing: {
    use: 'error',
    params: { column: 'text', columns: 'list' },
    zh: (p, f) => `文件中没有坐标列“${p.column}”；文件的列：${f.list(p.columns)}`,
    en: (p, f) =>
      `the coordinate column "${p.column}" is not in the file; its columns are ${f.list(p.columns)}`,
  },
  workbook_too_large: {
    use: 'error',
    params: { size: 'bytes', max: 'bytes' },
    zh: (p, f) =>
      `工作簿解压后为 ${f.bytes(p.size)}，XLSX 解压后最多 ${f.bytes(p.max)}（较大的表格请以 CSV 发送）`,
    en: (p, f) =>
      `the workbook expands to ${f.bytes(p.size)}; an XLSX may expand to at most ${f.bytes(p.max)} (send a larger table as CSV)`,
  },
  workbook_unreadable: {
    use: 'error',
    params: { detail: 'text' },
    zh: (p) => `工作簿无法读取：${p.detail}`,
    en: (p) => `the workbook cannot be read: ${p.detail}`,
  },
  no_sheet: {
    use: 'error',
    params: {},
    zh: () => '工作簿中没有工作表',
    en: () => 'the workbook has no sheet',
  },
  sheet_not_found: {
    use: 'error',
    params: { sheet: 'text', sheets: 'list' },
    zh: (p, f) => `工作簿中没有工作表“${p.sheet}”；其工作表：${f.list(p.sheets)}`,
    en: (p, f) => `the workbook has no sheet "${p.sheet}"; its sheets are ${f.list(p.sheets)}`,
  },
  sheet_too_many_rows: {
    use: 'error',
    params: { sheet: 'text', count: 'number', max: 'number' },
    zh: (p) =>
      `工作表“${p.sheet}”有 ${p.count} 行，XLSX 工作表最多 ${p.max} 行（较大的表格请以 CSV 发送）`,
    en: (p) =>
      `the sheet "${p.sheet}" has ${p.count} rows; an XLSX sheet may have at most ${p.max} (send a larger table as CSV)`,
  },
  no_header_row: {
    use: 'error',
    params: { sheet: 'text', rows: 'number' },
    zh: (p) => `工作表“${p.sheet}”的前 ${p.rows} 行中没有表头行`,
    en: (p) => `the sheet "${p.sheet}" has no header row in its first ${p.rows} rows`,
  },
  row_beyond_header: {
    use: 'error',
    params: { width: 'number' },
    zh: (p) => `该行在表头的 ${p.width} 列之外还有单元格`,
    en: (p) => `the row has cells beyond the header's ${p.width} columns`,
  },
  no_shapefile: {
    use: 'error',
    params: { entries: 'list', count: 'number' },
    zh: (p, f) =>
      `压缩包中没有 Shapefile（.shp）；其中有 ${p.count} 个文件${(p.entries as string[]).length ? `：${f.list(p.entries)}` : ''}${Number(p.count) > (p.entries as string[]).length ? '……' : ''}`,
    en: (p, f) =>
      `the zip holds no Shapefile (.shp); it holds ${Number(p.count) === 1 ? '1 entry' : `${p.count} entries`}${(p.entries as string[]).length ? `: ${f.list(p.entries)}` : ''}${Number(p.count) > (p.entries as string[]).length ? ', …' : ''}`,
  },
  shapefile_layer_not_found: {
    use: 'error',
    params: { layer: 'text', layers: 'list' },
    zh: (p, f) => `压缩包中没有图层“${p.layer}”；其图层：${f.list(p.layers)}`,
    en: (p, f) => `the zip has no layer "${p.layer}"; its layers are ${f.list(p.layers)}`,
  },
  no_dbf: {
    use: 'error',
    params: {},
    zh: () => '该图层没有 .dbf（属性表）',
    en: () => 'the layer has no .dbf (its attribute table)',
  },
  shapes_unreadable: {
    use: 'error',
    params: { detail: 'text' },
    zh: (p) => `图形无法读取：${p.detail}`,
    en: (p) => `the shapes cannot be read: ${p.detail}`,
  },
  shape_count_mismatch: {
    use: 'error',
    params: { shapes: 'number', records: 'number' },
    zh: (p) => `.shp 有 ${p.shapes} 个图形，而 .dbf 有 ${p.records} 条记录`,
    en: (p) => `the .shp holds ${p.shapes} shapes but the .dbf ${p.records} records`,
  },
  dbf_too_short: {
    use: 'error',
    params: {},
    zh: () => '.dbf 太短，不是 dBase 表',
    en: () => 'the .dbf is too short to be a dBase table',
  },
  dbf_truncated: {
    use: 'error',
    params: { count: 'number', bytes: 'number' },
    zh: (p) => `.dbf 声称有 ${p.count} 条记录，超出其 ${p.bytes} 字节所能容纳`,
    en: (p) => `the .dbf says it holds ${p.count} records, more than its ${p.bytes} bytes`,
  },
  dbf_fields_too_long: {
    use: 'error',
    params: {},
    zh: () => '.dbf 的字段长度超过其记录长度',
    en: () => 'the .dbf fields are longer than its records',
  },
  too_many_records: {
    use: 'error',
    params: { count: 'number', max: 'number' },
    zh: (p) => `该图层有 ${p.count} 条记录，最多读取 ${p.max} 条`,
    en: (p) => `the layer has ${p.count} records; at most ${p.max} are read`,
  },
  cpg_unknown: {
    use: 'error',
    params: { encoding: 'text' },
    zh: (p) => `.cpg 指定的编码“${p.encoding}”无法读取（可读取 UTF-8 或 GBK）`,
    en: (p) => `the .cpg names the encoding "${p.encoding}", which is not read (UTF-8 or GBK are)`,
  },
  not_json: {
    use: 'error',
    params: { detail: 'text' },
    zh: (p) => `文件不是 JSON：${p.detail}`,
    en: (p) => `the file is not JSON: ${p.detail}`,
  },
  not_geojson_object: {
    use: 'error',
    params: {},
    zh: () => '文件不是 GeoJSON 对象',
    en: () => 'the file is not a GeoJSON object',
  },
  not_geojson: {
    use: 'error',
    params: { type: 'text' },
    zh: (p) => `文件不是 GeoJSON（其 type 为“${p.type}”）`,
    en: (p) => `the file is not GeoJSON (its type is "${p.type}")`,
  },
  too_many_features: {
    use: 'error',
    params: { count: 'number', max: 'number' },
    zh: (p) => `文件有 ${p.count} 个要素，最多读取 ${p.max} 个`,
    en: (p) => `the file has ${p.count} features; at most ${p.max} are read`,
  },
  property_name_bad: {
    use: 'error',
    params: {},
    zh: () => '有属性名为空或超过 200 个字符',
    en: () => 'a property name is empty or longer than 200 characters',
  },
  property_too_long: {
    use: 'error',
    params: { property: 'text', max: 'number' },
    zh: (p) => `属性 ${p.property} 超过 ${p.max} 个字符`,
    en: (p) => `property ${p.property} is longer than ${p.max} characters`,
  },

  // ---- coordinate systems named by the user or the file ----
  crs_unknown: {
    use: 'error',
    params: { text: 'text' },
    zh: (p) =>
      `不支持坐标系“${p.text}”：请使用 wgs84、cgcs2000、gcj02、bd09、CGCS2000 高斯-克吕格代码 EPSG:4491–4554 或 WGS84 UTM 代码 EPSG:32601–32660`,
    en: (p) =>
      `coordinate system "${p.text}" is not supported: use wgs84, cgcs2000, gcj02, bd09, ` +
      'a CGCS2000 Gauss-Krüger code EPSG:4491–4554 or a WGS84 UTM code EPSG:32601–32660',
  },
  prj_empty: {
    use: 'error',
    params: {},
    zh: () => '.prj 文件为空',
    en: () => 'the .prj file is empty',
  },
  prj_too_long: {
    use: 'error',
    params: {},
    zh: () => '.prj 文件太长，不是坐标系定义',
    en: () => 'the .prj file is too long to be a coordinate system',
  },
  prj_not_wkt: {
    use: 'error',
    params: { text: 'text' },
    zh: (p) => `.prj 文件不是 WKT 坐标系定义：${p.text}`,
    en: (p) => `the .prj file is not a WKT coordinate system: ${p.text}`,
  },
  crs_not_supported: {
    use: 'error',
    params: { name: 'text' },
    zh: (p) => `不支持坐标系“${p.name}”：${CRS_SUPPORTED.zh}`,
    en: (p) => `coordinate system "${p.name}" is not supported: ${CRS_SUPPORTED.en}`,
  },
  projection_not_supported: {
    use: 'error',
    params: { projection: 'text', name: 'text' },
    zh: (p) => `不支持“${p.name}”的投影“${p.projection}”：${CRS_SUPPORTED.zh}`,
    en: (p) => `projection "${p.projection}" of "${p.name}" is not supported: ${CRS_SUPPORTED.en}`,
  },
  datum_not_supported: {
    use: 'error',
    params: { name: 'text' },
    zh: (p) => `不支持“${p.name}”的大地基准：${CRS_SUPPORTED.zh}`,
    en: (p) => `the datum of "${p.name}" is not supported: ${CRS_SUPPORTED.en}`,
  },
  prj_false_northing: {
    use: 'error',
    params: { name: 'text' },
    zh: (p) => `“${p.name}”的北伪偏移或原点纬度不为 0`,
    en: (p) => `"${p.name}" has a false northing or latitude of origin other than 0`,
  },
  prj_not_metres: {
    use: 'error',
    params: { name: 'text' },
    zh: (p) => `“${p.name}”的单位不是米`,
    en: (p) => `"${p.name}" is not in metres`,
  },
  prj_no_parameter: {
    use: 'error',
    params: { name: 'text', parameter: 'text' },
    zh: (p) => `“${p.name}”缺少参数 ${p.parameter}`,
    en: (p) => `"${p.name}" has no ${p.parameter}`,
  },
  prj_bad_parameter: {
    use: 'error',
    params: { name: 'text', parameter: 'text' },
    zh: (p) => `“${p.name}”的参数 ${p.parameter} 无效`,
    en: (p) => `"${p.name}" has a bad ${p.parameter}`,
  },

  // ---- a mapping the user chose ----
  mapping_no_field: {
    use: 'error',
    params: { layer: 'layer', field: 'text', fields: 'list' },
    zh: (p, f) => `${f.layer(p.layer)}图层没有字段“${p.field}”；其字段：${f.list(p.fields)}`,
    en: (p, f) => `${p.layer} has no field "${p.field}"; its fields are ${f.list(p.fields)}`,
  },
  mapping_column_missing: {
    use: 'error',
    params: { column: 'text', field: 'field' },
    zh: (p, f) => `为${f.field(p.field)}选择的列“${p.column}”不在文件中`,
    en: (p) => `the column "${p.column}" chosen for ${p.field} is not in the file`,
  },

  // ---- why a column or a coordinate system is suggested ----
  column_chosen: {
    use: 'hint',
    params: {},
    zh: () => '由用户选择',
    en: () => 'chosen',
  },
  column_named: {
    use: 'hint',
    params: { name: 'text' },
    zh: (p) => `列名为“${p.name}”`,
    en: (p) => `the column is named "${p.name}"`,
  },
  column_contains: {
    use: 'hint',
    params: { name: 'text' },
    zh: (p) => `列名包含“${p.name}”`,
    en: (p) => `the column's name contains "${p.name}"`,
  },
  column_truncated: {
    use: 'hint',
    params: { name: 'text' },
    zh: (p) => `列名是“${p.name}”的开头（被文件格式截短）`,
    en: (p) => `the column's name is the start of "${p.name}" (cut short by the file format)`,
  },
  guess_degrees: {
    use: 'hint',
    params: {},
    zh: () => '经纬度（WGS84 与 CGCS2000 相差仅厘米级）',
    en: () => 'degrees (WGS84 and CGCS2000 agree within centimetres)',
  },
  guess_gcj02: {
    use: 'hint',
    params: {},
    zh: () => '在高德或腾讯地图上拾取的经纬度（GCJ-02）',
    en: () => 'degrees picked on AMap or Tencent maps (GCJ-02)',
  },
  guess_bd09: {
    use: 'hint',
    params: {},
    zh: () => '在百度地图上拾取的经纬度（BD-09）',
    en: () => 'degrees picked on Baidu maps (BD-09)',
  },
  guess_zone: {
    use: 'hint',
    params: { zone: 'number' },
    zh: (p) => `以米为单位，东坐标以带号 ${p.zone} 开头`,
    en: (p) => `metres with zone number ${p.zone} leading the easting`,
  },
  guess_3degree: {
    use: 'hint',
    params: {},
    zh: () => '以米为单位，3 度分带',
    en: () => 'metres, 3-degree zone',
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
    bytes: (v) => {
      const b = formatBytes(Number(v));
      return zh ? b.replace(/ bytes$/, ' 字节') : b;
    },
    duration: (v) => {
      const d = formatDuration(Number(v));
      return zh ? d.replace(/ s$/, ' 秒').replace(/ ms$/, ' 毫秒') : d;
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
