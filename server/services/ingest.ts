/**
 * Incidents from a feed (a 110 dispatch system), keyed by (source, sourceId): the incidents
 * table's upsert of the dataset contract. A batch of records is checked record by record
 * (validate.ts `checkIncidentRecord`): a bad record is answered `rejected` with its field and
 * reason and never blocks the others. The accepted records are applied in ONE transaction,
 * together with an `incident_events` row for each incident created, updated or removed, so that
 * a failure mid-batch leaves none of it and the sender may simply send the batch again.
 *
 * The same sourceId again is the same call: its record replaces the stored one (a new status, a
 * corrected position or category); a record equal to what is stored changes nothing
 * (`unchanged`, no event), so a replayed batch changes nothing at all.
 *
 * Cancellation (`status: 'cancelled'`) deletes the incident, so that no count, heat or ranking
 * can ever include it, and keeps the call in `incident_cancellations`: the cancellation sent
 * again, or any later record of that call, is `unchanged` (a cancelled call is not reopened; a
 * source re-registering it sends a new sourceId).
 *
 * A status only moves forward (open → dispatched → on_scene → closed). A record whose status
 * lies behind the stored one (an 'open' arriving after 'closed') is a late record: it was sent
 * before the one stored, so all of it, not only its status, is older than what is stored, and it
 * changes nothing (`unchanged`, with field 'status' and the reason). A record with the stored
 * status or a later one replaces the stored record, as a correction.
 *
 * A position outside the district is stored, flagged `outside` and left out of the district's
 * counts (services/incidents.ts `incidentWindow`); its answer says so.
 */
import { readFileSync } from 'node:fs';
import type { Database, Queryable } from '../db/database';
import {
  DEFAULT_CATEGORY_LABELS,
  statusRank,
  type IngestAnswer,
  type IngestResult,
} from '../../domain/ingest';
import {
  INCIDENT_CATEGORIES,
  INCIDENT_STATUSES,
  type IncidentCategory,
  type IncidentStatus,
} from '../../domain/vocabulary';
import { ensureIncidentPartitions } from '../db/partitions';
import { dataSpan, invalidateDataStatus } from '../dataset/status';
import { SNAP_TOLERANCE_DEG } from '../dataset/store';
import { checkIncidentRecord, DatasetError, type IncidentRecord } from '../dataset/validate';
import { incidentsChanged, recordIncidentEvents, type IncidentAction } from './incidentEvents';
import { bumpDataVersion, bumpTodaysIncidents, startOfToday } from './dataVersions';

/** Category codes and labels to category codes: the codes, the default labels, then `extra`. */
export function categoryTable(
  extra: Readonly<Record<string, string>> = {},
): ReadonlyMap<string, IncidentCategory> {
  const table = new Map<string, IncidentCategory>(INCIDENT_CATEGORIES.map((c) => [c, c]));
  for (const [label, code] of Object.entries({ ...DEFAULT_CATEGORY_LABELS, ...extra })) {
    if (!(INCIDENT_CATEGORIES as readonly string[]).includes(code))
      throw new Error(
        `category label "${label}" maps to "${code}", which is not one of ${INCIDENT_CATEGORIES.join(', ')}`,
      );
    table.set(label, code as IncidentCategory);
  }
  return table;
}

