import { describe, expect, it } from 'vitest';
import { ageText, texts } from '../../client/i18n';

const S = 1000;
const M = 60 * S;
const H = 60 * M;

describe('ageText', () => {
  it('says "just now" under 10 s, and for a time ahead of the clock', () => {
    expect(ageText(0, 'zh')).toBe('刚刚');
    expect(ageText(9_999, 'en')).toBe('just now');
    expect(ageText(-5 * M, 'zh')).toBe('刚刚');
  });

  it('counts whole seconds, then minutes, hours and days, never rounding up', () => {
    expect(ageText(10 * S, 'zh')).toBe('10 秒前');
    expect(ageText(59_999, 'en')).toBe('59 s ago');
    expect(ageText(M, 'zh')).toBe('1 分钟前');
    expect(ageText(3 * M + 59 * S, 'zh')).toBe('3 分钟前');
    expect(ageText(3 * M, 'en')).toBe('3 min ago');
    expect(ageText(H - 1, 'en')).toBe('59 min ago');
    expect(ageText(H, 'zh')).toBe('1 小时前');
    expect(ageText(47 * H + 59 * M, 'en')).toBe('47 h ago');
    expect(ageText(48 * H, 'zh')).toBe('2 天前');
    expect(ageText(10 * 24 * H + 5 * H, 'en')).toBe('10 days ago');
  });

  it('is what the texts of each language say', () => {
    expect(texts('zh').ago(3 * M)).toBe('3 分钟前');
    expect(texts('en').ago(3 * M)).toBe('3 min ago');
  });
});
