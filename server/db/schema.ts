/**
 * The database schema. Geometries are `geometry(<Type>,4326)` columns with GiST indexes; they are
 * written from GeoJSON and read back with ST_AsGeoJSON in the queries that need them.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  customType,
  date,
  index,
  integer,
  pgTable,
  real,
  serial,
  smallint,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import type { Geometry } from 'geojson';

type GeometryType = 'Point' | 'LineString' | 'MultiPolygon' | 'Geometry';

/** A PostGIS geometry column in WGS84. Values are GeoJSON geometries. */
const geometry = (name: string, type: GeometryType) =>
  customType<{ data: Geometry; driverData: string }>({
    dataType: () => `geometry(${type},4326)`,
    toDriver: (value) => {
      const g = sql`ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(value)}),4326)`;
      return (type === 'MultiPolygon' ? sql`ST_Multi(${g})` : g) as unknown as string;
    },
    fromDriver: (value) => {
      throw new Error(
        `read geometry column ${name} with ST_AsGeoJSON, not raw (${value.length} B)`,
      );
    },
  })(name);

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const appMeta = pgTable('app_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const district = pgTable(
  'district',
  {
    id: serial('id').primaryKey(),
    code: text('code').notNull(),
    name: text('name').notNull(),
    geom: geometry('geom', 'MultiPolygon').notNull(),
  },
  (t) => [index('district_geom_idx').using('gist', t.geom)],
);

export const towns = pgTable(
  'towns',
  {
    id: integer('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    geometrySource: text('geometry_source').notNull(),
    geom: geometry('geom', 'MultiPolygon').notNull(),
  },
  (t) => [index('towns_geom_idx').using('gist', t.geom)],
);

export const communities = pgTable(
  'communities',
  {
    id: integer('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    townId: integer('town_id')
      .notNull()
      .references(() => towns.id),
    kind: text('kind').notNull(),
    population: integer('population').notNull(),
    synthetic: boolean('synthetic').notNull(),
    geometrySource: text('geometry_source').notNull(),
    geom: geometry('geom', 'MultiPolygon').notNull(),
  },
  (t) => [
    index('communities_geom_idx').using('gist', t.geom),
    check('communities_kind_check', sql`${t.kind} in ('village', 'community')`),
    check('communities_population_check', sql`${t.population} >= 0`),
  ],
);

export const incidents = pgTable(
  'incidents',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    time: ts('time').notNull(),
    category: text('category').notNull(),
    subcategory: text('subcategory').notNull(),
    status: text('status').notNull(),
    communityId: smallint('community_id').references(() => communities.id),
    geom: geometry('geom', 'Point').notNull(),
  },
  (t) => [
    index('incidents_time_idx').on(t.time),
    index('incidents_geom_idx').using('gist', t.geom),
    index('incidents_community_time_idx').on(t.communityId, t.time),
    check(
      'incidents_category_check',
      sql`${t.category} in ('criminal','public_order','traffic','dispute','assistance','fire','report','other')`,
    ),
    check('incidents_status_check', sql`${t.status} in ('open','dispatched','closed')`),
  ],
);

export const disputes = pgTable(
  'disputes',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    registeredAt: ts('registered_at').notNull(),
    resolvedAt: ts('resolved_at'),
    kind: text('kind').notNull(),
    risk: text('risk').notNull(),
    channel: text('channel').notNull(),
    studio: text('studio'),
    communityId: smallint('community_id').references(() => communities.id),
    geom: geometry('geom', 'Point').notNull(),
  },
  (t) => [
    index('disputes_registered_idx').on(t.registeredAt),
    index('disputes_studio_idx').on(t.studio),
    index('disputes_geom_idx').using('gist', t.geom),
    check('disputes_risk_check', sql`${t.risk} in ('red','orange','yellow','blue')`),
    check(
      'disputes_resolved_check',
      sql`${t.resolvedAt} is null or ${t.resolvedAt} >= ${t.registeredAt}`,
    ),
  ],
);

