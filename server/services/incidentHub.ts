/**
 * One read of new incident events per wake-up for all the live streams of a process (per
 * database). On a wake-up (a commit in this process, another process's NOTIFY, or the poll)
 * the hub reads the events after the newest it has, in id order and in batches of at most
 * EVENT_BATCH, and keeps the last few batches; a stream standing where a batch starts is handed
 * that batch, the same array for every such stream (built once). A stream that resumes from an
 * older id, or that has fallen behind the kept batches (a slow client), reads its own catch-up
 * from the table, up to the hub's head at most, and then joins the shared batches.
 *
 * Exactly once, in order: the hub reads `id > head` as every stream did, and event ids are drawn
 * under a transaction lock held to the commit (incidentEvents.ts), so once id N has been read no
 * id below N can be committed later; batches are contiguous (each starts where the one before
 * ends), and a stream takes a batch only from its own position on.
 *
 * Memory: at most WINDOW_BATCHES batches (each ≤ EVENT_BATCH events) are kept; a stream holds
 * at most the one batch it is sending, and one that falls behind the window reads from the
 * table, so a slow client neither grows the server's memory nor makes others wait.
 */
import { EventEmitter } from 'node:events';
import type { Database } from '../db/database';
import {
  EVENT_BATCH,
  incidentEventsAfter,
  incidentWakes,
  lastIncidentEventId,
  type NumberedIncidentEvent,
} from './incidentEvents';

/** How many of the latest batches the hub keeps for the streams that stand at them. */
export const WINDOW_BATCHES = 32;

/** Events read in one go, from `after` (exclusive) to `last` (inclusive). */
export interface IncidentBatch {
  after: number;
  last: number;
  events: readonly NumberedIncidentEvent[];
}

export class IncidentHub {
  /** the newest event id read (null: not known yet) */
  private headId: number | null = null;
  private starting: Promise<number> | null = null;
  /** the latest batches, oldest first, each starting where the one before ends */
  private window: IncidentBatch[] = [];
  private reading: Promise<void> | null = null;
  private again = false;
  private streams = 0;
  private timer: NodeJS.Timeout | null = null;
  /** emits 'batch' whenever the head moves */
  readonly bus = new EventEmitter();

  /**
   * @param pollMs how often it reads while streams are open, whatever wakes it
   * @param windowBatches how many of the latest batches it keeps
   */
  constructor(
    private db: Database,
    private pollMs: number,
    private windowBatches = WINDOW_BATCHES,
  ) {
    this.bus.setMaxListeners(0);
    incidentWakes(db).on('incident', () => void this.refresh().catch(() => undefined));
  }

  /** The newest event id the hub has read (read once from the table when first asked). */
  async head(): Promise<number> {
    if (this.headId !== null) return this.headId;
    this.starting ??= lastIncidentEventId(this.db).then(
      (id) => {
        this.headId ??= id;
        return this.headId;
      },
      (err: unknown) => {
        this.starting = null;
        throw err;
      },
    );
    return this.starting;
  }

  /** Whether the hub has read past `position`. */
  isPast(position: number) {
    return this.headId !== null && this.headId > position;
  }

  /**
   * A stream opens: while any is open the hub also reads every `pollMs` (for commits whose
   * wake-up was lost, e.g. while the LISTEN connection was being opened again).
   */
  join(): () => void {
    if (this.streams++ === 0) {
      this.timer = setInterval(() => void this.refresh().catch(() => undefined), this.pollMs);
      this.timer.unref();
    }
    let left = false;
    return () => {
      if (left) return;
      left = true;
      if (--this.streams === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  /**
   * The events after `position`, at most one batch, or null when the hub has nothing after it
   * (a position past the head asks the hub to read). A stream that has `joined` (it has stood
   * at the head) is handed the shared batch that starts at its position, or the rest of one it
   * falls within; one that has not (it resumes from an older id), or that has fallen behind the
   * window, reads its own from the table, up to the head: a created or updated incident is then
   * sent as it is now, as incidentEventsAfter says.
   */
  async after(position: number, joined: boolean): Promise<IncidentBatch | null> {
    const head = await this.head();
    if (position >= head) {
      if (position > head) void this.refresh().catch(() => undefined);
      return null;
    }
    const first = this.window[0];
    if (joined && first && position >= first.after) {
      const b = this.window.find((w) => position < w.last)!;
      if (b.after === position) return b;
      return {
        after: position,
        last: b.last,
        events: b.events.filter((e) => e.eventId > position),
      };
    }
    // behind the window: its own read, up to the head (committed, in order: see above)
    const events = await incidentEventsAfter(this.db, position, EVENT_BATCH, head);
    if (!events.length) return null;
    return { after: position, last: events.at(-1)!.eventId, events };
  }

  /**
   * Reads what is new, once however many ask at once; asked while reading, it reads again after
   * (a commit may have come after the read's snapshot).
   */
  refresh(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = (async () => {
      try {
        do {
          this.again = false;
          let head = await this.head();
          for (;;) {
            const events = await incidentEventsAfter(this.db, head, EVENT_BATCH);
            if (!events.length) break;
            const last = events.at(-1)!.eventId;
            this.window.push({ after: head, last, events });
            if (this.window.length > this.windowBatches) this.window.shift();
            this.headId = head = last;
            this.bus.emit('batch');
            if (events.length < EVENT_BATCH) break;
          }
        } while (this.again);
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }
}

const hubs = new WeakMap<Database, IncidentHub>();

/** The incident hub of `db`'s streams in this process. */
export function incidentHub(db: Database, pollMs: number): IncidentHub {
  let h = hubs.get(db);
  if (!h) hubs.set(db, (h = new IncidentHub(db, pollMs)));
  return h;
}
