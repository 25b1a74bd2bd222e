/**
 * Checks a dataset's rows before they are written, so that a bad row is named by its table and
 * number (1-based, in the order given) instead of surfacing as a database refusal. The checks
 * follow the schema's constraints (server/db/schema.ts) and the vocabulary they use.
 */
import {
  CAMERA_KINDS,
  CAMERA_STATUSES,
  UNIT_STATUSES,
  INCIDENT_CATEGORIES,
  INCIDENT_STATUSES,
  RINGS,
  RISK_COLOURS,
  SHIFTS,
  SITE_KINDS,
  UNIT_KINDS,
} from '../../domain/vocabulary';
import gcoord, { type CRSTypes } from 'gcoord';
import {
  CANCELLED,
  DEFAULT_SUBCATEGORY_LABELS,
  INGEST_CRS,
  MAX_FUTURE_MS,
  OTHER_SUBCATEGORY_LABELS,
  type IngestCrs,
} from '../../domain/ingest';
import {
  DEFAULT_SUBCATEGORY,
  type IncidentCategory,
  type IncidentStatus,
} from '../../domain/vocabulary';
import { BadInput } from '../errors';
import type { DatasetTable, DatasetTables } from './types';

/** A dataset the store refuses: which table, which row (1-based) when one is to blame, and why. */
export class DatasetError extends BadInput {
  constructor(
    readonly table: DatasetTable | null,
    readonly row: number | null,
    problem: string,
  ) {
    // the field is where the problem lies: "incidents row 37"
    super(`${table ?? 'dataset'}${row === null ? '' : ` row ${row}`}`, problem);
  }
}

type Check = (row: Record<string, unknown>) => string | null;

const AREA = ['Polygon', 'MultiPolygon'];
const POINT = ['Point'];

const text: (f: string) => Check = (f) => (r) =>
  typeof r[f] === 'string' && r[f] !== '' ? null : `${f} must be a non-empty text`;
const oneOf: (f: string, values: readonly unknown[]) => Check = (f, values) => (r) =>
  values.includes(r[f]) ? null : `${f} ${JSON.stringify(r[f])} is not one of ${values.join(', ')}`;
const finite: (f: string, min?: number, max?: number) => Check = (f, min, max) => (r) => {
  const v = r[f];
  if (typeof v !== 'number' || !Number.isFinite(v)) return `${f} must be a number`;
  if (min !== undefined && v < min) return `${f} ${v} is below ${min}`;
  if (max !== undefined && v > max) return `${f} ${v} is above ${max}`;
  return null;
};
/** An id a smallint column (incidents, disputes, sites) can refer to. */
const id: (f: string, nullable?: boolean) => Check = (f, nullable) => (r) =>
  (nullable && r[f] === null) ||
  (Number.isInteger(r[f]) && (r[f] as number) > 0 && (r[f] as number) <= 32_767)
    ? null
    : `${f} must be a whole number from 1 to 32767${nullable ? ', or null' : ''}`;
const geometry: (types: string[]) => Check = (types) => (r) => {
  const g = r.geom as { type?: unknown; coordinates?: unknown } | undefined;
  return g && types.includes(g.type as string) && Array.isArray(g.coordinates)
    ? null
    : `geom must be a GeoJSON ${types.join(' or ')}`;
};

const CHECKS: Record<Exclude<DatasetTable, 'incidents'>, Check[]> = {
  district: [text('code'), text('name'), geometry(AREA)],
  towns: [id('id'), text('code'), text('name'), text('geometrySource'), geometry(AREA)],
  communities: [
    id('id'),
    text('code'),
    text('name'),
    id('townId'),
    oneOf('kind', ['village', 'community']),
    (r) =>
      Number.isInteger(r.population) && (r.population as number) >= 0
        ? null
        : 'population must be a whole number, 0 or more',
    oneOf('synthetic', [true, false]),
    text('geometrySource'),
    geometry(AREA),
  ],
  disputes: [
    finite('registeredAt'),
    (r) =>
      r.resolvedAt === null ||
      (typeof r.resolvedAt === 'number' && r.resolvedAt >= (r.registeredAt as number))
        ? null
        : 'resolvedAt must be null or not before registeredAt',
    text('kind'),
    oneOf('risk', RISK_COLOURS),
    text('channel'),
    id('communityId'),
    geometry(POINT),
  ],
  cameras: [
    oneOf('kind', CAMERA_KINDS),
    (r) =>
      typeof r.bearing === 'number' && r.bearing >= 0 && r.bearing < 360
        ? null
        : 'bearing must be from 0 to under 360',
    (r) =>
      typeof r.fov === 'number' && r.fov > 0 && r.fov <= 360
        ? null
        : 'fov must be above 0 and at most 360',
    (r) => (typeof r.rangeM === 'number' && r.rangeM > 0 ? null : 'rangeM must be above 0'),
    oneOf('status', CAMERA_STATUSES),
    text('batch'),
    finite('installedAt'),
    geometry(POINT),
  ],
  sites: [oneOf('kind', SITE_KINDS), text('name'), id('communityId', true), geometry(POINT)],
  circles: [oneOf('ring', RINGS), text('name'), text('description'), geometry(AREA)],
  zones: [text('name'), text('unit'), oneOf('shift', SHIFTS), id('townId'), geometry(AREA)],
  units: [
    oneOf('kind', UNIT_KINDS),
    text('name'),
    oneOf('status', UNIT_STATUSES),
    geometry(['Point', 'LineString']),
  ],
};

