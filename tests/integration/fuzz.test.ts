/**
 * Property-based fuzzing of the whole API over real HTTP: every procedure of the router, with
 * inputs derived from its own schema (tests/fuzz/arbitraries.ts), as anonymous and as each role.
 * For every call: an answer within the deadline, never a 500, never a database's text, and
 * meanwhile system.health answers, the server process stays alive and its memory bounded.
 *
 * The server runs in a child process with a capped heap (tests/fuzz/server.ts), so that an input
 * that exhausts its memory or freezes it is reported as a failure (and the server restarted)
 * instead of taking the test run down. A failure that killed or froze the server is not shrunk
 * (each try would cost a restart); the others are, within a time budget.
 *
 * Knobs (environment): FUZZ_RUNS runs per procedure and permitted role (default 10), FUZZ_SEED
 * (fixed in CI, random elsewhere; always printed), FUZZ_ONLY / FUZZ_SKIP (comma-separated
 * procedure paths), FUZZ_BUDGET_MS per procedure and role, FUZZ_DEADLINE_MS (30 s),
 * FUZZ_HEALTH_MS (10 s), FUZZ_MEMORY_MB (growth allowed, 1536), FUZZ_HEAP_MB (the server's heap
 * cap, 2048), FUZZ_REPORT (a file for every distinct failure, as JSON).
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { can, type Permission, type Role } from '../../domain/policy';
import { appRouter } from '../../server/router';
import { ServerProcess } from '../fuzz/child';
import {
  inputArbitrary,
  inputSchema,
  LOGIN_NAMES,
  type Community,
  type Fixture,
} from '../fuzz/arbitraries';
import { ACCOUNT, Harness, type Outcome, type Procedure, type RoleName } from '../fuzz/harness';
import { adminQuery, databaseUrl } from '../setup/serverAdmin';
import { backend } from '../setup/testDb';
import { TEST_PASSWORD } from '../setup/template';

const env = process.env;
const num = (v: string | undefined, d: number) => (v && Number.isFinite(Number(v)) ? Number(v) : d);
const RUNS = num(env.FUZZ_RUNS, 10);
const SEED = num(env.FUZZ_SEED, env.CI ? 20260630 : Math.floor(Math.random() * 2 ** 31));
const BUDGET_MS = num(env.FUZZ_BUDGET_MS, 15_000);
const SHRINK_MS = num(env.FUZZ_SHRINK_MS, 15_000);
const LIMITS = {
  deadlineMs: num(env.FUZZ_DEADLINE_MS, 30_000),
  healthMs: num(env.FUZZ_HEALTH_MS, 10_000),
  memoryGrowthBytes: num(env.FUZZ_MEMORY_MB, 1536) * 2 ** 20,
};
const HEAP_MB = num(env.FUZZ_HEAP_MB, 2048);
const only = env.FUZZ_ONLY?.split(',').filter(Boolean);
const skip = env.FUZZ_SKIP?.split(',').filter(Boolean) ?? [];

const ROLES: RoleName[] = ['anonymous', 'admin', 'leader', 'planner', 'analyst', 'display'];

interface Proc extends Procedure {
  permission: Permission;
  inputs: unknown[];
}

const all: Proc[] = Object.entries(
  appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: Proc['type']; meta?: { permission?: Permission }; inputs: unknown[] } }
  >,
).map(([p, d]) => ({
  path: p,
  type: d._def.type,
  permission: d._def.meta?.permission ?? 'public',
  inputs: d._def.inputs,
}));

/** Calls that end the caller's session come last: signing the admin in again takes a fresh code. */
const LAST = ['auth.logout', 'auth.logoutEverywhere'];
const procedures = all
  .filter((p) => (!only || only.includes(p.path)) && !skip.includes(p.path))
  .sort((a, b) => Number(LAST.includes(a.path)) - Number(LAST.includes(b.path)));

function permitted(role: RoleName, p: Proc) {
  if (p.permission === 'public') return true;
  return role !== 'anonymous' && can(role as Role, p.permission);
}

interface Failure {
  path: string;
  role: RoleName;
  problems: string[];
  input: string;
  status: number | 'none';
  answer: string;
  logged: string[];
}

/** Every failing call, by a key of what failed and how (numbers and quoted values dropped). */
const distinct = new Map<string, Failure & { count: number }>();
function signature(f: Failure) {
  let message: string;
  try {
    message = (JSON.parse(f.answer) as { error?: { message?: string } }).error?.message ?? '';
  } catch {
    message = f.answer.slice(0, 100);
  }
  const norm = (s: string) =>
    s
      .replace(/\(id [0-9a-f]+\)/g, '(id …)')
      .replace(/"[^"]*"/g, '"…"')
      .replace(/\d+(\.\d+)?/g, 'N');
  return `${f.path}|${f.role}|${f.problems.map(norm).join('; ')}|${norm(message)}`;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);
