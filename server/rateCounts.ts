/**
 * The counts behind the rate limits (hardening.ts), in one-minute windows: a key's window starts
 * at its first request after its last window ended. On a server
 * database they are shared by every instance on it (the table rate_counts), so that a client
 * spreading its requests over several instances behind a proxy meets the same limit as one that
 * talks to a single instance. The embedded database has one instance: its counts stay in memory.
 * When the database cannot answer, an instance counts alone in memory rather than refuse or
 * admit everything.
 */
import { LRUCache } from 'lru-cache';
import type { Database } from './db/database';

export const WINDOW_MS = 60_000;

export interface Take {
  /** the count went past the limit */
  refused: boolean;
  /** the first refused request of the window (its refusal is audited; the rest are not) */
  firstRefusal: boolean;
  /** seconds until the window ends */
  retryS: number;
}

export interface RateCounter {
  /** Adds `n` to `key`'s count in the current window and tells whether `max` is passed. */
  take(key: string, n: number, max: number, now?: number): Promise<Take>;
}

function verdict(before: number, after: number, max: number, start: number, now: number): Take {
  return {
    refused: after > max,
    firstRefusal: after > max && before <= max,
    retryS: Math.max(1, Math.ceil((start + WINDOW_MS - now) / 1000)),
  };
}

/** Counts of one process, for a bounded number of keys. */
export class MemoryCounter implements RateCounter {
  private readonly counts = new LRUCache<string, { start: number; count: number }>({
    max: 100_000,
  });

  async take(key: string, n: number, max: number, now = Date.now()) {
    let w = this.counts.get(key);
    if (!w || now - w.start >= WINDOW_MS) {
      w = { start: now, count: 0 };
      this.counts.set(key, w);
    }
    const before = w.count;
    w.count += n;
    return verdict(before, w.count, max, w.start, now);
  }
}

/** Counts in the server database, one upsert a request; old windows are deleted now and then. */
export class SharedCounter implements RateCounter {
  private readonly local = new MemoryCounter();
  private swept = 0;
  private reported = 0;

  constructor(
    private readonly db: Database,
    private readonly report: (err: unknown) => void = () => {},
  ) {}

  /** Told once a minute at most: in an outage every request would say it. */
  private readonly onError = (err: unknown) => {
    if (Date.now() - this.reported < WINDOW_MS) return;
    this.reported = Date.now();
    this.report(err);
  };

  async take(key: string, n: number, max: number, now = Date.now()) {
    try {
      // a new window when the key's last one has ended (or it has none)
      const [row] = await this.db.query<{ start: string; count: number }>(
        `INSERT INTO rate_counts AS r (key, window_start, count) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET
           window_start = CASE WHEN r.window_start <= $2 - ${WINDOW_MS} THEN $2 ELSE r.window_start END,
           count = CASE WHEN r.window_start <= $2 - ${WINDOW_MS} THEN $3 ELSE r.count + $3 END
         RETURNING window_start AS start, count`,
        [key, now, n],
      );
      if (now - this.swept >= WINDOW_MS) {
        this.swept = now;
        // windows that ended are recounted from nothing at their key's next request anyway
        void this.db
          .query(`DELETE FROM rate_counts WHERE window_start <= $1`, [now - WINDOW_MS])
          .catch(this.onError);
      }
      const after = Number(row!.count);
      return verdict(after - n, after, max, Number(row!.start), now);
    } catch (err) {
      this.onError(err);
      return this.local.take(key, n, max, now);
    }
  }
}

export function rateCounter(db: Database, onError?: (err: unknown) => void): RateCounter {
  return db.kind === 'server' ? new SharedCounter(db, onError) : new MemoryCounter();
}
