/**
 * `npm run audit:verify`: recomputes the audit trail's hash chain and says whether it is intact.
 * Opens the database the way the server does (DATABASE_URL, else the embedded one under DATA_DIR,
 * which the server must not be holding open at the time).
 * Then compares the chain with the last anchor in the anchor file (AUDIT_ANCHOR_FILE, default
 * DATA_DIR/audit-anchor.jsonl; see anchor.ts) — the newest rows removed and the head moved back
 * show there — and, when all is well, appends the head as the new anchor.
 * Exit status: 0 intact, 1 broken (a row altered or missing, the anchor no longer reached, no
 * audit trail at all), 2 could not check (no database, an error).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readEnv } from '../env';
import type { Database } from '../db/database';
import { embeddedDir, openDatabase } from '../db/open';
import { anchorFile, anchorProblem, appendAnchor, currentAnchor, lastAnchor } from './anchor';
import { verifyAudit } from './audit';

const log = (msg: string) => console.error(`[audit] ${msg}`);
const count = (n: number) => n.toLocaleString('en-US');

async function main(): Promise<number> {
  const env = readEnv();
  if (!env.DATABASE_URL && !existsSync(path.join(embeddedDir(env.DATA_DIR), 'PG_VERSION'))) {
    log(
      `there is no embedded database in ${embeddedDir(env.DATA_DIR)}: set DATA_DIR or DATABASE_URL`,
    );
    return 2;
  }
  let db: Database | undefined;
  try {
    db = await openDatabase(env, log);
    const [t] = await db.query<{ ok: boolean }>(
      `SELECT to_regclass('audit_log') IS NOT NULL AND to_regclass('audit_chain') IS NOT NULL AS ok`,
    );
    if (!t?.ok) {
      // a trail that was there and is gone is the worst break of all
      console.error(
        'audit trail BROKEN: this database has no audit trail (the audit_log or audit_chain table is missing)',
      );
      return 1;
    }
    const v = await verifyAudit(db);
    if (!v.ok) {
      console.error(`audit trail BROKEN at row ${v.firstBad!.id}: ${v.firstBad!.reason}`);
      return 1;
    }
    const file = anchorFile({ DATA_DIR: env.DATA_DIR, AUDIT_ANCHOR_FILE: env.AUDIT_ANCHOR_FILE });
    const last = lastAnchor(file);
    const problem = last ? await anchorProblem(db, last) : null;
    if (problem) {
      console.error(`audit trail BROKEN against its anchor in ${file}: ${problem}`);
      return 1;
    }
    const head = await currentAnchor(db);
    appendAnchor(file, head);
    console.log(
      `audit trail intact: ${count(v.rows)} rows` +
        (v.anchor.id ? ` (rows up to ${v.anchor.id} pruned)` : '') +
        `; head row ${v.head.id}, sha256 ${v.head.hash}` +
        (last ? `; it still holds the anchor of ${last.at} (row ${last.headId})` : '') +
        `; anchor written to ${file}`,
    );
    return 0;
  } finally {
    await db?.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    log(`could not verify the audit trail: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
