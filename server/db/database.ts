/**
 * One interface over the two ways the database runs:
 * - embedded: PGlite + PostGIS in a worker thread, stored under a data directory;
 * - server: node-postgres against a real PostgreSQL/PostGIS server (`DATABASE_URL`).
 * Services get a `Database` and use either the drizzle query builder (`orm`) or raw SQL (`query`).
 */
import { Worker } from 'node:worker_threads';
import { drizzle as drizzleProxy } from 'drizzle-orm/pg-proxy';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import * as schema from './schema';

export type Orm = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Queryable {
  /** Raw SQL with $1… parameters; rows as objects. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  orm: Orm;
  /**
   * `COPY … FROM STDIN` (the server database's transactions only): rows written as they come,
   * in COPY's text format; no other statement on this connection until `end`.
   */
  copyFrom?(text: string): CopyIn;
}

/** A COPY FROM STDIN in progress. */
export interface CopyIn {
  /** Resolves when the chunk is taken (at once, or when the connection has drained). */
  write(chunk: string): Promise<void>;
  /** Ends the data; resolves when the server has stored every row. */
  end(): Promise<void>;
  /** Gives the COPY up (the server discards its rows); resolves when the connection is free. */
  abort(): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'embedded' | 'server';
  /** Several statements, no parameters (migrations, DDL). */
  exec(text: string): Promise<void>;
  /** Runs `fn` in one transaction: all of it is stored, or none of it. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * The most a query may take from now on before its caller gets DatabaseUnavailableError
   * (0: no limit). The embedded database cannot interrupt a running statement: the caller stops
   * waiting and the late answer is dropped. The server database has its own limits from the
   * start (ServerTimeouts) and ignores this.
   */
  setQueryDeadline?(ms: number): void;
  /**
   * Calls `fn` with the payload of each NOTIFY on `channel` (the server database only: the
   * embedded one serves a single process). One dedicated connection per Database LISTENs, opened
   * on the first call and opened again whenever it drops; after each (re)connection `fn(null)`
   * is called, since notifications sent meanwhile are lost. Returns the call that stops it.
   */
  listen?(channel: string, fn: (payload: string | null) => void): () => void;
}

