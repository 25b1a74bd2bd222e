/**
 * tRPC setup: the context, the error shape and the procedures' base.
 * Plain JSON (no transformer). Input errors come back as BAD_REQUEST with a message that names
 * each field and its problem, and the same as a list in `data.fields`.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { Auth, AuthConfig } from './auth/auth';
import { DEFAULT_AUTH } from './auth/auth';
import { can, layerAllows, type Permission } from './auth/policy';
import type { SessionUser } from './auth/session';
import { recordAudit, type AuditOutcome } from './audit/audit';
import type { Basemap } from './basemap';
import type { Database } from './db/database';
import { DatabaseUnavailableError } from './db/database';
import { DEFAULT_RANKING, type RankingConfig } from './services/rankingScore';

export interface AppMeta {
  seed?: string;
  anchor?: string;
  start?: string;
  end?: string;
  loadedAt?: string;
}

export interface ContextInner {
  db: Database;
  meta: AppMeta;
  basemap: Basemap;
  /** the red/black list's weights and length */
  ranking: RankingConfig;
  startedAt: Date;
  log: { error: (obj: unknown, msg?: string) => void };
  /** accounts and sessions; absent where procedures are called without HTTP (benchmarks) */
  auth?: Auth;
  authConfig: Omit<AuthConfig, 'secret'>;
  /** the signed-in user of this request, if any */
  user: SessionUser | null;
  /** reads the request's session when a procedure needs it (health and login never wait on it) */
  session?: () => Promise<SessionUser | null>;
  /** reads the session again, without extending it (live streams check it before each message) */
  recheckSession?: () => Promise<SessionUser | null>;
  /** the client's address */
  ip: string;
  /** the clock (tests move it) */
  now: () => Date;
  /** the request's cookie and address, for the accounts library */
  requestHeaders: () => Headers;
  /** adds Set-Cookie headers to the response */
  setCookies: (cookies: string[]) => void;
  /** what a mutation acted on, for its audit row; handlers fill it in */
  audit: { object?: string; detail?: unknown };
}

/** The context without HTTP: tests build it directly and call procedures with createCaller. */
export function createContextInner(opts: Partial<ContextInner> & { db: Database }): ContextInner {
  return {
    meta: {},
    basemap: { kind: 'none' },
    ranking: DEFAULT_RANKING,
    startedAt: new Date(),
    log: { error: (obj, msg) => console.error(msg ?? '', obj) },
    authConfig: DEFAULT_AUTH,
    user: null,
    ip: '127.0.0.1',
    now: () => new Date(),
    setCookies: () => {},
    requestHeaders: () => new Headers(),
    audit: {},
    ...opts,
  };
}

export interface FieldProblem {
  field: string;
  message: string;
}

export function describeZodError(err: ZodError): FieldProblem[] {
  return err.issues.map((i) => ({
    field: i.path.length ? i.path.map(String).join('.') : '(input)',
    message: i.message,
  }));
}

/** Each procedure says which permission it needs (policy.ts): deny by default. */
export interface Meta {
  permission: Permission;
}

const t = initTRPC
  .context<ContextInner>()
  .meta<Meta>()
  .create({
    // live streams (SSE): a ping keeps proxies from closing a quiet stream, and a client that
    // hears nothing for longer reconnects, resuming from its last event id
    sse: {
      ping: { enabled: true, intervalMs: 15_000 },
      client: { reconnectAfterInactivityMs: 40_000 },
    },
    errorFormatter({ shape, error }) {
      const fields = error.cause instanceof ZodError ? describeZodError(error.cause) : undefined;
      return {
        ...shape,
        message: fields
          ? `invalid input: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`
          : shape.message,
        data: { ...shape.data, stack: undefined, fields },
      };
    },
  });

/** Database failures become clear errors: unavailable (503) or an internal error that is logged. */
const errors = t.middleware(async ({ ctx, next, path }) => {
  const res = await next();
  if (!res.ok) {
    const cause = res.error.cause;
    if (cause instanceof DatabaseUnavailableError) {
      throw new TRPCError({
        code: 'SERVICE_UNAVAILABLE',
        message: 'the database is unavailable; try again shortly',
        cause,
      });
    }
    if (res.error.code === 'INTERNAL_SERVER_ERROR') ctx.log.error(res.error, `${path} failed`);
  }
  return res;
});

export const router = t.router;

/**
 * A procedure open to the roles holding `permission`. Without a session: UNAUTHORIZED. With a
 * role lacking it: FORBIDDEN. An admin without a second factor may only manage their session
 * until they set one up.
 */
export function procedure(permission: Exclude<Permission, 'public'>) {
  return t.procedure
    .meta({ permission })
    .use(errors)
    .use(async ({ ctx, next, path, type }) => {
      // a failure here (the database away) becomes the errors middleware's 503
      const u = ctx.user ?? (await ctx.session?.()) ?? null;
      const deny = async (code: 'UNAUTHORIZED' | 'FORBIDDEN', message: string) => {
        await audit(ctx, u, path, 'denied', { reason: message });
        return new TRPCError({ code, message });
      };
      if (!u) throw await deny('UNAUTHORIZED', 'sign in first');
      if (u.role === 'admin' && !u.twoFactorEnabled && permission !== 'session')
        throw await deny(
          'FORBIDDEN',
          'an admin must set up the second factor (TOTP) before anything else',
        );
      if (u.passwordExpired && permission !== 'session')
        throw await deny('FORBIDDEN', 'the password has expired: change it first');
      if (!can(u.role, permission))
        throw await deny(
          'FORBIDDEN',
          `the role ${u.role} may not call ${path} (it needs ${permission})`,
        );
      if (u.role === 'display' && !layerAllows(u.layers, path))
        throw await deny('FORBIDDEN', `this display is not configured to show ${path}`);
      const res = await next({ ctx: { user: u } });
      if (type === 'mutation')
        await audit(
          ctx,
          u,
          path,
          res.ok ? 'ok' : 'failed',
          res.ok ? ctx.audit.detail : { error: res.error.message, ...(ctx.audit.detail ?? {}) },
        );
      return res;
    });
}

/**
 * One audit row. A failure to write it is logged, never hidden: the call's own answer stands,
 * but the log shows the gap.
 */
export async function audit(
  ctx: ContextInner,
  u: SessionUser | null,
  action: string,
  outcome: AuditOutcome,
  detail?: unknown,
  who?: { username?: string; userId?: string },
) {
  try {
    await recordAudit(ctx.db, {
      userId: u?.id ?? who?.userId ?? null,
      username: u?.username ?? who?.username ?? null,
      role: u?.role ?? null,
      action,
      object: ctx.audit.object ?? null,
      outcome,
      ip: ctx.ip,
      detail: detail ?? null,
    });
  } catch (err) {
    ctx.log.error(err, `audit row for ${action} (${outcome}) not written`);
  }
}

/** Open to anyone: only health and login. */
export const publicProcedure = t.procedure.meta({ permission: 'public' }).use(errors);

export const createCallerFactory = t.createCallerFactory;
