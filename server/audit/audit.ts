/**
 * The audit trail: who did what to which object, when, from where and how it ended — append-only
 * and hash-chained in the database (see server/db/migrations/0007_audit.sql for the design). This module writes rows, lists
 * them, prunes them past the retention and verifies the chain independently of the database's
 * own hashing: `auditCanonical` below must stay identical to audit_hash() in migration 0007_audit.sql.
 */
import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../db/database';

export const AUDIT_OUTCOMES = ['ok', 'denied', 'failed', 'error'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** How long rows are kept by default, and the least the database accepts (six months). */
export const AUDIT_RETENTION_DAYS = 365;
export const AUDIT_MIN_RETENTION_DAYS = 180;
/** listAudit's page size: default and most. */
export const AUDIT_PAGE_DEFAULT = 100;
export const AUDIT_PAGE_MAX = 500;

/** The prev_hash of the first row ever written. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditEntry {
  /** null or absent for anonymous calls (e.g. a failed login) */
  userId?: string | null;
  username?: string | null;
  role?: string | null;
  /** dotted, lower-case first: 'auth.login', 'zones.update' */
  action: string;
  /** what was acted on, e.g. 'zone:12' */
  object?: string | null;
  outcome: AuditOutcome;
  /** the client's address */
  ip?: string | null;
  /** any JSON, e.g. { before, after } figures; stored as jsonb */
  detail?: unknown;
}

export interface AuditRow {
  id: number;
  /** UTC, ISO 8601 with microseconds: 2026-06-30T08:15:00.123456Z */
  at: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  action: string;
  object: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  detail: unknown;
  hash: string;
}

export interface AuditFilter {
  /** at or after this moment */
  from?: Date | string;
  /** before this moment */
  to?: Date | string;
  username?: string;
  /** an exact action, or a prefix ending in '*': 'zones.*' */
  action?: string;
  outcome?: AuditOutcome;
  /** 1…500, default 100 */
  limit?: number;
  /** the nextCursor of the previous page */
  cursor?: number;
}

export interface AuditPage {
  /** newest first */
  items: AuditRow[];
  /** pass as `cursor` for the next (older) page; null on the last page */
  nextCursor: number | null;
}

export interface AuditVerdict {
  ok: boolean;
  /** rows checked: all of them when ok, else up to and including the first bad one */
  rows: number;
  firstBad?: { id: number; reason: string };
  /** the chain's newest row and its hash: worth copying off the machine now and then */
  head: { id: number; hash: string };
  /** the newest pruned row and its hash (id 0 and 64 zeros before any pruning) */
  anchor: { id: number; hash: string };
}

/** The most bytes of JSON an audit row's detail keeps; a larger detail is summarised. */
export const AUDIT_DETAIL_MAX_BYTES = 4096;
/** A part of a large detail bigger than this is replaced by its summary. */
const PART_MAX_BYTES = 1024;
/** The characters kept of a long text in its summary. */
const TEXT_START = 200;
/** The longest user id, username, role, object and address kept. */
const FIELD_MAX: Record<'userId' | 'username' | 'role' | 'object' | 'ip', number> = {
  userId: 64,
  username: 64,
  role: 32,
  object: 200,
  ip: 64,
};

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Text a text column and jsonb can store: no NUL, no lone surrogate. */
function storable(s: string): string {
  return s.replace(
    /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

/** A copy of a JSON value with storable strings and keys (undefined: not JSON at all). */
function clean(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return storable(v);
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return v;
  if (depth > 32) return '(nested too deep)';
  if (Array.isArray(v)) return v.map((x) => clean(x, depth + 1) ?? null);
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const c = clean(x, depth + 1);
      if (c !== undefined) out[storable(k)] = c;
    }
    return out;
  }
  if (typeof v === 'bigint') return v.toString();
  return undefined;
}

/** What stands in for a value too large to keep: its size and SHA-256 (and a text's start). */
function summary(value: unknown, json: string) {
  return {
    $summary: {
      bytes: Buffer.byteLength(json, 'utf8'),
      sha256: sha256(json),
      ...(typeof value === 'string' ? { start: value.slice(0, TEXT_START) } : {}),
    },
  };
}

/**
 * A detail as an audit row keeps it, as JSON text of at most AUDIT_DETAIL_MAX_BYTES: whole when
 * small; else each large part of it replaced by its summary ({ $summary: { bytes, sha256 } },
 * with the start of a long text); else the whole of it summarised, with its top-level keys.
 * The SHA-256 is of the part's JSON, so that a copy kept elsewhere can be matched against it.
 */
