/**
 * Anchors of the audit trail: the chain's head (row id and hash) and the number of rows ever
 * written, copied out of the database — to a file the operator keeps (one JSON object a line)
 * and to the log — at each `audit:verify` and, in the server, at start and every few minutes.
 *
 * The hash chain alone cannot show that its NEWEST rows were removed by someone able to move the
 * chain head back (a superuser with the triggers off): what is left is a valid, shorter chain.
 * An anchor taken before that names a row the chain must still hold, with the same hash (or, if
 * the retention has since pruned it, the prune anchor must carry it). `audit:verify` checks the
 * last anchor and fails if the chain no longer reaches it. Keep the file where the database's
 * superuser cannot rewrite it (another machine, a write-once share), or copy it off regularly.
 */
import { appendFileSync, mkdirSync, openSync, readSync, closeSync, fstatSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Queryable } from '../db/database';
import { loggableError } from '../db/errors';

export interface AuditAnchor {
  /** when it was taken, ISO 8601 UTC */
  at: string;
  /** the chain's newest row, and its hash */
  headId: number;
  headHash: string;
  /** rows ever written: those in the table plus those pruned */
  rows: number;
  /** the newest pruned row */
  anchorId: number;
}

export interface AnchorOptions {
  /** the JSON-lines file anchors are appended to */
  file: string;
  /** minutes between anchors while the server runs (default 15) */
  everyMinutes?: number;
}

/** The anchor file: AUDIT_ANCHOR_FILE, else audit-anchor.jsonl in the data directory. */
export function anchorFile(env: { DATA_DIR: string; AUDIT_ANCHOR_FILE?: string }): string {
  return path.resolve(env.AUDIT_ANCHOR_FILE ?? path.join(env.DATA_DIR, 'audit-anchor.jsonl'));
}

/** The chain's head as it is now. */
export async function currentAnchor(db: Queryable): Promise<AuditAnchor> {
  const [r] = await db.query<{
    head_id: string;
    head_hash: string;
    anchor_id: string;
    rows: string;
  }>(
    `SELECT c.head_id::text AS head_id, c.head_hash, c.anchor_id::text AS anchor_id,
            (c.pruned_rows + (SELECT count(*) FROM audit_log))::text AS rows
       FROM audit_chain c WHERE c.id = 1`,
  );
  if (!r) throw new Error('the audit chain has no head row (audit_chain is empty)');
  return {
    at: new Date().toISOString(),
    headId: Number(r.head_id),
    headHash: r.head_hash,
    rows: Number(r.rows),
    anchorId: Number(r.anchor_id),
  };
}

/** Appends an anchor to the file (made, with its folder, if missing; readable by its owner). */
export function appendAnchor(file: string, a: AuditAnchor): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(a)}\n`, { mode: 0o600 });
}

function isAnchor(v: unknown): v is AuditAnchor {
  const a = v as AuditAnchor;
  return (
    !!a &&
    Number.isSafeInteger(a.headId) &&
    typeof a.headHash === 'string' &&
    /^[0-9a-f]{64}$/.test(a.headHash) &&
    Number.isSafeInteger(a.rows)
  );
}

/** The last anchor in the file (read from its end), or null when there is none. */
export function lastAnchor(file: string): AuditAnchor | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const lines = buf.toString('utf8').split('\n').reverse();
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        const v = JSON.parse(line) as unknown;
        if (isAnchor(v)) return v;
      } catch {
        // a partial first line of the window, or a damaged one: look further back
      }
    }
    return null;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the chain still holds an earlier anchor: the row it names with the same hash (or, once
 * pruned, the prune anchor carrying it), the head not behind it, no fewer rows written since.
 * Returns the problem, or null.
 */
export async function anchorProblem(db: Queryable, a: AuditAnchor): Promise<string | null> {
  const now = await currentAnchor(db);
  const when = `the anchor of ${a.at}`;
  if (now.headId < a.headId)
    return `the chain head is row ${now.headId}, behind row ${a.headId} recorded by ${when}: the newest rows were removed`;
  if (now.rows < a.rows)
    return `${now.rows} rows were ever written by the chain's count, fewer than the ${a.rows} of ${when}: rows were removed`;
  if (a.headId === 0) return null;
  const [row] = await db.query<{ hash: string }>(
    'SELECT hash FROM audit_log WHERE id = $1::bigint',
    [String(a.headId)],
  );
  if (row)
    return row.hash === a.headHash
      ? null
      : `row ${a.headId} does not have the hash recorded by ${when}: the chain was rewritten`;
  if (now.anchorId > a.headId) return null; // pruned since, past the retention
  if (now.anchorId === a.headId) {
    const [c] = await db.query<{ anchor_hash: string }>(
      'SELECT anchor_hash FROM audit_chain WHERE id = 1',
    );
    return c?.anchor_hash === a.headHash
      ? null
      : `the pruned row ${a.headId} does not have the hash recorded by ${when}: the chain was rewritten`;
  }
  return `row ${a.headId}, the chain head recorded by ${when}, is gone: rows were removed`;
}

/**
 * In the server: checks the last anchor and writes a new one at start and every few minutes,
 * logging both. A failed check is logged as an error and no new anchor is written over it, so
 * that `audit:verify` keeps failing until someone looks.
 */
export function scheduleAuditAnchors(app: FastifyInstance, db: Queryable, o: AnchorOptions) {
  let running = false;
  const anchor = async () => {
    if (running) return;
    running = true;
    try {
      const last = lastAnchor(o.file);
      const problem = last ? await anchorProblem(db, last) : null;
      if (problem) {
        app.log.error({ auditAnchor: last, file: o.file }, `audit trail: ${problem}`);
        return;
      }
      const a = await currentAnchor(db);
      appendAnchor(o.file, a);
      app.log.info({ auditAnchor: a }, `audit trail head: row ${a.headId}, sha256 ${a.headHash}`);
    } catch (err) {
      app.log.error({ err: loggableError(err), file: o.file }, 'audit anchor not written');
    } finally {
      running = false;
    }
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    await anchor();
    timer = setInterval(() => void anchor(), (o.everyMinutes ?? 15) * 60_000);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });
}
