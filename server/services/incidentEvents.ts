/**
 * Live updates of the incidents. Every incident a feed creates, updates or removes writes an
 * `incident_events` row in the same transaction (services/ingest.ts); its id is the event id a
 * reconnecting client resumes from, and the table is the truth: what streams are sent is read
 * from it (once per wake-up for all the streams of a process: services/incidentHub.ts, which
 * keeps only the last few batches it read).
 *
 * Event ids are handed out in commit order: the writer takes a transaction lock before it draws
 * ids and holds it to its commit, so a reader that has seen id 11 can never be passed by a 10
 * committed later (as plan_history does, migration 0008).
 *
 * Wake-ups: within one process the writer wakes the streams of its database at once after the
 * commit; across processes sharing one PostgreSQL server a NOTIFY sent inside the writing
 * transaction (delivered at commit, carrying only the last event id) wakes every process's
 * streams through its one LISTEN connection (Database.listen). The table is also read every few
 * seconds while streams are open, whatever happens.
 */
import { EventEmitter } from 'node:events';
import type { Database, Queryable } from '../db/database';
import { DETAIL_COLUMNS, type IncidentDetail } from './incidents';

export type IncidentAction = 'created' | 'updated' | 'removed';

/** The NOTIFY channel of incident events. */
export const INCIDENT_CHANNEL = 'pingan_incident_events';

/** The advisory lock that orders the writers of incident events (plan_history's is 72630008). */
const EVENTS_LOCK = 72630010;

/** The most events one read of a stream sends: a slow client holds no more than this. */
export const EVENT_BATCH = 200;

/**
 * Writes the events of one transaction, in order, under the ordering lock, and a NOTIFY that is
 * delivered when it commits. Call `incidentsChanged` once the transaction has committed.
 */
export async function recordIncidentEvents(tx: Queryable, events: [number, IncidentAction][]) {
  if (!events.length) return;
  await tx.query(`SELECT pg_advisory_xact_lock(${EVENTS_LOCK})`);
  const [last] = await tx.query<{ id: string }>(
    `WITH e AS (
       INSERT INTO incident_events (incident_id, action)
       SELECT u.id, u.a FROM unnest($1::int[], $2::text[]) WITH ORDINALITY AS u(id, a, n) ORDER BY u.n
       RETURNING id)
     SELECT max(id)::text AS id FROM e`,
    [events.map(([id]) => id), events.map(([, a]) => a)],
  );
  await tx.query(`SELECT pg_notify($1, $2)`, [INCIDENT_CHANNEL, last?.id ?? '']);
}

/** The wake-ups of one database's incident streams. */
class Wakes extends EventEmitter {
  /** how many wake-ups there have been: a stream that saw it change while it read reads again */
  count = 0;
  wake() {
    this.count++;
    this.emit('incident');
  }
}

const wakes = new WeakMap<Database, Wakes>();

/** The wake-ups of `db`'s streams (listening to other processes' NOTIFY where there are any). */
export function incidentWakes(db: Database): Wakes {
  let w = wakes.get(db);
  if (!w) {
    const created = new Wakes();
    created.setMaxListeners(0);
    wakes.set(db, created);
    db.listen?.(INCIDENT_CHANNEL, () => created.wake());
    w = created;
  }
  return w;
}

/** Called after a transaction that wrote incident events has committed. */
export function incidentsChanged(db: Database) {
  incidentWakes(db).wake();
}

/** A created or updated incident, as incidents.get answers it (null: removed since). */
export interface IncidentChange {
  action: 'created' | 'updated';
  id: number;
  sourceId: string | null;
  at: string;
  incident: IncidentDetail | null;
}

/** A removed (cancelled) incident: only its ids. */
export interface IncidentRemoval {
  action: 'removed';
  id: number;
  sourceId: string | null;
  at: string;
}

export type IncidentEvent = IncidentChange | IncidentRemoval;

/** An incident event with its id (where a client that has it resumes from). */
export interface NumberedIncidentEvent {
  eventId: number;
  event: IncidentEvent;
}

/**
 * The events after event `after` (and up to `upTo` when given), oldest first, at most `limit`.
 * A created or updated incident is sent as it is now: a client catching up on several events of
 * one incident gets its latest state each time, and `incident: null` for one removed since (its
 * removal follows).
 */
export async function incidentEventsAfter(
  db: Queryable,
  after: number,
  limit = EVENT_BATCH,
  upTo = Number.MAX_SAFE_INTEGER,
): Promise<NumberedIncidentEvent[]> {
  const rows = await db.query<
    {
      eventId: string;
      action: IncidentAction;
      incidentId: number;
      at: string;
      cancelledSourceId: string | null;
      found: boolean;
    } & IncidentDetail
  >(
    `SELECT e.id AS "eventId", e.action, e.incident_id AS "incidentId",
       to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
       x.source_id AS "cancelledSourceId", i.id IS NOT NULL AS found, ${DETAIL_COLUMNS}
     FROM (SELECT * FROM incident_events WHERE id > $1 AND id <= $3 ORDER BY id LIMIT $2) e
     LEFT JOIN incidents i ON i.id = e.incident_id
     LEFT JOIN communities c ON c.id = i.community_id
     LEFT JOIN LATERAL (SELECT source_id FROM incident_cancellations
                        WHERE incident_id = e.incident_id LIMIT 1) x ON i.id IS NULL
     ORDER BY e.id`,
    [after, limit, upTo],
  );
  return rows.map(({ eventId, action, incidentId, at, cancelledSourceId, found, ...item }) => {
    const sourceId = found ? item.sourceId : cancelledSourceId;
    const event: IncidentEvent =
      action === 'removed'
        ? { action, id: incidentId, sourceId, at }
        : { action, id: incidentId, sourceId, at, incident: found ? item : null };
    return { eventId: Number(eventId), event };
  });
}

/** The newest incident event id (a new stream starts after it). */
export async function lastIncidentEventId(db: Queryable) {
  const [r] = await db.query<{ id: string | null }>('SELECT max(id) AS id FROM incident_events');
  return Number(r?.id ?? 0);
}
