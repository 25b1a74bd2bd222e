/**
 * Which test projects a run includes. Outside CI, a machine without Chromium skips the browser
 * tests and a TEST_DATABASE_URL server without PostGIS (or not answering) skips the server tests,
 * each with one line saying what to install; with CI set nothing is skipped, so a missing
 * Chromium or PostGIS fails the run.
 */
import { accessSync, constants } from 'node:fs';
import pg from 'pg';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

type Env = Record<string, string | undefined>;

/** The Chromium the browser tests drive: CHROMIUM_PATH, or Debian's. */
export function chromiumPath(env: Env): string {
  return env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
}

/** CI=true (or any value but empty, 0 and false). */
export function isCi(env: Env): boolean {
  const v = (env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** What the server at TEST_DATABASE_URL offers: PostGIS or not, or why it did not answer. */
export type ServerProbe =
  { reachable: true; major: number; postgis: boolean } | { reachable: false; reason: string };

export interface ProjectInputs {
  ci: boolean;
  chromium: { path: string; runnable: boolean };
  /** TEST_DATABASE_URL; `probe` is absent where nothing was asked of it (in CI) */
  server?: { url: string; probe?: ServerProbe };
}

export interface ProjectChoice {
  browser: boolean;
  server: boolean;
  /** one line per skipped project, saying what to install to run it */
  notes: string[];
}

/** The URL without its credentials: host, port and database. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'an unreadable URL';
  }
}

export function chooseProjects(i: ProjectInputs): ProjectChoice {
  if (i.ci) {
    if (!i.server)
      throw new Error(
        'CI=true needs TEST_DATABASE_URL: the integration tests must run against a real PostGIS server too',
      );
    return { browser: true, server: true, notes: [] };
  }
  const notes: string[] = [];
  const browser = i.chromium.runnable;
  if (!browser)
    notes.push(
      `browser tests skipped: no Chromium at ${i.chromium.path} — apt-get install -y chromium fonts-noto-cjk (or set CHROMIUM_PATH) to run them`,
    );
  let server = false;
  if (i.server) {
    const p = i.server.probe;
    const where = describeUrl(i.server.url);
    if (!p || (p.reachable && p.postgis)) server = true;
    else if (!p.reachable)
      notes.push(
        `server tests skipped: no answer from TEST_DATABASE_URL (${where}: ${p.reason}) — start that PostgreSQL server with PostGIS, or unset TEST_DATABASE_URL`,
      );
    else
      notes.push(
        `server tests skipped: no PostGIS on TEST_DATABASE_URL (${where}) — apt-get install -y postgresql-${p.major}-postgis-3 to run them`,
      );
  }
  return { browser, server, notes };
}

/** Asks the server whether PostGIS can be created there; never throws. */
export async function probeServer(url: string, timeoutMs = 5000): Promise<ServerProbe> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // a refused or dropped connection is an answer here, not an uncaught error
  c.on('error', () => {});
  try {
    await c.connect();
    const r = await c.query<{ major: number; postgis: boolean }>(
      `SELECT current_setting('server_version_num')::int / 10000 AS major,
         EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS postgis`,
    );
    return { reachable: true, major: Number(r.rows[0]!.major), postgis: r.rows[0]!.postgis };
  } catch (e) {
    const err = e as { code?: string; message?: string };
    return { reachable: false, reason: err.code ?? err.message ?? String(e) };
  } finally {
    await c.end().catch(() => {});
  }
}

const CHOICE = Symbol.for('pingan-map.testProjects');

/** The choice for this environment: probes what it must and prints the notes, once a process. */
export function projectsFor(env: Env): Promise<ProjectChoice> {
  // the config file is evaluated once for the run and again for each project that extends it
  const memo = globalThis as { [CHOICE]?: Promise<ProjectChoice> };
  return (memo[CHOICE] ??= (async () => {
    const ci = isCi(env);
    const path = chromiumPath(env);
    const url = env.TEST_DATABASE_URL || undefined;
    const choice = chooseProjects({
      ci,
      chromium: { path, runnable: isExecutable(path) },
      server: url ? { url, probe: ci ? undefined : await probeServer(url) } : undefined,
    });
    for (const n of choice.notes) console.warn(n);
    return choice;
  })());
}