function show(v: unknown): string {
  try {
    return clip(JSON.stringify(v) ?? 'undefined', 1500);
  } catch {
    return clip(fc.stringify(v), 1500);
  }
}

let server: ServerProcess;
let h: Harness;
let fixture: Fixture;
let dispose: () => Promise<void>;

async function query<T>(p: string, role: RoleName = 'leader', input?: unknown): Promise<T> {
  const r = await h.raw('query', p, input, h.cookieOf(role));
  if (r.status !== 200) throw new Error(`${p}: ${r.status} ${r.text.slice(0, 300)}`);
  return (JSON.parse(r.text) as { result: { data: T } }).result.data;
}

type Fc = {
  features: {
    id?: number;
    geometry: { type: string; coordinates: unknown };
    properties: Record<string, unknown>;
  }[];
};

function outerRing(g: { type: string; coordinates: unknown }): [number, number][] {
  if (g.type === 'Polygon') return (g.coordinates as [number, number][][])[0]!;
  return (g.coordinates as [number, number][][][])[0]![0]!;
}

beforeAll(async () => {
  console.log(
    `[fuzz] seed ${SEED} (FUZZ_SEED=${SEED} reproduces it), ${RUNS} runs per procedure and role, ${procedures.length} procedures`,
  );
  // the database: a copy of the test template, opened by the server process only
  let where: string;
  if (backend() === 'embedded') {
    where = mkdtempSync(path.join(os.tmpdir(), 'pingan-fuzz-'));
    cpSync(inject('embeddedTemplate'), where, { recursive: true });
    dispose = async () => rmSync(where, { recursive: true, force: true });
  } else {
    const name = `pingan_fuzz_${process.pid}_${Date.now().toString(36)}`;
    await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${inject('serverTemplate')}`);
    where = databaseUrl(name);
    dispose = async () => {
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    };
  }
  server = new ServerProcess({ FUZZ_DB_KIND: backend(), FUZZ_DB: where }, HEAP_MB);
  await server.start();
  h = new Harness(server, LIMITS);
  // the admin signs in, then sets up the second factor it needs for anything else
  await h.addAccount('admin', ACCOUNT.admin);
  await h.enableTotp('admin');
  // a second admin in reserve: signing the first in again may become impossible (a lock)
  await h.addSpareAdmin('fuzz-admin');
  for (const role of ['leader', 'planner', 'analyst', 'display'] as const)
    await h.addAccount(role, ACCOUNT[role]);
  // the account auth.login is fuzzed against (so that lockouts hit no account the fuzzer uses)
  const add = await h.raw(
    'mutation',
    'users.add',
    { username: LOGIN_NAMES[0], password: TEST_PASSWORD, role: 'analyst' },
    h.cookieOf('admin'),
  );
  expect(add.status, add.text).toBe(200);

  const health = await query<{ data: { start: string; end: string } }>('system.health');
  const district = await query<Fc>('regions.district');
  const ring = outerRing(district.features[0]!.geometry);
  const lons = ring.map((p) => p[0]);
  const lats = ring.map((p) => p[1]);
  const towns = await query<Fc>('regions.towns');
  const communities = await query<Fc>('regions.communities');
  const zones = await query<Fc>('zones.list');
  const posts = await query<Fc>('posts.list');
  const users = await query<{ username: string }[]>('users.list', 'admin');
  fixture = {
    start: Date.parse(health.data.start),
    end: Date.parse(health.data.end),
    district: [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)],
    towns: towns.features.map((f) => Number(f.properties.id ?? f.id)),
    communities: communities.features.map((f): Community => {
      const r = outerRing(f.geometry).slice(0, -1);
      return {
        id: Number(f.properties.id ?? f.id),
        townId: Number(f.properties.townId),
        centre: [
          r.reduce((s, p) => s + p[0], 0) / r.length,
          r.reduce((s, p) => s + p[1], 0) / r.length,
        ],
      };
    }),
    zoneIds: zones.features.map((f) => Number(f.properties.id ?? f.id)),
    postIds: posts.features.map((f) => Number(f.properties.id ?? f.id)),
    maxIncidentId: 140_000,
    usernames: users.map((u) => u.username).filter((u) => u !== 'fuzz-admin'),
  };
  // warm up, then take the memory the server starts from
  await query('plan.evaluate');
  h.baseline = server.rss() ?? 0;
  console.log(`[fuzz] server pid ${server.pid}, ${Math.round(h.baseline / 2 ** 20)} MB resident`);
}, 180_000);

afterAll(async () => {
  const list = [...distinct.values()];
  if (env.FUZZ_REPORT)
    writeFileSync(env.FUZZ_REPORT, JSON.stringify({ seed: SEED, failures: list }, null, 2));
  if (list.length)
    console.log(
      `[fuzz] ${list.length} distinct failures (seed ${SEED}):\n` +
        list
          .map(
            (f) =>
              `  ${f.path} as ${f.role} ×${f.count}: ${f.problems.join('; ')} — HTTP ${f.status} ${clip(f.answer, 300)}` +
              (f.logged.length ? `\n      server log: ${clip(f.logged.join(' | '), 300)}` : '') +
              `\n      input: ${clip(f.input, 400)}`,
          )
          .join('\n'),
    );
  await server?.stop('SIGTERM');
  await dispose?.();
});

/** A stable seed per procedure and role, so that one of them can be re-run alone. */
function seedOf(p: string, role: string) {
  let x = SEED;
  for (const c of `${p}|${role}`) x = (Math.imul(x ^ c.charCodeAt(0), 16777619) >>> 0) % 2 ** 31;
  return x;
}

async function fuzz(p: Proc, role: RoleName) {
  const schema = inputSchema(p.inputs);
  const arb = inputArbitrary(schema, p.path, fixture);
  // the admin signs in again only with a fresh second-factor code (every 30 s): one logout will do
  const runs = !permitted(role, p)
    ? 3
    : role === 'admin' && LAST.includes(p.path)
      ? 1
      : schema
        ? RUNS
        : 2;
  const state = {
    until: Date.now() + BUDGET_MS,
    stop: false,
    calls: 0,
    last: undefined as (Outcome & { input: unknown }) | undefined,
  };
  const details = await fc.check(
    fc.asyncProperty(arb, async (input) => {
      if (state.stop || Date.now() > state.until) return true;
      let o: Outcome;
      try {
        o = await h.call(p, role, input);
      } catch (err) {
        // not a property of the server: the fuzzer could not do its part (sign in, reach it)
        state.last = undefined;
        throw new Error(`the fuzzer itself failed: ${(err as Error).message}`, { cause: err });
      }
      state.calls++;
      if (!o.problems.length) return true;
      state.last = { ...o, input };
      const f: Failure = {
        path: p.path,
        role,
        problems: o.problems,
        input: show(input),
        status: o.status,
        answer: o.body,
        logged: o.logged,
      };
      const key = signature(f);
      const seen = distinct.get(key);
      if (seen) seen.count++;
      // the smallest input of a kind is the most readable
      if (!seen || f.input.length < seen.input.length)
        distinct.set(key, { ...f, count: (seen?.count ?? 0) + 1 });
      if (o.fatal) state.stop = true;
      else state.until = Math.max(state.until, Date.now() + SHRINK_MS);
      throw new Error(o.problems.join('; '));
    }),
    { numRuns: runs, seed: seedOf(p.path, role), endOnFailure: false },
  );
  return { details, state, runs };
}

describe('the API under fuzzed input', () => {
  for (const p of procedures) {
    it(`${p.path} (${p.type}, ${p.permission})`, { timeout: 30 * 60_000 }, async () => {
      const report: string[] = [];
      const t0 = Date.now();
      const tally: string[] = [];
      for (const role of ROLES) {
        const { details, state } = await fuzz(p, role);
        tally.push(`${role} ${state.calls}${details.failed ? '✗' : ''}`);
        if (!details.failed) continue;
        const last = state.last;
        const counterexample = details.counterexample?.[0];
        report.push(
          [
            `${p.path} as ${role}: ${last?.problems.join('; ') ?? details.errorInstance}`,
            `  input${last?.fatal ? ' (not shrunk: it stopped the server)' : ' (shrunk)'}: ${show(counterexample ?? last?.input)}`,
            `  answer: HTTP ${last?.status} in ${last?.ms} ms: ${clip(last?.body ?? '', 600)}`,
            ...(last?.logged.length ? [`  server log: ${clip(last.logged.join(' | '), 600)}`] : []),
            `  reproduce: FUZZ_SEED=${SEED} FUZZ_ONLY=${p.path} (property seed ${details.seed}, path ${details.counterexamplePath})`,
          ].join('\n'),
        );
        // one server-stopping input per procedure is enough: the other roles would only stop it again
        if (last?.fatal) {
          report.push(
            `  (roles after ${role} not fuzzed for ${p.path}: the server had to be restarted)`,
          );
          break;
        }
      }
      console.log(
        `[fuzz] ${p.path}: ${((Date.now() - t0) / 1000).toFixed(1)} s, calls ${tally.join(', ')}`,
      );
      expect(report, report.join('\n')).toEqual([]);
    });
  }

  it('leaves the server alive, answering and within its memory', async () => {
    expect(server.alive, server.exit).toBe(true);
    const res = await fetch(`${server.url}/trpc/system.health`, {
      signal: AbortSignal.timeout(LIMITS.healthMs),
    });
    expect(res.status).toBe(200);
    expect(h.restarts, 'the server had to be restarted: see the failures above').toBe(0);
    const rss = server.rss() ?? 0;
    console.log(
      `[fuzz] server resident memory ${Math.round(rss / 2 ** 20)} MB (started at ${Math.round(h.baseline / 2 ** 20)} MB); restarts: ${h.restarts}`,
    );
    expect(rss - h.baseline).toBeLessThan(LIMITS.memoryGrowthBytes);
  });
});
