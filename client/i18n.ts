/** UI text, Chinese first, with English. Every string the UI shows comes from here. */
import { HOTSPOT } from '../domain/analysis';
import { CATEGORY_NAMES_ZH, type IncidentCategory } from '../domain/vocabulary';
import type { Indicator } from '../domain/rankingScore';
import { layerEntry } from './layers/registry';
import { useView } from './state/viewStore';
import type { Preset } from '../domain/time';
import type { Lang, LayerId } from './state/view';

const zh = {
  appTitle: '平安图 · 城北区',
  exportMenu: '导出',
  exportFormat: '格式',
  exportCrs: '坐标系',
  exportDownload: '下载',
  exportIncidents: '下载时间窗内警情',
  exportFormats: {
    shp: 'Shapefile（zip）',
    xlsx: 'Excel（xlsx）',
    csv: 'CSV',
    geojson: 'GeoJSON',
  },
  exportCrsNames: {
    wgs84: 'WGS84',
    cgcs2000: 'CGCS2000（EPSG:4490）',
    'EPSG:4543': 'CGCS2000 高斯-克吕格 102°E（EPSG:4543）',
    gcj02: 'GCJ-02（高德/腾讯）',
    bd09: 'BD-09（百度）',
  },
  layers: '图层',
  opacity: '透明度',
  legend: '图例',
  legendHide: '收起图例',
  legendShow: '展开图例',
  window: '时间窗',
  custom: '自定义',
  categories: '类别',
  allCategories: '全部类别',
  kpi: '态势指标',
  incidents: '警情',
  vsPrevious: '较上期',
  topCommunities: '警情最多的村/社区',
  fraudTrend: '电信网络诈骗 同比',
  fraudYoY: '近12个月较前12个月',
  loading: '加载中…',
  noData: '所选时间窗内没有警情：请放宽时间窗或类别。',
  serverDown: '无法连接服务器，显示的是最后一次获取的数据。',
  population: '人口',
  town: '街道/镇',
  kind: '类型',
  village: '村',
  community: '社区',
  synthetic: '演示边界（生成）',
  close: '关闭',
  play: '播放',
  pause: '暂停',
  speed: '速度',
  perDay: '每日警情',
  from: '起',
  to: '止',
  apply: '应用',
  status: '状态',
  time: '时间',
  categoryLabel: '类别',
  subcategoryLabel: '细类',
  dataAsOf: '数据更新于',
  staleSince: '数据中断于',
  latest: '最新警情',
  newSinceOpen: (n: number) => `${n} 条新警情`,
  newSinceOpenTitle: '本页打开以来新接报的警情',
  ranking: '村/社区警情排名',
  view: '视图',
  online: '在线',
  offline: '离线',
  existingCameras: '既有摄像头',
  infillCameras: '雪亮工程补盲（654）',
  checkpoint: '外圈卡点',
  heatLow: '少',
  heatHigh: '多',
  incidentsIn: '时间窗内警情',
  change: '变化',
  noBasemap: '离线底图',
  total: '合计',
  kmh: '公里/小时',
  redList: '红榜',
  blackList: '黑榜',
  tabKpi: '指标',
  tabRankings: '红黑榜',
  tabAnalysis: '研判',
  tabPlan: '规划',
  score: '得分',
  rank: '名次',
  allRanks: '全部排名',
  formula: '计分方法',
  formulaText:
    '得分 = Σ 权重 × 指标分 ÷ Σ 权重。指标分为该指标在79个村/社区中的百分位（0–100，越好越高，并列取平均）；无纠纷登记的村/社区该项记50分。占比类指标（纠纷化解率、覆盖率、可达率）按0.1个百分点比较。摄像头覆盖与3分钟可达按当前布设计算。',
  partialPeriod:
    '本期尚未结束：按截至最新数据的情况排名，与上期同一时段（相同天数、截至同一时刻）比较。',
  rankShown: '排名时段',
  rankAgainst: '环比对照',
  previousNotCovered: '；该时段数据不全，环比不计分（各村/社区均记50分）',
  redListNote: '表扬',
  blackListNote: '通报',
  spikes: '警情突增',
  spikesMethod: '本时间窗与前一等长时段比较，泊松检验 z = 2(√本期 − √上期)，|z| ≥ 3 标记。',
  noSpikes: '本时间窗内没有村/社区明显突增或骤降（|z| ≥ 3）。',
  hotspotsTitle: '热点分析（Gi*）',
  hotspotsMethod: `Getis-Ord Gi*：${HOTSPOT.cellMeters}米网格计数，${HOTSPOT.bandMeters}米距离带${HOTSPOT.fdr ? '，经错误发现率（FDR）校正' : ''}；按99/95/90%置信度分级，同 ArcGIS 热点分析。`,
  showOnMap: '在地图上显示',
  circlesTitle: '三级防护圈',
  circlesMethod: '圈内为时间窗内警情；覆盖为在线摄像头视域；可达为3分钟快反估算。',
  ring: '圈层',
  perKm2: '每平方公里',
  coverageShort: '覆盖',
  reach3: '3分钟可达',
  reachTitle: '"135" 快速反应',
  reachMethod:
    '估算：自最近的在岗快反点或巡逻车，直线距离×绕行系数{detour}，车速{speed}公里/小时（无路网）；警情为最近30天。',
  minutes: '分钟',
  areaShare: '面积',
  populationShare: '人口',
  incidentShare: '警情',
  infillTitle: '补盲成效（654路）',
  infillMethod:
    '各村/社区被在线摄像头视域覆盖的面积占比，按面积汇总；补盲前为去掉雪亮工程补盲批次。',
  districtCoverage: '全区覆盖',
  beforeInfill: '补盲前',
  sitesUncovered: '覆盖不足一半的重点部位',
  hot: '热点',
  cold: '冷点',
  confidence: '置信度',
  newFromZero: '新增',
  signIn: '登录',
  signOut: '退出',
  username: '用户名',
  password: '密码',
  totpCode: '动态验证码（6位）',
  loginRefused: '用户名或密码错误（连续失败5次将锁定10分钟）',
  loginNote: '公安数据，仅限授权人员使用',
  sessionEnded: '登录已过期，请重新登录',
  roleNames: '管理员,领导,规划,研判,大屏',
  totpTitle: '设置动态验证码',
  totpIntro:
    '管理员账号须先启用双因素认证。请输入密码，然后用身份验证器应用（如 Google Authenticator、Microsoft Authenticator）添加密钥。',
  totpStart: '下一步',
  totpKeyNote: '在身份验证器应用中手动添加以下密钥（基于时间）：',
  totpBackup: '备用码（每个只能用一次，请妥善保存）：',
  totpFinish: '启用',
  passwordExpiredTitle: '请修改密码',
  passwordExpiredNote: '密码已超过规定的使用期限。新密码至少12个字符，且不能是常见密码。',
  currentPassword: '当前密码',
  newPassword: '新密码',
};

