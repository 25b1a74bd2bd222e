/**
 * What an incident feed (a 110 dispatch system) sends: the record, its coordinate systems, the
 * category labels it may use instead of our codes, and the limits of a batch. Pure: no
 * database, no HTTP.
 */
import { INCIDENT_STATUSES, type IncidentCategory, type IncidentStatus } from './vocabulary';

/** The most records one request may carry. */
export const MAX_INGEST_RECORDS = 5_000;

/** How far ahead of the server's clock a call's time may lie (clocks differ a little). */
export const MAX_FUTURE_MS = 5 * 60_000;

/**
 * The coordinate systems a position may come in. CGCS2000 and WGS84 differ by centimetres,
 * far below what a call's position means, so CGCS2000 is taken as WGS84; GCJ-02 (the national
 * "Mars" offset) and BD-09 (Baidu's) are converted to WGS84 on the way in.
 */
export const INGEST_CRS = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const;
export type IngestCrs = (typeof INGEST_CRS)[number];

/** The status a feed sends to withdraw a call: the incident leaves every count. */
export const CANCELLED = 'cancelled';

/** One record as a feed sends it. */
export interface IngestRecord {
  /** the source's own id of the call, e.g. the 接警单编号 */
  sourceId: string;
  /** when the call came in: an ISO 8601 instant or epoch milliseconds */
  time: string | number;
  /** a category code (criminal, traffic, …) or a label of the category table (刑事, 交通, …) */
  category: string;
  subcategory?: string;
  /** open, dispatched, on_scene, closed, or cancelled */
  status?: string;
  lon: number;
  lat: number;
  crs?: IngestCrs;
  address?: string;
  /** the call this one repeats (a repeat call about the same event) */
  linkedSourceId?: string;
}

export type IngestOutcome = 'created' | 'updated' | 'unchanged' | 'rejected';

export interface IngestResult {
  sourceId: string | null;
  outcome: IngestOutcome;
  /** the incident's id, where one is stored */
  id?: number;
  /** what was wrong (rejected), or what to know (a position outside the district) */
  field?: string;
  reason?: string;
}

export interface IngestAnswer {
  results: IngestResult[];
  counts: Record<IngestOutcome, number> & {
    /** stored, but outside the district: counted apart from the district's incidents */
    outside: number;
  };
}

/**
 * Labels a 110 system may use for its call categories (警情类别), with and without the usual
 * suffixes; a deployment adds its own with INGEST_CATEGORY_MAP.
 */
export const DEFAULT_CATEGORY_LABELS: Readonly<Record<string, IncidentCategory>> = {
  刑事: 'criminal',
  刑事警情: 'criminal',
  刑事案件: 'criminal',
  治安: 'public_order',
  治安警情: 'public_order',
  治安案件: 'public_order',
  交通: 'traffic',
  交通警情: 'traffic',
  交通事故: 'traffic',
  纠纷: 'dispute',
  纠纷警情: 'dispute',
  求助: 'assistance',
  群众求助: 'assistance',
  火警: 'fire',
  火灾: 'fire',
  举报: 'report',
  举报投诉: 'report',
  其他: 'other',
  其它: 'other',
};

/**
 * Labels a 110 system may use for its subcategories (警情细类), to our subcategory codes; a
 * subcategory that is neither a code nor a label here is stored as the source sends it. "其他"
 * is the category's own catch-all (vocabulary.ts DEFAULT_SUBCATEGORY), so it is not listed.
 */
export const DEFAULT_SUBCATEGORY_LABELS: Readonly<Record<string, string>> = {
  盗窃: 'theft',
  盗窃案: 'theft',
  诈骗: 'fraud',
  电信诈骗: 'fraud',
  电信网络诈骗: 'fraud',
  抢劫: 'robbery',
  抢夺: 'snatching',
  伤害: 'assault',
  故意伤害: 'assault',
  毁坏财物: 'vandalism',
  故意毁坏财物: 'vandalism',
  打架斗殴: 'fight',
  斗殴: 'fight',
  噪音扰民: 'noise',
  噪声扰民: 'noise',
  赌博: 'gambling',
  滋扰: 'disturbance',
  滋事: 'disturbance',
  交通事故: 'collision',
  交通拥堵: 'congestion',
  拥堵: 'congestion',
  酒驾: 'drunk_driving',
  酒后驾驶: 'drunk_driving',
  醉驾: 'drunk_driving',
  邻里纠纷: 'neighbour',
  家庭纠纷: 'family',
  物业纠纷: 'property',
  劳资纠纷: 'labour',
  走失: 'lost_person',
  人员走失: 'lost_person',
  开锁: 'unlock',
  求助开锁: 'unlock',
  急救: 'medical',
  医疗救助: 'medical',
  老人求助: 'elderly',
  建筑火灾: 'building_fire',
  车辆火灾: 'vehicle_fire',
  线索举报: 'tip_off',
};

/** The labels that mean "other" in a source's subcategory: the category's catch-all. */
export const OTHER_SUBCATEGORY_LABELS: readonly string[] = ['其他', '其它'];

/**
 * Where a status lies on a call's course; a status only moves forward (open → dispatched →
 * on_scene → closed), so a record whose status lies behind the stored one is a late record.
 */
export const statusRank = (s: IncidentStatus): number => INCIDENT_STATUSES.indexOf(s);