/** The keys of the tables that have one; two rows of one dataset may not share a key. */
export const KEYS: Partial<Record<DatasetTable, string>> = {
  district: 'code',
  towns: 'id',
  communities: 'id',
  circles: 'ring',
};

/** Throws DatasetError for the first bad row of `table`. */
export function validateTable<T extends DatasetTable>(table: T, value: DatasetTables[T]): void {
  if (table === 'incidents') return validateIncidents(value as DatasetTables['incidents']);
  const rows = (table === 'district' ? [value] : value) as unknown as Record<string, unknown>[];
  if (!Array.isArray(rows)) throw new DatasetError(table, null, 'must be a list of rows');
  const checks = CHECKS[table as Exclude<DatasetTable, 'incidents'>];
  const key = KEYS[table];
  const seen = new Set<unknown>();
  rows.forEach((row, i) => {
    if (!row || typeof row !== 'object') throw new DatasetError(table, i + 1, 'is not a row');
    for (const check of checks) {
      const problem = check(row);
      if (problem) throw new DatasetError(table, i + 1, problem);
    }
    if (key) {
      if (seen.has(row[key]))
        throw new DatasetError(table, i + 1, `${key} ${String(row[key])} occurs twice`);
      seen.add(row[key]);
    }
  });
}

function validateIncidents(inc: DatasetTables['incidents']): void {
  const n = inc.count;
  if (!Number.isInteger(n) || n < 0)
    throw new DatasetError('incidents', null, 'count must be a whole number');
  for (const col of ['lon', 'lat', 'time', 'category', 'subcategory', 'status', 'communityId'])
    if ((inc[col as keyof typeof inc] as ArrayLike<number>)?.length !== n)
      throw new DatasetError('incidents', null, `column ${col} does not hold ${n} values`);
  const fail = (i: number, problem: string) => {
    throw new DatasetError('incidents', i + 1, problem);
  };
  for (let i = 0; i < n; i++) {
    const lon = inc.lon[i]!;
    const lat = inc.lat[i]!;
    if (!(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90))
      fail(i, `position ${lon}, ${lat} is not a longitude and latitude`);
    if (!Number.isFinite(inc.time[i])) fail(i, 'time must be an instant');
    if (inc.category[i]! >= INCIDENT_CATEGORIES.length)
      fail(i, `category ${inc.category[i]} is not an index into ${INCIDENT_CATEGORIES.join(', ')}`);
    if (inc.status[i]! >= INCIDENT_STATUSES.length)
      fail(i, `status ${inc.status[i]} is not an index into ${INCIDENT_STATUSES.join(', ')}`);
    if (inc.subcategory[i]! >= inc.subcategories.length)
      fail(i, `subcategory ${inc.subcategory[i]} is not an index into the subcategories`);
    if (inc.communityId[i]! < 0) fail(i, 'communityId must be 0 (none) or a community id');
  }
  inc.subcategories.forEach((s, i) => {
    if (typeof s !== 'string' || s === '')
      throw new DatasetError('incidents', null, `subcategory ${i} must be a non-empty text`);
  });
}

/** A feed's record as it is stored: a WGS84 position, a category code, an instant. */
export interface IncidentRecord {
  sourceId: string;
  /** epoch milliseconds */
  time: number;
  category: IncidentCategory;
  subcategory: string;
  /** a status of INCIDENT_STATUSES, or 'cancelled' */
  status: IncidentStatus | typeof CANCELLED;
  lon: number;
  lat: number;
  address: string | null;
  linkedSourceId: string | null;
}

/** What a record is checked against. */
export interface RecordRules {
  /** category labels (and codes) to category codes */
  categories: ReadonlyMap<string, IncidentCategory>;
  /** the server's clock, epoch ms */
  now: number;
  /** the data span's start, epoch ms, if any data is stored */
  spanStart: number | null;
}

/** The longest text a record's fields may carry. */
const RECORD_TEXT_MAX = { sourceId: 64, subcategory: 40, address: 200, linkedSourceId: 64 };

const CRS: Record<IngestCrs, CRSTypes | null> = {
  wgs84: null,
  // CGCS2000 is WGS84 to within centimetres: taken as it is
  cgcs2000: null,
  gcj02: gcoord.GCJ02,
  bd09: gcoord.BD09,
};

