/** The briefings' words (list, slides, the desk's editing bar, presenting), Chinese first. */
import { texts } from '../i18n';
import type { Lang } from '../state/view';
import { useView } from '../state/viewStore';
import type { TitleWords } from './slideView';

const zh = {
  briefings: '简报',
  listTitle: '领导简报',
  backToMap: '返回地图',
  newBriefing: '新建简报',
  newTitle: '简报标题',
  newTitlePlaceholder: '例如：11月治安形势汇报',
  create: '创建',
  monthly: '月度汇报',
  monthlyHint: '按所选月份自动生成：红黑榜、指标、激增与热点、三圈数据、摄像头补点',
  month: '月份',
  make: '生成',
  making: '生成中…',
  loading: '加载中…',
  empty: '还没有简报。新建一份，或在地图上点“添加为幻灯片”，或生成月度汇报。',
  colTitle: '标题',
  colOwner: '创建人',
  colSlides: '幻灯片',
  colChanged: '最后修改',
  open: '打开',
  present: '演示',
  remove: '删除',
  removeConfirm: (title: string) => `删除简报《${title}》？此操作不可撤销。`,
  conflictDelete: '此简报刚被他人修改，未删除；列表已刷新，请确认后再删除。',
  slides: (n: number) => `${n} 张`,
  // the desk
  addSlide: '添加为幻灯片',
  addTitle: '把当前视图添加为幻灯片',
  toBriefing: '添加到',
  newOne: '（新建简报）',
  slideTitle: '幻灯片标题',
  add: '添加',
  added: (title: string) => `已添加到《${title}》`,
  openIt: '打开简报',
  cancel: '取消',
  close: '关闭',
  // one briefing
  rename: '重命名',
  save: '保存',
  saving: '保存中…',
  saved: '已保存',
  noSlides: '这份简报还没有幻灯片：在地图上调好视图，点“添加为幻灯片”。',
  slideN: (n: number) => `第 ${n} 张`,
  window: '时间窗',
  layers: '图层',
  noLayers: '无图层',
  notes: '演讲备注',
  notesPlaceholder: '讲到这张时要说的话…',
  up: '上移',
  down: '下移',
  duplicate: '复制',
  editView: '编辑视图',
  dragHint: '拖动以调整顺序',
  copySuffix: '（副本）',
  readOnly: '只读：这份简报属于他人，只有创建人或管理员可以修改。',
  notFound: '找不到这份简报（可能已被删除）。',
  // the editing bar
  editing: (briefing: string, n: number) => `正在编辑《${briefing}》第 ${n} 张`,
  saveToSlide: '保存到幻灯片',
  // conflicts
  conflict: '这份简报已被他人修改，你的修改尚未保存（仍在下面）。',
  loadTheirs: '载入他人的版本（放弃我的修改）',
  saveCopy: '把我的版本另存为新简报',
  gone: '这份简报已被他人删除。',
  saveFailed: '保存失败',
  // presenting
  start: '开始演示（全屏）',
  presenterView: '演讲者视图',
  prev: '上一张',
  next: '下一张',
  exit: '退出演示',
  preparing: (ready: number, all: number) => `正在准备数据… ${ready}/${all}`,
  keysHint: '← → / PageUp PageDown / 空格 翻页 · Esc 退出全屏',
  counter: (n: number, all: number) => `${n} / ${all}`,
  nextUp: '下一张',
  theEnd: '（最后一张）',
  elapsed: '已用时间',
  noNotes: '（这张没有备注）',
  waiting: '等待主窗口…',
  // refusal
  noPermissionTitle: '无权查看简报',
  noPermission:
    '你的账号没有查看简报的权限。简报供领导、规划、分析人员与管理员使用，大屏账号不可用。',
  // titles
  list: '、',
  more: (n: number) => ` 等 ${n + 3} 项`,
};

