/**
 * Sign in and out. Five failed logins in a row lock an account for ten minutes; an unknown user,
 * a wrong password, a locked or disabled account all get the same answer, after the same work
 * (server/auth/signin.ts). These procedures are never batched and are rate-limited per address
 * (server/hardening.ts).
 */
import { z } from 'zod';
import { passwordProblem } from '../auth/password';
import { endSession, endSessions, passwordChanged } from '../auth/session';
import {
  attemptPassword,
  LOCK_MINUTES,
  MAX_FAILURES,
  signedIn,
  totpStep,
  type SecretKey,
  uncount,
  useTotpStep,
} from '../auth/signin';
import { BadInput, Unauthorized } from '../errors';
import { sessionsEnded } from '../services/planEvents';
import { audit, procedure, publicProcedure, router, type ContextInner } from '../trpc';

export { LOCK_MINUTES, MAX_FAILURES };
export const LOGIN_REFUSED =
  'wrong username or password (five failures in a row lock the account for 10 minutes)';

const refused = () => new Unauthorized(LOGIN_REFUSED);

const wrongCode = () => new BadInput('code', 'is not the current one');

function requestHeaders(ctx: ContextInner, extra?: Record<string, string>) {
  const h = new Headers({ 'x-forwarded-for': ctx.ip });
  for (const [k, v] of Object.entries(extra ?? {})) h.set(k, v);
  return h;
}

/** Cookies from Set-Cookie headers as a Cookie header value. */
function cookieHeader(setCookies: string[]): string {
  return setCookies.map((c) => c.split(';')[0]).join('; ');
}

/** The cookie secret, for reading second-factor secrets (the library encrypts them with it). */
async function cookieSecret(ctx: ContextInner): Promise<SecretKey> {
  return (await ctx.auth!.$context).secretConfig;
}

/**
 * Checks a second-factor code and uses it up: false when it is wrong or was accepted before.
 */
async function spendTotp(ctx: ContextInner, userId: string, code: string): Promise<boolean> {
  const step = await totpStep(ctx.db, await cookieSecret(ctx), userId, code);
  return step !== null && (await useTotpStep(ctx.db, userId, step));
}

