/**
 * Leaders' briefings: stored with an owner and a version. Every save names the version it was
 * made from; a stale one is a CONFLICT and changes nothing, so the newer save stands. Only the
 * owner or an admin changes or deletes a briefing; everyone allowed to read briefings reads all.
 * Slides arrive validated by their schema (server/briefingInputs.ts); the size of the whole,
 * which no field's schema sees, is checked here before anything is stored.
 */
import { BRIEFING_LIMITS } from '../../domain/briefing';
import type { SessionUser } from '../auth/session';
import type { Slide } from '../briefingInputs';
import type { Database, Queryable } from '../db/database';
import { BadInput, Conflict, Forbidden, NotFound } from '../errors';

export interface BriefingOwner {
  id: string;
  username: string;
  name: string;
}

export interface BriefingSummary {
  id: number;
  title: string;
  owner: BriefingOwner;
  version: number;
  slideCount: number;
  updatedAt: string;
  updatedBy: string;
}

export interface Briefing extends BriefingSummary {
  createdAt: string;
  slides: Slide[];
}

/** What the audit trail keeps of a briefing before and after a change (not its slides). */
export interface BriefingFigures {
  version: number;
  title: string;
  ownerId: string;
  slides: number;
  bytes: number;
}

export interface BriefingChange {
  id: number;
  before: BriefingFigures | null;
  after: BriefingFigures | null;
}

/** The most briefings listed, newest first. */
export const MAX_LISTED = 500;

const iso = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const SUMMARY = `b.id, b.title, b.version, jsonb_array_length(b.slides) AS "slideCount",
  ${iso('b.updated_at')} AS "updatedAt", b.updated_by AS "updatedBy",
  u.id AS "ownerId", coalesce(u.username, u.name) AS "ownerUsername", u.name AS "ownerName"`;

interface SummaryRow extends Omit<BriefingSummary, 'owner'> {
  ownerId: string;
  ownerUsername: string;
  ownerName: string;
}

const summaryOf = (r: SummaryRow): BriefingSummary => ({
  id: r.id,
  title: r.title,
  owner: { id: r.ownerId, username: r.ownerUsername, name: r.ownerName },
  version: r.version,
  slideCount: Number(r.slideCount),
  updatedAt: r.updatedAt,
  updatedBy: r.updatedBy,
});

/** jsonb comes back parsed from one driver and as text from another. */
const parsed = <T>(v: unknown): T => (typeof v === 'string' ? JSON.parse(v) : v) as T;

const notFound = (id: number) => new NotFound(`id: no briefing ${id}`);

/** Every briefing, newest change first (at most MAX_LISTED). */
export async function list(db: Queryable): Promise<BriefingSummary[]> {
  const rows = await db.query<SummaryRow>(
    `SELECT ${SUMMARY} FROM briefings b JOIN users u ON u.id = b.owner_id
     ORDER BY b.updated_at DESC, b.id DESC LIMIT ${MAX_LISTED}`,
  );
  return rows.map(summaryOf);
}

export async function get(db: Queryable, id: number): Promise<Briefing> {
  const [r] = await db.query<SummaryRow & { createdAt: string; slides: unknown }>(
    `SELECT ${SUMMARY}, ${iso('b.created_at')} AS "createdAt", b.slides
     FROM briefings b JOIN users u ON u.id = b.owner_id WHERE b.id = $1`,
    [id],
  );
  if (!r) throw notFound(id);
  return { ...summaryOf(r), createdAt: r.createdAt, slides: parsed<Slide[]>(r.slides) };
}

/** The slides as stored JSON, refused when the whole is over the size limit. */
function slidesJson(slides: Slide[]): string {
  const json = JSON.stringify(slides);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > BRIEFING_LIMITS.bytes)
    throw new BadInput(
      'slides',
      `the slides take ${bytes.toLocaleString('en-US')} bytes, at most ${BRIEFING_LIMITS.bytes.toLocaleString('en-US')}: use fewer or simpler drawings, or split the briefing`,
    );
  return json;
}

const FIGURES = `version, title, owner_id AS "ownerId", jsonb_array_length(slides) AS slides,
  octet_length(slides::text) AS bytes`;

async function figures(tx: Queryable, id: number, lock = false) {
  const [f] = await tx.query<BriefingFigures>(
    `SELECT ${FIGURES} FROM briefings WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return f ? { ...f, slides: Number(f.slides), bytes: Number(f.bytes) } : null;
}

/**
 * Locks the stored briefing and checks that the user may change it and saw its current
 * version: NOT_FOUND, FORBIDDEN (not the owner, not an admin) or CONFLICT otherwise.
 */
async function lockForChange(tx: Queryable, user: SessionUser, id: number, version: number) {
  const cur = await figures(tx, id, true);
  if (!cur) throw notFound(id);
  if (cur.ownerId !== user.id && user.role !== 'admin')
    throw new Forbidden(
      `id: briefing ${id} is another user's; only its owner or an admin may change or delete it`,
    );
  if (cur.version !== version)
    throw new Conflict(
      `version: the briefing was saved by someone else since (now version ${cur.version}, yours ${version})`,
    );
  return cur;
}

export async function create(
  db: Database,
  user: SessionUser,
  b: { title: string; slides: Slide[] },
): Promise<BriefingChange> {
  const json = slidesJson(b.slides);
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO briefings (title, owner_id, slides, updated_by) VALUES ($1, $2, $3::jsonb, $4)
       RETURNING id`,
      [b.title, user.id, json, user.username],
    );
    return { id: row!.id, before: null, after: await figures(tx, row!.id) };
  });
}

/** Saves a new title and/or slides if `version` is the stored one; nothing is stored otherwise. */
export async function update(
  db: Database,
  user: SessionUser,
  u: { id: number; version: number; title?: string; slides?: Slide[] },
): Promise<BriefingChange> {
  const json = u.slides ? slidesJson(u.slides) : null;
  return db.transaction(async (tx) => {
    const before = await lockForChange(tx, user, u.id, u.version);
    await tx.query(
      `UPDATE briefings SET title = coalesce($2, title), slides = coalesce($3::jsonb, slides),
         version = version + 1, updated_at = now(), updated_by = $4
       WHERE id = $1`,
      [u.id, u.title ?? null, json, user.username],
    );
    return { id: u.id, before, after: await figures(tx, u.id) };
  });
}

export async function remove(
  db: Database,
  user: SessionUser,
  v: { id: number; version: number },
): Promise<BriefingChange> {
  return db.transaction(async (tx) => {
    const before = await lockForChange(tx, user, v.id, v.version);
    await tx.query('DELETE FROM briefings WHERE id = $1', [v.id]);
    return { id: v.id, before, after: null };
  });
}
