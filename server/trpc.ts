/**
 * tRPC setup: the context, the error shape and the procedures' base.
 * Plain JSON (no transformer). Input errors come back as BAD_REQUEST with a message that names
 * each field and its problem, and the same as a list in `data.fields`.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
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
}

/** The context without HTTP: tests build it directly and call procedures with createCaller. */
export function createContextInner(opts: Partial<ContextInner> & { db: Database }): ContextInner {
  return {
    meta: {},
    basemap: { kind: 'none' },
    ranking: DEFAULT_RANKING,
    startedAt: new Date(),
    log: { error: (obj, msg) => console.error(msg ?? '', obj) },
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

const t = initTRPC.context<ContextInner>().create({
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
export const publicProcedure = t.procedure.use(errors);
export const createCallerFactory = t.createCallerFactory;