type Dict = typeof zh;

const en: Dict = {
  appTitle: "Ping'an Map · Chengbei",
  exportMenu: 'Export',
  exportFormat: 'Format',
  exportCrs: 'Coordinate system',
  exportDownload: 'Download',
  exportIncidents: "Download the window's incidents",
  exportFormats: {
    shp: 'Shapefile (zip)',
    xlsx: 'Excel (xlsx)',
    csv: 'CSV',
    geojson: 'GeoJSON',
  },
  exportCrsNames: {
    wgs84: 'WGS84',
    cgcs2000: 'CGCS2000 (EPSG:4490)',
    'EPSG:4543': 'CGCS2000 Gauss-Krüger 102°E (EPSG:4543)',
    gcj02: 'GCJ-02 (AMap/Tencent)',
    bd09: 'BD-09 (Baidu)',
  },
  layers: 'Layers',
  opacity: 'Opacity',
  legend: 'Legend',
  legendHide: 'Hide the legend',
  legendShow: 'Show the legend',
  window: 'Window',
  custom: 'Custom',
  categories: 'Categories',
  allCategories: 'All',
  kpi: 'Indicators',
  incidents: 'Incidents',
  vsPrevious: 'vs previous',
  topCommunities: 'Communities with most incidents',
  fraudTrend: 'Telecom fraud, year on year',
  fraudYoY: 'last 12 months vs the 12 before',
  loading: 'Loading…',
  noData: 'No incidents in this window: widen the window or the categories.',
  serverDown: 'Cannot reach the server; showing the last data received.',
  population: 'Population',
  town: 'Town',
  kind: 'Kind',
  village: 'Village',
  community: 'Community',
  synthetic: 'Demo boundary (generated)',
  close: 'Close',
  play: 'Play',
  pause: 'Pause',
  speed: 'Speed',
  perDay: 'Incidents per day',
  from: 'From',
  to: 'To',
  apply: 'Apply',
  status: 'Status',
  time: 'Time',
  categoryLabel: 'Category',
  subcategoryLabel: 'Subcategory',
  dataAsOf: 'Data as of',
  staleSince: 'Data stale since',
  latest: 'Latest incidents',
  newSinceOpen: (n: number) => `${n} new`,
  newSinceOpenTitle: 'Incidents received since this page opened',
  ranking: 'Community ranking',
  view: 'View',
  online: 'online',
  offline: 'offline',
  existingCameras: 'Existing cameras',
  infillCameras: 'Sharp Eyes infill (654)',
  checkpoint: 'Outer checkpoint',
  heatLow: 'fewer',
  heatHigh: 'more',
  incidentsIn: 'Incidents in window',
  change: 'Change',
  noBasemap: 'Offline basemap',
  total: 'Total',
  kmh: 'km/h',
  redList: 'Red list',
  blackList: 'Black list',
  tabKpi: 'Indicators',
  tabRankings: 'Red/black list',
  tabAnalysis: 'Analysis',
  tabPlan: 'Planning',
  score: 'Score',
  rank: 'Rank',
  allRanks: 'Full ranking',
  formula: 'How the score works',
  formulaText:
    'Score = Σ weight × points ÷ Σ weight. Points are the percentile of the indicator among the 79 communities (0–100, better is higher, ties share the mean); a community with no disputes registered gets 50 on that one. Shares (dispute resolution, coverage, reach) are compared to 0.1 percentage point. Camera coverage and 3-minute reach are as deployed now.',
  partialPeriod:
    'The period is not over: ranked on the figures so far, against the same days of the previous period (to the same moment).',
  rankShown: 'Ranked',
  rankAgainst: 'Compared with',
  previousNotCovered:
    '; the data do not cover it, so the change is not scored (50 points for every community)',
  redListNote: 'praised',
  blackListNote: 'named',
  spikes: 'Incident spikes',
  spikesMethod:
    'The window against the period of the same length before it; Poisson z = 2(√current − √previous), flagged at |z| ≥ 3.',
  noSpikes: 'No community rose or fell markedly in this window (|z| ≥ 3).',
  hotspotsTitle: 'Hot spots (Gi*)',
  hotspotsMethod: `Getis-Ord Gi*: counts on a ${HOTSPOT.cellMeters} m grid, ${HOTSPOT.bandMeters} m distance band${HOTSPOT.fdr ? ', false-discovery-rate corrected' : ''}; classed at 99/95/90% confidence as ArcGIS Hot Spot Analysis does.`,
  showOnMap: 'Show on the map',
  circlesTitle: 'Protection circles',
  circlesMethod:
    'Incidents inside in the window; coverage by working cameras; reach as the 3-minute estimate.',
  ring: 'Ring',
  perKm2: 'per km²',
  coverageShort: 'Coverage',
  reach3: '3-min reach',
  reachTitle: '"135" quick response',
  reachMethod:
    'Estimate: straight-line distance × {detour} detour at {speed} km/h from the nearest post or car on duty (no road network); incidents of the last 30 days.',
  minutes: 'min',
  areaShare: 'Area',
  populationShare: 'People',
  incidentShare: 'Incidents',
  infillTitle: 'What the 654 infill cameras changed',
  infillMethod:
    "The share of each community's area seen by working cameras, summed by area; before = without the Sharp Eyes infill batch.",
  districtCoverage: 'District coverage',
  beforeInfill: 'before the infill',
  sitesUncovered: 'Key sites less than half covered',
  hot: 'Hot spot',
  cold: 'Cold spot',
  confidence: 'confidence',
  newFromZero: 'new',
  signIn: 'Sign in',
  signOut: 'Sign out',
  username: 'Username',
  password: 'Password',
  totpCode: 'Authenticator code (6 digits)',
  loginRefused:
    'Wrong username or password (five failures in a row lock the account for 10 minutes)',
  loginNote: 'Police data: authorised staff only',
  sessionEnded: 'Your session has ended: please sign in again',
  roleNames: 'admin,leader,planner,analyst,display',
  totpTitle: 'Set up the authenticator',
  totpIntro:
    'An admin account needs a second factor first. Enter your password, then add the key to an authenticator app (Google Authenticator, Microsoft Authenticator…).',
  totpStart: 'Next',
  totpKeyNote: 'Add this key to the authenticator app by hand (time-based):',
  totpBackup: 'Backup codes (each works once; keep them safe):',
  totpFinish: 'Turn on',
  passwordExpiredTitle: 'Change your password',
  passwordExpiredNote:
    'Your password is older than the policy allows. The new one needs at least 12 characters and must not be a common password.',
  currentPassword: 'Current password',
  newPassword: 'New password',
};

