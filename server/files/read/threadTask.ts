/**
 * What the reading thread does (offThread.ts starts it, thread.mjs loads this): it reads one file
 * and converts its records to a layer's rows, answering one request at a time, so that the
 * decoding, parsing and conversion never run on the thread that answers HTTP. Its state is the
 * file being read: opened once, sampled, then converted batch by batch as the caller asks for
 * the next (one batch in hand at a time: memory stays flat whatever the file's size).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Position } from 'geojson';
import { parseCrs, type Crs } from '../../../geo/crs';
import { declaredCrs, readFile, type ReadOptions } from './index';
import { RowConverter, type LayerRows, type Refusal } from './rows';
import type { ImportLayer, SuggestedMapping } from './mapping';
import type { ByteSource } from './source';
import type { FileInfo, ReadRecord } from './types';

/** The requests the reading thread answers (offThread.ts sends them). */
export type ReadRequest =
  | { op: 'open' }
  | { op: 'sample'; records: number; points: number }
  | { op: 'points'; points: number }
  | { op: 'convert'; layer: ImportLayer; mapping: SuggestedMapping; crs: string | null }
  | { op: 'next' };

export interface OpenAnswer {
  info: FileInfo;
  /** the id of the coordinate system the file declares */
  declared: string | null;
}

export interface ConvertedBatch {
  rows: LayerRows[ImportLayer][];
  refusals: Refusal[];
  /** records read in this batch, refused ones included */
  read: number;
}

/** An error as it crosses to the HTTP thread: its class by name and what the caller reads. */
export interface ThreadError {
  name: string;
  message: string;
  /** a DomainError's kind */
  kind?: string;
  /** the rest of its own properties (field, where, layers, reason code…) */
  props: Record<string, unknown>;
}

export interface ReadThreadInput {
  source: ByteSource;
  options: ReadOptions;
}

/** A position of a record's geometry: its first coordinate. */
export function firstPosition(record: ReadRecord): [number, number] | null {
  let c: unknown =
    record.geometry && 'coordinates' in record.geometry && record.geometry.coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  const p = c as Position | undefined;
  return Array.isArray(p) && typeof p[0] === 'number' && typeof p[1] === 'number'
    ? [p[0], p[1]]
    : null;
}

/** The file's state in the thread, and what each request does to it. */
export class ReadSession {
  private declared: Crs | null = null;
  private info: FileInfo | null = null;
  private records: AsyncIterator<ReadRecord[]> | null = null;
  private converter: RowConverter<ImportLayer> | null = null;

  constructor(private readonly input: ReadThreadInput) {}

  private async open(): Promise<AsyncIterator<ReadRecord[]>> {
    const read = await readFile(this.input.source, this.input.options);
    const { records, ...info } = read;
    this.info = info;
    this.declared = declaredCrs(read);
    return records[Symbol.asyncIterator]();
  }

  async answer(req: ReadRequest): Promise<unknown> {
    switch (req.op) {
      case 'open':
        this.records = await this.open();
        return { info: this.info!, declared: this.declared?.id ?? null } satisfies OpenAnswer;
      case 'sample':
      case 'points': {
        // from the file's start, whatever was read before
        const it = await this.open();
        const sample: ReadRecord[] = [];
        const points: Array<[number, number]> = [];
        const samples = req.op === 'sample' ? req.records : 0;
        for (let b = await it.next(); !b.done; b = await it.next()) {
          for (const r of b.value) {
            if (sample.length < samples) sample.push(r);
            const p = firstPosition(r);
            if (p) points.push(p);
          }
          if (points.length >= req.points) break;
        }
        await it.return?.();
        return { sample, points };
      }
      case 'convert': {
        let crs: Pick<Crs, 'toWgs84'> | null = this.declared;
        if (req.crs) crs = parseCrs(req.crs);
        if (!crs) throw new Error('no coordinate system to convert from');
        this.converter = new RowConverter(req.layer, req.mapping, crs);
        this.records ??= await this.open();
        return null;
      }
      case 'next': {
        if (!this.records || !this.converter) throw new Error('convert before next');
        const b = await this.records.next();
        if (b.done) return null;
        const { rows, refusals } = this.converter.convert(b.value);
        return { rows, refusals, read: b.value.length } satisfies ConvertedBatch;
      }
    }
  }
}

/** An error as a plain object that survives the structured clone. */
export function errorToThread(err: unknown): ThreadError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err), props: {} };
  const props: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) {
    if (k === 'kind' || typeof v === 'function') continue;
    try {
      props[k] = structuredClone(v);
    } catch {
      // a property that cannot cross (a cause holding a handle) is left behind
    }
  }
  const kind = (err as { kind?: unknown }).kind;
  return {
    name: err.name,
    message: err.message,
    kind: typeof kind === 'string' ? kind : undefined,
    props,
  };
}

/** The thread's loop: one request at a time, each answered with its value or its error. */
export function serveReads(): void {
  const port = parentPort;
  if (!port) throw new Error('serveReads runs in a worker thread');
  const session = new ReadSession(workerData as ReadThreadInput);
  let queue = Promise.resolve();
  port.on('message', (msg: { id: number; req: ReadRequest }) => {
    queue = queue.then(async () => {
      try {
        port.postMessage({ id: msg.id, value: await session.answer(msg.req) });
      } catch (err) {
        port.postMessage({ id: msg.id, error: errorToThread(err) });
      }
    });
  });
}
