/** The period comparison's words, Chinese first, with English. */
import type { CompareAgainst, CompareMode } from '../../../domain/briefing';
import { useView } from '../../state/viewStore';

const zh = {
  compare: '对比',
  off: '不对比',
  against: { previous: '环比', lastYear: '同比' } as Record<CompareAgainst, string>,
  againstTitle: {
    previous: '与上一时段相比（整月与上月，其余与之前同样长的时段）',
    lastYear: '与去年同期相比（同一日历日期）',
  } as Record<CompareAgainst, string>,
  modes: { split: '分屏', swipe: '卷帘', difference: '差异' } as Record<CompareMode, string>,
  modeLabel: '对比方式',
  current: '本期',
  base: { previous: '上期', lastYear: '去年同期' } as Record<CompareAgainst, string>,
  divider: '卷帘分隔线（←/→ 移动）',
  differenceTitle: '警情变化',
  more: '增加',
  fewer: '减少',
  byCommunity: '按村/社区',
  byCell: '按网格',
  cellSize: (m: number) => `网格 ${m} 米`,
  tableTitle: '村/社区警情变化',
  community: '村/社区',
  change: '变化',
  changePct: '变化率',
  newFromZero: '新增',
  beforeData: '对比时段早于数据起点，计数不完整。',
  noIncidents: '两个时段都没有警情：请放宽时间窗或类别。',
  loading: '加载警情…',
  incidents: (n: string) => `${n} 起`,
};

type CompareTexts = typeof zh;

const en: CompareTexts = {
  compare: 'Compare',
  off: 'Off',
  against: { previous: 'vs previous', lastYear: 'vs last year' },
  againstTitle: {
    previous:
      'Against the period before (a whole month against the month before; other windows against the same length before)',
    lastYear: 'Against the same dates last year',
  },
  modes: { split: 'Split', swipe: 'Swipe', difference: 'Difference' },
  modeLabel: 'Comparison view',
  current: 'This period',
  base: { previous: 'Previous', lastYear: 'Last year' },
  divider: 'Swipe divider (←/→ to move)',
  differenceTitle: 'Change in incidents',
  more: 'more',
  fewer: 'fewer',
  byCommunity: 'By community',
  byCell: 'By grid cell',
  cellSize: (m: number) => `${m} m cells`,
  tableTitle: 'Change by community',
  community: 'Community',
  change: 'Change',
  changePct: 'Change %',
  newFromZero: 'new',
  beforeData: 'The compared period starts before the data: its counts are incomplete.',
  noIncidents: 'No incidents in either period: widen the window or the categories.',
  loading: 'Loading incidents…',
  incidents: (n: string) => n,
};

export function useCompareTexts(): CompareTexts {
  const lang = useView((s) => s.lang);
  return lang === 'zh' ? zh : en;
}
