/**
 * The compute pool: CPU-heavy JavaScript (Gi*, geometry checks, what-if counting, the covering
 * location search) runs in worker threads, never on the thread that answers HTTP, with
 *  - a deadline per call (waiting in the queue included): past it the worker is stopped and the
 *    call answers TIMEOUT;
 *  - a bounded queue: when it is full the call answers SERVICE_UNAVAILABLE at once;
 *  - a heap limit per worker: a worker that runs out of memory dies (and is replaced), the call
 *    answers PAYLOAD_TOO_LARGE, and the server lives on.
 * The pool starts with the first call and is closed with the server.
 */
import { TooLarge, Timeout, Unavailable } from '../errors';
import { Piscina } from 'piscina';
import type * as Tasks from './tasks';

export interface ComputeOptions {
  /** worker threads (the server's machine has two cores) */
  maxThreads: number;
  /** calls waiting for a thread before new ones are refused */
  maxQueue: number;
  /** how long one call may take, waiting included */
  deadlineMs: number;
  /** each worker's heap limit */
  maxMemoryMb: number;
  /** an idle worker ends after this long */
  idleTimeoutMs: number;
}

export const DEFAULT_COMPUTE: ComputeOptions = {
  maxThreads: 2,
  maxQueue: 16,
  deadlineMs: 20_000,
  maxMemoryMb: 512,
  idleTimeoutMs: 60_000,
};

let options: ComputeOptions = { ...DEFAULT_COMPUTE };
let pool: Piscina | null = null;

/** Changes the pool's settings (the running pool, if any, is closed; the next call starts anew). */
export async function configureCompute(o: Partial<ComputeOptions>): Promise<void> {
  options = { ...options, ...o };
  await closeCompute();
}

export function computeOptions(): ComputeOptions {
  return { ...options };
}

/** Stops the workers (the running calls end with SERVICE_UNAVAILABLE); a later call starts a new pool. */
export async function closeCompute(): Promise<void> {
  const p = pool;
  pool = null;
  if (p) await p.close({ force: true }).catch(() => undefined);
}

function thePool(): Piscina {
  pool ??= new Piscina({
    filename: new URL('./worker.mjs', import.meta.url).href,
    // one thread stays ready once the pool has started: a cold thread takes a moment to load
    minThreads: 1,
    maxThreads: options.maxThreads,
    idleTimeout: options.idleTimeoutMs,
    resourceLimits: { maxOldGenerationSizeMb: options.maxMemoryMb },
  });
  return pool;
}

type TaskName = {
  [K in keyof typeof Tasks]: (typeof Tasks)[K] extends (input: never) => unknown ? K : never;
}[keyof typeof Tasks];
type Input<K extends TaskName> = Parameters<(typeof Tasks)[K]>[0];
type Output<K extends TaskName> = Awaited<ReturnType<(typeof Tasks)[K]>>;

const duration = (ms: number) => (ms < 1000 ? `${ms} ms` : `${+(ms / 1000).toFixed(1)} s`);

/** Calls running or waiting in the pool (the bound on waiting is kept here, not left to the pool). */
let inFlight = 0;

/**
 * Runs `task` of ./tasks.ts in a worker with `input` (structured-cloned); `what` names the
 * computation in the errors.
 */
export async function compute<K extends TaskName>(
  task: K,
  input: Input<K>,
  what: string,
): Promise<Output<K>> {
  const { deadlineMs, maxMemoryMb, maxThreads, maxQueue } = options;
  if (inFlight >= maxThreads + maxQueue)
    throw new Unavailable(`the server is busy with other analyses; try ${what} again shortly`);
  const p = thePool();
  inFlight++;
  try {
    return (await p.run({ task, input }, { signal: AbortSignal.timeout(deadlineMs) })) as Output<K>;
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string; cause?: unknown };
    const reason = (e.cause as { name?: string } | undefined)?.name;
    if (e.name === 'AbortError' && reason === 'TimeoutError')
      throw new Timeout(
        `${what} took longer than ${duration(deadlineMs)} and was stopped; ask for less (a shorter window, larger cells, a simpler geometry)`,
      );
    if (e.code === 'ERR_WORKER_OUT_OF_MEMORY')
      throw new TooLarge(
        `${what} needed more than ${maxMemoryMb} MB of memory and was stopped; ask for less`,
      );
    if (e.name === 'AbortError')
      throw new Unavailable(`${what} was stopped: the server is shutting down`);
    throw err;
  } finally {
    inFlight--;
  }
}