/** The database cannot be reached: requests fail fast with this until it is back. */
export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super(`the database is unavailable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.name = 'DatabaseUnavailableError';
  }
}

/** An error Postgres raised about the query itself, with its SQLSTATE code. */
export class QueryError extends Error {
  code?: string;
  detail?: string;
  constructor(message: string, code?: string, detail?: string) {
    super(message);
    this.name = 'QueryError';
    this.code = code;
    this.detail = detail;
  }
}

// --- embedded ---------------------------------------------------------------------------------

interface Pending {
  resolve: (rows: unknown[]) => void;
  reject: (err: Error) => void;
}

type WorkerReply =
  | { type: 'ready' }
  | { type: 'closed' }
  | { type: 'result'; id: number; rows: unknown[] }
  | { type: 'error'; id: number; error: { message: string; code?: string; detail?: string } }
  | { type: 'fatal'; error: string };

class EmbeddedDatabase implements Database {
  readonly kind = 'embedded' as const;
  readonly orm: Orm;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private dead: Error | null = null;
  /** Resolves when the transaction holding the single PGlite connection ends. */
  private txTail: Promise<void> = Promise.resolve();
  private txActive = false;
  private deadlineMs = 0;

  constructor(private worker: Worker) {
    worker.on('message', (msg: WorkerReply) => this.onMessage(msg));
    worker.on('error', (err) => this.fail(err));
    worker.on('exit', (code) => this.fail(new Error(`embedded database worker exited (${code})`)));
    this.orm = this.makeOrm((text, params, mode) => this.send(text, params, mode));
  }

  private makeOrm(
    run: (text: string, params: unknown[], mode: 'array' | 'object') => Promise<unknown[]>,
  ): Orm {
    return drizzleProxy(
      async (text, params, method) => ({
        rows: await run(text, params, method === 'all' ? 'array' : 'object'),
      }),
      { schema },
    ) as unknown as Orm;
  }

  private onMessage(msg: WorkerReply) {
    if (msg.type !== 'result' && msg.type !== 'error') return;
    const p = this.pending.get(msg.id);
    if (!p) return;
    this.pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.rows);
    else p.reject(new QueryError(msg.error.message, msg.error.code, msg.error.detail));
  }

  private fail(err: Error) {
    if (this.dead) return;
    this.dead = new DatabaseUnavailableError(err);
    for (const p of this.pending.values()) p.reject(this.dead);
    this.pending.clear();
  }

  setQueryDeadline(ms: number) {
    this.deadlineMs = Math.max(0, ms);
  }

  private send(text: string, params: unknown[], rowMode: 'array' | 'object', type = 'query') {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    const deadline = type === 'query' ? this.deadlineMs : 0;
    return new Promise<unknown[]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done = () => {
        if (timer) clearTimeout(timer);
        this.pending.delete(id);
      };
      this.pending.set(id, {
        resolve: (rows) => (done(), resolve(rows)),
        reject: (err) => (done(), reject(err)),
      });
      if (deadline)
        timer = setTimeout(() => {
          // PGlite finishes the statement regardless; its answer finds no one waiting
          done();
          reject(
            new DatabaseUnavailableError(
              new Error(`the embedded database gave no answer within ${deadline} ms`),
            ),
          );
        }, deadline);
      this.worker.postMessage({ type, id, sql: text, params, rowMode });
    });
  }

  /** Waits while another caller holds the connection in a transaction. */
  private async outsideTransactions() {
    while (this.txActive) await this.txTail;
  }

  async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    await this.outsideTransactions();
    return (await this.send(text, params, 'object')) as T[];
  }

  async exec(text: string): Promise<void> {
    await this.outsideTransactions();
    await this.send(text, [], 'object', 'exec');
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const previous = this.txTail;
    let release!: () => void;
    this.txTail = new Promise<void>((r) => (release = r));
    await previous;
    await this.outsideTransactions();
    this.txActive = true;
    const run = (text: string, params: unknown[], mode: 'array' | 'object') =>
      this.send(text, params, mode);
    const tx: Queryable = {
      query: async <R>(text: string, params: unknown[] = []) =>
        (await run(text, params, 'object')) as R[],
      orm: this.makeOrm(run),
    };
    try {
      await run('BEGIN', [], 'object');
      const result = await fn(tx);
      await run('COMMIT', [], 'object');
      return result;
    } catch (err) {
      if (!this.dead) await run('ROLLBACK', [], 'object').catch(() => undefined);
      throw err;
    } finally {
      this.txActive = false;
      release();
    }
  }

  async close(): Promise<void> {
    if (this.dead) return;
    await new Promise<void>((resolve) => {
      const onMsg = (msg: WorkerReply) => {
        if (msg.type === 'closed') resolve();
      };
      this.worker.on('message', onMsg);
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ type: 'close' });
    });
    this.dead = new DatabaseUnavailableError(new Error('closed'));
    await this.worker.terminate();
  }
}

/** Opens (creating if needed) the embedded database stored in `dataDir`. */
export async function openEmbedded(dataDir: string): Promise<Database> {
  const worker = new Worker(new URL('./embeddedWorker.mjs', import.meta.url), {
    workerData: { dataDir },
  });
  await new Promise<void>((resolve, reject) => {
    const onMessage = (msg: WorkerReply) => {
      if (msg.type === 'ready') {
        worker.off('message', onMessage);
        worker.off('error', reject);
        resolve();
      }
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`the embedded database in ${dataDir} failed to open (worker exit ${code})`)),
    );
  });
  return new EmbeddedDatabase(worker);
}

// --- server -----------------------------------------------------------------------------------

/** Errors that mean "the server is not there", as opposed to "the query is wrong". */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (!e) return false;
  if (e.code && ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE'].includes(e.code))
    return true;
  // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 08xxx connection errors
  if (e.code && (e.code.startsWith('08') || ['57P01', '57P02', '57P03'].includes(e.code)))
    return true;
  // 'Query read timeout': no answer within query_timeout (a silent network partition)
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|Client was closed and is not queryable|^timeout expired$|connection timeout/i.test(
    e.message ?? '',
  );
}

function wrapServerError(err: unknown): Error {
  if (err instanceof DatabaseUnavailableError) return err;
  if (isConnectionError(err)) return new DatabaseUnavailableError(err);
  const e = err as { message?: string; code?: string; detail?: string };
  return new QueryError(e.message ?? String(err), e.code, e.detail);
}

/**
 * A query that has waited this long with no answer from the database meanwhile makes the pool
 * check, on a fresh connection, whether the server is still there.
 */
const PROBE_AFTER_MS = 2_000;

class ServerDatabase implements Database {
  readonly kind = 'server' as const;
  readonly orm: Orm;
  /** the rejections of the queries waiting for an answer */
  private waiting = new Map<(err: Error) => void, number>();
  /** set while a probe found the server unreachable: queries fail at once */
  private down: DatabaseUnavailableError | null = null;
  private lastAnswer = Date.now();
  private probing = false;
  private watchdog: NodeJS.Timeout;

  constructor(
    private pool: pg.Pool,
    private probeOptions: pg.ClientConfig,
  ) {
    // the query builder (and the accounts library through it) goes through the same guard
    const guarded = Object.create(pool) as pg.Pool;
    const query = pool.query as (...a: unknown[]) => Promise<unknown>;
    guarded.query = ((...args: unknown[]) => this.guard(() => query.apply(pool, args))) as never;
    guarded.connect = pool.connect.bind(pool) as never;
    this.orm = drizzlePg({ client: guarded, schema }) as unknown as Orm;
    this.watchdog = setInterval(() => void this.check(), 500);
    this.watchdog.unref();
  }

  /**
   * Runs one call to the server, failing at once while it is known to be unreachable, and as
   * soon as a probe finds it gone (a silent network partition answers nothing, not even an
   * error: without this, each request would wait for the query timeout).
   */
  private guard<T>(call: () => Promise<T>, late?: (v: T) => void): Promise<T> {
    if (this.down) return Promise.reject(this.down);
    let abort!: (err: Error) => void;
    let aborted = false;
    const p = new Promise<T>((resolve, reject) => {
      abort = (err) => {
        aborted = true;
        reject(err);
      };
      call().then(
        (v) => {
          this.lastAnswer = Date.now();
          if (aborted) late?.(v);
          else resolve(v);
        },
        (err: unknown) => {
          if (!isConnectionError(err)) this.lastAnswer = Date.now();
          reject(err as Error);
        },
      );
    });
    this.waiting.set(abort, Date.now());
    const settled = () => void this.waiting.delete(abort);
    p.then(settled, settled);
    return p;
  }

  private async check() {
    if (this.probing) return;
    const now = Date.now();
    const oldest = Math.min(...this.waiting.values());
    const stalled = now - oldest > PROBE_AFTER_MS && now - this.lastAnswer > PROBE_AFTER_MS;
    if (!stalled && !this.down) return;
    this.probing = true;
    const c = new pg.Client(this.probeOptions);
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query('SELECT 1');
      this.down = null;
      this.lastAnswer = Date.now();
    } catch (err) {
      // the server answered, if only to refuse (too many connections): it is there
      if (!isConnectionError(err)) {
        this.down = null;
        this.lastAnswer = Date.now();
        return;
      }
      this.down = new DatabaseUnavailableError(err);
      for (const abort of [...this.waiting.keys()]) abort(this.down);
      this.waiting.clear();
    } finally {
      this.probing = false;
      void c.end().catch(() => undefined);
    }
  }

  async query<T>(text: string, params: unknown[] = []): Promise<T[]> {
    try {
      return (await this.guard(() => this.pool.query(text, params))).rows as T[];
    } catch (err) {
      throw wrapServerError(err);
    }
  }

  async exec(text: string): Promise<void> {
    await this.query(text);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      // a connection that arrives after the wait was given up goes back to the pool
      client = await this.guard(
        () => this.pool.connect(),
        (late) => late.release(),
      );
    } catch (err) {
      throw wrapServerError(err);
    }
    const run = async <R>(text: string, params: unknown[] = []) => {
      try {
        return (await this.guard(() => client.query(text, params))).rows as R[];
      } catch (err) {
        throw wrapServerError(err);
      }
    };
    const tx: Queryable = {
      query: run,
      orm: drizzlePg({ client, schema }) as unknown as Orm,
      copyFrom: (text) => copyIn(client, text),
    };
    let broken: unknown = undefined;
    // a connection lost mid-transaction is reported by the statement waiting on it; the pool
    // listens for errors only on idle connections, and an unheard one would end the process
    const lostConnection = (err: Error) => void (broken ??= err);
    client.on('error', lostConnection);
    try {
      await run('BEGIN');
      const result = await fn(tx);
      await run('COMMIT');
      return result;
    } catch (err) {
      broken = err;
      await run('ROLLBACK').catch(() => undefined);
      throw err instanceof QueryError || err instanceof DatabaseUnavailableError
        ? err
        : isConnectionError(err)
          ? new DatabaseUnavailableError(err)
          : err;
    } finally {
      // a connection that failed is dropped, not reused
      const lost =
        broken instanceof DatabaseUnavailableError || (broken && isConnectionError(broken));
      client.removeListener('error', lostConnection);
      client.release(lost ? (broken as Error) : undefined);
    }
  }

  private listener: Listener | null = null;

  listen(channel: string, fn: (payload: string | null) => void): () => void {
    this.listener ??= new Listener(this.probeOptions.connectionString!);
    return this.listener.add(channel, fn);
  }

  async close(): Promise<void> {
    clearInterval(this.watchdog);
    await this.listener?.close();
    await this.pool.end();
  }
}

/** How long a dropped LISTEN connection waits before it is opened again (doubling up to 5 s). */
const LISTEN_RETRY_MS = [250, 500, 1_000, 2_000, 5_000];

/**
 * The one connection of a process that LISTENs (server database): it is kept open, opened again
 * when it drops, and tells every listener after each (re)connection.
 */
class Listener {
  private fns = new Map<string, Set<(payload: string | null) => void>>();
  private client: pg.Client | null = null;
  private closed = false;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(private url: string) {
    void this.connect();
  }

  add(channel: string, fn: (payload: string | null) => void) {
    let set = this.fns.get(channel);
    if (!set) {
      this.fns.set(channel, (set = new Set()));
      this.client?.query(`LISTEN ${pg.escapeIdentifier(channel)}`).catch(() => this.drop());
    }
    set.add(fn);
    return () => void set.delete(fn);
  }

  private async connect() {
    this.timer = null;
    if (this.closed) return;
    const c = new pg.Client({
      connectionString: this.url,
      keepAlive: true,
      connectionTimeoutMillis: 3_000,
    });
    c.on('error', () => this.drop(c));
    c.on('end', () => this.drop(c));
    c.on('notification', (n) => {
      for (const fn of this.fns.get(n.channel) ?? []) fn(n.payload ?? null);
    });
    this.client = c;
    try {
      await c.connect();
      for (const channel of this.fns.keys())
        await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch {
      this.drop(c);
      return;
    }
    if (this.client !== c) return;
    this.failures = 0;
    for (const set of this.fns.values()) for (const fn of set) fn(null);
  }

  /** The connection is gone (or failing): another one is opened after a while. */
  private drop(c = this.client) {
    if (!c || c !== this.client) return;
    this.client = null;
    c.removeAllListeners('notification');
    void c.end().catch(() => undefined);
    if (this.closed || this.timer) return;
    const wait = LISTEN_RETRY_MS[Math.min(this.failures++, LISTEN_RETRY_MS.length - 1)]!;
    this.timer = setTimeout(() => void this.connect(), wait);
    this.timer.unref();
  }

  async close() {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }
}

/** Starts a COPY FROM STDIN on `client`; its failure is met by the next write or the end. */
function copyIn(client: pg.PoolClient, text: string): CopyIn {
  // the rows come as the caller reads them, for longer than one statement's answer may take:
  // the client's own limit is an hour (the server's is the transaction's statement_timeout)
  const stream = client.query(Object.assign(copyFrom(text), { query_timeout: 3_600_000 }));
  let failed: Error | null = null;
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', (err: Error) => {
      failed = err;
      reject(err);
    });
  });
  finished.catch(() => undefined);
  const fail = (err: Error) => wrapServerError(err);
  return {
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        if (failed) return reject(fail(failed));
        if (stream.write(chunk)) return resolve();
        const settle = () => {
          stream.off('drain', settle);
          stream.off('error', settle);
          if (failed) reject(fail(failed));
          else resolve();
        };
        stream.on('drain', settle);
        stream.on('error', settle);
      }),
    end: async () => {
      if (!failed) stream.end();
      try {
        await finished;
      } catch (err) {
        throw fail(err as Error);
      }
    },
    abort: async () => {
      if (!failed && !stream.writableFinished) stream.destroy(new Error('the rows were given up'));
      await finished.catch(() => undefined);
    },
  };
}

/** How long the server database may take before a request fails fast (503). */
export interface ServerTimeouts {
  /** a statement running longer is cancelled by the server (SQLSTATE 57014) */
  statementMs: number;
  /**
   * no answer on a connection within this long: the connection is dropped and the request fails
   * (a network partition gives no error, only silence); a little longer than statementMs, so
   * that the server's own cancel comes first when it can
   */
  queryMs: number;
  /** opening a connection */
  connectMs: number;
  /** a transaction left idle this long is ended by the server, releasing its locks */
  idleInTransactionMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = {
  statementMs: 15_000,
  queryMs: 17_000,
  connectMs: 3_000,
  idleInTransactionMs: 30_000,
};

/**
 * Connects to a PostgreSQL/PostGIS server. The pool survives the server going away: idle-client
 * errors are logged, queries fail fast with DatabaseUnavailableError, and new connections are
 * made once the server is back. Statements, answers and connections have time limits
 * (`timeouts`), and TCP keep-alive finds dead connections while they are idle. A server that
 * goes silent (a network partition) is found by a probe as soon as queries wait 2 s without any
 * answer: the waiting queries then fail at once, and so do new ones until a probe gets through.
 */
export function openServer(
  url: string,
  log: (msg: string) => void = (m) => console.warn(m),
  timeouts: Partial<ServerTimeouts> = {},
): Database {
  const t = { ...DEFAULT_SERVER_TIMEOUTS, ...timeouts };
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: t.connectMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: t.statementMs,
    query_timeout: t.queryMs,
    idle_in_transaction_session_timeout: t.idleInTransactionMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  pool.on('error', (err) => log(`database connection lost: ${err.message}`));
  const probe = Math.min(t.connectMs, 2_000);
  return new ServerDatabase(pool, {
    connectionString: url,
    connectionTimeoutMillis: probe,
    query_timeout: probe,
  });
}
