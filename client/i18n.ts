/** UI text, Chinese first, with English. Every string the UI shows comes from here. */
import type { IncidentCategory } from '../server/demo/types';
import { useView } from './state/viewStore';
import type { Lang, LayerId, Preset } from './state/view';

const zh = {
  appTitle: '平安图 · 城北区',
  layers: '图层',
  opacity: '透明度',
  legend: '图例',
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
};

type Dict = typeof zh;

const en: Dict = {
  appTitle: "Ping'an Map · Chengbei",
  layers: 'Layers',
  opacity: 'Opacity',
  legend: 'Legend',
  window: 'Window',
  custom: 'Custom',
  categories: 'Categories',
  allCategories: 'All categories',
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
};

const layerNames: Record<Lang, Record<LayerId, string>> = {
  zh: {
    heat: '警情热力',
    points: '警情点位',
    communities: '村/社区',
    towns: '街道/镇',
    circles: '三级防护圈',
    cameras: '摄像头',
    infill: '补盲摄像头',
    sectors: '摄像头视域',
    zones: '巡逻区',
    posts: '快反点与巡逻力量',
    sites: '重点部位',
    gaps: '监控盲区',
    reach: '135快反圈',
  },
  en: {
    heat: 'Incident heat',
    points: 'Incident points',
    communities: 'Villages/communities',
    towns: 'Towns',
    circles: 'Protection circles',
    cameras: 'Cameras',
    infill: 'Infill cameras',
    sectors: 'Camera sectors',
    zones: 'Patrol zones',
    posts: 'Posts and patrols',
    sites: 'Key sites',
    gaps: 'Camera blind spots',
    reach: '"135" reach',
  },
};

const categoryNames: Record<Lang, Record<IncidentCategory, string>> = {
  zh: {
    criminal: '刑事',
    public_order: '治安',
    traffic: '交通',
    dispute: '纠纷',
    assistance: '求助',
    fire: '火警',
    report: '举报',
    other: '其他',
  },
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

export interface Texts extends Dict {
  lang: Lang;
  layer(id: LayerId): string;
  category(c: IncidentCategory): string;
  subcategory(code: string): string;
  preset(p: Preset): string;
  /** 1,234 */
  num(n: number): string;
}

export function texts(lang: Lang): Texts {
  const d = lang === 'zh' ? zh : en;
  const fmt = new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US');
  return {
    ...d,
    lang,
    layer: (id) => layerNames[lang][id],
    category: (c) => categoryNames[lang][c],
    subcategory: (code) => subcategoryNames[code]?.[lang === 'zh' ? 0 : 1] ?? code,
    preset: (p) => presetNames[lang][p],
    num: (n) => fmt.format(n),
  };
}

const cache: Partial<Record<Lang, Texts>> = {};

/** The texts in the view's language. */
export function useT(): Texts {
  const lang = useView((s) => s.lang);
  return (cache[lang] ??= texts(lang));
}