export const authRouter = router({
  login: publicProcedure
    .input(
      z.object({
        username: z
          .string()
          .min(1, 'is required')
          .max(64)
          .regex(/^[^\0]*$/, 'must not contain a NUL character'),
        password: z.string().min(1, 'is required').max(256),
        totp: z
          .string()
          .regex(/^\d{6}$/, 'must be the 6-digit code of the authenticator app')
          .optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const auth = ctx.auth;
      if (!auth) throw new Error('no accounts');
      const username = input.username.trim().toLowerCase();
      const attempt = await attemptPassword(ctx.db, username, input.password, ctx.now());
      const u = attempt.user;
      const fail = async (reason: string) => {
        await audit(ctx, null, 'auth.login', 'failed', { reason }, { username, userId: u?.id });
        return refused();
      };
      if (!attempt.passwordOk || !u) throw await fail(attempt.reason ?? 'wrong password');
      // the password was right: reaching the code prompt is not a failed attempt
      const askForCode = async () => {
        await uncount(ctx.db, u.id);
        return new Unauthorized('enter the 6-digit code of your authenticator app');
      };

      if (u.twoFactorEnabled) {
        if (!input.totp) throw await askForCode();
        if (!(await spendTotp(ctx, u.id, input.totp)))
          throw await fail('wrong or already used second-factor code');
      }
      const signIn = () =>
        auth.api.signInUsername({
          body: { username, password: input.password, rememberMe: false },
          headers: requestHeaders(ctx),
          returnHeaders: true,
        });
      let res: Awaited<ReturnType<typeof signIn>>;
      try {
        res = await signIn();
      } catch {
        throw await fail('wrong password');
      }
      let cookies = res.headers.getSetCookie();
      if ((res.response as { twoFactorRedirect?: boolean }).twoFactorRedirect) {
        if (!input.totp) throw await askForCode();
        try {
          const v = await auth.api.verifyTOTP({
            body: { code: input.totp },
            headers: requestHeaders(ctx, { cookie: cookieHeader(cookies) }),
            returnHeaders: true,
          });
          cookies = v.headers.getSetCookie();
        } catch {
          throw await fail('wrong second-factor code');
        }
      }
      await signedIn(ctx.db, u.id);
      ctx.setCookies(cookies);
      await audit(ctx, null, 'auth.login', 'ok', null, { username, userId: u.id });
      return { ok: true as const };
    }),

  logout: procedure('session').mutation(async ({ ctx }) => {
    await endSession(ctx.db, ctx.user.sessionId);
    sessionsEnded();
    ctx.setCookies(expiredCookies());
    return { ok: true as const };
  }),

  /** Ends every session of the signed-in user, on every device. */
  logoutEverywhere: procedure('session').mutation(async ({ ctx }) => {
    const n = await endSessions(ctx.db, ctx.user.id);
    sessionsEnded();
    ctx.setCookies(expiredCookies());
    return { ended: n };
  }),

  /**
   * Starts setting up the second factor: checks the password and returns the otpauth:// URI
   * (for the authenticator app's QR code) and one-time backup codes. Not on until `totpVerify`.
   */
  totpSetup: procedure('session')
    .input(z.object({ password: z.string().min(1, 'is required').max(256) }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `user:${ctx.user.username}`;
      try {
        const r = await ctx.auth!.api.enableTwoFactor({
          body: { password: input.password },
          headers: ctx.requestHeaders(),
        });
        if (r.method !== 'totp') throw new Error('not a TOTP set-up');
        return { totpURI: r.totpURI, backupCodes: r.backupCodes };
      } catch {
        throw new BadInput('password', 'is not right');
      }
    }),

  /** Finishes the set-up with a code from the app: from now on sign-in asks for one. */
  totpVerify: procedure('session')
    .input(z.object({ code: z.string().regex(/^\d{6}$/, 'must be 6 digits') }))
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `user:${ctx.user.username}`;
      // the code that turns the factor on cannot then be used to sign in
      if (!(await spendTotp(ctx, ctx.user.id, input.code))) throw wrongCode();
      try {
        const r = await ctx.auth!.api.verifyTOTP({
          body: { code: input.code },
          headers: ctx.requestHeaders(),
          returnHeaders: true,
        });
        ctx.setCookies(r.headers.getSetCookie());
        sessionsEnded();
      } catch {
        throw wrongCode();
      }
      return { ok: true as const };
    }),

  /** Changes the signed-in user's password; their other sessions end. */
  changePassword: procedure('session')
    .input(
      z.object({
        current: z.string().min(1, 'is required').max(256),
        next: z.string().min(1, 'is required').max(256),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      ctx.audit.object = `user:${ctx.user.username}`;
      const problem =
        input.next === input.current
          ? 'must differ from the current one'
          : passwordProblem(input.next, ctx.user.username, {
              minLength: 12,
              complexity: ctx.authConfig.passwordComplexity,
            });
      if (problem) throw new BadInput('next', problem);
      try {
        const r = await ctx.auth!.api.changePassword({
          body: {
            currentPassword: input.current,
            newPassword: input.next,
            revokeOtherSessions: true,
          },
          headers: ctx.requestHeaders(),
          returnHeaders: true,
        });
        ctx.setCookies(r.headers.getSetCookie());
        sessionsEnded();
      } catch {
        throw new BadInput('current', 'is not right');
      }
      await passwordChanged(ctx.db, ctx.user.id, ctx.now());
      return { ok: true as const };
    }),

  me: procedure('session').query(({ ctx }) => ({
    username: ctx.user.username,
    role: ctx.user.role,
    areas: ctx.user.areas,
    twoFactorEnabled: ctx.user.twoFactorEnabled,
    passwordExpired: Boolean(ctx.user.passwordExpired),
    /** a display limited to these map layers; null: every layer the role may read */
    layers: ctx.user.layers ?? null,
  })),
});

function expiredCookies(): string[] {
  return ['session_token', 'session_data', 'dont_remember'].map(
    (n) => `pingan.${n}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict`,
  );
}
