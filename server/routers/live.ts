/**
 * Live streams (SSE): saved plan changes, incidents as a feed changes them, and both in one
 * stream (a page opens one: browsers allow six HTTP/1.1 connections per origin, across tabs).
 * Each message carries its event id; a client that reconnects with `lastEventId` is sent what
 * it missed, in order, read from the tables (also after a server restart). Each read sends at
 * most EVENT_BATCH events of a kind, and the next is read only once they have been taken: a slow
 * client holds back its own stream only. The session is checked before every read and at least
 * every few seconds: when it ends (logout, disabled, timed out) the stream ends with
 * UNAUTHORIZED.
 */
import { tracked } from '@trpc/server';
import { z } from 'zod';
import { can, layerAllows } from '../../domain/policy';
import { Unauthorized } from '../errors';
import {
  EVENT_BATCH,
  incidentEventsAfter,
  incidentWakes,
  lastIncidentEventId,
  type IncidentEvent,
} from '../services/incidentEvents';
import {
  eventsAfter,
  lastEventId,
  nextWake,
  planWakeCount,
  type PlanEvent,
} from '../services/planEvents';
import { procedure, router, trpcError, type ContextInner } from '../trpc';
import type { SessionUser } from '../auth/session';

/** How often a stream looks at the tables and at its session when nothing wakes it. */
export const LIVE_POLL_MS = 5_000;

/** A combined stream's message: a plan change or an incident event. */
export type LiveMessage =
  { kind: 'plan'; event: PlanEvent } | { kind: 'incident'; event: IncidentEvent };

const eventId = z
  .string()
  .regex(/^\d{1,18}$/, 'must be an event id sent by this stream')
  .nullish();

/** The combined stream's event id: where it stands in both, e.g. "p12.i345". */
const combinedId = z
  .string()
  .regex(/^p\d{1,18}\.i\d{1,18}$/, 'must be an event id sent by this stream, such as p12.i345')
  .nullish();

/** Throws UNAUTHORIZED once the stream's session has ended. */
function sessionCheck(ctx: ContextInner & { user: SessionUser }) {
  return async () => {
    const u = ctx.recheckSession ? await ctx.recheckSession() : ctx.user;
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
   * incidents.get answers it (with its sourceId), a removed one by its id and sourceId.
   */
  incidents: procedure('incidents:read')
    .input(z.object({ lastEventId: eventId }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      let last = input?.lastEventId ? Number(input.lastEventId) : await lastIncidentEventId(ctx.db);
      const stillSignedIn = sessionCheck(ctx);
      const wakes = incidentWakes(ctx.db);
      while (!signal?.aborted) {
        await stillSignedIn();
        const seen = wakes.count;
        const events = await incidentEventsAfter(ctx.db, last);
        for (const { eventId, event } of events) {
          last = eventId;
          yield tracked(String(eventId), event);
        }
        // a full batch, or a wake-up while reading: there may be more at once
        if (events.length < EVENT_BATCH && wakes.count === seen)
          await nextWake(LIVE_POLL_MS, signal, { bus: wakes, event: 'incident' });
      }
    }),

  /**
   * Plan changes and incident events in one stream, `{ kind: 'plan' | 'incident', event }`,
   * each with the id of where the stream stands in both ("p<plan event>.i<incident event>").
   * A display limited to some layers is sent the kinds its layers carry (plan changes: zones or
   * posts; incidents: heat or points) and is refused the stream when it has none of them; a role
   * that may not read single incidents is sent plan changes only.
   */
  all: procedure('dashboard:read')
    .input(z.object({ lastEventId: combinedId }).optional())
    .subscription(async function* ({ ctx, input, signal }) {
      const layers = ctx.user.role === 'display' ? ctx.user.layers : null;
      const plans = layerAllows(layers, 'live.changes');
      const incidents =
        can(ctx.user.role, 'incidents:read') && layerAllows(layers, 'live.incidents');
      const resume = input?.lastEventId?.match(/^p(\d+)\.i(\d+)$/);
      let p = resume ? Number(resume[1]) : await lastEventId(ctx.db);
      let i = resume ? Number(resume[2]) : await lastIncidentEventId(ctx.db);
      const stillSignedIn = sessionCheck(ctx);
      const wakes = incidentWakes(ctx.db);
      while (!signal?.aborted) {
        await stillSignedIn();
        const seen = wakes.count;
        const seenPlans = planWakeCount();
        const planEvents = plans ? await eventsAfter(ctx.db, p, EVENT_BATCH) : [];
        for (const { eventId, event } of planEvents) {
          p = eventId;
          yield tracked(`p${p}.i${i}`, { kind: 'plan', event } as LiveMessage);
        }
        const incidentEvents = incidents ? await incidentEventsAfter(ctx.db, i) : [];
        for (const { eventId, event } of incidentEvents) {
          i = eventId;
          yield tracked(`p${p}.i${i}`, { kind: 'incident', event } as LiveMessage);
        }
        const full = planEvents.length === EVENT_BATCH || incidentEvents.length === EVENT_BATCH;
        if (!full && wakes.count === seen && planWakeCount() === seenPlans)
          await nextWake(LIVE_POLL_MS, signal, { bus: wakes, event: 'incident' });
      }
    }),
});
