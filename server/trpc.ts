/**
 * tRPC setup: the context, the error shape and the procedures' base.
 * Plain JSON (no transformer). Input errors come back as BAD_REQUEST with a message that names
 * each field and its problem, and the same as a list in `data.fields`. An unexpected error
 * answers only "internal error (id …)": its details go to the log under that id.
 */
import { randomBytes } from 'node:crypto';
import { initTRPC, TRPCError, type TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { ZodError } from 'zod';
import type { Auth, AuthConfig } from './auth/auth';
import { DEFAULT_AUTH } from './auth/auth';
import { authorize } from './auth/authorize';
import type { Permission } from '../domain/policy';
import type { SessionUser } from './auth/session';
import { auditWritable, boundedDetail, recordAudit, type AuditOutcome } from './audit/audit';
import type { Basemap } from './basemap';
import type { Database } from './db/database';
import type { ReadsStatus } from './db/readReplica';
import { categoryTable } from './services/ingest';
import { dataStatus, type DataStatus } from './dataset/status';
import { databaseFailure, loggableError } from './db/errors';
import {
  BadInput,
  DomainError,
  Forbidden,
  InvalidInput,
  Unauthorized,
  Unavailable,
  type DomainErrorKind,
  type FieldProblem,
} from './errors';
import { nulProblem } from './inputs';
import { DEFAULT_RANKING, type RankingConfig } from '../domain/rankingScore';
import type { IncidentCategory } from '../domain/vocabulary';

export interface ContextInner {
  /** the primary: writes, and the reads that must see the caller's own writes */
  db: Database;
  /**
   * heavy reads (heat, summaries, Gi*, coverage, rankings): a streaming replica while it is up
   * and close behind, else the primary (db/readReplica.ts)
   */
  read: Database;
  /** where heavy reads go now, for the health answer */
  reads: () => ReadsStatus;
  /** what the stored data is and the span it covers (kept in memory, see dataset/status.ts) */
  data: () => Promise<DataStatus>;
  basemap: Basemap;
  /** the red/black list's weights and length */
  ranking: RankingConfig;
  /** a feed's category codes and labels to category codes (INGEST_CATEGORY_MAP) */
  ingestCategories: ReadonlyMap<string, IncidentCategory>;
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
    data: () => dataStatus(opts.db),
    read: opts.db,
    reads: () => ({ replica: 'none', readsFrom: 'primary' }),
    basemap: { kind: 'none' },
    ranking: DEFAULT_RANKING,
    ingestCategories: categoryTable(),
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

export function describeZodError(err: ZodError): FieldProblem[] {
  return err.issues.map((i) => ({
    field: i.path.length ? i.path.map(String).join('.') : '(input)',
    message: i.message,
  }));
}

/** The fields an input error names, if it is one. */
function inputFields(cause: unknown): FieldProblem[] | undefined {
  if (cause instanceof ZodError) return describeZodError(cause);
  if (cause instanceof InvalidInput) return cause.fields;
  return undefined;
}

/** The tRPC code of each domain error (server/errors.ts); the message is passed on as it is. */
export const TRPC_CODES: Readonly<Record<DomainErrorKind, TRPC_ERROR_CODE_KEY>> = {
  'bad-input': 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
  'too-large': 'PAYLOAD_TOO_LARGE',
  timeout: 'TIMEOUT',
  unavailable: 'SERVICE_UNAVAILABLE',
};

/** A domain error as tRPC answers it. */
export function trpcError(err: DomainError): TRPCError {
  return new TRPCError({ code: TRPC_CODES[err.kind], message: err.message, cause: err });
}

/** Each procedure says which permission it needs (policy.ts): deny by default. */
export interface Meta {
  permission: Permission;
}

const errorIds = new WeakMap<object, string>();

/** The id an unexpected error is answered and logged with (one per error). */
export function errorId(err: object): string {
  let id = errorIds.get(err);
  if (!id) errorIds.set(err, (id = randomBytes(6).toString('hex')));
  return id;
}

const logged = new WeakSet<object>();

/** Logs an unexpected error once, under its id, without the values of failed statements. */
export function logUnexpected(
  log: ContextInner['log'],
  err: TRPCError,
  path: string | undefined,
): void {
  if (logged.has(err)) return;
  logged.add(err);
  log.error(
    { errorId: errorId(err), path, err: loggableError(err.cause ?? err) },
    `internal error (id ${errorId(err)}) in ${path ?? 'a request'}`,
  );
}

export const INTERNAL_MESSAGE = (err: object) => `internal error (id ${errorId(err)})`;

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
      const fields = inputFields(error.cause);
      // never a database's or a library's own words: they go to the log, under the id
      const internal = error.code === 'INTERNAL_SERVER_ERROR';
      return {
        ...shape,
        message: fields
          ? `invalid input: ${fields.map((f) => `${f.field}: ${f.message}`).join('; ')}`
          : internal
            ? INTERNAL_MESSAGE(error)
            : shape.message,
        data: {
          ...shape.data,
          stack: undefined,
          fields,
          ...(internal ? { errorId: errorId(error) } : {}),
        },
      };
    },
  });

/**
 * Failures become clear errors: the database away or too slow (503), a value the database
 * refused as data (400, without its text), anything else an internal error that is logged
 * with its id.
 */