export function boundedDetail(detail: unknown): string | null {
  if (detail === undefined || detail === null) return null;
  const value = clean(detail) ?? String(detail);
  const json = JSON.stringify(value);
  const max = AUDIT_DETAIL_MAX_BYTES;
  if (Buffer.byteLength(json, 'utf8') <= max) return json;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const parts: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const j = JSON.stringify(v);
      parts[k] = Buffer.byteLength(j, 'utf8') > PART_MAX_BYTES ? summary(v, j) : v;
    }
    const smaller = JSON.stringify(parts);
    if (Buffer.byteLength(smaller, 'utf8') <= max) return smaller;
  }
  const keys =
    value && typeof value === 'object' && !Array.isArray(value)
      ? {
          keys: Object.keys(value)
            .slice(0, 20)
            .map((k) => k.slice(0, 60)),
        }
      : {};
  return JSON.stringify({ ...summary(value, json), ...keys });
}

/** A short text field, storable and cut to its length. */
function bounded(v: string | null | undefined, field: keyof typeof FIELD_MAX): string | null {
  if (v === null || v === undefined) return null;
  const s = storable(String(v));
  return s.length > FIELD_MAX[field] ? `${s.slice(0, FIELD_MAX[field] - 1)}…` : s;
}

/**
 * Writes one audit row (the database sets its time and hashes it); returns its id. Whatever it
 * is given, the row stays small: text fields are cut to their lengths and a large detail is
 * summarised (boundedDetail).
 * Inside a transaction the row is only kept if the transaction commits, and every other writer
 * of the trail waits for that commit (the chain lock): record denials and failures outside the
 * transaction that failed, and keep transactions that record short.
 */
export async function recordAudit(db: Queryable, entry: AuditEntry): Promise<number> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO audit_log (user_id, username, role, action, object, outcome, ip, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb) RETURNING id::text AS id`,
    [
      bounded(entry.userId, 'userId'),
      bounded(entry.username, 'username'),
      bounded(entry.role, 'role'),
      entry.action,
      bounded(entry.object, 'object'),
      entry.outcome,
      bounded(entry.ip, 'ip'),
      boundedDetail(entry.detail),
    ],
  );
  return Number(row!.id);
}

/**
 * Whether audit rows can be written now: both tables there, insertable, and the chain head in
 * place. A missing table throws (42P01).
 */
export async function auditWritable(db: Queryable): Promise<boolean> {
  const [r] = await db.query<{ ok: boolean }>(
    `SELECT has_table_privilege('audit_log', 'INSERT')
        AND has_table_privilege('audit_chain', 'SELECT, UPDATE')
        AND EXISTS (SELECT 1 FROM audit_chain WHERE id = 1) AS ok`,
  );
  return r?.ok === true;
}

/** The timestamp format of the canonical text, in SQL (see 0007_audit.sql). */
const SQL_AT = `to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

interface RawRow {
  id: string;
  at: string;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  object: string | null;
  outcome: AuditOutcome;
  ip: string | null;
  detail: unknown;
  hash: string;
}

function toRow(r: RawRow): AuditRow {
  return {
    id: Number(r.id),
    at: r.at,
    userId: r.user_id,
    username: r.username,
    role: r.role,
    action: r.action,
    object: r.object,
    outcome: r.outcome,
    ip: r.ip,
    detail: r.detail,
    hash: r.hash,
  };
}

/** A Date as ISO text; a string as given (keeping its microseconds) once it parses. */
function toIso(t: Date | string, name: string): string {
  const ms = t instanceof Date ? t.getTime() : Date.parse(t);
  if (Number.isNaN(ms)) throw new RangeError(`${name} is not a valid time: ${String(t)}`);
  return t instanceof Date ? t.toISOString() : t;
}