export type IndicatorName = Indicator;

const indicatorNames: Record<Lang, Record<IndicatorName, string>> = {
  zh: {
    incidentRate: '每千人警情',
    change: '环比变化',
    disputeResolution: '纠纷化解率',
    fraudRate: '每千人电诈',
    coverage: '监控覆盖率',
    reach: '3分钟可达',
  },
  en: {
    incidentRate: 'Incidents per 1,000',
    change: 'Change vs previous',
    disputeResolution: 'Disputes resolved',
    fraudRate: 'Fraud per 1,000',
    coverage: 'Camera coverage',
    reach: 'Reached in 3 min',
  },
};

const periodNames: Record<Lang, Record<'month' | 'quarter' | 'year', string>> = {
  zh: { month: '月晒', quarter: '季比', year: '年考' },
  en: { month: 'Month', quarter: 'Quarter', year: 'Year' },
};

const rankPickNames: Record<Lang, Record<'month' | 'quarter' | 'year', [string, string]>> = {
  zh: {
    month: ['上一整月', '本月至今'],
    quarter: ['上一整季', '本季至今'],
    year: ['上一整年', '本年至今'],
  },
  en: {
    month: ['Last full month', 'Month to date'],
    quarter: ['Last full quarter', 'Quarter to date'],
    year: ['Last full year', 'Year to date'],
  },
};

