/**
 * The domain errors (server/errors.ts) reach callers with one tRPC code and one HTTP status
 * each, their message unchanged, whether a handler throws them or a plain HTTP route answers
 * them; and an unexpected error stays an internal one.
 */
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { describe, expect, it } from 'vitest';
import { HTTP_STATUS } from '../../server/app';
import type { Database } from '../../server/db/database';
import {
  BadInput,
  Conflict,
  Forbidden,
  InvalidInput,
  NotFound,
  TooLarge,
  Timeout,
  Unauthorized,
  Unavailable,
  type DomainError,
} from '../../server/errors';
import {
  createCallerFactory,
  createContextInner,
  publicProcedure,
  router,
  TRPC_CODES,
  trpcError,
} from '../../server/trpc';

const CASES: [DomainError, string, number][] = [
  [new BadInput('cellMeters', '5 m cells make too many cells'), 'BAD_REQUEST', 400],
  [new InvalidInput([{ field: 'cursor', message: 'is not a cursor' }]), 'BAD_REQUEST', 400],
  [new Unauthorized('sign in first'), 'UNAUTHORIZED', 401],
  [new Forbidden('geometry: outside your areas'), 'FORBIDDEN', 403],
  [new NotFound('no incident with id 7'), 'NOT_FOUND', 404],
  [new Conflict('version: saved by someone else'), 'CONFLICT', 409],
  [new TooLarge('needed more than 32 MB'), 'PAYLOAD_TOO_LARGE', 413],
  [new Timeout('took longer than 50 ms'), 'TIMEOUT', 408],
  [new Unavailable('the server is busy'), 'SERVICE_UNAVAILABLE', 503],
];

const thrower = router({
  boom: publicProcedure.query(({ ctx }) => {
    throw CASES[Number(ctx.ip)]![0];
  }),
  crash: publicProcedure.query(() => {
    throw new Error('a library said something');
  }),
});
const callAs = (ip: string) =>
  createCallerFactory(thrower)(
    createContextInner({ db: {} as Database, ip, log: { error: () => {} } }),
  );

describe('domain errors', () => {
  it('cover every kind', () => {
    expect(new Set(CASES.map(([e]) => e.kind))).toEqual(new Set(Object.keys(TRPC_CODES)));
    expect(Object.keys(HTTP_STATUS).sort()).toEqual(Object.keys(TRPC_CODES).sort());
  });

  it.each(CASES.map((c, i) => [c[0].constructor.name, i, ...c] as const))(
    '%s maps to its tRPC code and HTTP status',
    async (_name, i, err, code, status) => {
      const t = trpcError(err);
      expect(t.code).toBe(code);
      expect(t.message).toBe(err.message);
      expect(getHTTPStatusCodeFromError(t)).toBe(status);
      expect(HTTP_STATUS[err.kind]).toBe(status);
      // thrown by a handler, it reaches the caller as that code with the same message
      await expect(callAs(String(i)).boom()).rejects.toMatchObject({
        code,
        message: err.message,
      });
    },
  );

  it('names the field of bad input first', () => {
    expect(new BadInput('bandMeters', 'must be at least cellMeters').message).toBe(
      'bandMeters: must be at least cellMeters',
    );
    const e = new InvalidInput([
      { field: 'cursor', message: 'is not a cursor returned by a previous page' },
    ]);
    expect(e.message).toBe('invalid input: cursor: is not a cursor returned by a previous page');
  });

  it('leaves any other error an internal one', async () => {
    await expect(callAs('0').crash()).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
  });
});
