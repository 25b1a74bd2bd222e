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
}

export function listUsers(db: Queryable): Promise<UserRow[]> {
  return db.query<UserRow>(
    `SELECT username, name, role, areas, layers, disabled, coalesce(two_factor_enabled, false) AS "twoFactorEnabled",
            locked_until AS "lockedUntil"
     FROM users ORDER BY username`,
  );
}
