/**
 * The fuzzer's side of HTTP: the accounts it signs in as (keeping their sessions, passwords and
 * second factors up to date whatever the fuzzed calls change), one call of a procedure with
 * raw fetch, and the properties every answer must have.
 */
import * as OTPAuth from 'otpauth';
import { TEST_PASSWORD } from '../setup/template';
import type { ServerProcess } from './child';
import { encode, Sentinel } from './arbitraries';

export type RoleName = 'anonymous' | 'admin' | 'leader' | 'planner' | 'analyst' | 'display';

/** The demo account of each role. */
export const ACCOUNT: Record<Exclude<RoleName, 'anonymous'>, string> = {
  admin: 'admin',
  leader: 'leader',
  planner: 'planner',
  analyst: 'analyst',
  display: 'wall',
};

export interface Limits {
  /** an answer must arrive within this (liveness, not speed) */
  deadlineMs: number;
  /** system.health, asked while a call runs, must answer within this */
  healthMs: number;
  /** how much the server's resident memory may grow over its start */
  memoryGrowthBytes: number;
}

export interface Procedure {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
}

export interface Outcome {
  status: number | 'none';
  body: string;
  ms: number;
  /** what went wrong: empty when every property held */
  problems: string[];
  /** the problem leaves the server unusable (dead or frozen): it was restarted */
  fatal: boolean;
  /** the server's logged errors during the call */
  logged: string[];
}

