/**
 * Live streams (SSE) a client has stopped reading are ended. tRPC writes a stream's next message
 * only once the socket has drained (backpressure), so a stalled client costs one pending batch
 * and the socket's buffers, never more; but its connection would stay open for ever. A stream
 * whose socket has wanted draining for STALL_MS — the client has read nothing for that long,
 * not even the pings sent every 15 s — is closed; a client that comes back resumes from its last
 * event id like after any other break.
 */
import type { ServerResponse } from 'node:http';

/** How long a live stream may go unread before it is ended. */
export const STALL_MS = 60_000;
/** How often a stream's socket is looked at. */
const CHECK_MS = 5_000;

export interface StallOptions {
  stallMs?: number;
  checkMs?: number;
  now?: () => number;
  /** called when a stream is ended for being unread */
  onStall?: () => void;
}

/** Watches one stream's response until it closes; ends it once it has been unread too long. */
export function endWhenStalled(res: ServerResponse, o: StallOptions = {}): void {
  const stallMs = o.stallMs ?? STALL_MS;
  const now = o.now ?? Date.now;
  let since: number | null = null;
  const timer = setInterval(() => {
    if (!res.writableNeedDrain) {
      since = null;
      return;
    }
    since ??= now();
    if (now() - since >= stallMs) {
      clearInterval(timer);
      o.onStall?.();
      res.destroy();
    }
  }, o.checkMs ?? CHECK_MS);
  timer.unref();
  res.once('close', () => clearInterval(timer));
}
