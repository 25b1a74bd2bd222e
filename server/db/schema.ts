/**
 * The database schema. Geometries are `geometry(<Type>,4326)` columns with GiST indexes; they are
 * written from GeoJSON and read back with ST_AsGeoJSON in the queries that need them.
 */
import { sql, type AnyColumn } from 'drizzle-orm';
import { ROLES } from '../../domain/policy';
import {
  CAMERA_KINDS,
  CAMERA_STATUSES,
  INCIDENT_CATEGORIES,
  INCIDENT_STATUSES,
  RINGS,
  RISK_COLOURS,
  SHIFTS,
  SITE_KINDS,
  UNIT_KINDS,
  UNIT_STATUSES,
} from '../../domain/vocabulary';
import {
  bigint,
  boolean,
  check,
  customType,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
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

/** A CHECK that the column holds one of the vocabulary's values (domain/vocabulary.ts). */
const oneOf = (column: AnyColumn, values: readonly string[]) =>
  sql`${column} in (${sql.raw(values.map((v) => `'${v}'`).join(','))})`;

export const appMeta = pgTable('app_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * Rate-limit counts shared by the instances on one server database (server/rateCounts.ts): per
 * key, its window's start and count. Unlogged (in the migration's SQL).
 */
export const rateCounts = pgTable('rate_counts', {
  key: text('key').primaryKey(),
  windowStart: bigint('window_start', { mode: 'number' }).notNull(),
  count: integer('count').notNull(),
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

/**
 * Incidents, partitioned by month (Asia/Shanghai) on their time in migration 0015 (drizzle cannot
 * express partitioning; its columns, keys and indexes are declared here as they are): partitions
 * are made ahead by `incident_partitions_ensure` (server/db/partitions.ts), and a call's
 * (source, sourceId) is unique in `incidentKeys`, since a unique key of a partitioned table must
 * hold its time.
 */
export const incidents = pgTable(
  'incidents',
  {
    id: integer('id').notNull().generatedAlwaysAsIdentity(),
    time: ts('time').notNull(),
    category: text('category').notNull(),
    subcategory: text('subcategory').notNull(),
    status: text('status').notNull(),
    communityId: smallint('community_id').references(() => communities.id),
    geom: geometry('geom', 'Point').notNull(),
    /** the feed an incident came from (its integration account's username); null: a dataset */
    source: text('source'),
    /** the feed's own id of the call (e.g. the 接警单编号), unique per source */
    sourceId: text('source_id'),
    address: text('address'),
    /** the call this one repeats */
    linkedSourceId: text('linked_source_id'),
    /** the position lies outside the district: stored, but left out of the district's counts */
    outside: boolean('outside').notNull().default(false),
  },
  (t) => [
    primaryKey({ name: 'incidents_id_time_pk', columns: [t.id, t.time] }),
    index('incidents_time_idx').using('brin', t.time),
    index('incidents_geom_idx').using('gist', t.geom),
    index('incidents_community_time_idx').on(t.communityId, t.time),
    check('incidents_category_check', oneOf(t.category, INCIDENT_CATEGORIES)),
    check('incidents_status_check', oneOf(t.status, INCIDENT_STATUSES)),
  ],
);

/** A call's key (a feed's or an import's), unique per source, to its incident and its time. */
export const incidentKeys = pgTable(
  'incident_keys',
  {
    source: text('source').notNull(),
    sourceId: text('source_id').notNull(),
    incidentId: integer('incident_id').notNull(),
    time: ts('time').notNull(),
  },
  (t) => [primaryKey({ name: 'incident_keys_pk', columns: [t.source, t.sourceId] })],
);

/** A feed's cancelled calls: the incident is gone; a later record of the call changes nothing. */
export const incidentCancellations = pgTable(
  'incident_cancellations',
  {
    source: text('source').notNull(),
    sourceId: text('source_id').notNull(),
    /** the incident removed; null when the call was cancelled before it was stored */
    incidentId: integer('incident_id'),
    cancelledAt: ts('cancelled_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'incident_cancellations_pk', columns: [t.source, t.sourceId] }),
    // a live stream looks up a removed incident's source id by the incident
    index('incident_cancellations_incident_idx').on(t.incidentId),
  ],
);

/** Each change of an incident, written with it: the id is a live stream's event id. */
export const incidentEvents = pgTable(
  'incident_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    incidentId: integer('incident_id').notNull(),
    action: text('action').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    check('incident_events_action_check', oneOf(t.action, ['created', 'updated', 'removed'])),
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
    check('disputes_risk_check', oneOf(t.risk, RISK_COLOURS)),
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
    /** the video platform's device id (GB/T 28181, 20 digits): what a ledger import matches by */
    code: text('code'),
    name: text('name'),
  },
  (t) => [
    index('cameras_geom_idx').using('gist', t.geom),
    uniqueIndex('cameras_code_idx')
      .on(t.code)
      .where(sql`${t.code} IS NOT NULL`),
    check('cameras_kind_check', oneOf(t.kind, CAMERA_KINDS)),
    check('cameras_status_check', oneOf(t.status, CAMERA_STATUSES)),
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
    check('sites_kind_check', oneOf(t.kind, SITE_KINDS)),
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
    check('circles_ring_check', oneOf(t.ring, RINGS)),
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
    check('patrol_zones_shift_check', oneOf(t.shift, SHIFTS)),
  ],
);

export const patrolUnits = pgTable(
  'patrol_units',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    status: text('status').notNull(),
    version: integer('version').notNull().default(1),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    updatedBy: text('updated_by').notNull().default('system'),
    geom: geometry('geom', 'Geometry').notNull(),
  },
  (t) => [
    index('patrol_units_geom_idx').using('gist', t.geom),
    check('patrol_units_kind_check', oneOf(t.kind, UNIT_KINDS)),
    check('patrol_units_status_check', oneOf(t.status, UNIT_STATUSES)),
  ],
);

/**
 * The coverage sectors of the working cameras, derived from `cameras` and kept current row by
 * row by triggers on `cameras`, inside the writer's transaction (migration 0005).
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

/** How a source's files map onto our fields, saved by name for the next import of that source. */
export const importMappings = pgTable('import_mappings', {
  name: text('name').primaryKey(),
  layer: text('layer').notNull(),
  mapping: jsonb('mapping').notNull(),
  crs: text('crs'),
  updatedBy: text('updated_by').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Per community and variant ('all', 'without:<batch>'), the covered area as of a coverage version. */
export const communityCoverage = pgTable(
  'community_coverage',
  {
    variant: text('variant').notNull(),
    communityId: integer('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    asOf: bigint('as_of', { mode: 'number' }).notNull(),
    areaM2: doublePrecision('area_m2').notNull(),
    coveredM2: doublePrecision('covered_m2').notNull(),
  },
  (t) => [primaryKey({ columns: [t.variant, t.communityId] })],
);

/** Per community, the last coverage version whose change touched it. */
export const coverageChanges = pgTable('coverage_changes', {
  communityId: integer('community_id')
    .primaryKey()
    .references(() => communities.id, { onDelete: 'cascade' }),
  version: bigint('version', { mode: 'number' }).notNull(),
});

// --- accounts (better-auth's tables, with our fields) ---------------------------------------

/** People and wall displays who may sign in. `email` is required by the library: username@pingan.local. */
export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    email: text('email').notNull().unique(),
    emailVerified: boolean('email_verified').notNull().default(false),
    image: text('image'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    username: text('username').unique(),
    displayUsername: text('display_username'),
    twoFactorEnabled: boolean('two_factor_enabled').default(false),
    role: text('role').notNull().default('analyst'),
    /** JSON: { towns: number[], communities: number[] }; a planner edits only inside these */
    areas: text('areas').notNull().default('{"towns":[],"communities":[]}'),
    disabled: boolean('disabled').notNull().default(false),
    failedLogins: integer('failed_logins').notNull().default(0),
    lockedUntil: ts('locked_until'),
    passwordChangedAt: ts('password_changed_at').notNull().defaultNow(),
    /** JSON array of layer ids a display may show; null = every layer its role may read */
    layers: text('layers'),
  },
  (t) => [check('users_role_check', oneOf(t.role, ROLES))],
);

/** An integration account's API tokens: the sha256 of each; revoked ones are kept. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: ts('created_at').notNull().defaultNow(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    expiresAt: ts('expires_at').notNull(),
    token: text('token').notNull().unique(),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    ipAddress: text('ip_address'),
    userAgent: text('user_agent'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const accounts = pgTable(
  'accounts',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id').notNull(),
    providerId: text('provider_id').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    accessToken: text('access_token'),
    refreshToken: text('refresh_token'),
    idToken: text('id_token'),
    accessTokenExpiresAt: ts('access_token_expires_at'),
    refreshTokenExpiresAt: ts('refresh_token_expires_at'),
    scope: text('scope'),
    password: text('password'),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('accounts_user_idx').on(t.userId)],
);

export const verifications = pgTable('verifications', {
  id: text('id').primaryKey(),
  identifier: text('identifier').notNull(),
  value: text('value').notNull(),
  expiresAt: ts('expires_at').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const twoFactors = pgTable(
  'two_factors',
  {
    id: text('id').primaryKey(),
    secret: text('secret').notNull(),
    backupCodes: text('backup_codes').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    verified: boolean('verified').default(true),
    failedVerificationCount: integer('failed_verification_count').default(0),
    lockedUntil: ts('locked_until'),
  },
  (t) => [index('two_factors_user_idx').on(t.userId)],
);

/**
 * Every saved change of a patrol zone or post, as the object was after it (for a deletion: as it
 * was before). Written by triggers (migration 0008); its id is the live updates' event id.
 */
export const planHistory = pgTable(
  'plan_history',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    objectId: integer('object_id').notNull(),
    version: integer('version').notNull(),
    action: text('action').notNull(),
    at: ts('at').notNull(),
    by: text('by').notNull(),
    name: text('name').notNull(),
    unit: text('unit'),
    shift: text('shift'),
    status: text('status'),
    geom: geometry('geom', 'Geometry').notNull(),
  },
  (t) => [
    index('plan_history_object_idx').on(t.kind, t.objectId, t.version),
    check('plan_history_kind_check', sql`${t.kind} in ('zone','post')`),
    check('plan_history_action_check', sql`${t.action} in ('create','update','delete','restore')`),
  ],
);

/**
 * Leaders' briefings (map stories): slides as JSON (server/briefingInputs.ts), an owner, and a
 * version each save bumps, so that a stale save is a conflict rather than an overwrite.
 */
export const briefings = pgTable(
  'briefings',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    title: text('title').notNull(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id),
    slides: jsonb('slides').notNull(),
    version: integer('version').notNull().default(1),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [
    index('briefings_owner_idx').on(t.ownerId),
    check('briefings_slides_check', sql`jsonb_typeof(${t.slides}) = 'array'`),
  ],
);
