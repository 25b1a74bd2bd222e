/** The words of the exports (pictures and the print view), Chinese first, with English. */
import type { PngSize } from '../../../domain/mapExport';
import { useView } from '../../state/viewStore';

const zh = {
  exportImage: '导出图片',
  exportImageTitle: '把当前地图导出为带图例、比例尺、指北针和数据时间的 PNG 图片',
  size: {
    '1x': '1×（与屏幕相同）',
    '2x': '2×（高清）',
    '4k': '3840×2160（4K）',
  } satisfies Record<PngSize, string>,
  exporting: '正在生成图片…',
  exportFailed: (why: string) => `图片未能生成：${why}`,
  /** the desk view's picture title */
  deskTitle: '警情态势图',
  window: '时间窗',
  dataUntil: (at: string) => `数据截至 ${at}`,
  source: (s: string) => `数据来源：${s}`,
  sources: { demo: '演示数据', import: '导入数据' } as Record<string, string>,
  unknownSource: '未知',
  madeAt: (at: string) => `导出于 ${at} · 平安图`,
  north: '北',
  metres: (m: number) => (m >= 1000 ? `${m / 1000} 公里` : `${m} 米`),
  dateRange: (from: string, to: string) => `${from} 至 ${to}`,
  // the print view
  print: '打印 / 存为 PDF',
  printHint: '在打印对话框中选择“另存为 PDF”。每页一张幻灯片（A4 横向）。',
  preparing: (done: number, all: number) => `正在生成地图 ${done}/${all}…`,
  ready: (n: number) => `${n} 页已就绪`,
  notes: '讲稿',
  noNotes: '（无讲稿）',
  page: (i: number, n: number) => `第 ${i} / ${n} 页`,
  period: '时段',
  emptyBriefing: '这份通报还没有幻灯片：先在通报编辑器中添加幻灯片，再打印。',
  loadFailed: (why: string) => `通报未能打开：${why}`,
  back: '返回通报',
};

export type ExportTexts = typeof zh;

const en: ExportTexts = {
  exportImage: 'Export image',
  exportImageTitle:
    'Export the map as a PNG with its legend, scale bar, north arrow and the time of the data',
  size: {
    '1x': '1× (as on screen)',
    '2x': '2× (high resolution)',
    '4k': '3840×2160 (4K)',
  },
  exporting: 'Making the image…',
  exportFailed: (why) => `The image was not made: ${why}`,
  deskTitle: 'Incident map',
  window: 'Window',
  dataUntil: (at) => `Data up to ${at}`,
  source: (s) => `Source: ${s}`,
  sources: { demo: 'demo data', import: 'imported data' },
  unknownSource: 'unknown',
  madeAt: (at) => `Exported ${at} · Ping'an Map`,
  north: 'N',
  metres: (m) => (m >= 1000 ? `${m / 1000} km` : `${m} m`),
  dateRange: (from, to) => `${from} to ${to}`,
  print: 'Print / save as PDF',
  printHint: 'Choose "Save as PDF" in the print dialog. One slide per page (A4 landscape).',
  preparing: (done, all) => `Drawing the maps ${done}/${all}…`,
  ready: (n) => `${n} pages ready`,
  notes: 'Speaker notes',
  noNotes: '(no notes)',
  page: (i, n) => `Page ${i} of ${n}`,
  period: 'Period',
  emptyBriefing: 'This briefing has no slides yet: add slides in the briefing editor, then print.',
  loadFailed: (why) => `The briefing did not open: ${why}`,
  back: 'Back to the briefing',
};

export function exportTexts(lang: 'zh' | 'en'): ExportTexts {
  return lang === 'zh' ? zh : en;
}

export function useExportTexts(): ExportTexts {
  return exportTexts(useView((s) => s.lang));
}
