/**
 * Roles and permissions. Pure: no database, no HTTP (the client reads it too, to offer only what
 * a role may see).
 *
 * Deny by default: a role has exactly the permissions listed for it here, and every procedure
 * and route declares the one permission it needs (`public` only for health and login).
 */

/**
 * `integration`: an account a feed (a 110 dispatch system) sends incidents with, by API token;
 * it may do nothing else.
 */
export const ROLES = ['admin', 'leader', 'planner', 'analyst', 'display', 'integration'] as const;
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
  /** bring an agency's files in: boundaries, cameras, sites, posts, historical incidents */
  'data:import',
  /** send incidents from a feed (incidents.ingest, POST /api/incidents/ingest) */
  'incidents:ingest',
  /** read the leaders' briefings (map stories) of everyone */
  'briefings:read',
  /** make briefings, and edit or delete one's own (an admin: anyone's) */
  'briefings:write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ: Permission[] = ['session', 'dashboard:read', 'incidents:read', 'cameras:read'];
/** Briefings are made by the people who brief and are briefed, never on a wall display. */
const BRIEFINGS: Permission[] = ['briefings:read', 'briefings:write'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [...READ, ...BRIEFINGS, 'plan:edit', 'users:manage', 'audit:read', 'data:import'],
  leader: [...READ, ...BRIEFINGS],
  planner: [...READ, ...BRIEFINGS, 'plan:edit'],
  analyst: ['session', 'dashboard:read', 'incidents:read', ...BRIEFINGS],
  display: READ,
  integration: ['incidents:ingest'],
};

export function can(role: Role | undefined, p: Permission): boolean {
  if (p === 'public') return true;
  return role !== undefined && ROLE_PERMISSIONS[role].includes(p);
}
