/**
 * Records of a file made into the rows of a layer, in WGS84: each value read through the
 * mapping (mapping.ts), checked, and the geometry converted by the file's coordinate system
 * (one `toWgs84` call per coordinate). A record that cannot be a row is refused with its number,
 * the field and the reason, and the others go on. Geometries are checked for what makes them
 * unbuildable (open or too short rings) but never repaired here.
 *
 * What needs the database — validity (edges that cross, with where), a position outside the
 * district, an id already stored, a town named by a community that does not exist — is the
 * import's check on the rows returned (services/dataImport.ts).
 */
import type { Geometry, LineString, MultiPolygon, Point, Polygon, Position } from 'geojson';
import type { Crs } from '../../../geo/crs';
import {
  CAMERA_TYPICAL_OPTICS,
  type IncidentCategory,
  type SiteKind,
} from '../../../domain/vocabulary';
import type { Area, Camera, PatrolUnit } from '../../dataset/types';
import { subcategoryOf, type IncidentRecord } from '../../dataset/validate';
import { parseNumber } from './columns';
import { KeySet } from './keySet';
import {
  CAMERA_KIND_WORDS,
  CAMERA_STATUS_WORDS,
  COMMUNITY_KIND_WORDS,
  INCIDENT_STATUS_WORDS,
  LAYER_FIELDS,
  SITE_KIND_WORDS,
  UNIT_KIND_WORDS,
  UNIT_STATUS_WORDS,
  incidentCategoryWords,
  lookUp,
  type ImportLayer,
  type SuggestedMapping,
} from './mapping';
import { parseLocalTime } from './time';
import {
  importReason,
  type ImportReason,
  type ImportReasonCode,
  type ReasonParams,
} from '../../../domain/importReasons';
import type { CellValue, ReadRecord } from './types';

export interface TownRow {
  n: number;
  code: string;
  name: string;
  geom: Area;
}
export interface CommunityRow {
  n: number;
  /** 12-digit statistical code */
  code: string;
  name: string;
  /** the town as the file names it (a name or a code): the caller finds its id */
  town: string;
  kind: 'village' | 'community';
  /** null when the file has no population */
  population: number | null;
  geom: Area;
}
export interface CameraRow extends Omit<Camera, 'batch' | 'installedAt'> {
  n: number;
  /** the GB/T 28181 device id (20 digits) */
  deviceCode: string;
  name: string | null;
  /** epoch ms; null when the file does not say */
  installedAt: number | null;
}
export interface SiteRow {
  n: number;
  kind: SiteKind;
  name: string;
  /** a checkpoint's own code, when the file gives one */
  code: string | null;
  geom: Point;
}
export interface PostRow extends PatrolUnit {
  n: number;
}
export interface IncidentRow extends IncidentRecord {
  n: number;
}

export interface LayerRows {
  towns: TownRow;
  communities: CommunityRow;
  cameras: CameraRow;
  sites: SiteRow;
  checkpoints: SiteRow;
  posts: PostRow;
  incidents: IncidentRow;
}

export interface Refusal extends ImportReason {
  /** the record's number (ReadRecord.n) */
  n: number;
  /** the field refused, or 'geometry' */
  field: string;
}

export interface RowOptions {
  /** cameras: values for a camera whose row leaves them empty (else the kind's typical optics) */
  cameraDefaults?: { bearing?: number; fov?: number; rangeM?: number };
  /** incidents: category labels of the deployment, besides the usual ones */
  categoryLabels?: Readonly<Record<string, IncidentCategory>>;
}

/** A value refused, with its reason. */
class Refused extends Error {
  readonly reason: ImportReason;
  constructor(
    readonly field: string,
    code: ImportReasonCode,
    params: ReasonParams = {},
  ) {
    const reason = importReason(code, params);
    super(reason.reason);
    this.reason = reason;
  }
}

const isEmpty = (v: CellValue | undefined) =>
  v === null || v === undefined || String(v).trim() === '';

/**
 * Converts records to rows of `layer`, batch after batch: one converter for a whole file, so
 * that an id seen twice is refused the second time however far apart.
 */
export class RowConverter<L extends ImportLayer> {
  private readonly seen = new KeySet();
  private readonly words = new Map<string, unknown>();
  private readonly categories: ReadonlyMap<string, IncidentCategory>;

  constructor(
    readonly layer: L,
    readonly mapping: SuggestedMapping,
    readonly crs: Pick<Crs, 'toWgs84'>,
    readonly options: RowOptions = {},
  ) {
    if (mapping.layer !== layer) throw new Error(`a ${mapping.layer} mapping for ${layer}`);
    this.categories = incidentCategoryWords(options.categoryLabels);
  }

  convert(records: readonly ReadRecord[]): { rows: LayerRows[L][]; refusals: Refusal[] } {
    const rows: LayerRows[L][] = [];
    const refusals: Refusal[] = [];
    for (const r of records) {
      try {
        rows.push(this.row(r) as LayerRows[L]);
      } catch (err) {
        if (!(err instanceof Refused)) throw err;
        refusals.push({ n: r.n, field: err.field, ...err.reason });
      }
    }
    return { rows, refusals };
  }

