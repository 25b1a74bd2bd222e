/** Input schemas shared by several procedures and the bulk HTTP routes. */
import { z } from 'zod';
import { DAY_MS, localMidnight } from '../domain/time';
import { INCIDENT_CATEGORIES } from '../domain/vocabulary';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO 8601 time with an offset, or a date (taken as 00:00 local time, domain/time.ts). */
export const instant = z
  .string()
  .refine(
    (s) =>
      DATE.test(s) ||
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(s),
    'must be an ISO 8601 time with an offset (2026-06-30T08:00:00+08:00) or a date (2026-06-30)',
  )
  .transform((s, ctx) => {
    const d = new Date(DATE.test(s) ? localMidnight(s) : s);
    // JavaScript rolls 2026-02-30 over to March: the calendar date must exist as written
    const [y, m, day] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
    const real = new Date(Date.UTC(y, m - 1, day));
    if (
      Number.isNaN(d.getTime()) ||
      real.getUTCFullYear() !== y ||
      real.getUTCMonth() !== m - 1 ||
      real.getUTCDate() !== day
    ) {
      ctx.addIssue({ code: 'custom', message: 'is not a real date or time' });
      return z.NEVER;
    }
    return d;
  });

export const category = z.enum(INCIDENT_CATEGORIES);
export const categories = z.array(category).min(1, 'must name at least one category').max(8);

export const bbox = z
  .tuple([
    z.number().min(-180).max(180),
    z.number().min(-90).max(90),
    z.number().min(-180).max(180),
    z.number().min(-90).max(90),
  ])
  .refine(([w, s, e, n]) => w < e && s < n, {
    message: 'must be [west, south, east, north] with west < east and south < north',
  });

export type Bbox = [number, number, number, number];

const MAX_WINDOW_DAYS = 3700;

/** A half-open time window [from, to). */
export const windowShape = { from: instant, to: instant };

export function checkWindow<T extends { from: Date; to: Date }>(v: T, ctx: z.RefinementCtx) {
  // zod runs object refinements even when a field failed: judge the window only when both parsed
  if (!(v.from instanceof Date) || !(v.to instanceof Date)) return;
  if (v.to <= v.from) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
  else if (v.to.getTime() - v.from.getTime() > MAX_WINDOW_DAYS * DAY_MS)
    ctx.addIssue({
      code: 'custom',
      path: ['to'],
      message: `the window may span at most ${MAX_WINDOW_DAYS} days`,
    });
}

/** The largest value of a PostgreSQL integer column (ids, counts): 2³¹ − 1. */
export const INT4_MAX = 2_147_483_647;

/** A stored object's id or version: a whole number from 1 to 2³¹ − 1. */
export const id = z
  .number()
  .int('must be a whole number')
  .min(1, `must be from 1 to ${INT4_MAX}`)
  .max(INT4_MAX, `must be from 1 to ${INT4_MAX}`);

/** Where the first NUL character of a raw input is, if it has one. */
export interface NulProblem {
  path: (string | number)[];
  /** the path as a dotted field name, '(input)' for the input itself */
  field: string;
  message: string;
}

const NUL_MESSAGE = 'must not contain a NUL character (\\u0000)';

/**
 * Looks through a raw input (as parsed from JSON) for a NUL character in any string or key:
 * no text column can store one, and PostgreSQL would refuse it with its own words.
 */
export function nulProblem(raw: unknown): NulProblem | null {
  const found = (path: (string | number)[]): NulProblem => ({
    path,
    field: path.length ? path.map(String).join('.') : '(input)',
    message: NUL_MESSAGE,
  });
  // iterative, so that deep nesting cannot exhaust the stack
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: raw, path: [] }];
  while (stack.length) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\0')) return found(path);
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--)
        if (typeof v[i] === 'string' || (v[i] && typeof v[i] === 'object'))
          stack.push({ v: v[i], path: [...path, i] });
    } else if (v && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        if (k.includes('\0')) return found([...path, k]);
        stack.push({ v: child, path: [...path, k] });
      }
    }
  }
  return null;
}
