/** Collects the messages of a live stream (SSE) opened over real HTTP. */
import { liveClientFor } from './testServer';

export interface Collected<T> {
  /**
   * the events so far, one by one, with the id a client that has it resumes from (a message
   * of several incident events is taken apart: live.incidents' events as
   * `{ id: '<event id>', data: event }`, live.all's as `{ id: 'p<..>.i<event id>', data:
   * { kind: 'incident', event } }`)
   */
  events: { id: string; data: T }[];
  /** how many messages carried them */
  messages: { count: number };
  /** resolves once the stream has been opened */
  started: Promise<void>;
  /** resolves when `n` messages have arrived, rejects when the stream fails or ends */
  until(n: number): Promise<void>;
  /** the error the stream ended with (a promise that rejects with it) */
  failed: Promise<never>;
  stop(): void;
}

type Path = 'changes' | 'incidents' | 'all';

type Numbered = { eventId: number; event: unknown };
type Message = { id: string; data: unknown };

/** A message's events one by one, each with the id of where a client that has it stands. */
function unbatch(path: Path, m: Message): Message[] {
  if (path === 'incidents')
    return (m.data as Numbered[]).map((e) => ({ id: String(e.eventId), data: e.event }));
  const data = m.data as { kind: string; events?: Numbered[] };
  if (path === 'changes' || data.kind !== 'incidents') return [m];
  const plan = m.id.slice(0, m.id.indexOf('.'));
  return data.events!.map((e) => ({
    id: `${plan}.i${e.eventId}`,
    data: { kind: 'incident', event: e.event },
  }));
}

/** Opens `live.<path>` at `url` with `cookie`, resuming after `lastEventId` when given. */
export function collect<T>(
  url: string,
  cookie: string,
  path: Path,
  lastEventId?: string,
): Collected<T> {
  const client = liveClientFor(url, cookie);
  const events: { id: string; data: T }[] = [];
  const messages = { count: 0 };
  const waiters: { n: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let error: unknown = null;
  let fail!: (e: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);
  const settle = () => {
    for (const w of [...waiters])
      if (error) w.reject(error);
      else if (events.length >= w.n) w.resolve();
      else continue;
  };
  let sub!: { unsubscribe(): void };
  const started = new Promise<void>((resolve) => {
    const opts = {
      onStarted: () => resolve(),
      onData: (e: unknown) => {
        messages.count++;
        events.push(...(unbatch(path, e as Message) as { id: string; data: T }[]));
        settle();
      },
      onError: (e: unknown) => {
        error = e;
        fail(e);
        settle();
      },
      onComplete: () => {
        error ??= new Error('the stream completed');
        fail(error);
        settle();
      },
    };
    const input = lastEventId ? { lastEventId } : undefined;
    sub = (client.live[path].subscribe as (i: unknown, o: typeof opts) => { unsubscribe(): void })(
      input,
      opts,
    );
  });
  return {
    events,
    messages,
    started,
    failed,
    until: (n) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ n, resolve, reject });
        settle();
      }),
    stop: () => sub.unsubscribe(),
  };
}