/** Text that only a database (PostgreSQL, PostGIS) writes. */
export const DATABASE_TEXT =
  /syntax error|relation "|violates|invalid input syntax|SQLSTATE|out of range for type|column "[^"]*" (does not exist|of relation)|duplicate key|null value in column|invalid byte sequence|unterminated quoted|operator does not exist|function [\w.]+\(.*\) does not exist|permission denied for|current transaction is aborted|could not (determine|open|read|write|extend|connect)|\bpg_\w+|GEOS|lwgeom|\bST_[A-Z][A-Za-z]*\(|TopologyException|parse error - invalid geometry|unsupported Unicode escape|invalid memory alloc|canceling statement|\bERROR: /;

/** The server's body limit (server/app.ts). */
const BODY_LIMIT = 2 * 1024 * 1024;

interface Account {
  username: string;
  password: string;
  cookie: string;
  /** TOTP secrets: the active one, then one set up and not yet confirmed */
  secret?: string;
  pending?: string;
  /** the last TOTP code used at sign-in, to wait for a fresh one */
  lastCode?: string;
  /** the session may have ended (a logout, a disabling, a password change): check it */
  suspect: boolean;
}

function totpOf(secret: string, at = Date.now()) {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({
    timestamp: at,
  });
}

function cookiesOf(res: Response, prev: string): string {
  const jar = new Map(
    prev
      .split('; ')
      .filter(Boolean)
      .map((c) => [c.slice(0, c.indexOf('=')), c] as const),
  );
  for (const sc of res.headers.getSetCookie()) {
    const pair = sc.split(';')[0] ?? '';
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const name = pair.slice(0, eq);
    if (pair.length === eq + 1 || /max-age=0/i.test(sc)) jar.delete(name);
    else jar.set(name, pair);
  }
  return [...jar.values()].join('; ');
}

export class Harness {
  accounts = new Map<RoleName, Account>();
  /** the server's resident memory after it started and warmed up (reset at each restart) */
  baseline = 0;
  /** a second admin, signed in with its second factor, for when the first cannot sign in again */
  spare: Account | undefined;
  /** accounts made to replace ones that could not sign in any more */
  private replaced = 0;
  /** how often the server had to be started again */
  restarts = 0;

  constructor(
    readonly server: ServerProcess,
    readonly limits: Limits,
  ) {}

  get url() {
    return this.server.url;
  }

  private headers(cookie?: string): Record<string, string> {
    return {
      'x-trpc-source': 'fuzz',
      origin: this.url,
      ...(cookie ? { cookie } : {}),
    };
  }

  /** POST /trpc/auth.login; returns the response. */
  private async postLogin(body: unknown) {
    return fetch(`${this.url}/trpc/auth.login`, {
      method: 'POST',
      headers: { ...this.headers(), 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.limits.deadlineMs),
    });
  }

  /** Signs the account in (with its second factor, waiting for a fresh code if it must). */
  async signIn(role: RoleName): Promise<void> {
    const a = this.accounts.get(role);
    if (!a) return;
    // a new set-up replaces the stored secret at once: the pending one first
    const attempts: (string | undefined)[] = [];
    if (a.pending) attempts.push(a.pending);
    if (a.secret) attempts.push(a.secret);
    if (!attempts.length) attempts.push(undefined);
    let last = '';
    const nextPeriod = () =>
      new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 500));
    for (const secret of attempts.flatMap((s) => (s ? [s, s] : [s]))) {
      let totp = secret ? totpOf(secret) : undefined;
      // a code is good once, and one read at the end of its period may be stale on arrival:
      // wait for the next one
      if (
        totp &&
        (totp === a.lastCode || last.includes(secret === a.secret ? 'active' : 'pending'))
      ) {
        await nextPeriod();
        totp = totpOf(secret!);
      }
      const res = await this.postLogin({ username: a.username, password: a.password, totp });
      const text = await res.text();
      if (res.ok) {
        a.cookie = cookiesOf(res, '');
        a.lastCode = totp;
        if (secret && secret === a.pending) {
          a.secret = a.pending;
          a.pending = undefined;
        }
        a.suspect = false;
        return;
      }
      last += `[${secret === a.secret ? 'active secret' : secret ? 'pending secret' : 'no second factor'}: ${res.status} ${text.slice(0, 120)}] `;
    }
    if (role === 'admin' && this.spare) {
      // the admin kept in reserve takes over (its session was opened at the start)
      console.log(
        `[fuzz] admin: ${a.username} could not sign in again (${last.slice(0, 200)}); going on as ${this.spare.username}`,
      );
      this.accounts.set('admin', this.spare);
      this.spare = undefined;
      return;
    }
    if (role !== 'admin' && (await this.replace(role, last))) return;
    throw new Error(
      `the fuzzer could not sign ${role} (${a.username}) in again (${a.password === TEST_PASSWORD ? 'first' : 'changed'} password): ${last}`,
    );
  }

  /**
   * When an account cannot sign in any more (what the fuzzed calls did to it is not always
   * known: a lock, a disabling whose answer was an error), the admin makes another of the same
   * role and areas, and the fuzzer goes on with it.
   */
  private async replace(role: RoleName, why: string): Promise<boolean> {
    const a = this.accounts.get(role)!;
    await this.ensure('admin');
    const admin = this.cookieOf('admin');
    const list = await this.raw('query', 'users.list', undefined, admin);
    if (list.status !== 200) return false;
    const users = (JSON.parse(list.text) as { result: { data: Record<string, unknown>[] } }).result
      .data;
    const row = users.find((u) => u.username === a.username);
    if (!row) return false;
    const username = `${a.username.replace(/-\d+$/, '')}-${++this.replaced}`;
    const add = await this.raw(
      'mutation',
      'users.add',
      {
        username,
        password: TEST_PASSWORD,
        role: row.role,
        areas: typeof row.areas === 'string' ? JSON.parse(row.areas) : row.areas,
      },
      admin,
    );
    if (add.status !== 200) return false;
    console.log(
      `[fuzz] ${role}: ${a.username} could not sign in again (${why.slice(0, 200)}; ${JSON.stringify(row)}); going on as ${username}`,
    );
    this.accounts.set(role, { username, password: TEST_PASSWORD, cookie: '', suspect: true });
    await this.signIn(role);
    return true;
  }

  /** Makes the admin in reserve (as the admin), with its second factor, and signs it in. */
  async addSpareAdmin(username: string) {
    const add = await this.raw(
      'mutation',
      'users.add',
      { username, password: TEST_PASSWORD, role: 'admin' },
      this.cookieOf('admin'),
    );
    if (add.status !== 200) throw new Error(`users.add ${username}: ${add.status} ${add.text}`);
    const main = this.accounts.get('admin')!;
    await this.addAccount('admin', username);
    await this.enableTotp('admin');
    this.spare = this.accounts.get('admin');
    this.accounts.set('admin', main);
  }

  /** Adds an account and signs it in. */
  async addAccount(role: RoleName, username: string, password = TEST_PASSWORD) {
    this.accounts.set(role, { username, password, cookie: '', suspect: true });
    await this.signIn(role);
  }

  /** Sets up the account's second factor through the API (as the admin must). */
  async enableTotp(role: RoleName) {
    const a = this.accounts.get(role)!;
    const setup = await this.raw('mutation', 'auth.totpSetup', { password: a.password }, a.cookie);
    if (setup.status !== 200) throw new Error(`totpSetup: ${setup.status} ${setup.text}`);
    const uri = (JSON.parse(setup.text) as { result: { data: { totpURI: string } } }).result.data
      .totpURI;
    const secret = (OTPAuth.URI.parse(uri) as OTPAuth.TOTP).secret.base32;
    const code = totpOf(secret);
    const v = await this.raw('mutation', 'auth.totpVerify', { code }, a.cookie);
    if (v.status !== 200) throw new Error(`totpVerify: ${v.status} ${v.text}`);
    a.cookie = cookiesOf(v.res, a.cookie);
    a.secret = secret;
    a.lastCode = code;
  }

  /** Makes sure the role's session still works, signing in again if it does not. */
  async ensure(role: RoleName) {
    const a = this.accounts.get(role);
    if (!a || !a.suspect) return;
    const me = await this.raw('query', 'auth.me', undefined, a.cookie);
    if (me.status === 200) a.suspect = false;
    else await this.signIn(role);
  }

  cookieOf(role: RoleName): string | undefined {
    return this.accounts.get(role)?.cookie || undefined;
  }

  /** One HTTP call, as the web client makes it (no deadline, no checks). */
  async raw(
    type: Procedure['type'],
    path: string,
    input: unknown,
    cookie: string | undefined,
    signal?: AbortSignal,
  ): Promise<{ status: number; text: string; res: Response }> {
    const headers = this.headers(cookie);
    // the fuzzer's own calls (sessions, versions) may not hang either
    signal ??= AbortSignal.timeout(this.limits.deadlineMs);
    const json = input === undefined ? undefined : encode(input);
    let res: Response;
    if (type === 'mutation') {
      res = await fetch(`${this.url}/trpc/${path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: json ?? '',
        signal,
      });
    } else {
      const q = json === undefined ? '' : `?input=${encodeURIComponent(json)}`;
      if (q.length < 6000 || type === 'subscription') {
        res = await fetch(`${this.url}/trpc/${path}${q}`, { headers, signal });
      } else {
        // too long for a URL: by POST, as the web client sends plan.evaluate
        res = await fetch(`${this.url}/trpc/${path}`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: json,
          signal,
        });
      }
    }
    if (type === 'subscription' && res.ok && res.body) {
      // a stream: its first message or error is the answer; a stream that started and says
      // nothing more for a while (no changes to send) has answered too
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let text = '';
      let quietSince: number | undefined;
      try {
        for (;;) {
          const next = reader.read();
          const r = await (quietSince === undefined
            ? next
            : Promise.race([
                next,
                new Promise<'quiet'>((ok) => setTimeout(() => ok('quiet'), 500)),
              ]));
          if (r === 'quiet') break;
          if (r.done) break;
          text += r.value;
          if (
            /event: serialized-error\n/.test(text) ||
            /(^|\n)id: /.test(text) ||
            text.length > 100_000
          )
            break;
          if (/\n\n/.test(text)) quietSince ??= Date.now();
        }
      } finally {
        void reader.cancel().catch(() => undefined);
      }
      const err = /event: serialized-error\ndata: (.*)\n/.exec(text);
      const status = err
        ? ((JSON.parse(err[1]!) as { data?: { httpStatus?: number } }).data?.httpStatus ?? 200)
        : res.status;
      return { status, text, res };
    }
    return { status: res.status, text: await res.text(), res };
  }

  /** Fills the sentinels in from the server's current state. */
  private async resolve(
    role: RoleName,
    path: string,
    input: unknown,
    parent?: Record<string, unknown>,
    depth = 0,
  ): Promise<unknown> {
    // sentinels sit near the top; deeply nested garbage is sent as it is
    if (depth > 8) return input;
    if (input instanceof Sentinel) {
      const a = this.accounts.get(role);
      if (input.kind === 'password') return a?.password ?? TEST_PASSWORD;
      if (input.kind === 'totp') {
        const secret = a?.pending ?? a?.secret;
        return secret ? totpOf(secret) : '000000';
      }
      // the current version of the zone or post the call names
      const kind = path.startsWith('posts.') ? 'posts' : 'zones';
      const id = parent?.id;
      if (typeof id !== 'number') return 1;
      const h = await this.raw(
        'query',
        `${kind}.history`,
        { id },
        this.cookieOf('leader') ?? this.cookieOf('admin'),
      );
      try {
        const rows = (JSON.parse(h.text) as { result?: { data?: { version: number }[] } }).result
          ?.data;
        return rows?.[0]?.version ?? 1;
      } catch {
        return 1;
      }
    }
    if (Array.isArray(input))
      return Promise.all(input.map((v) => this.resolve(role, path, v, parent, depth + 1)));
    if (input && typeof input === 'object') {
      const o = input as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o)) {
        const v = await this.resolve(role, path, o[k], o, depth + 1);
        Object.defineProperty(out, k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return input;
  }

  /**
   * Calls `p` as `role` with `input` and checks every property: an answer within the deadline,
   * no 500, no database text, system.health answering meanwhile, the server alive, its memory
   * bounded. A dead or frozen server is restarted (and the outcome marked fatal).
   */
  async call(p: Procedure, role: RoleName, input: unknown): Promise<Outcome> {
    const problems: string[] = [];
    if (!this.server.alive) await this.restart();
    await this.ensure(role);
    const baselineRss = this.baseline;
    const resolved = await this.resolve(role, p.path, input);
    const a = this.accounts.get(role);
    const loggedBefore = this.server.errors.length ? this.server.errors.at(-1)!.at : 0;
    const started = Date.now();
    const ctl = new AbortController();
    let answered = false;
    let wake: () => void = () => undefined;
    const woken = new Promise<void>((r) => (wake = r));
    let peak = this.server.rss() ?? 0;
    let memoryKilled = false;
    let healthProblem: string | undefined;
    // watch the server while the call runs: its memory, and whether health still answers
    const watch = (async () => {
      let nextHealth = Date.now() + 1000;
      while (!answered) {
        let t: NodeJS.Timeout | undefined;
        await Promise.race([woken, new Promise((r) => (t = setTimeout(r, 250)))]);
        clearTimeout(t);
        if (answered) break;
        const rss = this.server.rss();
        if (rss !== undefined) peak = Math.max(peak, rss);
        if (rss !== undefined && rss - baselineRss > this.limits.memoryGrowthBytes) {
          memoryKilled = true;
          ctl.abort();
          await this.server.stop('SIGKILL');
          break;
        }
        if (!this.server.alive) {
          ctl.abort();
          break;
        }
        if (Date.now() >= nextHealth && !healthProblem) {
          const t = Date.now();
          try {
            const h = await fetch(`${this.url}/trpc/system.health`, {
              signal: AbortSignal.any([AbortSignal.timeout(this.limits.healthMs), ctl.signal]),
            });
            await h.text();
            if (h.status !== 200 && !answered) healthProblem = `system.health answered ${h.status}`;
          } catch {
            if (!answered && !ctl.signal.aborted)
              healthProblem = `system.health did not answer within ${this.limits.healthMs} ms while the call ran`;
          }
          nextHealth = t + 2000;
        }
      }
    })();
    const timer = setTimeout(() => ctl.abort(), this.limits.deadlineMs);
    let status: number | 'none' = 'none';
    let body: string;
    let dropped = false;
    // a body over the server's declared limit may be cut off before its 413 is read
    const sent = resolved === undefined ? 0 : encode(resolved)?.length;
    try {
      const r = await this.raw(p.type, p.path, resolved, a?.cookie, ctl.signal);
      status = r.status;
      body = r.text;
      if (a) {
        const next = cookiesOf(r.res, a.cookie);
        if (next !== a.cookie) {
          a.cookie = next;
          a.suspect = true;
        }
      }
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      if (
        e.name !== 'AbortError' &&
        !(e instanceof TypeError && /fetch failed|terminated/.test(e.message))
      )
        throw err; // the fuzzer's own fault, not the server's
      dropped = e.name !== 'AbortError';
      body = `(no answer: ${e.name}: ${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''})`;
    } finally {
      answered = true;
      wake();
      clearTimeout(timer);
    }
    await watch;
    const ms = Date.now() - started;
    let fatal = false;
    if (memoryKilled) {
      problems.push(
        `the server's memory grew by more than ${Math.round(this.limits.memoryGrowthBytes / 2 ** 20)} MB (peak ${Math.round(peak / 2 ** 20)} MB); it was stopped`,
      );
      fatal = true;
    } else if (!this.server.alive) {
      problems.push(
        `the server process died (${this.server.exit}): ${this.server.stderrTail.slice(-600)}`,
      );
      fatal = true;
    } else if (status === 'none' && dropped && (sent ?? 0) <= BODY_LIMIT) {
      problems.push(`the connection closed without an answer ${body}`);
    } else if (status === 'none' && !dropped) {
      problems.push(`no answer within ${this.limits.deadlineMs} ms`);
      fatal = true;
    }
    if (healthProblem) problems.push(healthProblem);
    if (typeof status === 'number' && status >= 500 && status !== 503)
      problems.push(`HTTP ${status}`);
    const leaked = DATABASE_TEXT.exec(body);
    if (leaked) problems.push(`database text in the answer: "${leaked[0]}"`);
    if (!fatal && peak - baselineRss > this.limits.memoryGrowthBytes)
      problems.push(`the server's memory grew by ${Math.round((peak - baselineRss) / 2 ** 20)} MB`);
    const logged = this.server.errors
      .filter((e) => e.at > loggedBefore && e.at >= started - 50)
      .map((e) => `${e.msg}${e.err ? `: ${e.err}` : ''}`);
    if (fatal) {
      // a frozen server is of no more use: start it again for the next call
      await this.restart();
    }
    await this.afterCall(p, role, resolved, typeof status === 'number' ? status : 0, body);
    return { status, body: body.slice(0, 2000), ms, problems, fatal, logged };
  }

  /** Starts the server again; the sessions survive (they are in the database). */
  async restart() {
    this.restarts++;
    await this.server.restart();
    for (const acc of this.accounts.values()) acc.suspect = true;
    this.baseline = this.server.rss() ?? 0;
  }

  /** Undoes what a successful call changed about the fuzzer's own accounts. */
  private async afterCall(
    p: Procedure,
    role: RoleName,
    input: unknown,
    status: number,
    body: string,
  ) {
    // FUZZ_DEBUG: what the calls that change accounts answered
    if (process.env.FUZZ_DEBUG && /^(auth|users)\./.test(p.path))
      console.log(
        `[fuzz debug] ${role} ${p.path} ${status} ${JSON.stringify(input)?.slice(0, 200)}`,
      );
    if (status !== 200) return;
    const a = this.accounts.get(role);
    const i = (input ?? {}) as Record<string, unknown>;
    if (p.path === 'auth.changePassword' && a && typeof i.next === 'string') {
      a.password = i.next;
      a.suspect = true;
    }
    if (p.path === 'auth.totpSetup' && a) {
      try {
        const uri = (JSON.parse(body) as { result: { data: { totpURI: string } } }).result.data
          .totpURI;
        a.pending = (OTPAuth.URI.parse(uri) as OTPAuth.TOTP).secret.base32;
      } catch {
        // no URI: nothing pending
      }
    }
    if (p.path === 'auth.totpVerify' && a && typeof i.code === 'string') a.lastCode = i.code;
    if (p.path === 'auth.totpVerify' && a && a.pending) {
      a.secret = a.pending;
      a.pending = undefined;
      a.suspect = true;
    }
    if (p.path === 'auth.logout' || p.path === 'auth.logoutEverywhere') {
      if (a) a.suspect = true;
    }
    if (p.path.startsWith('users.') && typeof i.username === 'string') {
      const mine = [...this.accounts.entries()].find(([, acc]) => acc.username === i.username);
      if (mine) {
        const admin = this.cookieOf('admin');
        if (p.path === 'users.setDisabled' && i.disabled === true)
          await this.raw(
            'mutation',
            'users.setDisabled',
            { username: i.username, disabled: false },
            admin,
          );
        if (p.path === 'users.setLayers')
          await this.raw(
            'mutation',
            'users.setLayers',
            { username: i.username, layers: null },
            admin,
          );
        mine[1].suspect = true;
      }
    }
  }
}