/** Audit rows matching `filter`, newest first, one page at a time. */
export async function listAudit(db: Queryable, filter: AuditFilter = {}): Promise<AuditPage> {
  const limit = filter.limit ?? AUDIT_PAGE_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > AUDIT_PAGE_MAX)
    throw new RangeError(`limit must be a whole number from 1 to ${AUDIT_PAGE_MAX}, not ${limit}`);
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (cond: (p: string) => string, value: unknown) => {
    params.push(value);
    where.push(cond(`$${params.length}`));
  };
  if (filter.from !== undefined) add((p) => `at >= ${p}::timestamptz`, toIso(filter.from, 'from'));
  if (filter.to !== undefined) add((p) => `at < ${p}::timestamptz`, toIso(filter.to, 'to'));
  if (filter.username !== undefined) add((p) => `username = ${p}`, filter.username);
  if (filter.action !== undefined) {
    if (filter.action.endsWith('*')) {
      const prefix = filter.action.slice(0, -1).replace(/[\\%_]/g, (c) => `\\${c}`);
      add((p) => `action LIKE ${p}`, `${prefix}%`);
    } else add((p) => `action = ${p}`, filter.action);
  }
  if (filter.outcome !== undefined) add((p) => `outcome = ${p}`, filter.outcome);
  if (filter.cursor !== undefined) {
    if (!Number.isSafeInteger(filter.cursor) || filter.cursor < 1)
      throw new RangeError(`cursor must be a row id, not ${filter.cursor}`);
    add((p) => `id < ${p}::bigint`, filter.cursor);
  }
  params.push(limit + 1);
  // ORDER BY audit_log.id: a bare `id` would sort by the text alias (10 before 9)
  const rows = await db.query<RawRow>(
    `SELECT id::text AS id, ${SQL_AT} AS at, user_id, username, role, action, object, outcome,
            ip, detail, hash
       FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY audit_log.id DESC LIMIT $${params.length}`,
    params,
  );
  const items = rows.slice(0, limit).map(toRow);
  return {
    items,
    nextCursor: rows.length > limit ? items[items.length - 1]!.id : null,
  };
}

/**
 * Removes the rows older than `retentionDays` (at least 180) before `now` (default: the
 * database's clock; a later moment counts as now). The chain keeps verifying: the last removed
 * row's hash becomes its anchor. The prune itself is recorded as 'audit.prune'. Returns how many
 * rows were removed.
 */
export async function pruneAudit(
  db: Queryable,
  retentionDays: number = AUDIT_RETENTION_DAYS,
  now?: Date,
): Promise<number> {
  if (!Number.isInteger(retentionDays) || retentionDays < AUDIT_MIN_RETENTION_DAYS)
    throw new RangeError(
      `the audit retention must be a whole number of days, at least ${AUDIT_MIN_RETENTION_DAYS}, not ${retentionDays}`,
    );
  const [row] = await db.query<{ removed: string }>(
    'SELECT audit_prune($1::int, $2::timestamptz)::text AS removed',
    [retentionDays, now ? toIso(now, 'now') : null],
  );
  return Number(row!.removed);
}

// --- verification -------------------------------------------------------------------------------

/** One row's fields as the canonical text needs them (at and detail already in their forms). */
export interface CanonicalFields {
  id: number | string | bigint;
  /** as formatAuditTime gives it */
  at: string;
  userId: string | null;
  username: string | null;
  role: string | null;
  action: string;
  object: string | null;
  outcome: string;
  ip: string | null;
  /** jsonb's text form (detail::text), or null */
  detail: string | null;
}

/** Null as '-', anything else prefixed by its UTF-8 length: audit_field() in audit.sql. */
function field(v: string | null): string {
  return v === null ? '-' : `${Buffer.byteLength(v, 'utf8')}:${v}`;
}

/** The text a row's hash is taken of: audit_hash() in migration 0007_audit.sql. */
export function auditCanonical(prevHash: string, r: CanonicalFields): string {
  return [
    `pingan-audit-v1|${prevHash}`,
    field(String(r.id)),
    field(r.at),
    field(r.userId),
    field(r.username),
    field(r.role),
    field(r.action),
    field(r.object),
    field(r.outcome),
    field(r.ip),
    field(r.detail),
  ].join('|');
}

export function auditHash(prevHash: string, r: CanonicalFields): string {
  return createHash('sha256').update(auditCanonical(prevHash, r), 'utf8').digest('hex');
}

