/**
 * The signed-in user of a request, from the session cookie. The idle timeout is ours, on the
 * server's clock: a session unused for SESSION_IDLE_MINUTES ends, and each use slides it (the
 * row's updated_at is the last use, written at most once a minute). A session older than the
 * absolute lifetime ends however used. Displays are exempt from both: a wall runs for days, and
 * signs in again by itself. A disabled user has no session at all.
 *
 * The library's own refresh is never used: its cookies are browser-session cookies, and its
 * sessions' expires_at (in real time) is slid here too, so that it never ends a session in use.
 */
import type { Database } from '../db/database';
import type { Auth, AuthConfig } from './auth';
import { ROLES, type Areas, type Role } from '../../domain/policy';

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

/** A session's last use is written at most this often. */
const SLIDE_EVERY_MS = 60_000;
/** A display's session, kept while the wall keeps asking (it has no idle timeout). */
const DISPLAY_KEEP_MS = 86_400_000;

export async function sessionUser(
  auth: Auth,
  db: Database,
  headers: Headers,
  config: Pick<AuthConfig, 'idleMinutes' | 'absoluteHours' | 'passwordMaxAgeDays'>,
  now: Date,
  /** false: look without extending the idle timeout (a live stream checking it is still valid) */
  refresh = true,
): Promise<SessionUser | null> {
  if (!headers.get('cookie')) return null;
  let s;
  try {
    s = await auth.api.getSession({ headers, query: { disableRefresh: true } });
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
  const t = now.getTime();
  const tooOld =
    role !== 'display' &&
    t - new Date(s.session.createdAt).getTime() > config.absoluteHours * 3_600_000;
  const unusedMs = t - new Date(s.session.updatedAt).getTime();
  const idle = role !== 'display' && unusedMs > config.idleMinutes * 60_000;
  if (!row || row.disabled || !role || tooOld || idle) {
    await db.query(`DELETE FROM sessions WHERE id = $1`, [s.session.id]);
    return null;
  }
  if (refresh && unusedMs >= SLIDE_EVERY_MS) {
    const keepMs = role === 'display' ? DISPLAY_KEEP_MS : config.idleMinutes * 60_000;
    await db.query(`UPDATE sessions SET updated_at = $2, expires_at = $3 WHERE id = $1`, [
      s.session.id,
      now.toISOString(),
      new Date(Date.now() + keepMs).toISOString(),
    ]);
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

/** Ends one session (logout). */
export async function endSession(db: Database, sessionId: string): Promise<void> {
  await db.query(`DELETE FROM sessions WHERE id = $1`, [sessionId]);
}

/** The password was changed at `at`: its age, for the rotation rule, starts again. */
export async function passwordChanged(db: Database, userId: string, at: Date): Promise<void> {
  await db.query(`UPDATE users SET password_changed_at = $2 WHERE id = $1`, [
    userId,
    at.toISOString(),
  ]);
}

/** Ends every session of a user at once (logout everywhere, disabling). */
export async function endSessions(db: Database, userId: string): Promise<number> {
  const rows = await db.query(`DELETE FROM sessions WHERE user_id = $1 RETURNING id`, [userId]);
  return rows.length;
}
