/**
 * A live stream whose client has stopped reading is ended after STALL_MS of unread data; one
 * that drains now and then is left alone, and nothing is watched after the stream closes.
 */
import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { endWhenStalled, STALL_MS } from '../../server/stalledStreams';

class FakeResponse extends EventEmitter {
  writableNeedDrain = false;
  destroyed = false;
  destroy() {
    this.destroyed = true;
    this.emit('close');
  }
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('endWhenStalled', () => {
  it('ends a stream left unread for STALL_MS, not before', () => {
    const res = new FakeResponse();
    const stalled = vi.fn();
    endWhenStalled(res as unknown as ServerResponse, { now: Date.now, onStall: stalled });
    vi.advanceTimersByTime(30_000);
    expect(res.destroyed).toBe(false);
    res.writableNeedDrain = true;
    vi.advanceTimersByTime(STALL_MS - 5_000);
    expect(res.destroyed).toBe(false);
    vi.advanceTimersByTime(10_000);
    expect(res.destroyed).toBe(true);
    expect(stalled).toHaveBeenCalledOnce();
  });

  it('leaves alone a slow client that drains now and then', () => {
    const res = new FakeResponse();
    endWhenStalled(res as unknown as ServerResponse, { now: Date.now });
    for (let i = 0; i < 10; i++) {
      res.writableNeedDrain = true;
      vi.advanceTimersByTime(STALL_MS - 10_000);
      res.writableNeedDrain = false;
      vi.advanceTimersByTime(5_000);
    }
    expect(res.destroyed).toBe(false);
  });

  it('stops watching once the stream has closed', () => {
    const res = new FakeResponse();
    endWhenStalled(res as unknown as ServerResponse, { now: Date.now });
    res.emit('close');
    expect(vi.getTimerCount()).toBe(0);
  });
});