const rankWindowNames: Record<
  Lang,
  Record<'month' | 'quarter' | 'year', Record<'whole' | 'toDate' | 'sameDays', string>>
> = {
  zh: {
    month: { whole: '整月', toDate: '本月至今', sameDays: '上月同期' },
    quarter: { whole: '整季', toDate: '本季至今', sameDays: '上季同期' },
    year: { whole: '整年', toDate: '本年至今', sameDays: '上年同期' },
  },
  en: {
    month: {
      whole: 'whole month',
      toDate: 'month to date',
      sameDays: 'same days of the month before',
    },
    quarter: {
      whole: 'whole quarter',
      toDate: 'quarter to date',
      sameDays: 'same days of the quarter before',
    },
    year: { whole: 'whole year', toDate: 'year to date', sameDays: 'same days of the year before' },
  },
};

const categoryNames: Record<Lang, Record<IncidentCategory, string>> = {
  zh: CATEGORY_NAMES_ZH,
  en: {
    criminal: 'Criminal',
    public_order: 'Public order',
    traffic: 'Traffic',
    dispute: 'Dispute',
    assistance: 'Assistance',
    fire: 'Fire',
    report: 'Report',
    other: 'Other',
  },
};

const subcategoryNames: Record<string, [string, string]> = {
  theft: ['盗窃', 'Theft'],
  robbery: ['抢劫', 'Robbery'],
  snatching: ['抢夺', 'Snatching'],
  fraud: ['电信网络诈骗', 'Telecom fraud'],
  assault: ['伤害', 'Assault'],
  vandalism: ['毁坏财物', 'Vandalism'],
  fight: ['打架斗殴', 'Fight'],
  noise: ['噪音扰民', 'Noise'],
  gambling: ['赌博', 'Gambling'],
  disturbance: ['滋扰', 'Disturbance'],
  collision: ['交通事故', 'Collision'],
  congestion: ['交通拥堵', 'Congestion'],
  drunk_driving: ['酒驾', 'Drunk driving'],
  neighbour: ['邻里纠纷', 'Neighbour'],
  family: ['家庭纠纷', 'Family'],
  property: ['物业纠纷', 'Property'],
  labour: ['劳资纠纷', 'Labour'],
  lost_person: ['走失', 'Lost person'],
  unlock: ['开锁', 'Unlock'],
  medical: ['急救', 'Medical'],
  elderly: ['老人求助', 'Elderly'],
  building_fire: ['建筑火灾', 'Building fire'],
  vehicle_fire: ['车辆火灾', 'Vehicle fire'],
  tip_off: ['线索举报', 'Tip-off'],
  other: ['其他', 'Other'],
  // each category's catch-all: a call whose source named no subcategory
  criminal_other: ['其他刑事', 'Other criminal'],
  public_order_other: ['其他治安', 'Other public order'],
  traffic_other: ['其他交通', 'Other traffic'],
  dispute_other: ['其他纠纷', 'Other dispute'],
  assistance_other: ['其他求助', 'Other assistance'],
  fire_other: ['其他火警', 'Other fire'],
  report_other: ['其他举报', 'Other report'],
};