const en: typeof zh = {
  briefings: 'Briefings',
  listTitle: "Leaders' briefings",
  backToMap: 'Back to the map',
  newBriefing: 'New briefing',
  newTitle: 'Briefing title',
  newTitlePlaceholder: 'e.g. November public-safety report',
  create: 'Create',
  monthly: 'Monthly report',
  monthlyHint:
    'Made for the month you pick: red/black list, indicators, spikes and hot spots, the three circles, camera infill',
  month: 'Month',
  make: 'Make',
  making: 'Making…',
  loading: 'Loading…',
  empty: 'No briefings yet. Make one, press “Add as slide” on the map, or make a monthly report.',
  colTitle: 'Title',
  colOwner: 'Owner',
  colSlides: 'Slides',
  colChanged: 'Last change',
  open: 'Open',
  present: 'Present',
  remove: 'Delete',
  removeConfirm: (title) => `Delete the briefing “${title}”? This cannot be undone.`,
  conflictDelete:
    'Not deleted: someone has just changed this briefing. The list is up to date; check and delete again.',
  slides: (n) => `${n}`,
  addSlide: 'Add as slide',
  addTitle: 'Add the current view as a slide',
  toBriefing: 'Add to',
  newOne: '(new briefing)',
  slideTitle: 'Slide title',
  add: 'Add',
  added: (title) => `Added to “${title}”`,
  openIt: 'Open briefing',
  cancel: 'Cancel',
  close: 'Close',
  rename: 'Rename',
  save: 'Save',
  saving: 'Saving…',
  saved: 'Saved',
  noSlides: 'This briefing has no slides yet: set up a view on the map and press “Add as slide”.',
  slideN: (n) => `Slide ${n}`,
  window: 'Window',
  layers: 'Layers',
  noLayers: 'no layers',
  notes: 'Speaker notes',
  notesPlaceholder: 'What to say on this slide…',
  up: 'Move up',
  down: 'Move down',
  duplicate: 'Duplicate',
  editView: 'Edit view',
  dragHint: 'Drag to reorder',
  copySuffix: ' (copy)',
  readOnly: "Read only: this briefing is someone else's; only its owner or an admin may change it.",
  notFound: 'No such briefing (it may have been deleted).',
  editing: (briefing, n) => `Editing slide ${n} of “${briefing}”`,
  saveToSlide: 'Save to slide',
  conflict: 'Someone else has changed this briefing; your changes are not saved yet (still below).',
  loadTheirs: 'Load theirs (drop my changes)',
  saveCopy: 'Save mine as a new briefing',
  gone: 'Someone else has deleted this briefing.',
  saveFailed: 'Not saved',
  start: 'Start (full screen)',
  presenterView: 'Presenter view',
  prev: 'Previous',
  next: 'Next',
  exit: 'Leave',
  preparing: (ready, all) => `Preparing the data… ${ready}/${all}`,
  keysHint: '← → / PageUp PageDown / Space to move · Esc leaves full screen',
  counter: (n, all) => `${n} / ${all}`,
  nextUp: 'Next',
  theEnd: '(last slide)',
  elapsed: 'Elapsed',
  noNotes: '(no notes on this slide)',
  waiting: 'Waiting for the main window…',
  noPermissionTitle: 'No access to briefings',
  noPermission:
    'Your account may not read briefings. They are for leaders, planners, analysts and administrators, not wall displays.',
  list: ', ',
  more: (n) => ` and ${n} more`,
};

/** The words of the briefings' pages, key for key in each language. */
export type BriefingTexts = typeof zh;

export function briefingTexts(lang: Lang): BriefingTexts {
  return lang === 'zh' ? zh : en;
}

export function useBriefingT(): BriefingTexts {
  return briefingTexts(useView((s) => s.lang));
}

/** The words a slide's default title is made of, in a language (slideView.ts defaultSlideTitle). */
export function titleWords(lang: Lang): TitleWords {
  const t = texts(lang);
  const b = briefingTexts(lang);
  return { preset: t.preset, layer: t.layer, category: t.category, list: b.list, more: b.more };
}
