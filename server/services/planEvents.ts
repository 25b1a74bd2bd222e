/**
 * Live updates of the patrol plan. Every saved change is a plan_history row (migration 0008),
 * whose id is the event id: a client that reconnects with the last id it saw is sent what it
 * missed. Within one server the edit services wake the streams at once; streams also look at
 * the table every few seconds, for changes made through another server instance.
 * Sessions that end (logout, a disabled user) wake the streams too, which then check their own
 * session and close.
 */
import { EventEmitter } from 'node:events';
import type { Queryable } from '../db/database';

const bus = new EventEmitter();
bus.setMaxListeners(0);

let planWakes = 0;

/** Called after a plan change has been committed. */
export function planChanged() {
  planWakes++;
  bus.emit('plan');
}

/**
 * How many plan changes have been announced so far: a stream notes it before reading, and does
 * not wait when it moved meanwhile (a change committed during the read would otherwise wait
 * for the next poll).
 */
export const planWakeCount = () => planWakes;

let sessionEnds = 0;

/** Called when sessions have been ended (logout, logout everywhere, a user disabled). */
export function sessionsEnded() {
  sessionEnds++;
  bus.emit('session');
}

/** How many times sessions have been ended: a stream rechecks its own when it moved. */
export const sessionEndCount = () => sessionEnds;

export interface PlanEvent {
  kind: 'zone' | 'post';
  action: 'create' | 'update' | 'delete' | 'restore';
  id: number;
  version: number;
  by: string;
  at: string;
}

/** The changes after event `after`, oldest first (at most `limit`). */
export async function eventsAfter(db: Queryable, after: number, limit = 200) {
  const rows = await db.query<PlanEvent & { eventId: string }>(
    `SELECT id AS "eventId", kind, action, object_id AS id, version, by,
       to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at
     FROM plan_history WHERE id > $1 ORDER BY id LIMIT $2`,
    [after, limit],
  );
  return rows.map(({ eventId, ...e }) => ({ eventId: Number(eventId), event: e }));
}

/** The newest event id (a new stream starts after it). */
export async function lastEventId(db: Queryable) {
  const [r] = await db.query<{ id: string | null }>('SELECT max(id) AS id FROM plan_history');
  return Number(r?.id ?? 0);
}

/**
 * Resolves when something happened that a stream should look at (a plan change or an ended
 * session, or an `event` of `also`), after `ms` at the latest, or at once when `signal` aborts.
 */
export function nextWake(
  ms: number,
  signal?: AbortSignal,
  also?: { bus: EventEmitter; event: string },
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      bus.off('plan', done);
      bus.off('session', done);
      also?.bus.off(also.event, done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    bus.on('plan', done);
    bus.on('session', done);
    also?.bus.on(also.event, done);
    signal?.addEventListener('abort', done);
  });
}
