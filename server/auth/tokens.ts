/**
 * Integration accounts and their API tokens. A feed (a 110 dispatch system) signs in with no
 * password and no session: each request carries `Authorization: Bearer <token>`. A token is 32
 * random bytes, shown once when made; only its sha256 is stored, so that a copy of the database
 * gives no one a working token. Revoking ends every token of the account at once.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database';
import { BadInput, NotFound } from '../errors';
import { USERNAME } from './password';
import type { SessionUser } from './session';

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new token for `userId`; the token itself is returned once and never stored. */
async function issueToken(tx: Queryable, userId: string): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await tx.query(`INSERT INTO api_tokens (id, user_id, token_hash) VALUES ($1, $2, $3)`, [
    randomUUID(),
    userId,
    sha256(token),
  ]);
  return token;
}

/**
 * Adds an integration account (no password: it cannot sign in on the page) and returns its
 * first API token.
 */
export async function addIntegration(
  db: Database,
  u: { username: string; name?: string },
): Promise<string> {
  if (!USERNAME.test(u.username))
    throw new BadInput(
      'username',
      `"${u.username}": 3–32 characters, lower-case letters, digits, _ . -, starting with a letter`,
    );
  return db.transaction(async (tx) => {
    const taken = await tx.query(`SELECT 1 FROM users WHERE username = $1`, [u.username]);
    if (taken.length) throw new BadInput('username', `"${u.username}" is taken`);
    const id = randomUUID();
    await tx.query(
      `INSERT INTO users (id, name, email, email_verified, username, display_username, role)
       VALUES ($1, $2, $3, true, $4, $4, 'integration')`,
      [id, u.name ?? u.username, `${u.username}@pingan.local`, u.username],
    );
    return issueToken(tx, id);
  });
}

/**
 * Revokes every token of an integration account and, unless `reissue` is false, returns a new
 * one (shown once). Returns null when only revoking.
 */
export async function revokeTokens(
  db: Database,
  username: string,
  reissue = false,
): Promise<{ revoked: number; token: string | null }> {
  return db.transaction(async (tx) => {
    const [u] = await tx.query<{ id: string; role: string }>(
      `SELECT id, role FROM users WHERE username = $1`,
      [username],
    );
    if (!u) throw new NotFound(`no user "${username}"`);
    if (u.role !== 'integration')
      throw new BadInput('username', `"${username}" is not an integration account`);
    const revoked = await tx.query(
      `UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL RETURNING id`,
      [u.id],
    );
    return { revoked: revoked.length, token: reissue ? await issueToken(tx, u.id) : null };
  });
}

/** The bearer token of an Authorization header, if it carries one. */
export function bearerToken(authorization: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m ? m[1]! : null;
}

/**
 * The integration account a token belongs to, as a request's user; null for an unknown or
 * revoked token, or a disabled account.
 */
export async function tokenUser(db: Queryable, token: string): Promise<SessionUser | null> {
  const [row] = await db.query<{ id: string; username: string; token_id: string }>(
    `SELECT u.id, u.username, t.id AS token_id
     FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT u.disabled AND u.role = 'integration'`,
    [sha256(token)],
  );
  if (!row) return null;
  return {
    id: row.id,
    username: row.username,
    role: 'integration',
    areas: { towns: [], communities: [] },
    twoFactorEnabled: false,
    sessionId: `token:${row.token_id}`,
    layers: null,
  };
}
