/**
 * Who may do what. Pure: no database, no HTTP (the client reads it too, to offer only what a
 * role may see).
 *
 * Deny by default: a role has exactly the permissions listed for it here, and every procedure
 * and route declares the one permission it needs (`public` only for health and login).
 */

export const ROLES = ['admin', 'leader', 'planner', 'analyst', 'display'] as const;
export type Role = (typeof ROLES)[number];

/** The towns and communities a planner's edits are confined to (empty: none). */
export interface Areas {
  towns: number[];
  communities: number[];
}

export const PERMISSIONS = [
  /** health, login: anyone */
  'public',
  /** who am I, log out: any session */
  'session',
  /** boundaries, aggregated incidents, circles, sites, zones, posts, analyses, rankings */
  'dashboard:read',
  /** single incidents with their details */
  'incidents:read',
  /** camera positions and anything drawn from them (sectors, blind spots) */
  'cameras:read',
  /** create, move and delete patrol zones and posts (inside the planner's areas) */
  'plan:edit',
  'users:manage',
  'audit:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ['session', 'dashboard:read', 'incidents:read', 'cameras:read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [...READ, 'plan:edit', 'users:manage', 'audit:read'],
  leader: READ,
  planner: [...READ, 'plan:edit'],
  analyst: ['session', 'dashboard:read', 'incidents:read'],
  display: READ,
};

export function can(role: Role | undefined, p: Permission): boolean {
  if (p === 'public') return true;
  return role !== undefined && ROLE_PERMISSIONS[role].includes(p);
}

/** The map's layers (the client's LayerId): a display may be limited to some of them. */
export const MAP_LAYERS = [
  'heat',
  'points',
  'communities',
  'towns',
  'circles',
  'cameras',
  'infill',
  'sectors',
  'zones',
  'posts',
  'sites',
  'gaps',
  'reach',
  'hotspots',
] as const;
export type MapLayer = (typeof MAP_LAYERS)[number];

/**
 * What each procedure and HTTP route carries, for displays limited to some map layers. One
 * table, deny by default: every procedure of the API is listed here (a test walks the router to
 * make sure), and one missing is refused to a limited display.
 * - `neutral`: no layer's data (boundaries, indicators per area, rankings, the session): a
 *   limited display reads it as its role allows;
 * - `{ any: [...] }`: the data of those layers; a display needs at least one of them;
 * - `{ all: [...] }`: data drawn from all of those layers together; a display needs each one;
 * - `none`: never for a limited display (administration, editing).
 */
export type LayerRule =
  | 'neutral'
  | 'none'
  | { readonly any: readonly MapLayer[] }
  | { readonly all: readonly MapLayer[] };

const any = (...layers: MapLayer[]): LayerRule => ({ any: layers });
const all = (...layers: MapLayer[]): LayerRule => ({ all: layers });

export const LAYER_RULES: Readonly<Record<string, LayerRule>> = {
  'system.health': 'neutral',
  'system.config': 'neutral',
  'auth.login': 'neutral',
  'auth.logout': 'neutral',
  'auth.logoutEverywhere': 'neutral',
  'auth.totpSetup': 'neutral',
  'auth.totpVerify': 'neutral',
  'auth.changePassword': 'neutral',
  'auth.me': 'neutral',
  'users.list': 'none',
  'users.add': 'none',
  'users.setLayers': 'none',
  'users.setDisabled': 'none',
  'audit.list': 'none',
  'audit.verify': 'none',
  // boundaries are drawn on every display
  'regions.district': 'neutral',
  'regions.towns': 'neutral',
  'regions.communities': 'neutral',
  // single incidents: positions and details
  'incidents.list': any('points'),
  'incidents.get': any('points'),
  // counts per category, area or time
  'incidents.summary': 'neutral',
  'incidents.heat': any('heat'),
  'disputes.summary': 'neutral',
  'cameras.list': any('cameras', 'infill', 'sectors'),
  'sites.list': any('sites'),
  'circles.list': any('circles'),
  'circles.stats': any('circles'),
  'zones.list': any('zones'),
  'zones.history': any('zones'),
  'zones.create': 'none',
  'zones.update': 'none',
  'zones.delete': 'none',
  'zones.restore': 'none',
  'posts.list': any('posts'),
  'posts.history': any('posts'),
  'posts.create': 'none',
  'posts.update': 'none',
  'posts.delete': 'none',
  'posts.restore': 'none',
  // coverage ratios per community are indicators; the blind spots are a layer
  'coverage.byCommunity': 'neutral',
  'coverage.infill': 'neutral',
  'coverage.gaps': any('gaps'),
  // key sites by name, with what the cameras see around them
  'coverage.sites': all('sites', 'cameras'),
  'reach.summary': 'neutral',
  'reach.isochrones': any('reach'),
  'hotspots.gistar': any('hotspots'),
  'hotspots.spikes': 'neutral',
  'rankings.communities': 'neutral',
  // a draft is measured against the saved zones and posts
  'plan.evaluate': all('zones', 'posts'),
  'plan.suggest': 'none',
  // which zone or post changed, by whom
  'live.changes': any('zones', 'posts'),
  // the HTTP routes
  '/api/incidents.arrow': any('heat', 'points'),
};

/**
 * Whether a user limited to `layers` (null or absent: not limited) may call `source`, a
 * procedure's path or an HTTP route. Anything the table does not name is refused.
 */
export function layerAllows(layers: readonly string[] | null | undefined, source: string) {
  if (!layers) return true;
  const rule = Object.hasOwn(LAYER_RULES, source) ? LAYER_RULES[source] : undefined;
  if (rule === undefined || rule === 'none') return false;
  if (rule === 'neutral') return true;
  return 'any' in rule
    ? rule.any.some((l) => layers.includes(l))
    : rule.all.every((l) => layers.includes(l));
}
