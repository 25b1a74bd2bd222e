/**
 * The command-line tools against a server database: `npm run audit:verify` (exit 0 on an intact
 * trail, 1 on a broken one, on one cut back behind its last anchor, or on a missing trail) and
 * `npm run user:add` (an account that can sign in; weak passwords refused), `npm run data:export`
 * (a layer's file, audited).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordAudit } from '../../server/audit/audit';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let t: TestDatabase;
let dir: string;
let anchors: string;
beforeAll(async () => {
  t = await openTestDatabase();
  dir = mkdtempSync(path.join(os.tmpdir(), 'pingan-cli-'));
  anchors = path.join(dir, 'anchors', 'audit-anchor.jsonl');
});
afterAll(async () => {
  await t?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const run = (
  url: string,
  script = 'server/audit/verify.ts',
  args: string[] = [],
  env: Record<string, string> = { AUDIT_ANCHOR_FILE: anchors },
) =>
  new Promise<{ code: number; out: string }>((resolve) => {
    execFile(
      `${ROOT}/node_modules/.bin/tsx`,
      [script, ...args],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: url, ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number(err.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });

it('exits 0 on an intact trail and 1 on a broken one, naming the row', async () => {
  for (const action of ['auth.login', 'zones.update', 'auth.logout'])
    await recordAudit(t.db, { action, outcome: 'ok', username: 'planner' });
  const intact = await run(t.url!);
  expect(intact.out).toMatch(/audit trail intact: [\d,]+ rows/);
  expect(intact.code).toBe(0);

  const [{ id }] = (await t.db.query<{ id: number }>(
    `SELECT id::int FROM audit_log WHERE action = 'zones.update' ORDER BY id DESC LIMIT 1`,
  )) as [{ id: number }];
  // an edit made behind the application's back, triggers off
  await t.db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await tx.query(`UPDATE audit_log SET object = 'zone:13' WHERE id = $1`, [id]);
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
  });
  const broken = await run(t.url!);
  expect(broken.out).toContain(`audit trail BROKEN at row ${id}: hash does not match its contents`);
  expect(broken.code).toBe(1);
  // put back as it was: intact again
  await t.db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await tx.query(`UPDATE audit_log SET object = NULL WHERE id = $1`, [id]);
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
  });
  expect((await run(t.url!)).code).toBe(0);
});

it('writes an anchor at each verification and exits 1 once the newest rows are cut off', async () => {
  const first = await run(t.url!);
  expect(first.code).toBe(0);
  const keep = await recordAudit(t.db, { action: 'zones.create', outcome: 'ok' });
  const [kept] = await t.db.query<{ hash: string }>('SELECT hash FROM audit_log WHERE id = $1', [
    keep,
  ]);
  for (const action of ['zones.update', 'zones.delete'])
    await recordAudit(t.db, { action, outcome: 'ok', username: 'planner' });
  const second = await run(t.url!);
  expect(second.code).toBe(0);
  expect(second.out).toMatch(/it still holds the anchor of .* \(row \d+\)/);
  const lines = readFileSync(anchors, 'utf8').trim().split('\n');
  const last = JSON.parse(lines[lines.length - 1]!) as { headId: number; headHash: string };
  expect(last.headId).toBeGreaterThan(keep);

  // a superuser removes the newest rows and moves the chain head back: the chain itself is fine
  await t.db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    await tx.query('ALTER TABLE audit_chain DISABLE TRIGGER USER');
    await tx.query('DELETE FROM audit_log WHERE id > $1', [keep]);
    await tx.query('UPDATE audit_chain SET head_id = $1, head_hash = $2', [keep, kept!.hash]);
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
    await tx.query('ALTER TABLE audit_chain ENABLE TRIGGER USER');
  });
  const cut = await run(t.url!);
  expect(cut.out).toContain(
    `audit trail BROKEN against its anchor in ${anchors}: the chain head is row ${keep}, behind row ${last.headId}`,
  );
  expect(cut.code).toBe(1);
  // and no new anchor was written over the evidence
  expect(readFileSync(anchors, 'utf8').trim().split('\n')).toHaveLength(lines.length);
});

it('adds an account with user:add, refusing a weak password', async () => {
  const add = (password: string) =>
    run(
      t.url!,
      'server/auth/userAdd.ts',
      ['--username', 'duty1', '--role', 'planner', '--towns', '2'],
      {
        PINGAN_PASSWORD: password,
      },
    );
  const weak = await add('password1234');
  expect(weak.code).toBe(1);
  expect(weak.out).toContain('password: is a commonly used password');
  const ok = await add('a-long-enough-passphrase-7');
  expect(ok.out).toContain('user duty1 (planner) added');
  expect(ok.code).toBe(0);
  const [u] = await t.db.query<{ role: string; areas: string }>(
    `SELECT role, areas FROM users WHERE username = 'duty1'`,
  );
  expect(u).toEqual({ role: 'planner', areas: JSON.stringify({ towns: [2], communities: [] }) });
  const again = await add('a-long-enough-passphrase-7');
  expect(again.out).toContain('username "duty1" is taken');
});

it('exports a layer with data:export, audited as the command line; bad arguments exit 2', async () => {
  const out = path.join(dir, 'communities.zip');
  const args = ['--layer', 'communities', '--format', 'shp', '--crs', 'EPSG:4543', '--out', out];
  const ok = await run(t.url!, 'server/services/dataExportCli.ts', args);
  const [counted] = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM communities');
  expect(ok.out).toContain(`${counted!.n} rows of communities written to ${out}`);
  expect(ok.code).toBe(0);
  const info = await new Promise<string>((resolve, reject) =>
    execFile('ogrinfo', ['-so', '-al', `/vsizip/${out}`], (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    ),
  );
  expect(info).toContain(`Feature Count: ${counted!.n}`);
  expect(info).toContain('CGCS2000 / 3-degree Gauss-Kruger CM 102E');
  const [row] = await t.db.query<{ username: string; role: string; detail: unknown }>(
    `SELECT username, role, detail FROM audit_log WHERE action = 'data.export' ORDER BY id DESC LIMIT 1`,
  );
  expect(row).toEqual({
    username: 'cli',
    role: 'system',
    detail: { layer: 'communities', format: 'shp', crs: 'EPSG:4543', rows: counted!.n },
  });

  const bad = await run(t.url!, 'server/services/dataExportCli.ts', [
    ...['--layer', 'incidents', '--format', 'csv', '--out', path.join(dir, 'x.csv')],
  ]);
  expect(bad.code).toBe(2);
  expect(bad.out).toContain('from: is required for incidents');
});

it('exits 1 when the audit trail is gone', async () => {
  await t.db.query('DROP TABLE audit_log');
  const gone = await run(t.url!);
  expect(gone.out).toContain('audit trail BROKEN: this database has no audit trail');
  expect(gone.code).toBe(1);
});
