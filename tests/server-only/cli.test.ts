/**
 * The command-line tools against a server database: `npm run audit:verify` (exit 0 on an intact
 * trail, 1 on a broken one) and `npm run user:add` (an account that can sign in; weak passwords
 * refused).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordAudit } from '../../server/audit/audit';
import { openTestDatabase, type TestDatabase } from '../setup/testDb';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let t: TestDatabase;
beforeAll(async () => {
  t = await openTestDatabase();
});
afterAll(async () => {
  await t?.dispose();
});

const run = (url: string, script = 'server/audit/verify.ts', args: string[] = [], env = {}) =>
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
