/**
 * The incidents' monthly partitions (migration 0015): made ahead by the server, never on the
 * fly by the database. Every path that writes incidents ensures the partitions of the times it
 * writes first; start-up ensures the months around now. There is no DEFAULT partition: a row of a
 * month without its partition is refused by the database (never parked where a later partition
 * of its month could not be created without moving it).
 */
import type { Queryable } from './database';

const MONTH_MS = 31 * 86_400_000;
/** Months ensured at start-up around now: one back, three ahead. */
const BEHIND_MONTHS = 1;
const AHEAD_MONTHS = 3;

const toDate = (t: number | Date) => (t instanceof Date ? t : new Date(t));

/**
 * Creates the missing partitions of the months from `from` to `to` (epoch ms or dates, both
 * included, Asia/Shanghai months); returns how many were made. Existing partitions cost a
 * catalogue look-up each and take no lock. Outside a transaction, a new partition's lock on the
 * incidents is held for its creation only; inside one, until it ends (readers of the incidents
 * wait that long on the server database): call it before a long transaction where the times are
 * known beforehand.
 */
export async function ensureIncidentPartitions(
  q: Queryable,
  from: number | Date,
  to: number | Date,
): Promise<number> {
  const [row] = await q.query<{ made: number }>(
    'SELECT incident_partitions_ensure($1::timestamptz, $2::timestamptz) AS made',
    [toDate(from).toISOString(), toDate(to).toISOString()],
  );
  return Number(row?.made ?? 0);
}

/** The partitions of the months around `now`, ensured at start-up. */
export function ensureCurrentPartitions(q: Queryable, now: number = Date.now()) {
  return ensureIncidentPartitions(q, now - BEHIND_MONTHS * MONTH_MS, now + AHEAD_MONTHS * MONTH_MS);
}
