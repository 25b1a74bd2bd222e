/**
 * Reading an uploaded file on a thread of its own: the decoding, parsing and conversion of one
 * file (threadTask.ts) run in a worker thread started for it and ended with it, so that one
 * large upload never holds up the requests of others. A thread per file rather than the compute
 * pool: a file is read as a conversation (open, sample, convert, then batch after batch as the
 * database takes them), and a CSV of millions of rows streams through it with one batch in hand
 * at a time, where a pool's task would answer the whole file at once.
 *
 * Like the pool's calls, a read has a deadline (past it the thread is stopped and the caller gets
 * a Timeout naming it) and a heap limit (a TooLarge). The readers' own limits and refusals stay
 * theirs: a FileRefused thrown in the thread is thrown here again, the same class with the same
 * message and where, so the answer is the same clear 400.
 */
import { Worker } from 'node:worker_threads';
import { importReason } from '../../../domain/importReasons';
import {
  BadInput,
  codedError,
  Conflict,
  DomainError,
  Forbidden,
  NotFound,
  Timeout,
  TooLarge,
  Unavailable,
} from '../../errors';
import type { ReadOptions } from './index';
import { sourceSize, type ByteSource } from './source';
import type { ImportLayer, SuggestedMapping } from './mapping';
import type {
  ConvertedBatch,
  OpenAnswer,
  ReadRequest,
  ReadThreadInput,
  ThreadError,
} from './threadTask';
import { FileRefused, LayerNotChosen, type ReadRecord } from './types';

export interface ReadDeadlines {
  /** reading a file's head to inspect it */
  inspectMs: number;
  /** the read pass of an import: this much, and perMbMs more for each MB of the file */
  importMs: number;
  perMbMs: number;
  /** the reading thread's heap limit */
  maxMemoryMb: number;
}

export const DEFAULT_READ_DEADLINES: ReadDeadlines = {
  inspectMs: 30_000,
  importMs: 60_000,
  perMbMs: 1_000,
  maxMemoryMb: 1_536,
};

let deadlines: ReadDeadlines = { ...DEFAULT_READ_DEADLINES };

/** Changes the deadlines and heap limit of the reads started from now on (tests shorten them). */
export function configureReads(d: Partial<ReadDeadlines>): void {
  deadlines = { ...deadlines, ...d };
}

/** The deadline of an import's read pass over a file of `bytes`. */
export function importDeadlineMs(bytes: number, d: ReadDeadlines = deadlines): number {
  return d.importMs + Math.ceil(bytes / 1024 ** 2) * d.perMbMs;
}

const KINDS: Record<string, new (message: string) => DomainError> = {
  forbidden: Forbidden,
  'not-found': NotFound,
  conflict: Conflict,
  'too-large': TooLarge,
  timeout: Timeout,
  unavailable: Unavailable,
};

/** The error thrown in the thread, as this thread throws it: the same class, message and where. */
export function errorFromThread(e: ThreadError): Error {
  let err: Error;
  const props = { ...e.props };
  if (e.name === 'LayerNotChosen' && Array.isArray(props.layers))
    err = new LayerNotChosen(props.layers as string[]);
  else if (e.kind === 'bad-input') {
    // the message as it was (it holds the field and where already)
    err = e.name === 'FileRefused' ? new FileRefused('') : new BadInput(undefined, '');
    err.message = e.message;
  } else if (e.kind && KINDS[e.kind]) err = new KINDS[e.kind]!(e.message);
  else {
    err = new Error(e.message);
    err.name = e.name;
  }
  delete props.message;
  delete props.stack;
  delete props.name;
  return Object.assign(err, props);
}

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

/**
 * One file read on its own thread. `open` starts it; every call after answers or throws as the
 * reader would have in this thread; `close` ends the thread (always call it: `finally`).
 */
export class ThreadRead {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | null = null;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly worker: Worker,
    deadlineMs: number,
    /** the file's size for an import's read pass, null for an inspection */
    size: number | null,
    maxMemoryMb: number,
  ) {
    this.timer = setTimeout(
      () => this.fail(codedError(Timeout, importReason('read_timeout', { size, ms: deadlineMs }))),
      deadlineMs,
    );
    this.timer.unref();
    worker.on('message', (m: { id: number; value?: unknown; error?: ThreadError }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(errorFromThread(m.error));
      else p.resolve(m.value);
    });
    worker.on('error', (err: Error & { code?: string }) =>
      this.fail(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? codedError(TooLarge, importReason('read_out_of_memory', { size, mb: maxMemoryMb }))
          : err,
      ),
    );
    worker.on('exit', () =>
      this.fail(codedError(Unavailable, importReason('read_stopped', { size }))),
    );
  }

  /**
   * Starts the thread over `source` and opens the file. `size` (an import's, null for an
   * inspection) names the read in errors; the deadline counts from here to `close`.
   */
  static async open(
    source: ByteSource,
    options: ReadOptions,
    limits: { deadlineMs: number; size: number | null },
  ): Promise<{ read: ThreadRead } & OpenAnswer> {
    const { maxMemoryMb } = deadlines;
    const worker = new Worker(new URL('./thread.mjs', import.meta.url), {
      workerData: { source, options } satisfies ReadThreadInput,
      resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb },
    });
    const read = new ThreadRead(worker, limits.deadlineMs, limits.size, maxMemoryMb);
    try {
      const opened = (await read.ask({ op: 'open' })) as OpenAnswer;
      return { read, ...opened };
    } catch (err) {
      await read.close();
      throw err;
    }
  }

  private fail(err: Error) {
    if (this.failure) return;
    this.failure = err;
    clearTimeout(this.timer);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    void this.worker.terminate();
  }

  private ask(req: ReadRequest): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, req });
    });
  }

  /** The first `records` records as read, and the first positions of the first records. */
  sample(records: number, points: number) {
    return this.ask({ op: 'sample', records, points }) as Promise<{
      sample: ReadRecord[];
      points: Array<[number, number]>;
    }>;
  }

  /** The first positions of the file's records (for the guesses of its coordinate system). */
  async points(points: number): Promise<Array<[number, number]>> {
    return ((await this.ask({ op: 'points', points })) as { points: Array<[number, number]> })
      .points;
  }

  /**
   * The records converted to `layer`'s rows in WGS84, batch after batch. `crs` is the system
   * chosen, null for the one the file declares. The next batch is read while the caller handles
   * this one: at most two batches are in memory.
   */
  async *convert(
    layer: ImportLayer,
    mapping: SuggestedMapping,
    crs: string | null,
  ): AsyncIterable<ConvertedBatch> {
    await this.ask({ op: 'convert', layer, mapping, crs });
    let next = this.ask({ op: 'next' });
    for (;;) {
      const batch = (await next) as ConvertedBatch | null;
      if (!batch) return;
      next = this.ask({ op: 'next' });
      // a batch left unread when the caller stops is not an unhandled rejection
      next.catch(() => undefined);
      yield batch;
    }
  }

  /** Ends the thread. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.failure ??= new Unavailable('the file was closed');
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
    await this.worker.terminate();
  }
}

/** Opens a file on its own thread to inspect it (the inspect deadline). */
export function openForInspect(source: ByteSource, options: ReadOptions) {
  return ThreadRead.open(source, options, {
    deadlineMs: deadlines.inspectMs,
    size: null,
  });
}

/** Opens a file on its own thread for an import's read pass (a deadline by its size). */
export async function openForImport(source: ByteSource, options: ReadOptions) {
  const size = await sourceSize(source);
  return ThreadRead.open(source, options, {
    deadlineMs: importDeadlineMs(size),
    size,
  });
}
