/**
 * The live demo's runner (DEMO_LIVE): every tick it sends what the schedule of demo/live.ts says
 * happened since the last tick through `ingestIncidents`, as the feed `demo-110`, and writes one
 * audit row per batch as the ingest route does for a feed, under the system actor `demo-110`
 * (role `system`, no user id: no account sends it).
 *
 * It starts on the stored demo data's seed (nothing runs over imported data), builds its places
 * after the server is up (start-up stays as fast), and on start sends what happened in the last
 * `backfillMs` (10 minutes) at most, never before the generated history's end: records already
 * stored are `unchanged`, so a restart duplicates nothing. A failed batch is sent again at the
 * next tick. `stop` clears its timer and waits for a batch in flight.
 */
import type { Database } from '../db/database';
import { loggableError } from '../db/errors';
import { auditWritable, recordAudit } from '../audit/audit';
import { dataStatus } from '../dataset/status';
import type { IngestAnswer } from '../../domain/ingest';
import type { IncidentCategory } from '../../domain/vocabulary';
import { ingestIncidents } from './ingest';
import type { LiveModel } from '../demo/live';

export interface LiveDemoOptions {
  /** DEMO_LIVE_RATE: calls come this many times as often and move on as much faster */
  rate: number;
  /** the clock, epoch ms (tests inject one) */
  now?: () => number;
  /** ms between two ticks (default 1 s) */
  tickMs?: number;
  /** how far back a (re)started simulator sends what it missed (default 10 minutes) */
  backfillMs?: number;
  /** the seed of the places; default: the stored demo data's */
  seed?: string;
  log?: (msg: string) => void;
  logError?: (obj: object, msg: string) => void;
  /** told each batch's answer */
  onBatch?: (answer: IngestAnswer) => void;
}

export interface LiveDemo {
  /** settles once the simulator runs (true) or has decided not to (false: no demo data) */
  started: Promise<boolean>;
  stop(): Promise<void>;
}

const BATCH = 1_000;
export const LIVE_BACKFILL_MS = 10 * 60_000;

/** Starts the simulator over `db`; see the module's comment. */
export function startLiveDemo(
  db: Database,
  categories: ReadonlyMap<string, IncidentCategory>,
  opts: LiveDemoOptions,
): LiveDemo {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const logError = opts.logError ?? ((obj, msg) => console.error(msg, obj));
  let since = now() - (opts.backfillMs ?? LIVE_BACKFILL_MS);
  let from = since;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let live: typeof import('../demo/live') | undefined;
  let model: LiveModel | undefined;

  const setUp = async (): Promise<boolean> => {
    const status = await dataStatus(db);
    const seed = opts.seed ?? status.seed;
    if (status.source !== 'demo' || !seed) {
      log('live demo: off (the stored data are not the demo data)');
      return false;
    }
    // nothing within the generated history: it already holds the calls up to its end
    const historyEnd = status.coverageEnd ? Date.parse(status.coverageEnd) : NaN;
    if (historyEnd > since) since = from = historyEnd;
    // the generator's parts load here, after start-up, not before the server listens
    const [{ buildRegions }, { loadDistrict }, { createRng }] = await Promise.all([
      import('../demo/regions'),
      import('../demo/sourceData'),
      import('../demo/random'),
    ]);
    live = await import('../demo/live');
    const layout = buildRegions(loadDistrict().geom, createRng(seed, 'regions'));
    model = live.createLiveModel(seed, layout, opts.rate);
    log(
      `live demo: about ${live.LIVE_CALLS_PER_HOUR * opts.rate} calls an hour as ${live.LIVE_SOURCE}` +
        (opts.rate === 1 ? '' : ` (DEMO_LIVE_RATE ${opts.rate})`),
    );
    return true;
  };

  const send = async () => {
    const to = now();
    const records = live!.recordsBetween(model!, from, to, since);
    for (let i = 0; i < records.length; i += BATCH) {
      if (!(await auditWritable(db)))
        throw new Error('the audit trail cannot be written: no batch is sent');
      const answer = await ingestIncidents(db, live!.LIVE_SOURCE, records.slice(i, i + BATCH), {
        categories,
        now: to,
      });
      await recordAudit(db, {
        username: live!.LIVE_SOURCE,
        role: 'system',
        action: 'incidents.ingest',
        object: `source:${live!.LIVE_SOURCE}`,
        outcome: 'ok',
        detail: { source: live!.LIVE_SOURCE, counts: answer.counts, simulated: true },
      });
      opts.onBatch?.(answer);
    }
    from = to;
  };

  const tick = async () => {
    try {
      await send();
    } catch (err) {
      // sent again from the same instant at the next tick: the feed is idempotent
      logError({ err: loggableError(err) }, 'live demo: a batch was not applied');
    }
  };
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().then(next);
    }, opts.tickMs ?? 1_000);
    timer.unref();
  };

  const started = setUp().then(
    (ok) => {
      if (ok && !stopped) {
        running = tick().then(next);
      }
      return ok && !stopped;
    },
    (err: unknown) => {
      logError({ err: loggableError(err) }, 'live demo: not started');
      return false;
    },
  );

  return {
    started,
    async stop() {
      stopped = true;
      await started;
      clearTimeout(timer);
      await running;
      clearTimeout(timer);
    },
  };
}
