/**
 * Who may call what: the one check in front of every tRPC procedure and every plain HTTP route.
 * It combines, in this order: a session at all; an admin's second factor; a password that has
 * not expired (both only let the user manage their session); the role's permission
 * (domain/policy.ts `can`); and, for a display limited to some map layers, whether the
 * procedure or route carries one of them (`layerAllows`).
 */
import { can, layerAllows, type Permission } from '../../domain/policy';
import { Forbidden, Unauthorized } from '../errors';
import type { SessionUser } from './session';

/** How a refusal names what a plain HTTP route serves (procedures are named by their path). */
const ROUTE_WORDS: Readonly<Record<string, { reads: string; shows: string }>> = {
  '/api/incidents.arrow': { reads: 'read incidents', shows: 'incidents on the map' },
  '/api/export': { reads: 'export map data', shows: 'map data' },
  '/api/import': { reads: 'import data', shows: 'data imports' },
  '/api/import/inspect': { reads: 'import data', shows: 'data imports' },
};

/**
 * Throws Unauthorized without a session, Forbidden when the user may not call `source` (a
 * procedure's path such as `incidents.heat`, or an HTTP route such as `/api/incidents.arrow`)
 * needing `permission`; returns when they may.
 */
export function authorize(
  user: SessionUser | null,
  permission: Exclude<Permission, 'public'>,
  source: string,
): asserts user is SessionUser {
  if (!user) throw new Unauthorized('sign in first');
  if (user.role === 'admin' && !user.twoFactorEnabled && permission !== 'session')
    throw new Forbidden('an admin must set up the second factor (TOTP) before anything else');
  if (user.passwordExpired && permission !== 'session')
    throw new Forbidden('the password has expired: change it first');
  const words = Object.hasOwn(ROUTE_WORDS, source) ? ROUTE_WORDS[source] : undefined;
  if (!can(user.role, permission))
    throw new Forbidden(
      words
        ? `the role ${user.role} may not ${words.reads}`
        : `the role ${user.role} may not call ${source} (it needs ${permission})`,
    );
  if (user.role === 'display' && !layerAllows(user.layers, source))
    throw new Forbidden(`this display is not configured to show ${words?.shows ?? source}`);
}
