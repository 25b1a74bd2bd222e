import { describe, expect, it } from 'vitest';
import { localMidnight } from '../../domain/time';
import { isoRange } from '../../client/state/timeWindow';

describe('isoRange', () => {
  it('formats both ends as ISO instants (UTC)', () => {
    expect(
      isoRange({ from: localMidnight('2026-06-30'), to: localMidnight('2026-07-01') }),
    ).toEqual({
      from: '2026-06-29T16:00:00.000Z',
      to: '2026-06-30T16:00:00.000Z',
    });
  });
});
