/**
 * Live streams (SSE): saved plan changes, incidents as a feed changes them, and both in one
 * stream (a page opens one: browsers allow six HTTP/1.1 connections per origin, across tabs).
 * Each message carries its event id; a client that reconnects with `lastEventId` is sent what
 * it missed, in order, read from the tables (also after a server restart). Incident events are
 * read once per wake-up for all the streams of the process (services/incidentHub.ts) and sent
 * as one message per batch read (at most EVENT_BATCH events); the next is taken only once a
 * message has been sent: a slow client holds back its own stream only, and catches up from the
 * table. The session is checked every few seconds and whenever sessions have been ended: when
 * it ends (logout, disabled, timed out) the stream ends with UNAUTHORIZED.
 */
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { can, layerAllows } from '../../domain/policy';
import { Unauthorized } from '../errors';
import {
  EVENT_BATCH,
  lastIncidentEventId,
  type NumberedIncidentEvent,
} from '../services/incidentEvents';
import { incidentHub } from '../services/incidentHub';
import {
  eventsAfter,
  lastEventId,
  nextWake,
  planWakeCount,
  sessionEndCount,
  type PlanEvent,
} from '../services/planEvents';
import { procedure, router, trpcError, type ContextInner } from '../trpc';
import type { SessionUser } from '../auth/session';

/** How often a stream looks at the tables and at its session when nothing wakes it. */
export const LIVE_POLL_MS = 5_000;

/** A combined stream's message: a plan change, or incident events read together. */
export type LiveMessage =
  | { kind: 'plan'; event: PlanEvent }
  | { kind: 'incidents'; events: readonly NumberedIncidentEvent[] };

const eventId = z
  .string()
  .regex(/^\d{1,18}$/, 'must be an event id sent by this stream')
  .nullish();

/** The combined stream's event id: where it stands in both, e.g. "p12.i345". */
const combinedId = z
  .string()
  .regex(/^p\d{1,18}\.i\d{1,18}$/, 'must be an event id sent by this stream, such as p12.i345')
  .nullish();

/**
 * The stream's session check: it asks when the stream starts, then again when LIVE_POLL_MS
 * have passed since it last did or when sessions have been ended meanwhile (logout, a user
 * disabled), not on every wake-up; it throws UNAUTHORIZED once the session has ended.
 */
function sessionCheck(ctx: ContextInner & { user: SessionUser }) {
  let checkedAt = -Infinity;
  let ends = sessionEndCount();
  return async () => {
    if (performance.now() - checkedAt < LIVE_POLL_MS && sessionEndCount() === ends) return;
    ends = sessionEndCount();
    const u = ctx.recheckSession ? await ctx.recheckSession() : ctx.user;
    checkedAt = performance.now();
    if (!u || u.sessionId !== ctx.user.sessionId)
      // thrown while the stream runs, past every middleware: it is answered as it is here
      throw trpcError(new Unauthorized('the session has ended'));
  };
}

