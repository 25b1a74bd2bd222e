/** The live stream of saved plan changes. */
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { Unauthorized } from '../errors';
import { eventsAfter, lastEventId, nextWake } from '../services/planEvents';
import { procedure, router, trpcError } from '../trpc';

/** How often a stream looks at the table and at its session when nothing wakes it. */
export const LIVE_POLL_MS = 5_000;

export const liveRouter = router({
  /**
   * Saved plan changes as they happen (SSE). Each message carries its event id; a client that
   * reconnects with `lastEventId` is sent what it missed. The session is checked before every
   * message and at least every few seconds: when it ends (logout, disabled, timed out) the
   * stream ends with UNAUTHORIZED.
   */
  changes: procedure('dashboard:read')
    .input(
      z
        .object({
          lastEventId: z
            .string()
            .regex(/^\d{1,18}$/)
            .nullish(),
        })
        .optional(),
    )
    .subscription(async function* ({ ctx, input, signal }) {
      let last = input?.lastEventId ? Number(input.lastEventId) : await lastEventId(ctx.db);
      const stillSignedIn = async () => {
        const u = ctx.recheckSession ? await ctx.recheckSession() : ctx.user;
        if (!u || u.sessionId !== ctx.user.sessionId)
          // thrown while the stream runs, past every middleware: it is answered as it is here
          throw trpcError(new Unauthorized('the session has ended'));
      };
      while (!signal?.aborted) {
        await stillSignedIn();
        for (const { eventId, event } of await eventsAfter(ctx.db, last)) {
          last = eventId;
          yield tracked(String(eventId), event);
        }
        await nextWake(LIVE_POLL_MS, signal);
      }
    }),
});