export const cameras = pgTable(
  'cameras',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    bearing: real('bearing').notNull(),
    fov: real('fov').notNull(),
    rangeM: real('range_m').notNull(),
    status: text('status').notNull(),
    batch: text('batch').notNull(),
    installedAt: date('installed_at', { mode: 'string' }).notNull(),
    geom: geometry('geom', 'Point').notNull(),
  },
  (t) => [
    index('cameras_geom_idx').using('gist', t.geom),
    check('cameras_kind_check', sql`${t.kind} in ('bullet','dome','checkpoint')`),
    check('cameras_status_check', sql`${t.status} in ('online','offline')`),
    check('cameras_bearing_check', sql`${t.bearing} >= 0 and ${t.bearing} < 360`),
    check('cameras_fov_check', sql`${t.fov} > 0 and ${t.fov} <= 360`),
    check('cameras_range_check', sql`${t.rangeM} > 0`),
  ],
);

export const sites = pgTable(
  'sites',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    communityId: smallint('community_id').references(() => communities.id),
    geom: geometry('geom', 'Point').notNull(),
  },
  (t) => [
    index('sites_geom_idx').using('gist', t.geom),
    check(
      'sites_kind_check',
      sql`${t.kind} in ('school','hospital','hazchem','gas','government','market','checkpoint')`,
    ),
  ],
);

export const circles = pgTable(
  'protection_circles',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    ring: text('ring').notNull().unique(),
    name: text('name').notNull(),
    description: text('description').notNull(),
    geom: geometry('geom', 'MultiPolygon').notNull(),
  },
  (t) => [
    index('circles_geom_idx').using('gist', t.geom),
    check('circles_ring_check', sql`${t.ring} in ('outer','middle','inner')`),
  ],
);

export const patrolZones = pgTable(
  'patrol_zones',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    name: text('name').notNull(),
    unit: text('unit').notNull(),
    shift: text('shift').notNull(),
    townId: integer('town_id').references(() => towns.id),
    version: integer('version').notNull().default(1),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
    geom: geometry('geom', 'MultiPolygon').notNull(),
  },
  (t) => [
    index('patrol_zones_geom_idx').using('gist', t.geom),
    check('patrol_zones_shift_check', sql`${t.shift} in ('day','night','all')`),
  ],
);

export const patrolUnits = pgTable(
  'patrol_units',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    status: text('status').notNull(),
    geom: geometry('geom', 'Geometry').notNull(),
  },
  (t) => [
    index('patrol_units_geom_idx').using('gist', t.geom),
    check('patrol_units_kind_check', sql`${t.kind} in ('post','car','foot','joint_patrol')`),
    check('patrol_units_status_check', sql`${t.status} in ('available','busy','off_duty')`),
  ],
);

/**
 * The coverage sectors of the working cameras, derived from `cameras` and rebuilt whenever the
 * camera set's version (app_meta 'cameras.version', bumped by a trigger) moves on.
 */
export const cameraSectors = pgTable(
  'camera_sectors',
  {
    cameraId: integer('camera_id')
      .primaryKey()
      .references(() => cameras.id, { onDelete: 'cascade' }),
    batch: text('batch').notNull(),
    geom: geometry('geom', 'Geometry').notNull(),
  },
  (t) => [index('camera_sectors_geom_idx').using('gist', t.geom)],
);

/**
 * The union of the working cameras' sectors, cut into small pieces (ST_Subdivide) for fast
 * intersections; one set of pieces per variant ('all', or 'without:<batch>') and camera-set version.
 */
export const coveragePieces = pgTable(
  'coverage_pieces',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    variant: text('variant').notNull(),
    version: text('version').notNull(),
    geom: geometry('geom', 'Geometry').notNull(),
  },
  (t) => [
    index('coverage_pieces_geom_idx').using('gist', t.geom),
    index('coverage_pieces_variant_idx').on(t.variant, t.version),
  ],
);
