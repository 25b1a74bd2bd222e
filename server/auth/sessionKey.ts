/**
 * Who a request is, cheaply, for the API rate limit (before tRPC runs): the session cookie's
 * signature is checked against the cookie secret (a decoy or forged cookie fails here, with no
 * database work), then the token is looked up once and kept in a bounded cache for a minute.
 * Anything unverifiable gives null: the caller then keys the request by its address.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Queryable } from '../db/database';
import { COOKIE_PREFIX } from './auth';

/** tokens remembered (about 200 bytes each) */
const CACHE_ENTRIES = 10_000;
const CACHE_TTL_MS = 60_000;

const COOKIE = new RegExp(
  `(?:^|;)\\s*(?:__Secure-)?${COOKIE_PREFIX.replace('.', '\\.')}\\.session_token=([^;]*)`,
);

/** The session token of a signed session cookie, or null when absent or not signed by `secret`. */
export function signedSessionToken(cookieHeader: string | undefined, secret: string) {
  const raw = cookieHeader ? COOKIE.exec(cookieHeader)?.[1] : undefined;
  if (!raw || raw.length > 512) return null;
  let value: string;
  try {
    value = decodeURIComponent(raw.trim());
  } catch {
    return null;
  }
  const dot = value.lastIndexOf('.');
  if (dot < 1) return null;
  const token = value.slice(0, dot);
  const given = Buffer.from(value.slice(dot + 1), 'base64');
  const expected = createHmac('sha256', secret).update(token).digest();
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return token;
}

/** Resolves a request's session cookie to its user id (null: no live session). */
export function sessionKeyResolver(db: Queryable, secret: string) {
  const cache = new LRUCache<string, { userId: string | null }>({
    max: CACHE_ENTRIES,
    ttl: CACHE_TTL_MS,
  });
  return async (cookieHeader: string | undefined): Promise<string | null> => {
    const token = signedSessionToken(cookieHeader, secret);
    if (!token) return null;
    const hit = cache.get(token);
    if (hit) return hit.userId;
    let userId: string | null;
    try {
      const [row] = await db.query<{ userId: string }>(
        `SELECT user_id AS "userId" FROM sessions WHERE token = $1 AND expires_at > now()`,
        [token],
      );
      userId = row?.userId ?? null;
    } catch {
      // the database away: the request is keyed by its address, and answered 503 further on
      return null;
    }
    cache.set(token, { userId });
    return userId;
  };
}
