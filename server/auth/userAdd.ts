/**
 * `npm run user:add -- --username NAME --role ROLE [--towns 1,2] [--communities 5,6] [--name 张三]`
 * `npm run user:add -- --username wall-2 --device` registers a wall display: a display account
 * whose password is a long random device token, printed once as the wall's address;
 * `--layers heat,circles,towns` limits the display to those map layers.
 * `npm run user:add -- --username dispatch-110 --integration` adds an integration account (a
 * feed sending incidents) and prints its API token once; it has no password.
 * Adds an account to the configured database (DATABASE_URL, or the embedded one under DATA_DIR;
 * stop the server first when it is the embedded one). The password is read from PINGAN_PASSWORD
 * or asked for on the terminal, never taken from the command line (it would stay in the shell's
 * history). An admin then signs in and sets up the second factor.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/open';
import { migrate } from '../db/migrate';
import { readEnv } from '../env';
import { addUser, randomPassword } from './accounts';
import { addIntegration } from './tokens';
import { ROLES, type Role } from '../../domain/policy';

const ids = (s: string | undefined) =>
  s
    ? s
        .split(',')
        .map((x) => Number(x.trim()))
        .filter((n) => Number.isInteger(n) && n > 0)
    : [];

async function askPassword(): Promise<string> {
  if (process.env.PINGAN_PASSWORD) return process.env.PINGAN_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // echo stars, not the password
  const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
  let asking = false;
  out._writeToOutput = (s: string) => out.output.write(asking && !/[\r\n]/.test(s) ? '*' : s);
  asking = true;
  const a = await rl.question('password: ');
  asking = false;
  process.stdout.write('\n');
  asking = true;
  const b = await rl.question('again: ');
  asking = false;
  process.stdout.write('\n');
  rl.close();
  if (a !== b) throw new Error('the two passwords differ');
  return a;
}

/** An integration account and its API token, printed once. */
async function addFeed(username: string | undefined, name: string | undefined) {
  if (!username) throw new Error('give --username');
  const db = await openDatabase(readEnv(), () => {});
  try {
    await migrate(db);
    const token = await addIntegration(db, { username, name });
    console.log(`[pingan] integration ${username} added`);
    console.log(`[pingan] its API token (shown once): send it as  Authorization: Bearer ${token}`);
  } finally {
    await db.close();
  }
}

async function main() {
  const { values } = parseArgs({
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      towns: { type: 'string' },
      communities: { type: 'string' },
      name: { type: 'string' },
      device: { type: 'boolean' },
      layers: { type: 'string' },
      integration: { type: 'boolean' },
    },
  });
  if (values.integration) return addFeed(values.username, values.name);
  if (values.device) values.role = 'display';
  if (!values.username || !values.role)
    throw new Error(`give --username and --role (${ROLES.join(', ')})`);
  if (!(ROLES as readonly string[]).includes(values.role))
    throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  const env = readEnv();
  const password = values.device ? `${randomPassword()}${randomPassword()}` : await askPassword();
  const db = await openDatabase(env, () => {});
  try {
    await migrate(db);
    await addUser(
      db,
      {
        username: values.username,
        password,
        role: values.role as Role,
        name: values.name,
        areas: { towns: ids(values.towns), communities: ids(values.communities) },
        layers: values.layers ? values.layers.split(',').map((l) => l.trim()) : null,
      },
      { minLength: 12, complexity: env.PASSWORD_COMPLEXITY === 'on' },
    );
    console.log(`[pingan] user ${values.username} (${values.role}) added`);
    if (values.device)
      console.log(
        `[pingan] open the wall at  /wall#device=${values.username}:${password}  (shown once)`,
      );
  } finally {
    await db.close();
  }
}

main().catch((err: unknown) => {
  console.error(`[pingan] user:add failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