const errors = t.middleware(async ({ ctx, next, path }) => {
  const res = await next();
  if (!res.ok) {
    const failure = res.error.code === 'INTERNAL_SERVER_ERROR' ? databaseFailure(res.error) : null;
    if (failure === 'unavailable')
      throw trpcError(
        new Unavailable('the database is unavailable; try again shortly', { cause: res.error }),
      );
    if (failure === 'timeout')
      throw trpcError(
        new Unavailable(
          'the database took too long to answer; try again shortly, or ask for less',
          { cause: res.error },
        ),
      );
    if (failure === 'invalid')
      throw trpcError(
        new BadInput(
          undefined,
          'invalid input: a value is out of range or not valid for its field',
          { cause: res.error },
        ),
      );
    if (res.error.code === 'INTERNAL_SERVER_ERROR') logUnexpected(ctx.log, res.error, path);
  }
  return res;
});

/**
 * The domain errors of handlers and services become their tRPC errors here, the innermost step,
 * so that every middleware around (the audit trail, the log of unexpected errors) sees the
 * error the caller gets.
 */
const domainErrors = t.middleware(async ({ next }) => {
  const res = await next();
  if (!res.ok && res.error.cause instanceof DomainError) throw trpcError(res.error.cause);
  return res;
});

/**
 * Refuses, before any handler or schema sees it, input carrying a NUL character (which no
 * text column can store), naming where it is.
 */
const inputGuard = t.middleware(async ({ next, getRawInput }) => {
  const problem = nulProblem(await getRawInput());
  if (problem)
    throw trpcError(new InvalidInput([{ field: problem.field, message: problem.message }]));
  return next();
});

/** The answer when the audit trail cannot be written: no change is made unaudited. */
export const AUDIT_UNAVAILABLE =
  'the audit trail cannot be written, so no change is accepted now; tell the administrator';

/**
 * Fail-closed: before a mutation runs, the audit trail must be writable (its tables there and
 * insertable); otherwise SERVICE_UNAVAILABLE and nothing is done.
 */
const auditGate = t.middleware(async ({ ctx, next, type, path }) => {
  if (type !== 'mutation') return next();
  let ok = false;
  try {
    ok = await auditWritable(ctx.db);
  } catch (err) {
    if (databaseFailure(err) === 'unavailable') throw err;
    ctx.log.error({ err: loggableError(err) }, `audit trail not writable: ${path} refused`);
  }
  if (!ok) throw trpcError(new Unavailable(AUDIT_UNAVAILABLE));
  return next();
});

export const router = t.router;

/**
 * A procedure open to the roles holding `permission` (server/auth/authorize.ts). Without a
 * session: UNAUTHORIZED. With a role lacking it: FORBIDDEN. An admin without a second factor
 * may only manage their session until they set one up.
 */
export function procedure(permission: Exclude<Permission, 'public'>) {
  return t.procedure
    .meta({ permission })
    .use(errors)
    .use(async ({ ctx, next, path, type }) => {
      // a failure here (the database away) becomes the errors middleware's 503
      const u = ctx.user ?? (await ctx.session?.()) ?? null;
      try {
        authorize(u, permission, path);
      } catch (err) {
        if (!(err instanceof Unauthorized || err instanceof Forbidden)) throw err;
        await audit(ctx, u, path, 'denied', { reason: err.message });
        throw trpcError(err);
      }
      const res = await next({ ctx: { user: u } });
      if (type === 'mutation') {
        // a refusal of the audit gate itself cannot be recorded
        if (!res.ok && res.error.message === AUDIT_UNAVAILABLE) return res;
        await audit(
          ctx,
          u,
          path,
          res.ok ? 'ok' : 'failed',
          res.ok
            ? ctx.audit.detail
            : { error: errorText(res.error), ...(objectOf(ctx.audit.detail) ?? {}) },
        );
      }
      return res;
    })
    .use(inputGuard)
    .use(auditGate)
    .use(domainErrors);
}

/** An error as the audit trail records it: the message, bounded; an internal one by its id. */
function errorText(err: TRPCError): string {
  const m = err.code === 'INTERNAL_SERVER_ERROR' ? INTERNAL_MESSAGE(err) : err.message;
  return m.length > AUDIT_ERROR_MAX
    ? `${m.slice(0, AUDIT_ERROR_MAX)}… (${m.length} characters)`
    : m;
}

/** The longest error message kept in an audit row. */
export const AUDIT_ERROR_MAX = 500;

function objectOf(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v)
    ? (v as Record<string, unknown>)
    : undefined;
}

/**
 * One audit row. A failure to write it is logged, never hidden, with the row itself: the call's
 * own answer stands (a mutation has passed the audit gate before it ran; only a trail lost in
 * between leaves its row to the log alone).
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
    ctx.log.error(
      {
        err: loggableError(err),
        auditRow: {
          username: u?.username ?? who?.username ?? null,
          action,
          object: ctx.audit.object ?? null,
          outcome,
          ip: ctx.ip,
          detail: boundedDetail(detail),
        },
      },
      `audit row for ${action} (${outcome}) not written`,
    );
  }
}

/**
 * Refusals of anonymous calls before their handler runs (bad input, a NUL character) are
 * recorded for mutations: the handlers record the rest themselves.
 */
const publicRefusals = t.middleware(async ({ ctx, next, path, type, getRawInput }) => {
  const res = await next();
  const fields = res.ok ? undefined : inputFields(res.error.cause);
  if (type === 'mutation' && fields) {
    const raw = objectOf(await getRawInput().catch(() => undefined));
    const username = typeof raw?.username === 'string' ? raw.username.slice(0, 64) : undefined;
    await audit(ctx, null, path, 'failed', { reason: 'invalid input', fields }, { username });
  }
  return res;
});

/** Open to anyone: only health and login. */
export const publicProcedure = t.procedure
  .meta({ permission: 'public' })
  .use(errors)
  .use(publicRefusals)
  .use(inputGuard)
  .use(auditGate)
  .use(domainErrors);

export const createCallerFactory = t.createCallerFactory;
