/** The drawing tools' words, Chinese first, with English. */
import { BRIEFING_LIMITS } from '../../../domain/briefing';
import { useView } from '../../state/viewStore';

const MAX = BRIEFING_LIMITS.annotationsPerSlide;

const zh = {
  toolbar: '标注工具',
  tools: {
    select: '选择',
    text: '文字',
    arrow: '箭头',
    circle: '圆圈',
    outline: '勾画',
  },
  hints: {
    select: '单击标注选中；Delete 键删除；选中后可修改文字。',
    text: '在地图上单击，输入文字，回车确定，Esc 取消。',
    arrow: '按住拖动画箭头，松开处为箭头。',
    circle: '在圆心按下，拖到所需半径后松开。',
    outline: '按住自由勾画；终点回到起点附近即闭合为区域。',
  },
  remove: '删除',
  clear: '清空',
  clearConfirm: '删除本页的全部标注？',
  label: '文字',
  labelPlaceholder: '输入标注文字',
  radius: (m: string) => `半径 ${m}`,
  metres: (n: number) =>
    n >= 1000
      ? `${(n / 1000).toLocaleString('zh-CN', { maximumFractionDigits: 2 })} 公里`
      : `${Math.round(n)} 米`,
  count: (n: number) => `${n}/${MAX}`,
  full: `每页最多 ${MAX} 个标注：请先删除一些。`,
};

export type AnnotationTexts = typeof zh;

const en: AnnotationTexts = {
  toolbar: 'Annotation tools',
  tools: {
    select: 'Select',
    text: 'Text',
    arrow: 'Arrow',
    circle: 'Circle',
    outline: 'Outline',
  },
  hints: {
    select: 'Click an annotation to select it; Delete removes it; edit its text when selected.',
    text: 'Click on the map, type, Enter to place, Esc to cancel.',
    arrow: 'Press and drag; the head is where you release.',
    circle: 'Press at the centre, drag out to the radius, release.',
    outline: 'Press and draw freehand; end near the start to close it into an area.',
  },
  remove: 'Delete',
  clear: 'Clear',
  clearConfirm: 'Delete every annotation on this slide?',
  label: 'Text',
  labelPlaceholder: 'Annotation text',
  radius: (m) => `radius ${m}`,
  metres: (n) =>
    n >= 1000
      ? `${(n / 1000).toLocaleString('en-US', { maximumFractionDigits: 2 })} km`
      : `${Math.round(n)} m`,
  count: (n) => `${n}/${MAX}`,
  full: `At most ${MAX} annotations per slide: delete some first.`,
};

export function useAnnotationTexts(): AnnotationTexts {
  const lang = useView((s) => s.lang);
  return lang === 'zh' ? zh : en;
}
