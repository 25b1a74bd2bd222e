/**
 * `npm run audit:verify`: recomputes the audit trail's hash chain and says whether it is intact.
 * Opens the database the way the server does (DATABASE_URL, else the embedded one under DATA_DIR,
 * which the server must not be holding open at the time).
 * Exit status: 0 intact, 1 broken, 2 could not check (no database, no audit trail, an error).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readEnv } from '../env';
import type { Database } from '../db/database';
import { embeddedDir, openDatabase } from '../db/open';
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
      log('this database has no audit trail (no audit_log table): migrate it first');
      return 2;
    }
    const v = await verifyAudit(db);
    if (v.ok) {
      console.log(
        `audit trail intact: ${count(v.rows)} rows` +
          (v.anchor.id ? ` (rows up to ${v.anchor.id} pruned)` : '') +
          `; head row ${v.head.id}, sha256 ${v.head.hash}`,
      );
      return 0;
    }
    console.error(`audit trail BROKEN at row ${v.firstBad!.id}: ${v.firstBad!.reason}`);
    return 1;
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
