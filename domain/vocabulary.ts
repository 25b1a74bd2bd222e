/**
 * The programme's vocabulary: incident categories and statuses, risk colours, mediation channels,
 * camera, site and unit kinds, rings and shifts. The database's CHECK lists, the routers' inputs
 * and the client's legends and filters are all built from these lists.
 */

export const INCIDENT_CATEGORIES = [
  'criminal',
  'public_order',
  'traffic',
  'dispute',
  'assistance',
  'fire',
  'report',
  'other',
] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];

/** The categories' Chinese names, as the UI shows them and exported files write them. */
export const CATEGORY_NAMES_ZH: Readonly<Record<IncidentCategory, string>> = {
  criminal: '刑事',
  public_order: '治安',
  traffic: '交通',
  dispute: '纠纷',
  assistance: '求助',
  fire: '火警',
  report: '举报',
  other: '其他',
};

/** A call's course: received, a unit sent, the unit there, closed (by its feedback). */
export const INCIDENT_STATUSES = ['open', 'dispatched', 'on_scene', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/**
 * The subcategory of a call whose source names none: the category's own catch-all ("other
 * criminal", …), never its most frequent subcategory, which would swell that subcategory's counts
 * with calls nobody classified. Codes, like every subcategory code, are [a-z_].
 */
export const DEFAULT_SUBCATEGORY: Readonly<Record<IncidentCategory, string>> = {
  criminal: 'criminal_other',
  public_order: 'public_order_other',
  traffic: 'traffic_other',
  dispute: 'dispute_other',
  assistance: 'assistance_other',
  fire: 'fire_other',
  report: 'report_other',
  other: 'other',
};

export const RISK_COLOURS = ['red', 'orange', 'yellow', 'blue'] as const;
export type RiskColour = (typeof RISK_COLOURS)[number];

export const MEDIATION_CHANNELS = ['people', 'administrative', 'judicial', 'industry'] as const;
export type MediationChannel = (typeof MEDIATION_CHANNELS)[number];

export const CAMERA_KINDS = ['bullet', 'dome', 'checkpoint'] as const;
export type CameraKind = (typeof CAMERA_KINDS)[number];

/**
 * A camera's optics when its ledger leaves them out: the middle of its kind's usual range
 * (bullet 40–80°, 20–50 m; dome/PTZ 360°, 100–150 m; checkpoint 30–40°, 10–25 m).
 */
export const CAMERA_TYPICAL_OPTICS: Readonly<Record<CameraKind, { fov: number; rangeM: number }>> =
  {
    bullet: { fov: 60, rangeM: 35 },
    dome: { fov: 360, rangeM: 120 },
    checkpoint: { fov: 35, rangeM: 18 },
  };

export const SITE_KINDS = [
  'school',
  'hospital',
  'hazchem',
  'gas',
  'government',
  'market',
  'checkpoint',
] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export const RINGS = ['outer', 'middle', 'inner'] as const;
export type Ring = (typeof RINGS)[number];

export const UNIT_KINDS = ['post', 'car', 'foot', 'joint_patrol'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const SHIFTS = ['day', 'night', 'all'] as const;
export type Shift = (typeof SHIFTS)[number];

/** A camera that works, or one that does not (it sees nothing: coverage leaves it out). */
export const CAMERA_STATUSES = ['online', 'offline'] as const;
export type CameraStatus = (typeof CAMERA_STATUSES)[number];

/** A post or car on duty and free, on duty and busy, or off duty (reach leaves it out). */
export const UNIT_STATUSES = ['available', 'busy', 'off_duty'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];