export const liveRouter = router({
  /** Saved plan changes as they happen. */
  changes: procedure('dashboard:read')
    .input(z.object({ lastEventId: eventId }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      let last = input?.lastEventId ? Number(input.lastEventId) : await lastEventId(ctx.db);
      const stillSignedIn = sessionCheck(ctx);
      while (!signal?.aborted) {
        await stillSignedIn();
        const seen = planWakeCount();
        const events = await eventsAfter(ctx.db, last, EVENT_BATCH);
        for (const { eventId, event } of events) {
          last = eventId;
          yield tracked(String(eventId), event);
        }
        // a full batch, or a change announced while reading: there may be more at once
        if (events.length < EVENT_BATCH && planWakeCount() === seen)
          await nextWake(LIVE_POLL_MS, signal);
      }
    }),

  /**
   * Incidents as a feed creates, updates and removes them: a created or updated one as
   * incidents.get answers it (with its sourceId), a removed one by its id and sourceId. Each
   * message carries the events read together, in order, each with its event id; the message's
   * id is the last of them.
   */
  incidents: procedure('incidents:read')
    .input(z.object({ lastEventId: eventId }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      const hub = incidentHub(ctx.db, LIVE_POLL_MS);
      const leave = hub.join();
      try {
        let last = input?.lastEventId
          ? Number(input.lastEventId)
          : await lastIncidentEventId(ctx.db);
        const stillSignedIn = sessionCheck(ctx);
        let joined = false;
        while (!signal?.aborted) {
          await stillSignedIn();
          const batch = await hub.after(last, joined);
          if (batch) {
            last = batch.last;
            yield tracked(String(last), batch.events);
            continue;
          }
          // at the hub's head: from now on it is handed the shared batches
          joined = true;
          if (!hub.isPast(last))
            await nextWake(LIVE_POLL_MS, signal, { bus: hub.bus, event: 'batch' });
        }
      } finally {
        leave();
      }
    }),

  /**
   * Plan changes and incident events in one stream: `{ kind: 'plan', event }` for a plan
   * change, `{ kind: 'incidents', events }` for incident events read together (each with its
   * event id), each message with the id of where the stream stands in both
   * ("p<plan event>.i<incident event>"). A display limited to some layers is sent the kinds its
   * layers carry (plan changes: zones or posts; incidents: heat or points) and is refused the
   * stream when it has none of them; a role that may not read single incidents is sent plan
   * changes only. Plan changes are read when this process announces one and at every poll
   * (other processes' changes), not on incident wake-ups.
   */
  all: procedure('dashboard:read')
    .input(z.object({ lastEventId: combinedId }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      const layers = ctx.user.role === 'display' ? ctx.user.layers : null;
      const plans = layerAllows(layers, 'live.changes');
      const incidents =
        can(ctx.user.role, 'incidents:read') && layerAllows(layers, 'live.incidents');
      const hub = incidents ? incidentHub(ctx.db, LIVE_POLL_MS) : null;
      const leave = hub?.join();
      try {
        const resume = input?.lastEventId?.match(/^p(\d+)\.i(\d+)$/);
        let p = resume ? Number(resume[1]) : await lastEventId(ctx.db);
        let i = resume ? Number(resume[2]) : await lastIncidentEventId(ctx.db);
        const stillSignedIn = sessionCheck(ctx);
        /** plan wake count and time at the last plan read (-1: read at once) */
        let plansSeen = -1;
        let plansReadAt = 0;
        let joined = false;
        while (!signal?.aborted) {
          await stillSignedIn();
          let more = false;
          if (
            plans &&
            (plansSeen !== planWakeCount() || performance.now() - plansReadAt >= LIVE_POLL_MS)
          ) {
            plansSeen = planWakeCount();
            plansReadAt = performance.now();
            const planEvents = await eventsAfter(ctx.db, p, EVENT_BATCH);
            for (const { eventId, event } of planEvents) {
              p = eventId;
              yield tracked(`p${p}.i${i}`, { kind: 'plan', event } as LiveMessage);
            }
            // a full batch: the rest at once
            if (planEvents.length === EVENT_BATCH) plansSeen = -1;
          }
          const batch = hub ? await hub.after(i, joined) : null;
          // at the hub's head: from now on it is handed the shared batches
          if (!batch) joined = true;
          else {
            i = batch.last;
            more = true;
            yield tracked(`p${p}.i${i}`, {
              kind: 'incidents',
              events: batch.events,
            } as LiveMessage);
          }
          const plansDue = plans && plansSeen !== planWakeCount();
          if (!more && !plansDue && !hub?.isPast(i))
            await nextWake(
              plans ? LIVE_POLL_MS - (performance.now() - plansReadAt) : LIVE_POLL_MS,
              signal,
              hub ? { bus: hub.bus, event: 'batch' } : undefined,
            );
        }
      } finally {
        leave?.();
      }
    }),
});
