/** The user accounts as the administration page lists them. */
import type { Queryable } from '../db/database';

export interface UserRow {
  username: string;
  name: string;
  role: string;
  areas: string;
  disabled: boolean;
  twoFactorEnabled: boolean;
  lockedUntil: Date | null;
  layers: string | null;
  createdAt: Date;
  /**
   * An integration account's API token: 'active' while one is good, 'revoked' once every token
   * is revoked; null for people, who have none.
   */
  token: 'active' | 'revoked' | null;
  /** when the good token (or the last revoked one) was issued; integration accounts only */
  tokenIssuedAt: Date | null;
  /**
   * An integration account's last request (its last row in the audit trail, where each ingest
   * batch is recorded, refused ones included); null if none is recorded (or pruned).
   */
  lastUsedAt: Date | null;
}

export function listUsers(db: Queryable): Promise<UserRow[]> {
  // the token facts only for integration accounts; each lookup uses an index on user_id
  return db.query<UserRow>(
    `SELECT u.username, u.name, u.role, u.areas, u.layers, u.disabled,
            coalesce(u.two_factor_enabled, false) AS "twoFactorEnabled",
            u.locked_until AS "lockedUntil", u.created_at AS "createdAt",
            CASE WHEN u.role = 'integration' THEN
              CASE WHEN t.active THEN 'active' ELSE 'revoked' END END AS token,
            t.issued AS "tokenIssuedAt",
            CASE WHEN u.role = 'integration' THEN
              (SELECT a.at FROM audit_log a WHERE a.user_id = u.id ORDER BY a.id DESC LIMIT 1)
            END AS "lastUsedAt"
     FROM users u
     LEFT JOIN LATERAL (
       SELECT bool_or(revoked_at IS NULL) AS active,
              coalesce(max(created_at) FILTER (WHERE revoked_at IS NULL), max(created_at)) AS issued
       FROM api_tokens WHERE user_id = u.id AND u.role = 'integration'
     ) t ON true
     ORDER BY u.username`,
  );
}