/** The category table with the labels of a JSON file ({ "label": "code", … }; INGEST_CATEGORY_MAP). */
export function loadCategoryTable(file: string | undefined): ReadonlyMap<string, IncidentCategory> {
  if (!file) return categoryTable();
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(
      `INGEST_CATEGORY_MAP ${file}: not a readable JSON file (${err instanceof Error ? err.message : String(err)})`,
      { cause: err },
    );
  }
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new Error(`INGEST_CATEGORY_MAP ${file}: must be a JSON object of label: category code`);
  try {
    return categoryTable(json as Record<string, string>);
  } catch (err) {
    throw new Error(`INGEST_CATEGORY_MAP ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** An incident as a feed's record sets it, with where its position lies. */
interface Row {
  time: number;
  category: string;
  subcategory: string;
  status: string;
  lon: number;
  lat: number;
  address: string | null;
  linkedSourceId: string | null;
  communityId: number | null;
  outside: boolean;
}

const FIELDS: (keyof Row)[] = [
  'time',
  'category',
  'subcategory',
  'status',
  'lon',
  'lat',
  'address',
  'linkedSourceId',
  'communityId',
  'outside',
];
const same = (a: Row, b: Row) => FIELDS.every((f) => a[f] === b[f]);

/** A call of the batch: what is stored now, and what the batch leaves. */
interface Call {
  id: number | null;
  stored: Row | null;
  row: Row | null;
  cancelled: boolean;
  /** was cancelled before this batch */
  cancelledBefore: boolean;
}

/** Where each position lies: its community and whether within the district. */
async function place(tx: Queryable, records: IncidentRecord[]) {
  const [district] = await tx.query(`SELECT 1 FROM district LIMIT 1`);
  if (!district && records.length)
    throw new DatasetError('incidents', null, 'no district is stored: store the district first');
  const rows = await tx.query<{ n: number; community: number | null; inside: boolean }>(
    `SELECT u.n::int AS n,
            (SELECT c.id FROM communities c WHERE ST_Intersects(c.geom, p.g) ORDER BY c.id LIMIT 1) AS community,
            (SELECT ST_DWithin(d.geom, p.g, ${SNAP_TOLERANCE_DEG}) FROM district d LIMIT 1) AS inside
     FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS u(x, y, n),
          LATERAL (SELECT ST_SetSRID(ST_MakePoint(u.x, u.y), 4326) AS g) p`,
    [records.map((r) => r.lon), records.map((r) => r.lat)],
  );
  const out = new Array<{ communityId: number | null; outside: boolean }>(records.length);
  for (const r of rows) {
    const inside = Boolean(r.inside);
    out[r.n - 1] = { communityId: inside ? (r.community ?? null) : null, outside: !inside };
  }
  return out;
}

/** The calls of `sourceIds` as stored, and those cancelled. */
async function storedCalls(tx: Queryable, source: string, sourceIds: string[]) {
  const calls = new Map<string, Call>();
  // by the calls' keys (incident_keys: unique per source), each to its incident's partition
  const rows = await tx.query<Row & { id: number; sourceId: string }>(
    `SELECT i.id, k.source_id AS "sourceId", round(extract(epoch FROM i.time) * 1000)::float8 AS time,
            i.category, i.subcategory, i.status, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat, i.address,
            i.linked_source_id AS "linkedSourceId", i.community_id AS "communityId", i.outside
     FROM incident_keys k JOIN incidents i ON i.id = k.incident_id AND i.time = k.time
     WHERE k.source = $1 AND k.source_id = ANY($2::text[]) FOR UPDATE`,
    [source, sourceIds],
  );
  for (const { id, sourceId, ...stored } of rows)
    calls.set(sourceId, { id, stored, row: stored, cancelled: false, cancelledBefore: false });
  const cancelled = await tx.query<{ source_id: string; incident_id: number | null }>(
    `SELECT source_id, incident_id FROM incident_cancellations
     WHERE source = $1 AND source_id = ANY($2::text[])`,
    [source, sourceIds],
  );
  for (const c of cancelled)
    calls.set(c.source_id, {
      id: c.incident_id,
      stored: null,
      row: null,
      cancelled: true,
      cancelledBefore: true,
    });
  return calls;
}

/** Writes the batch's net changes and their events; returns the new incidents' ids. */
async function write(tx: Queryable, source: string, calls: Map<string, Call>) {
  const inserts: [string, Row][] = [];
  const updates: [string, number, Row][] = [];
  const removed: number[] = [];
  const cancellations: [string, number | null][] = [];
  for (const [sourceId, c] of calls) {
    if (c.cancelled && !c.cancelledBefore) {
      cancellations.push([sourceId, c.stored ? c.id : null]);
      if (c.stored) removed.push(c.id!);
    } else if (c.row && !c.stored) inserts.push([sourceId, c.row]);
    else if (c.row && c.stored && !same(c.row, c.stored)) updates.push([sourceId, c.id!, c.row]);
  }
  const columns = (rows: Row[]) => [
    rows.map((r) => new Date(r.time).toISOString()),
    rows.map((r) => r.category),
    rows.map((r) => r.subcategory),
    rows.map((r) => r.status),
    rows.map((r) => r.communityId ?? 0),
    rows.map((r) => r.lon),
    rows.map((r) => r.lat),
    rows.map((r) => r.address ?? ''),
    rows.map((r) => r.linkedSourceId ?? ''),
    rows.map((r) => r.outside),
  ];
  const UNNEST = `unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::float8[],
                        $7::float8[], $8::text[], $9::text[], $10::bool[], $11::text[])
                  AS u(t, c, s, st, cm, x, y, a, l, o, k)`;
  const created = new Map<string, number>();
  const events: [number, IncidentAction][] = [];
  if (inserts.length) {
    // the incidents and their keys in one statement (a key left by an incident removed
    // otherwise than by a cancellation points to the new one)
    const rows = await tx.query<{ id: number; source_id: string }>(
      `WITH i AS (
         INSERT INTO incidents (time, category, subcategory, status, community_id, geom,
                                address, linked_source_id, outside, source, source_id)
         SELECT u.t::timestamptz, u.c, u.s, u.st, nullif(u.cm, 0), ST_SetSRID(ST_MakePoint(u.x, u.y), 4326),
                nullif(u.a, ''), nullif(u.l, ''), u.o, $12, u.k
         FROM ${UNNEST}
         RETURNING id, source_id, time),
       k AS (
         INSERT INTO incident_keys (source, source_id, incident_id, time)
         SELECT $12, source_id, id, time FROM i
         ON CONFLICT (source, source_id) DO UPDATE
           SET incident_id = EXCLUDED.incident_id, time = EXCLUDED.time)
       SELECT id, source_id FROM i`,
      [...columns(inserts.map(([, r]) => r)), inserts.map(([k]) => k), source],
    );
    for (const r of rows) created.set(r.source_id, r.id);
    for (const [k] of inserts) events.push([created.get(k)!, 'created']);
  }
  if (updates.length) {
    // a new time in another month moves the row to that month's partition (the same id), and
    // its key follows it
    await tx.query(
      `WITH i AS (
         UPDATE incidents i
         SET time = u.t::timestamptz, category = u.c, subcategory = u.s, status = u.st,
             community_id = nullif(u.cm, 0), geom = ST_SetSRID(ST_MakePoint(u.x, u.y), 4326),
             address = nullif(u.a, ''), linked_source_id = nullif(u.l, ''), outside = u.o
         FROM ${UNNEST}
         WHERE i.id = u.k::int
         RETURNING i.id, i.time)
       UPDATE incident_keys k SET time = i.time FROM i
       WHERE k.source = $12 AND k.incident_id = i.id AND k.source_id = ANY($13::text[])`,
      [
        ...columns(updates.map(([, , r]) => r)),
        updates.map(([, id]) => String(id)),
        source,
        updates.map(([k]) => k),
      ],
    );
    for (const [, id] of updates) events.push([id, 'updated']);
  }
  if (removed.length) {
    await tx.query(`DELETE FROM incidents WHERE id = ANY($1::int[])`, [removed]);
    await tx.query(`DELETE FROM incident_keys WHERE source = $1 AND source_id = ANY($2::text[])`, [
      source,
      cancellations.map(([k]) => k),
    ]);
    for (const id of removed) events.push([id, 'removed']);
  }
  if (cancellations.length)
    await tx.query(
      `INSERT INTO incident_cancellations (source, source_id, incident_id)
       SELECT $1, u.k, nullif(u.id, 0) FROM unnest($2::text[], $3::int[]) AS u(k, id)
       ON CONFLICT DO NOTHING`,
      [source, cancellations.map(([k]) => k), cancellations.map(([, id]) => id ?? 0)],
    );
  await recordIncidentEvents(tx, events);
  // the earliest time written, as stored before and as now: a feed's calls of today leave the
  // history of the incidents as it was (services/dataVersions.ts)
  const times = [
    ...inserts.map(([, r]) => r.time),
    ...updates.flatMap(([k, , r]) => [r.time, calls.get(k)!.stored!.time]),
    ...cancellations.flatMap(([k]) => {
      const stored = calls.get(k)!.stored;
      return stored ? [stored.time] : [];
    }),
  ];
  if (events.length)
    await (times.some((t) => t < startOfToday())
      ? bumpDataVersion(tx, 'incidents')
      : bumpTodaysIncidents(tx));
  return { created, changed: events.length };
}

const OUTSIDE_NOTE = 'lies outside the district: stored, flagged, and counted apart';

/** Why a late record (its status behind the stored one) changed nothing. */
const lateNote = (sent: string, stored: string) =>
  `"${sent}" is behind the stored "${stored}" (a status only moves forward: ${INCIDENT_STATUSES.join(' → ')}): a late record, older than the stored one, changes nothing`;

/**
 * Applies a feed's batch of records from `source` (its integration account's username) and
 * answers each record's outcome, in the order sent, with counts.
 */
export async function ingestIncidents(
  db: Database,
  source: string,
  records: readonly unknown[],
  opts: { categories: ReadonlyMap<string, IncidentCategory>; now: number },
): Promise<IngestAnswer> {
  const span = await dataSpan(db);
  const rules = {
    categories: opts.categories,
    now: opts.now,
    spanStart: span.start ? Date.parse(span.start) : null,
  };
  const results: IngestResult[] = [];
  const accepted: { i: number; record: IncidentRecord }[] = [];
  records.forEach((raw, i) => {
    const checked = checkIncidentRecord(raw, rules);
    if ('record' in checked) {
      accepted.push({ i, record: checked.record });
      results.push({ sourceId: checked.record.sourceId, outcome: 'unchanged' });
    } else {
      const id = (raw as { sourceId?: unknown } | null)?.sourceId;
      results.push({
        sourceId: typeof id === 'string' ? id : null,
        outcome: 'rejected',
        field: checked.field,
        reason: checked.reason,
      });
    }
  });

  if (accepted.length) {
    // the months written, before the transaction: a new month's partition locks the incidents
    // for its creation only
    let [first, last] = [Infinity, -Infinity];
    for (const { record } of accepted)
      [first, last] = [Math.min(first, record.time), Math.max(last, record.time)];
    await ensureIncidentPartitions(db, first, last);
    const written = await db.transaction(async (tx) => {
      // one batch of a source at a time: two batches carrying a new call cannot both create it
      await tx.query(`SELECT pg_advisory_xact_lock(hashtext('ingest:' || $1))`, [source]);
      const places = await place(
        tx,
        accepted.map((a) => a.record),
      );
      const calls = await storedCalls(tx, source, [
        ...new Set(accepted.map((a) => a.record.sourceId)),
      ]);
      accepted.forEach(({ i, record }, n) => {
        const result = results[i]!;
        let call = calls.get(record.sourceId);
        if (!call) {
          call = { id: null, stored: null, row: null, cancelled: false, cancelledBefore: false };
          calls.set(record.sourceId, call);
        }
        if (call.cancelled) {
          result.reason = 'the call was cancelled: a later record of it changes nothing';
          return;
        }
        if (record.status === 'cancelled') {
          result.outcome = call.row ? 'updated' : 'unchanged';
          result.reason = call.row
            ? 'cancelled: the incident is removed from every count'
            : 'cancelled before any record of the call was stored';
          call.row = null;
          call.cancelled = true;
          return;
        }
        if (call.row && statusRank(record.status) < statusRank(call.row.status as IncidentStatus)) {
          result.field = 'status';
          result.reason = lateNote(record.status, call.row.status);
          return;
        }
        const row: Row = { ...record, ...places[n]! };
        result.outcome = !call.row ? 'created' : same(call.row, row) ? 'unchanged' : 'updated';
        call.row = row;
        if (row.outside) {
          result.field = 'position';
          result.reason = OUTSIDE_NOTE;
        }
      });
      const w = await write(tx, source, calls);
      // the ids of the calls' incidents, new or stored
      accepted.forEach(({ i, record }) => {
        const id = w.created.get(record.sourceId) ?? calls.get(record.sourceId)?.id ?? null;
        if (id !== null && results[i]!.outcome !== 'rejected') results[i]!.id = id;
      });
      return w.changed;
    });
    if (written) {
      invalidateDataStatus(db);
      incidentsChanged(db);
    }
  }

  const counts: IngestAnswer['counts'] = {
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    outside: 0,
  };
  for (const r of results) {
    counts[r.outcome]++;
    if (r.reason === OUTSIDE_NOTE) counts.outside++;
  }
  return { results, counts };
}