const presetNames: Record<Lang, Record<Preset, string>> = {
  zh: {
    today: '今天',
    '7d': '近7天',
    '30d': '近30天',
    month: '本月',
    quarter: '本季度',
    year: '本年',
  },
  en: {
    today: 'Today',
    '7d': 'Last 7 days',
    '30d': 'Last 30 days',
    month: 'This month',
    quarter: 'This quarter',
    year: 'This year',
  },
};

/**
 * How long ago something was, for a wall read from across a room: whole seconds under a minute,
 * whole minutes under an hour, whole hours under two days, then whole days. Under 10 s it is "just
 * now"; a time ahead of the clock (a skewed clock) counts as now.
 */
export function ageText(ms: number, lang: Lang): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  const zh = lang === 'zh';
  if (s < 10) return zh ? '刚刚' : 'just now';
  if (s < 60) return zh ? `${s} 秒前` : `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return zh ? `${m} 分钟前` : `${m} min ago`;
  const h = Math.floor(m / 60);
  if (h < 48) return zh ? `${h} 小时前` : `${h} h ago`;
  const d = Math.floor(h / 24);
  return zh ? `${d} 天前` : `${d} days ago`;
}

export interface Texts extends Dict {
  lang: Lang;
  layer(id: LayerId): string;
  category(c: IncidentCategory): string;
  subcategory(code: string): string;
  preset(p: Preset): string;
  indicator(k: IndicatorName): string;
  period(p: 'month' | 'quarter' | 'year'): string;
  /** the red/black list's choice: the last complete period, or the one in progress so far */
  rankPick(p: 'month' | 'quarter' | 'year', toDate: boolean): string;
  /** a compared window's kind: the whole period, this period so far, or the same days of the previous one */
  rankWindowKind(p: 'month' | 'quarter' | 'year', kind: 'whole' | 'toDate' | 'sameDays'): string;
  /** 1,234 */
  num(n: number): string;
  /** "3 分钟前": how long ago, from an age in milliseconds (ageText) */
  ago(ms: number): string;
}

export function texts(lang: Lang): Texts {
  const d = lang === 'zh' ? zh : en;
  const fmt = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US');
  return {
    ...d,
    lang,
    layer: (id) => layerEntry(id).words[lang],
    category: (c) => categoryNames[lang][c],
    subcategory: (code) => subcategoryNames[code]?.[lang === 'zh' ? 0 : 1] ?? code,
    preset: (p) => presetNames[lang][p],
    indicator: (k) => indicatorNames[lang][k],
    period: (p) => periodNames[lang][p],
    rankPick: (p, toDate) => rankPickNames[lang][p][toDate ? 1 : 0],
    rankWindowKind: (p, kind) => rankWindowNames[lang][p][kind],
    num: (n) => fmt.format(n),
    ago: (ms) => ageText(ms, lang),
  };
}

const cache: Partial<Record<Lang, Texts>> = {};

/** The texts in the view's language. */
export function useT(): Texts {
  const lang = useView((s) => s.lang);
  return (cache[lang] ??= texts(lang));
}
