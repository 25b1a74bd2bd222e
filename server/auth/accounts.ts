/**
 * Creating accounts without going through a session: the demo accounts at first start and
 * `npm run user:add`. Rows as better-auth keeps them (users + a 'credential' account holding the
 * argon2id hash), so that its sign-in accepts them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import type { Database, Queryable } from '../db/database';
import { BadInput, NotFound } from '../errors';
import { sessionsEnded } from '../services/planEvents';
import { ARGON2, passwordProblem, USERNAME, type PasswordPolicy } from './password';
import { MAP_LAYERS, ROLES, type Areas, type Role } from '../../domain/policy';

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  areas?: Areas;
  name?: string;
  /** a display's map layers (null or absent: every layer its role may read) */
  layers?: string[] | null;
}

/** Checks a display's layer list: known layer ids only, and only for displays. */
export function layersProblem(role: string, layers: readonly string[] | null | undefined) {
  if (!layers) return null;
  if (role !== 'display') return 'layers: only a display is limited to some layers';
  const unknown = layers.filter((l) => !(MAP_LAYERS as readonly string[]).includes(l));
  if (unknown.length)
    return `layers: unknown ${unknown.join(', ')} (known: ${MAP_LAYERS.join(', ')})`;
  return null;
}

/** Sets or clears (null) the layers a display shows; its next call obeys them. */
export async function setLayers(db: Queryable, username: string, layers: string[] | null) {
  const [u] = await db.query<{ role: string }>(`SELECT role FROM users WHERE username = $1`, [
    username,
  ]);
  if (!u) throw new NotFound(`no user "${username}"`);
  const problem = layersProblem(u.role, layers);
  if (problem) throw new BadInput(undefined, problem);
  await db.query(`UPDATE users SET layers = $2 WHERE username = $1`, [
    username,
    layers ? JSON.stringify(layers) : null,
  ]);
}

/** Adds a user; a BadInput says what is wrong (username taken or malformed, weak password, role). */
export async function addUser(db: Database, u: NewUser, policy?: PasswordPolicy): Promise<string> {
  if (!USERNAME.test(u.username))
    throw new BadInput(
      undefined,
      `username "${u.username}": 3–32 characters, lower-case letters, digits, _ . -, starting with a letter`,
    );
  if (!(ROLES as readonly string[]).includes(u.role))
    throw new BadInput(undefined, `role "${u.role}": must be one of ${ROLES.join(', ')}`);
  if (u.role === 'integration')
    throw new BadInput(
      'role',
      'an integration account has no password: add it as an integration (it gets an API token)',
    );
  const problem = passwordProblem(u.password, u.username, policy);
  if (problem) throw new BadInput('password', problem);
  const layers = layersProblem(u.role, u.layers);
  if (layers) throw new BadInput(undefined, layers);
  const id = randomUUID();
  const passwordHash = await hash(u.password, ARGON2);
  return db.transaction(async (tx) => {
    const taken = await tx.query(`SELECT 1 FROM users WHERE username = $1`, [u.username]);
    if (taken.length) throw new BadInput(undefined, `username "${u.username}" is taken`);
    await tx.query(
      `INSERT INTO users (id, name, email, email_verified, username, display_username, role, areas, layers)
       VALUES ($1, $2, $3, true, $4, $4, $5, $6, $7)`,
      [
        id,
        u.name ?? u.username,
        `${u.username}@pingan.local`,
        u.username,
        u.role,
        JSON.stringify(u.areas ?? { towns: [], communities: [] }),
        u.layers ? JSON.stringify(u.layers) : null,
      ],
    );
    await tx.query(
      `INSERT INTO accounts (id, account_id, provider_id, user_id, password)
       VALUES ($1, $2, 'credential', $2, $3)`,
      [randomUUID(), id, passwordHash],
    );
    return id;
  });
}

export const DEMO_USERS: { username: string; role: Role; name: string }[] = [
  { username: 'admin', role: 'admin', name: '系统管理员' },
  { username: 'leader', role: 'leader', name: '分局领导' },
  { username: 'planner', role: 'planner', name: '勤务规划' },
  { username: 'analyst', role: 'analyst', name: '情报研判' },
  { username: 'wall', role: 'display', name: '指挥中心大屏' },
];

/** A password that passes the policy: 20 random characters from a readable alphabet. */
export function randomPassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  return [...randomBytes(20)].map((b) => alphabet[b % alphabet.length]).join('');
}

/**
 * The demo accounts, once: when the database has no users. The planner is scoped to one town
 * (the first by id). Returns the password used, or null when accounts already existed.
 */
export async function ensureDemoAccounts(
  db: Database,
  password: string | undefined,
): Promise<string | null> {
  const [{ n } = { n: 0 }] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`);
  if (n > 0) return null;
  const pw = password ?? randomPassword();
  const [town] = await db.query<{ id: number }>(`SELECT id FROM towns ORDER BY id LIMIT 1`);
  try {
    for (const u of DEMO_USERS)
      await addUser(db, {
        ...u,
        password: pw,
        areas: u.role === 'planner' && town ? { towns: [town.id], communities: [] } : undefined,
      });
  } catch (err) {
    // another instance started at the same time made them: every instance adds the same
    // accounts in the same order, so the one that loses does so at its first
    const [{ n: now } = { n: 0 }] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM users`,
    );
    if (now > 0) return null;
    throw err;
  }
  return pw;
}

export async function setDisabled(db: Queryable, username: string, disabled: boolean) {
  const rows = await db.query<{ id: string }>(
    `UPDATE users SET disabled = $2 WHERE username = $1 RETURNING id`,
    [username, disabled],
  );
  if (!rows.length) throw new NotFound(`no user "${username}"`);
  if (disabled) {
    await db.query(`DELETE FROM sessions WHERE user_id = $1`, [rows[0]!.id]);
    sessionsEnded();
  }
  return rows[0]!.id;
}
