import { describe, expect, it } from 'vitest';
import { retryOnce } from '../../client/data/trpc';

const failure = (httpStatus?: number) =>
  Object.assign(new Error('x'), httpStatus ? { data: { httpStatus } } : {});

describe('client query retries', () => {
  it('tries again once when the server or the network failed', () => {
    expect(retryOnce(0, failure(503))).toBe(true);
    expect(retryOnce(0, failure(500))).toBe(true);
    expect(retryOnce(0, failure())).toBe(true);
    expect(retryOnce(1, failure(503))).toBe(false);
  });

  it('does not repeat a refusal, bad input or an analysis stopped at its deadline', () => {
    for (const status of [400, 401, 403, 408, 413, 429])
      expect(retryOnce(0, failure(status))).toBe(false);
  });
});