  // ---- values ----

  private raw(r: ReadRecord, field: string): CellValue {
    const m = this.mapping.fields[field];
    return m ? (r.properties[m.column] ?? null) : null;
  }

  private label(field: string): string {
    const m = this.mapping.fields[field];
    return m ? `${field} (${m.column})` : field;
  }

  private text(r: ReadRecord, field: string, max = 200): string | null {
    const v = this.raw(r, field);
    if (isEmpty(v)) return null;
    const s = typeof v === 'number' ? numberText(v) : String(v).trim();
    if (s.length > max) throw new Refused(this.label(field), 'too_long', { max });
    return s;
  }

  private required(r: ReadRecord, field: string, max?: number): string {
    const s = this.text(r, field, max);
    if (s === null)
      throw new Refused(this.label(field), this.mapping.fields[field] ? 'empty' : 'not_mapped');
    return s;
  }

  private number(r: ReadRecord, field: string, min: number, max: number): number | null {
    const v = this.raw(r, field);
    if (isEmpty(v)) return null;
    const n = parseNumber(typeof v === 'string' ? v.replace(/[°度米m]$/i, '') : v);
    if (!Number.isFinite(n))
      throw new Refused(this.label(field), 'not_a_number', { text: String(v) });
    if (n < min || n > max)
      throw new Refused(this.label(field), 'out_of_range', { value: n, min, max });
    return n;
  }

  private word<T>(r: ReadRecord, field: string, words: ReadonlyMap<string, T>, fallback?: T): T {
    const s = fallback === undefined ? this.required(r, field) : this.text(r, field);
    if (s === null) return fallback!;
    // the same few words fill a column: look each up once
    const key = `${field}\u0000${s}`;
    let code = this.words.get(key) as T | undefined;
    if (code === undefined && !this.words.has(key)) {
      code = lookUp(words, s);
      this.words.set(key, code);
    }
    if (code === undefined) {
      const allowed = [...new Set(words.values())].map(String);
      throw field === 'category'
        ? new Refused(this.label(field), 'unknown_category', { label: s, allowed })
        : new Refused(this.label(field), 'unknown_word', { field, text: s, allowed });
    }
    return code;
  }

  private unique(key: string, field: string, n: number) {
    const first = this.seen.add(key, n);
    if (first !== undefined)
      throw new Refused(this.label(field), 'duplicate_id', { id: key, firstRow: first });
  }

  // ---- geometry ----