/** Microseconds since the epoch as the canonical UTC time, 2026-06-30T08:15:00.123456Z. */
export function formatAuditTime(epochMicros: bigint): string {
  const M = 1_000_000n;
  let seconds = epochMicros / M;
  let micros = epochMicros % M;
  if (micros < 0n) {
    micros += M;
    seconds -= 1n;
  }
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}.${micros.toString().padStart(6, '0')}Z`;
}

/** A row as the verifier reads it: times in epoch microseconds, ids as text. */
export interface ChainRow {
  id: string;
  at_us: string;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  object: string | null;
  outcome: string;
  ip: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

const VERIFY_BATCH = 2000;

/**
 * Recomputes the whole chain here, in TypeScript, from the anchor to the head: each row's
 * prev_hash must be the previous row's hash (the anchor for the first), each hash must match the
 * row's contents, and the last hash must be the recorded head. Reports the first row that fails.
 * On a server database it reads one snapshot (a repeatable-read transaction).
 */
export async function verifyAudit(db: Queryable | Database): Promise<AuditVerdict> {
  if ('transaction' in db && db.kind === 'server') {
    return db.transaction(async (tx) => {
      await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      return verifyChain(tx);
    });
  }
  return verifyChain(db);
}

async function readChain(db: Queryable) {
  const [chain] = await db.query<{
    head_id: string;
    head_hash: string;
    anchor_id: string;
    anchor_hash: string;
  }>(
    `SELECT head_id::text AS head_id, head_hash, anchor_id::text AS anchor_id, anchor_hash
       FROM audit_chain WHERE id = 1`,
  );
  if (!chain) throw new Error('the audit chain has no head row (audit_chain is empty)');
  return {
    head: { id: BigInt(chain.head_id), hash: chain.head_hash },
    anchor: { id: BigInt(chain.anchor_id), hash: chain.anchor_hash },
  };
}

async function verifyChain(db: Queryable): Promise<AuditVerdict> {
  // every row up to this head was committed before the scan starts: all of them must be found
  const { head, anchor } = await readChain(db);
  let rows = 0;
  let prev = anchor.hash;
  let lastId = anchor.id;
  const verdict = (bad?: { id: bigint; reason: string }): AuditVerdict => ({
    ok: !bad,
    rows,
    ...(bad ? { firstBad: { id: Number(bad.id), reason: bad.reason } } : {}),
    head: { id: Number(lastId), hash: prev },
    anchor: { id: Number(anchor.id), hash: anchor.hash },
  });

  let from = 0n; // from 0, not the anchor: rows left below the anchor are caught too
  for (;;) {
    const batch = await db.query<ChainRow>(
      `SELECT id::text AS id, (extract(epoch FROM at) * 1000000)::bigint::text AS at_us,
              user_id, username, role, action, object, outcome, ip, detail::text AS detail,
              prev_hash, hash
         FROM audit_log WHERE id > $1::bigint ORDER BY audit_log.id LIMIT $2`,
      [from.toString(), VERIFY_BATCH],
    );
    for (const r of batch) {
      rows++;
      const id = BigInt(r.id);
      from = id;
      if (id <= anchor.id)
        return verdict({
          id,
          reason: `the row is not newer than the chain's anchor (row ${anchor.id}): it should have been pruned`,
        });
      if (r.prev_hash !== prev)
        return verdict({
          id,
          reason:
            rows > 1
              ? 'its prev_hash is not the hash of the row before it: a row was removed or altered'
              : anchor.id
                ? `its prev_hash is not the hash of the last pruned row ${anchor.id}: older rows were removed or altered`
                : 'its prev_hash is not the start of the chain: older rows were removed or altered',
        });
      const expected = auditHash(r.prev_hash, {
        id: r.id,
        at: formatAuditTime(BigInt(r.at_us)),
        userId: r.user_id,
        username: r.username,
        role: r.role,
        action: r.action,
        object: r.object,
        outcome: r.outcome,
        ip: r.ip,
        detail: r.detail,
      });
      if (expected !== r.hash) return verdict({ id, reason: 'hash does not match its contents' });
      if (id === head.id && r.hash !== head.hash)
        return verdict({
          id,
          reason: 'its hash is not the one the chain head recorded: the chain was rewritten',
        });
      prev = r.hash;
      lastId = id;
    }
    if (batch.length < VERIFY_BATCH) break;
  }
  if (lastId < head.id)
    return verdict({
      id: head.id,
      reason: `the chain head is row ${head.id}, but the chain ends at row ${lastId}: the newest rows were removed`,
    });
  if (head.id === anchor.id && head.hash !== anchor.hash)
    return verdict({ id: head.id, reason: 'the chain head and its anchor disagree' });
  // rows past the head read first were appended meanwhile, or slipped in around the triggers:
  // the head now must have caught up with every row scanned
  const now = await readChain(db);
  if (now.head.id < lastId) {
    const [next] = await db.query<{ id: string }>(
      'SELECT min(id)::text AS id FROM audit_log WHERE id > $1::bigint',
      [now.head.id.toString()],
    );
    return verdict({
      id: BigInt(next?.id ?? lastId),
      reason: `the row follows the chain head (row ${now.head.id}): it was added around the triggers`,
    });
  }
  if (now.head.id === lastId && now.head.hash !== prev)
    return verdict({
      id: lastId,
      reason: 'its hash is not the one the chain head recorded: the chain was rewritten',
    });
  return verdict();
}
