/** How the red/black list names the window it ranks and the one it compares with. */
import { describe, expect, it } from 'vitest';
import { texts } from '../../client/i18n';
import { windowRange, windowText } from '../../client/panels/RankingsPanel';

const zh = texts('zh');
const en = texts('en');

describe('windowRange', () => {
  it('writes whole local days with an inclusive last day', () => {
    expect(windowRange('2025-12-31T16:00:00.000Z', '2026-06-30T16:00:00.000Z')).toBe(
      '2026-01-01 – 2026-06-30',
    );
  });

  it('writes the times, in Asia/Shanghai, when a window stops within a day', () => {
    expect(windowRange('2026-05-31T16:00:00.000Z', '2026-06-05T06:30:00.000Z')).toBe(
      '2026-06-01 00:00 – 2026-06-05 14:30',
    );
  });
});

describe('windowText', () => {
  const whole = {
    label: '2026-05',
    from: '2026-04-30T16:00:00.000Z',
    to: '2026-05-31T16:00:00.000Z',
    complete: true,
  };
  const soFar = {
    label: '2026-06',
    from: '2026-05-31T16:00:00.000Z',
    to: '2026-06-05T06:30:00.000Z',
    complete: false,
  };
  const sameDays = {
    label: '2026-05',
    from: '2026-04-30T16:00:00.000Z',
    to: '2026-05-05T06:30:00.000Z',
    complete: false,
  };

  it('names a whole period by its label', () => {
    expect(windowText(zh, 'month', whole, 'against')).toBe('2026-05（整月）');
    expect(windowText(en, 'month', whole, 'shown')).toBe('2026-05 (whole month)');
  });

  it('names a period in progress and the same days of the one before', () => {
    expect(windowText(zh, 'month', soFar, 'shown')).toBe(
      '2026-06-01 00:00 – 2026-06-05 14:30（本月至今）',
    );
    expect(windowText(zh, 'month', sameDays, 'against')).toBe(
      '2026-05-01 00:00 – 2026-05-05 14:30（上月同期）',
    );
    expect(windowText(en, 'quarter', soFar, 'shown')).toContain('(quarter to date)');
    expect(windowText(en, 'year', sameDays, 'against')).toContain('(same days of the year before)');
  });
});
