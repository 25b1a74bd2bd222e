/**
 * The signed-in user of a request, from the session cookie. Beyond the library's sliding idle
 * expiry: a session older than the absolute lifetime ends (displays excepted: a wall runs for
 * days), and a disabled user has no session at all.
 */
import type { Database } from '../db/database';
import type { Auth, AuthConfig } from './auth';
import { ROLES, type Role } from './policy';

export interface Areas {
  towns: number[];
  communities: number[];
}

export interface SessionUser {
  id: string;
  username: string;
  role: Role;
  areas: Areas;
  twoFactorEnabled: boolean;
  sessionId: string;
  /** the rotation switch is on and the password is older than it allows */
  passwordExpired?: boolean;
  /** a display limited to these map layers (null: every layer its role may read) */
  layers?: string[] | null;
}

function parseLayers(text: unknown): string[] | null {
  if (typeof text !== 'string' || !text) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return Array.isArray(v) ? v.map(String) : null;
  } catch {
    return null;
  }
}

function parseAreas(text: unknown): Areas {
  try {
    const a = JSON.parse(String(text)) as Partial<Areas>;
    return {
      towns: Array.isArray(a.towns) ? a.towns.map(Number) : [],
      communities: Array.isArray(a.communities) ? a.communities.map(Number) : [],
    };
  } catch {
    return { towns: [], communities: [] };
  }
}

export async function sessionUser(
  auth: Auth,
  db: Database,
  headers: Headers,
  config: Pick<AuthConfig, 'absoluteHours' | 'passwordMaxAgeDays'>,
  now: Date,
  /** false: look without extending the idle timeout (a live stream checking it is still valid) */
  refresh = true,
): Promise<SessionUser | null> {
  if (!headers.get('cookie')) return null;
  let s;
  try {
    s = await auth.api.getSession({ headers, query: { disableRefresh: !refresh } });
  } catch (err) {
    // the library reports a lost database as its own internal error: tell the two apart, so
    // that a database away is answered 503 like everywhere else
    await db.query('SELECT 1');
    throw err;
  }
  if (!s) return null;
  const u = s.user as typeof s.user & {
    role?: string;
    areas?: string;
    username?: string;
    twoFactorEnabled?: boolean;
  };
  const [row] = await db.query<{ disabled: boolean; changed: Date; layers: string | null }>(
    `SELECT disabled, password_changed_at AS changed, layers FROM users WHERE id = $1`,
    [u.id],
  );
  const role = (ROLES as readonly string[]).includes(u.role ?? '') ? (u.role as Role) : null;
  const tooOld =
    role !== 'display' &&
    now.getTime() - new Date(s.session.createdAt).getTime() > config.absoluteHours * 3_600_000;
  if (!row || row.disabled || !role || tooOld) {
    await db.query(`DELETE FROM sessions WHERE id = $1`, [s.session.id]);
    return null;
  }
  return {
    id: u.id,
    username: u.username ?? u.name,
    role,
    areas: parseAreas(u.areas),
    twoFactorEnabled: Boolean(u.twoFactorEnabled),
    sessionId: s.session.id,
    layers: role === 'display' ? parseLayers(row.layers) : null,
    passwordExpired:
      config.passwordMaxAgeDays > 0 &&
      role !== 'display' &&
      now.getTime() - new Date(row.changed).getTime() > config.passwordMaxAgeDays * 86_400_000,
  };
}

/** Ends every session of a user at once (logout everywhere, disabling). */
export async function endSessions(db: Database, userId: string): Promise<number> {
  const rows = await db.query(`DELETE FROM sessions WHERE user_id = $1 RETURNING id`, [userId]);
  return rows.length;
}