/**
 * A record's subcategory as stored: a label of the subcategory table becomes its code, "其他"
 * and none at all the category's catch-all; any other text (the source's own subcategory, or
 * already a code) is kept as sent.
 */
export function subcategoryOf(category: IncidentCategory, text: string | null): string {
  if (text === null || OTHER_SUBCATEGORY_LABELS.includes(text))
    return DEFAULT_SUBCATEGORY[category];
  // own keys only: a text such as "constructor" is a subcategory, not a property of the table
  return Object.hasOwn(DEFAULT_SUBCATEGORY_LABELS, text) ? DEFAULT_SUBCATEGORY_LABELS[text]! : text;
}

/**
 * Checks one record of a feed and brings it to what is stored (the category code, WGS84, epoch
 * ms); or names the field at fault and why. Where the position lies (inside the district or
 * not) is the store's to tell.
 */
export function checkIncidentRecord(
  raw: unknown,
  rules: RecordRules,
): { record: IncidentRecord } | { field: string; reason: string } {
  const fail = (field: string, reason: string) => ({ field, reason });
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return fail('(record)', 'must be an object');
  const r = raw as Record<string, unknown>;
  const optionalText = (f: keyof typeof RECORD_TEXT_MAX) => {
    const v = r[f];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string' || v.trim() === '') return `must be a non-empty text`;
    if (v.length > RECORD_TEXT_MAX[f]) return `is longer than ${RECORD_TEXT_MAX[f]} characters`;
    return null;
  };
  if (r.sourceId === undefined || r.sourceId === null || r.sourceId === '')
    return fail('sourceId', 'is missing');
  for (const f of Object.keys(RECORD_TEXT_MAX) as (keyof typeof RECORD_TEXT_MAX)[]) {
    const problem = optionalText(f);
    if (problem) return fail(f, problem);
  }
  const sourceId = (r.sourceId as string).trim();

  if (r.time === undefined || r.time === null || r.time === '') return fail('time', 'is missing');
  const time =
    typeof r.time === 'number' ? r.time : typeof r.time === 'string' ? Date.parse(r.time) : NaN;
  if (!Number.isFinite(time))
    return fail('time', 'must be an ISO 8601 instant (with its offset) or epoch milliseconds');
  if (time > rules.now + MAX_FUTURE_MS)
    return fail('time', `${new Date(time).toISOString()} is more than 5 minutes in the future`);
  if (rules.spanStart !== null && time < rules.spanStart)
    return fail(
      'time',
      `${new Date(time).toISOString()} is before the stored data begin (${new Date(rules.spanStart).toISOString()})`,
    );

  if (r.category === undefined || r.category === null || r.category === '')
    return fail('category', 'is missing');
  const category =
    typeof r.category === 'string' ? rules.categories.get(r.category.trim()) : undefined;
  if (!category)
    return fail(
      'category',
      `${JSON.stringify(r.category)} is neither a category code (${INCIDENT_CATEGORIES.join(', ')}) nor a label of the category table`,
    );

  const statuses: readonly string[] = [...INCIDENT_STATUSES, CANCELLED];
  const status = r.status ?? 'open';
  if (typeof status !== 'string' || !statuses.includes(status))
    return fail('status', `${JSON.stringify(status)} is not one of ${statuses.join(', ')}`);

  const crs = r.crs ?? 'wgs84';
  if (typeof crs !== 'string' || !(INGEST_CRS as readonly string[]).includes(crs))
    return fail('crs', `${JSON.stringify(crs)} is not one of ${INGEST_CRS.join(', ')}`);
  for (const f of ['lon', 'lat'] as const)
    if (r[f] === undefined || r[f] === null || r[f] === '') return fail(f, 'is missing');
  const [x, y] = [r.lon, r.lat];
  if (typeof x !== 'number' || !Number.isFinite(x) || x < -180 || x > 180)
    return fail('lon', `${JSON.stringify(x)} is not a longitude from -180 to 180`);
  if (typeof y !== 'number' || !Number.isFinite(y) || y < -90 || y > 90)
    return fail('lat', `${JSON.stringify(y)} is not a latitude from -90 to 90`);
  const from = CRS[crs as IngestCrs];
  const [lon, lat] = from ? gcoord.transform([x, y], from, gcoord.WGS84) : [x, y];

  const text = (f: 'subcategory' | 'address' | 'linkedSourceId') =>
    typeof r[f] === 'string' ? (r[f] as string).trim() : null;
  return {
    record: {
      sourceId,
      time,
      category,
      subcategory: subcategoryOf(category, text('subcategory')),
      status: status as IncidentRecord['status'],
      lon: lon!,
      lat: lat!,
      address: text('address'),
      linkedSourceId: text('linkedSourceId'),
    },
  };
}
