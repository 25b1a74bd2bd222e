/**
 * The import's vocabulary of refusals, repairs and notes: every code renders in Chinese and in
 * English, each rendering naming every parameter, and the English one is the reports' `reason`.
 */
import { describe, expect, it } from 'vitest';
import {
  IMPORT_REASONS,
  importReason,
  renderReason,
  renderWhere,
  type ImportReasonCode,
  type ParamKind,
  type ReasonParam,
} from '../../domain/importReasons';

/** A value of each kind of parameter, and what each language must show of it. */
function sample(kind: ParamKind, i: number): { value: ReasonParam; zh: string[]; en: string[] } {
  switch (kind) {
    case 'number':
      return { value: 7301 + i, zh: [`${7301 + i}`], en: [`${7301 + i}`] };
    case 'text':
      return { value: `«T${i}»`, zh: [`«T${i}»`], en: [`«T${i}»`] };
    case 'field':
      return { value: 'sourceId', zh: ['警情编号'], en: ['sourceId'] };
    case 'fields':
      return {
        value: ['deviceCode', 'kind'],
        zh: ['设备编号', '类型'],
        en: ['deviceCode', 'kind'],
      };
    case 'list':
      return { value: ['列甲', 'colB'], zh: ['列甲', 'colB'], en: ['列甲', 'colB'] };
    case 'layer':
      return { value: 'cameras', zh: ['摄像机'], en: ['cameras'] };
    case 'row':
      return {
        value: { n: 4242, field: '报警时间', code: 'bad_date', params: { text: '昨天' } },
        zh: ['4242', '报警时间', '“昨天”不是日期时间'],
        en: ['row 4242 (报警时间)', '"昨天" is not a date and time'],
      };
    case 'guesses':
      return {
        value: [{ crs: 'gcj02', percent: 87 }],
        zh: ['gcj02', '87%'],
        en: ['gcj02 puts 87% in the district'],
      };
    case 'bytes':
      return { value: 52_428_800 + i * 1024 ** 2, zh: [`${50 + i} MB`], en: [`${50 + i} MB`] };
    case 'duration':
      return { value: 1500 + i * 1000, zh: [`${1.5 + i} 秒`], en: [`${1.5 + i} s`] };
  }
}

const CJK = /[\u4e00-\u9fff]/;

describe('the import reasons', () => {
  const codes = Object.keys(IMPORT_REASONS) as ImportReasonCode[];

  it.each(codes)('%s renders every parameter in Chinese and in English', (code) => {
    const spec = IMPORT_REASONS[code];
    const params: Record<string, ReasonParam> = {};
    const want = { zh: [] as string[], en: [] as string[] };
    Object.entries(spec.params as Record<string, ParamKind>).forEach(([name, kind], i) => {
      const s = sample(kind, i);
      params[name] = s.value;
      want.zh.push(...s.zh);
      want.en.push(...s.en);
    });
    const zh = renderReason({ code, params }, 'zh');
    const en = renderReason({ code, params }, 'en');
    for (const w of want.zh) expect(zh).toContain(w);
    for (const w of want.en) expect(en).toContain(w);
    // a Chinese sentence, an English one, and nothing left unrendered
    expect(zh).toMatch(CJK);
    expect(zh).not.toBe(en);
    for (const text of [zh, en]) expect(text).not.toMatch(/undefined|\[object|NaN/);
    // the reports' English reason is the English rendering
    expect(importReason(code, params)).toEqual({ code, params, reason: en });
  });

  it('keeps a detail in its own words inside the Chinese sentence', () => {
    const r = { code: 'invalid_geometry', params: { detail: 'Self-intersection[101.7 36.6]' } };
    expect(renderReason(r, 'zh')).toBe(
      '几何无效：Self-intersection[101.7 36.6]（选择修复可自动修正）',
    );
    expect(renderReason(r, 'en')).toBe(
      'invalid geometry: Self-intersection[101.7 36.6] (repair makes it valid)',
    );
  });

  it('renders where in a file, and an unknown code as it is', () => {
    expect(renderWhere({ row: 3, line: 4 }, 'zh')).toBe('（第 3 行，文本第 4 行）');
    expect(renderWhere({ row: 3, line: 4 }, 'en')).toBe(' (at row 3, line 4)');
    expect(renderWhere({}, 'zh')).toBe('');
    expect(renderReason({ code: 'from_a_newer_server', params: {} }, 'zh')).toBe(
      'from_a_newer_server',
    );
  });
});
