/**
 * Who may do what. Pure: no database, no HTTP (the client reads it too, to offer only what a
 * role may see).
 *
 * Deny by default: a role has exactly the permissions listed for it here, and every procedure
 * and route declares the one permission it needs (`public` only for health and login).
 */

export const ROLES = ['admin', 'leader', 'planner', 'analyst', 'display'] as const;
export type Role = (typeof ROLES)[number];

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
 * The procedures and routes that serve one layer's data, and the layers they serve. A display
 * configured with a list of layers may call them only for a layer on its list; everything else
 * (boundaries, indicators, rankings) it reads as its role allows.
 */
export const LAYER_SOURCES: Record<string, readonly MapLayer[]> = {
  'cameras.list': ['cameras', 'infill', 'sectors'],
  'coverage.gaps': ['gaps'],
  'circles.list': ['circles'],
  'zones.list': ['zones'],
  'posts.list': ['posts'],
  'sites.list': ['sites'],
  'reach.isochrones': ['reach'],
  'hotspots.gistar': ['hotspots'],
  '/api/incidents.arrow': ['heat', 'points'],
};

/** Whether a user limited to `layers` (null: not limited) may call `source`. */
export function layerAllows(layers: readonly string[] | null | undefined, source: string) {
  const serves = LAYER_SOURCES[source];
  return !layers || !serves || serves.some((l) => layers.includes(l));
}
