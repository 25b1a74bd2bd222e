/**
 * The checks behind a sign-in, built so that they hold against parallel and repeated attempts:
 *
 * - Each attempt is counted as a failure BEFORE its password is looked at, in one UPDATE that
 *   also reads the count back: the first MAX_FAILURES attempts of a run have their password
 *   checked, every later one (and every attempt while the lock is on) is refused without regard
 *   to its password, however many arrive at once. The attempt that reaches the limit sets the
 *   lock; only a successful sign-in resets the count (and lifts the lock).
 * - An unknown user, a disabled or locked account and a wrong password cost the same: the same
 *   UPDATE (matching no row for an unknown user), one argon2id verification (against a hash made
 *   with the same parameters when there is no real one) and one audit row.
 * - A second-factor code is accepted once: the time step it belongs to is remembered per user,
 *   and a code of that step or an earlier one is refused afterwards.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { symmetricDecrypt } from 'better-auth/crypto';
import type { Queryable } from '../db/database';
import { ARGON2 } from './password';

export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 10;

/** The password hashing calls, in one object (so that their use can be observed). */
export const argon = {
  verify: (h: string, password: string) => verify(h, password).catch(() => false),
};

// verifying against a hash of nothing useful costs what a real check costs (same parameters);
// made when the server starts, so that not even the first unknown user's attempt takes longer
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hash(randomBytes(16).toString('hex'), ARGON2));
void dummy().catch(() => (dummyHash = undefined));

export interface Attempt {
  /** the account, when the username names one */
  user: { id: string; disabled: boolean; twoFactorEnabled: boolean } | null;
  /** the password was checked and is right, and the account may sign in now */
  passwordOk: boolean;
  /** why not, for the audit trail */
  reason: 'unknown user' | 'disabled' | 'locked' | 'wrong password' | null;
}

/**
 * Counts a sign-in attempt for `username` and checks its password (once, whatever the outcome).
 * The count stays raised unless the caller calls `signedIn` after the whole sign-in succeeded.
 */
export async function attemptPassword(
  db: Queryable,
  username: string,
  password: string,
  now: Date,
): Promise<Attempt> {
  const [u] = await db.query<{
    id: string;
    disabled: boolean;
    attempt: number;
    twoFactorEnabled: boolean | null;
    hash: string | null;
  }>(
    `UPDATE users SET
       failed_logins = CASE WHEN locked_until <= $2 THEN 1 ELSE failed_logins + 1 END,
       locked_until = CASE
         WHEN locked_until > $2 THEN locked_until
         WHEN (CASE WHEN locked_until <= $2 THEN 1 ELSE failed_logins + 1 END) >= $3 THEN $4::timestamptz
         ELSE NULL END
     WHERE username = $1
     RETURNING id, disabled, failed_logins AS attempt, two_factor_enabled AS "twoFactorEnabled",
       (SELECT a.password FROM accounts a
        WHERE a.user_id = users.id AND a.provider_id = 'credential' LIMIT 1) AS hash`,
    [
      username,
      now.toISOString(),
      MAX_FAILURES,
      new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString(),
    ],
  );
  const right = await argon.verify(u?.hash ?? (await dummy()), password);
  const user = u
    ? { id: u.id, disabled: u.disabled, twoFactorEnabled: Boolean(u.twoFactorEnabled) }
    : null;
  const reason = !u
    ? 'unknown user'
    : u.disabled
      ? 'disabled'
      : u.attempt > MAX_FAILURES
        ? 'locked'
        : !u.hash || !right
          ? 'wrong password'
          : null;
  return { user, passwordOk: reason === null, reason };
}

/** After a successful sign-in: the count of failures starts again and the lock is lifted. */
export async function signedIn(db: Queryable, userId: string) {
  await db.query(`UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1`, [userId]);
}

/**
 * The right password without the second-factor code (the sign-in page then asks for it): this
 * attempt does not count as a failure.
 */
export async function uncount(db: Queryable, userId: string) {
  await db.query(
    `UPDATE users SET failed_logins = greatest(failed_logins - 1, 0),
       locked_until = CASE WHEN failed_logins - 1 < $2 THEN NULL ELSE locked_until END
     WHERE id = $1`,
    [userId, MAX_FAILURES],
  );
}

// --- the second factor (TOTP, RFC 6238: 30-second steps, 6 digits, HMAC-SHA1, ±1 step) --------

const PERIOD_MS = 30_000;

/** The key second-factor secrets are encrypted with (the accounts library's cookie secret). */
export type SecretKey = Parameters<typeof symmetricDecrypt>[0]['key'];

function base32(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const ch of text.toUpperCase().replace(/=+$/, '')) {
    const i = alphabet.indexOf(ch);
    if (i < 0) continue;
    value = (value << 5) | i;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 255);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function hotp(key: Buffer, counter: number): string {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = createHmac('sha1', key).update(msg).digest();
  const o = h[h.length - 1]! & 15;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/**
 * The time step whose code `code` is, within one step of now, for the user's TOTP secret (as the
 * accounts library keeps it, encrypted with the cookie secret); null when it is none of them.
 */
export async function totpStep(
  db: Queryable,
  secret: SecretKey,
  userId: string,
  code: string,
): Promise<number | null> {
  const [row] = await db.query<{ secret: string }>(
    `SELECT secret FROM two_factors WHERE user_id = $1 LIMIT 1`,
    [userId],
  );
  if (!row) return null;
  const plain = await symmetricDecrypt({ key: secret, data: row.secret });
  const key = plain.startsWith('base32:') ? base32(plain.slice(7)) : Buffer.from(plain, 'utf8');
  const current = Math.floor(Date.now() / PERIOD_MS);
  let match: number | null = null;
  for (const step of [current - 1, current, current + 1])
    if (timingSafeEqual(Buffer.from(hotp(key, step)), Buffer.from(code.padEnd(6).slice(0, 6))))
      match = step;
  return match;
}

/**
 * Remembers `step` as the user's last accepted one; false when that step or a later one was
 * accepted before (the code is being used again). One statement: two requests with the same
 * code cannot both pass.
 */
export async function useTotpStep(db: Queryable, userId: string, step: number): Promise<boolean> {
  const id = `totp-step:${userId}`;
  const rows = await db.query(
    `INSERT INTO verifications (id, identifier, value, expires_at) VALUES ($1, $1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at,
       updated_at = now()
     WHERE verifications.value::bigint < excluded.value::bigint
     RETURNING id`,
    // once the step is out of the ±1 window its code is refused anyway: keep the row a while more
    [id, String(step), new Date((step + 4) * PERIOD_MS).toISOString()],
  );
  return rows.length > 0;
}