  private position(p: Position): Position {
    const [lon, lat] = this.crs.toWgs84(p[0]!, p[1]!);
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90)
      throw new Refused('geometry', 'bad_coordinate', { x: p[0]!, y: p[1]! });
    return [lon, lat];
  }

  private point(r: ReadRecord): Point {
    const g = this.geometry(r);
    if (g.type === 'Point') return { type: 'Point', coordinates: this.position(g.coordinates) };
    if (g.type === 'MultiPoint' && g.coordinates.length === 1)
      return { type: 'Point', coordinates: this.position(g.coordinates[0]!) };
    throw new Refused('geometry', 'not_a_point', { type: g.type });
  }

  private area(r: ReadRecord): Area {
    const g = this.geometry(r);
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon')
      throw new Refused('geometry', 'not_a_polygon', { type: g.type });
    checkArea(g);
    const ring = (ring: Position[]) => ring.map((p) => this.position(p));
    return g.type === 'Polygon'
      ? { type: 'Polygon', coordinates: g.coordinates.map(ring) }
      : { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map(ring)) };
  }

  private geometry(r: ReadRecord): Geometry {
    if (!r.geometry) {
      const p = r.geometryProblem;
      throw p
        ? new Refused('geometry', p.code, p.params)
        : new Refused('geometry', 'record_no_geometry');
    }
    return r.geometry;
  }

  // ---- rows ----

  private row(r: ReadRecord): LayerRows[ImportLayer] {
    const n = r.n;
    switch (this.layer) {
      case 'towns': {
        const code = this.code(r, 'code', 9);
        const row: TownRow = { n, code, name: this.required(r, 'name'), geom: this.area(r) };
        this.unique(code, 'code', n);
        return row;
      }
      case 'communities': {
        const code = this.code(r, 'code', 12);
        const name = this.required(r, 'name');
        const kindText = this.text(r, 'kind');
        const row: CommunityRow = {
          n,
          code,
          name,
          town: this.required(r, 'town'),
          kind:
            kindText !== null
              ? this.word(r, 'kind', COMMUNITY_KIND_WORDS)
              : /村$/.test(name)
                ? 'village'
                : 'community',
          population: this.number(r, 'population', 0, 10_000_000),
          geom: this.area(r),
        };
        if (row.population !== null && !Number.isInteger(row.population))
          throw new Refused(this.label('population'), 'not_whole', { value: row.population });
        this.unique(code, 'code', n);
        return row;
      }
      case 'cameras': {
        const deviceCode = this.code(r, 'deviceCode', 20);
        const kind = this.word(r, 'kind', CAMERA_KIND_WORDS);
        const d = this.options.cameraDefaults ?? {};
        const need = (field: string, v: number | null, fallback: number | undefined) => {
          if (v !== null) return v;
          if (fallback !== undefined) return fallback;
          throw new Refused(this.label(field), 'no_default');
        };
        const dome = kind === 'dome';
        const bearing = this.number(r, 'bearing', 0, 360);
        const fov = this.number(r, 'fov', 1, 360);
        const row: CameraRow = {
          n,
          deviceCode,
          name: this.text(r, 'name'),
          kind,
          bearing: dome ? (bearing ?? 0) % 360 : need('bearing', bearing, d.bearing) % 360,
          fov: dome ? (fov ?? 360) : need('fov', fov, d.fov ?? CAMERA_TYPICAL_OPTICS[kind].fov),
          rangeM: need(
            'rangeM',
            this.number(r, 'rangeM', 1, 2000),
            d.rangeM ?? CAMERA_TYPICAL_OPTICS[kind].rangeM,
          ),
          status: this.word(r, 'status', CAMERA_STATUS_WORDS, 'online'),
          installedAt: this.time(r, 'installedAt', false),
          geom: this.point(r),
        };
        this.unique(deviceCode, 'deviceCode', n);
        return row;
      }
      case 'sites':
        return {
          n,
          kind: this.word(r, 'kind', SITE_KIND_WORDS),
          name: this.required(r, 'name'),
          code: null,
          geom: this.point(r),
        } satisfies SiteRow;
      case 'checkpoints': {
        const code = this.text(r, 'code', 64);
        const row: SiteRow = {
          n,
          kind: 'checkpoint',
          name: this.required(r, 'name'),
          code,
          geom: this.point(r),
        };
        if (code !== null) this.unique(code, 'code', n);
        return row;
      }
      case 'posts': {
        const g = r.geometry?.type === 'LineString' ? (r.geometry as LineString) : null;
        return {
          n,
          kind: this.word(r, 'kind', UNIT_KIND_WORDS, 'post'),
          name: this.required(r, 'name'),
          status: this.word(r, 'status', UNIT_STATUS_WORDS, 'available'),
          geom: g
            ? { type: 'LineString', coordinates: g.coordinates.map((p) => this.position(p)) }
            : this.point(r),
        } satisfies PostRow;
      }
      case 'incidents': {
        const sourceId = this.required(r, 'sourceId', 64);
        const category = this.word(r, 'category', this.categories);
        const point = this.point(r);
        const row: IncidentRow = {
          n,
          sourceId,
          time: this.time(r, 'time', true)!,
          category,
          subcategory: subcategoryOf(category, this.text(r, 'subcategory', 40)),
          status: this.word(r, 'status', INCIDENT_STATUS_WORDS, 'closed'),
          lon: point.coordinates[0]!,
          lat: point.coordinates[1]!,
          address: this.text(r, 'address', 200),
          linkedSourceId: null,
        };
        this.unique(sourceId, 'sourceId', n);
        return row;
      }
    }
    throw new Error(`unknown layer ${String(this.layer)}`);
  }

  /** A code of exactly `digits` digits (a statistical code, a GB/T 28181 device id). */
  private code(r: ReadRecord, field: string, digits: number): string {
    const s = this.required(r, field, 64);
    if (!new RegExp(`^\\d{${digits}}$`).test(s))
      throw new Refused(this.label(field), 'bad_code', { text: s, digits });
    return s;
  }

  private time(r: ReadRecord, field: string, required: boolean): number | null {
    const v = this.raw(r, field);
    if (isEmpty(v)) {
      if (required) this.required(r, field);
      return null;
    }
    const t = parseLocalTime(v!);
    if (t === null) throw new Refused(this.label(field), 'bad_date', { text: String(v) });
    return t;
  }
}

/** A number cell as text: integers without exponent or decimals (a code stored as a number). */
function numberText(v: number): string {
  return Number.isInteger(v) ? BigInt(v).toString() : String(v);
}

/**
 * Refuses a polygon that cannot be built: rings with fewer than four positions or not closed.
 * Whether it is valid (edges that cross, holes outside their shell) is the database's judgement
 * (ST_IsValidReason, with where), made by the import: OGC validity, not a stricter rule that
 * would refuse parts touching at a vertex.
 */
function checkArea(g: Polygon | MultiPolygon) {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  polygons.forEach((rings, pi) =>
    rings.forEach((ring, ri) => {
      const which = { polygon: g.type === 'MultiPolygon' ? pi + 1 : null, ring: ri + 1 };
      if (ring.length < 4)
        throw new Refused('geometry', 'ring_too_short', { ...which, count: ring.length });
      const [a, z] = [ring[0]!, ring[ring.length - 1]!];
      if (a[0] !== z[0] || a[1] !== z[1]) throw new Refused('geometry', 'ring_not_closed', which);
    }),
  );
}

/** The fields of a layer, for a caller listing what a mapping may set. */
export const fieldsOf = (layer: ImportLayer) => LAYER_FIELDS[layer].map((f) => f.field);
