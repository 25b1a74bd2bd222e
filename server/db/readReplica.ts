/**
 * Heavy reads on a PostgreSQL streaming replica (READ_DATABASE_URL): the heat, the summaries,
 * Gi*, coverage, the rankings, the Arrow route and the exports read from `reads.db`, which is the
 * replica while it is up and close enough behind the primary, and the primary otherwise. Writes,
 * and the reads that must see the caller's own writes (sessions, plan edits, ingest, audit), use
 * the primary always.
 *
 * How far behind: every `checkMs` the primary's WAL position is noted with the time; the replica's
 * lag is the age of the oldest noted position it has not yet replayed (0 when it has replayed the
 * newest). This measures time behind the primary's writes, not time since the last write: an idle
 * primary leaves a caught-up replica at lag 0. Over `maxLagMs` behind, or unreachable, or not a
 * standby at all, reads go to the primary until it has caught up again; a read that fails on
 * the replica because it went away is run again on the primary.
 */
import type { Database } from './database';
import { DatabaseUnavailableError, openServer } from './database';

export type ReplicaState =
  /** no replica configured */
  | 'none'
  /** reads go to the replica */
  | 'ok'
  /** further behind than allowed: reads go to the primary */
  | 'lagging'
  /** not reachable, or not a standby: reads go to the primary */
  | 'away';

export interface ReadsStatus {
  replica: ReplicaState;
  /** where heavy reads go now */
  readsFrom: 'primary' | 'replica';
  /** seconds the replica is behind the primary's writes (when it could be asked) */
  lagS?: number;
  /** why it is not used, when it is not */
  reason?: string;
}

export interface ReadRoute {
  /** the database heavy reads use: routed per query */
  readonly db: Database;
  status(): ReadsStatus;
  /** asks the replica now (tests; the timer does it every checkMs) */
  check(): Promise<ReadsStatus>;
  close(): Promise<void>;
}

export interface ReadRouteOptions {
  /** behind by more than this, reads go to the primary (default 10 s) */
  maxLagMs?: number;
  /** how often the replica is asked (default 2 s) */
  checkMs?: number;
  log?: (msg: string) => void;
  /** the clock, epoch ms */
  now?: () => number;
}

/** A WAL position (LSN) 'X/Y' as a number of bytes. */
export function lsnBytes(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/**
 * The replica's lag from the noted primary positions (oldest first) and its replay position:
 * the age of the oldest position not yet replayed, 0 if none.
 */
export function lagMs(noted: { at: number; lsn: bigint }[], replayed: bigint, now: number): number {
  const behind = noted.find((n) => n.lsn > replayed);
  return behind ? now - behind.at : 0;
}

/** Every read on the primary: no replica configured. */
export function primaryOnly(primary: Database): ReadRoute {
  return {
    db: primary,
    status: () => ({ replica: 'none', readsFrom: 'primary' }),
    check: async () => ({ replica: 'none', readsFrom: 'primary' }),
    close: async () => {},
  };
}

/** Errors that mean the replica could not be reached (not the query's own fault). */
const unreachable = (err: unknown) =>
  err instanceof DatabaseUnavailableError ||
  /ECONNREFUSED|ECONNRESET|terminat|shutting down|Connection terminated|timeout/i.test(
    (err as Error)?.message ?? '',
  );

export function readRoute(
  primary: Database,
  replicaUrl: string,
  opts: ReadRouteOptions = {},
): ReadRoute {
  const maxLag = opts.maxLagMs ?? 10_000;
  const checkMs = opts.checkMs ?? 2_000;
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const replica = openServer(replicaUrl, () => {}, {
    connectMs: Math.min(2_000, checkMs),
  });
  /** the primary's positions noted at each check, oldest first (bounded by the lag allowed) */
  const noted: { at: number; lsn: bigint }[] = [];
  let status: ReadsStatus = { replica: 'away', readsFrom: 'primary', reason: 'not asked yet' };
  const set = (s: ReadsStatus) => {
    if (s.replica !== status.replica)
      log(
        s.replica === 'ok'
          ? 'reads go to the replica'
          : `reads go to the primary: the replica is ${s.replica} (${s.reason ?? ''})`,
      );
    status = s;
    return s;
  };
  const away = (reason: string) => set({ replica: 'away', readsFrom: 'primary', reason });

  let checking: Promise<ReadsStatus> | null = null;
  const check = () =>
    (checking ??= (async () => {
      try {
        const [p] = await primary.query<{ lsn: string }>(
          'SELECT pg_current_wal_lsn()::text AS lsn',
        );
        const t = now();
        noted.push({ at: t, lsn: lsnBytes(p!.lsn) });
        while (noted.length > 1 && t - noted[0]!.at > maxLag + 2 * checkMs) noted.shift();
        let r: { standby: boolean; lsn: string | null } | undefined;
        try {
          [r] = await replica.query<{ standby: boolean; lsn: string | null }>(
            'SELECT pg_is_in_recovery() AS standby, pg_last_wal_replay_lsn()::text AS lsn',
          );
        } catch (err) {
          return away((err as Error).message);
        }
        if (!r?.standby || !r.lsn) return away('it is not a standby server');
        const lag = lagMs(noted, lsnBytes(r.lsn), t);
        const lagS = Math.round(lag / 100) / 10;
        return lag > maxLag
          ? set({
              replica: 'lagging',
              readsFrom: 'primary',
              lagS,
              reason: `${lagS} s behind (at most ${maxLag / 1000} s allowed)`,
            })
          : set({ replica: 'ok', readsFrom: 'replica', lagS });
      } catch (err) {
        // the primary itself did not answer: its own errors say so to every request
        return away(`the primary did not answer: ${(err as Error).message}`);
      } finally {
        checking = null;
      }
    })());

  const timer = setInterval(() => void check(), checkMs);
  timer.unref();
  void check();

  const target = () => (status.readsFrom === 'replica' ? replica : primary);
  const db: Database = {
    kind: 'server',
    get orm() {
      return target().orm;
    },
    async query<T>(text: string, params?: unknown[]) {
      const on = target();
      try {
        return await on.query<T>(text, params);
      } catch (err) {
        if (on !== replica || !unreachable(err)) throw err;
        away((err as Error).message);
        return primary.query<T>(text, params);
      }
    },
    // only reads come this way; a transaction here is a consistent read of several statements
    transaction: (fn) => target().transaction(fn),
    exec: (text) => primary.exec(text),
    close: async () => {},
  };

  return {
    db,
    status: () => status,
    check,
    async close() {
      clearInterval(timer);
      await replica.close();
    },
  };
}

/** The read route a server uses: the replica when one is configured. */
export function openReads(
  primary: Database,
  replicaUrl: string | undefined,
  opts?: ReadRouteOptions,
): ReadRoute {
  return replicaUrl && primary.kind === 'server'
    ? readRoute(primary, replicaUrl, opts)
    : primaryOnly(primary);
}
