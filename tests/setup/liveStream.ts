/** Collects the messages of a live stream (SSE) opened over real HTTP. */
import { liveClientFor } from './testServer';

export interface Collected<T> {
  /** the messages so far, with their event ids */
  events: { id: string; data: T }[];
  /** resolves once the stream has been opened */
  started: Promise<void>;
  /** resolves when `n` messages have arrived, rejects when the stream fails or ends */
  until(n: number): Promise<void>;
  /** the error the stream ended with (a promise that rejects with it) */
  failed: Promise<never>;
  stop(): void;
}

type Path = 'changes' | 'incidents' | 'all';

/** Opens `live.<path>` at `url` with `cookie`, resuming after `lastEventId` when given. */
export function collect<T>(
  url: string,
  cookie: string,
  path: Path,
  lastEventId?: string,
): Collected<T> {
  const client = liveClientFor(url, cookie);
  const events: { id: string; data: T }[] = [];
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
        events.push(e as { id: string; data: T });
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
