/**
 * Accounts and sessions through better-auth (drizzle adapter, both databases): argon2id
 * password hashes, sessions in HttpOnly SameSite=Strict browser-session cookies (Secure under
 * TLS), usernames, TOTP. What the library does not do is ours: the lockout after failed logins,
 * equal work for unknown users and TOTP codes used once (signin.ts), the sliding idle timeout,
 * the absolute session lifetime and disabled users (session.ts), roles and areas (policy.ts),
 * and the audit trail.
 */
import { hash, verify } from '@node-rs/argon2';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { betterAuth } from 'better-auth';
import { twoFactor } from 'better-auth/plugins/two-factor';
import { username } from 'better-auth/plugins/username';
import type { Database } from '../db/database';
import { scrubbedLog } from '../db/errors';
import * as schema from '../db/schema';
import { ARGON2, USERNAME } from './password';

export interface AuthConfig {
  /** signs cookies; at least 32 characters */
  secret: string;
  /** served over TLS (directly or behind a proxy): Secure cookies */
  secure: boolean;
  /** a session unused this long ends */
  idleMinutes: number;
  /** a session ends this long after sign-in, used or not */
  absoluteHours: number;
  /** the MLPS rotation switch: a password older than this must be changed first (0: off) */
  passwordMaxAgeDays: number;
  /** the MLPS complexity switch */
  passwordComplexity: boolean;
}

export const DEFAULT_AUTH: Omit<AuthConfig, 'secret'> = {
  secure: false,
  idleMinutes: 30,
  absoluteHours: 12,
  passwordMaxAgeDays: 0,
  passwordComplexity: false,
};

export const COOKIE_PREFIX = 'pingan';

export function createAuth(db: Database, config: AuthConfig) {
  return betterAuth({
    appName: '平安图',
    secret: config.secret,
    baseURL: config.secure ? 'https://localhost' : 'http://localhost',
    database: drizzleAdapter(db.orm as never, {
      provider: 'pg',
      schema: {
        user: schema.users,
        session: schema.sessions,
        account: schema.accounts,
        verification: schema.verifications,
        twoFactor: schema.twoFactors,
      },
    }),
    emailAndPassword: {
      enabled: true,
      disableSignUp: true,
      minPasswordLength: 12,
      maxPasswordLength: 128,
      // argon2id (memory-hard), OWASP's recommended parameters
      password: {
        hash: (password) => hash(password, ARGON2),
        verify: ({ hash: h, password }) => verify(h, password),
      },
    },
    user: {
      additionalFields: {
        role: { type: 'string', input: false, required: false },
        areas: { type: 'string', input: false, required: false },
      },
    },
    session: {
      // sign-in asks for browser-session cookies (rememberMe: false), which the library gives a
      // day and never refreshes: the idle timeout and its sliding are enforced in session.ts
      expiresIn: config.idleMinutes * 60,
      updateAge: 60,
      cookieCache: { enabled: false },
    },
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: COOKIE_PREFIX,
      useSecureCookies: config.secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: 'strict', secure: config.secure },
    },
    plugins: [
      username({
        minUsernameLength: 3,
        maxUsernameLength: 32,
        usernameValidator: (u) => USERNAME.test(u),
      }),
      twoFactor({ issuer: '平安图 Pingan' }),
    ],
    telemetry: { enabled: false },
    // its own error logs carry the failed statement's parameters (session tokens): scrubbed
    logger: { log: scrubbedLog('better-auth') },
  });
}

export type Auth = ReturnType<typeof createAuth>;
