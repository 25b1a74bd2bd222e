/**
 * The client's pure parts of briefings: the desk's view and a slide's view made from each other
 * (and the slide accepted by the server's schema), a slide's default title, the order of slides,
 * the month a report defaults to, the briefings' paths, and the keys that move a presentation.
 */
import { describe, expect, it } from 'vitest';
import { elapsedText, stepOfKey, stepTo } from '../../client/briefing/channel';
import { lastCompleteMonth } from '../../client/briefing/month';
import {
  defaultSlideTitle,
  moveSlide,
  newSlide,
  slideViewOf,
  viewOfSlide,
  windowLabel,
} from '../../client/briefing/slideView';
import { titleWords } from '../../client/briefing/texts';
import { DEFAULT_LAYERS, LAYER_IDS, defaultView, searchToView } from '../../client/state/view';
import { briefingRoute, modeOfPath, searchOf } from '../../client/state/viewStore';
import { slide as slideSchema } from '../../server/briefingInputs';

const DESK = searchToView(
  'at=101.75432,36.62118,14.25&layers=points,cameras,hotspots&op=points:35&w=2026-06-01..2026-07-01&cat=fire,criminal&community=12&incident=345&panel=rankings&rank=year&todate=1&lang=en',
);

describe('slide views', () => {
  it('keeps every field of the desk view but the mode and language, and gives it back', () => {
    const sv = slideViewOf(DESK);
    expect(sv.basemap).toBe('configured');
    expect('mode' in sv || 'lang' in sv).toBe(false);
    const back = viewOfSlide(sv, { mode: 'briefing', lang: 'zh' });
    expect(back).toEqual({ ...DESK, mode: 'briefing', lang: 'zh' });
    // nothing shared: changing the slide's view leaves the desk's alone
    sv.layers.points!.on = false;
    sv.categories.push('traffic');
    expect(DESK.layers.points.on).toBe(true);
    expect(DESK.categories).toEqual(['fire', 'criminal']);
  });

  it('is a slide the server accepts as it is', () => {
    const s = newSlide('标题', slideViewOf(DESK, 'none'));
    const parsed = slideSchema.parse(JSON.parse(JSON.stringify(s)));
    expect(parsed).toEqual(s);
  });

  it('turns off the layers a stored slide does not name and gives default opacities', () => {
    const v = viewOfSlide(
      {
        ...slideViewOf(defaultView()),
        layers: { heat: { on: true }, cameras: { on: true, opacity: 0.3 } },
      },
      { mode: 'desk', lang: 'zh' },
    );
    expect(LAYER_IDS.filter((id) => v.layers[id].on)).toEqual(['heat', 'cameras']);
    expect(v.layers.heat.opacity).toBe(DEFAULT_LAYERS.heat.opacity);
    expect(v.layers.cameras.opacity).toBe(0.3);
    expect(v.layers.towns).toEqual({ on: false, opacity: DEFAULT_LAYERS.towns.opacity });
  });
});

describe('a slide title by default', () => {
  it('names the window, the categories and the layers in the language of the page', () => {
    const zh = defaultSlideTitle(slideViewOf(DESK), titleWords('zh'));
    expect(zh).toBe('2026-06-01 – 2026-06-30 · 火警、刑事 · 警情点位、摄像头、热点分析（Gi*）');
    const v = slideViewOf(searchToView('w=30d&layers=heat,communities'));
    expect(defaultSlideTitle(v, titleWords('en'))).toMatch(/^Last 30 days · .+, .+$/);
  });

  it('names three layers and counts the rest, within the title limit', () => {
    const v = slideViewOf(searchToView(`w=7d&layers=${LAYER_IDS.join(',')}`));
    const title = defaultSlideTitle(v, titleWords('zh'));
    expect(title).toMatch(new RegExp(` 等 ${LAYER_IDS.length} 项$`));
    expect(title.length).toBeLessThanOrEqual(120);
  });

  it('shows a fixed window by its first and last day', () => {
    expect(windowLabel({ from: '2026-02-01', to: '2026-03-01' }, String)).toBe(
      '2026-02-01 – 2026-02-28',
    );
    expect(windowLabel({ preset: 'month' }, (p) => `<${p}>`)).toBe('<month>');
  });
});

describe('moving a slide', () => {
  it('moves one slide and keeps the others in order', () => {
    expect(moveSlide(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(moveSlide(['a', 'b', 'c', 'd'], 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(moveSlide(['a', 'b'], 1, 9)).toEqual(['a', 'b']);
    expect(moveSlide(['a', 'b'], 5, 0)).toEqual(['a', 'b']);
  });
});

describe('the monthly report', () => {
  it('defaults to the last month complete at the reference', () => {
    // the data ends at the end of June (local time): June is complete
    expect(lastCompleteMonth(Date.parse('2026-07-01T00:00:00+08:00'))).toBe('2026-06');
    expect(lastCompleteMonth(Date.parse('2026-06-30T12:00:00+08:00'))).toBe('2026-05');
    expect(lastCompleteMonth(Date.parse('2026-01-15T12:00:00+08:00'))).toBe('2025-12');
  });
});

describe('the briefings paths', () => {
  it('are the briefing mode, with the page and id', () => {
    expect(briefingRoute('/briefings')).toEqual({ page: 'list' });
    expect(briefingRoute('/briefings/')).toEqual({ page: 'list' });
    expect(briefingRoute('/briefing/12')).toEqual({ page: 'slides', id: 12 });
    expect(briefingRoute('/briefing/12/present')).toEqual({ page: 'present', id: 12 });
    expect(briefingRoute('/briefing/12/notes')).toEqual({ page: 'notes', id: 12 });
    expect(briefingRoute('/briefing/x')).toBeNull();
    expect(briefingRoute('/briefing/12/print')).toBeNull();
    expect(modeOfPath('/briefing/3/present')).toBe('briefing');
    expect(modeOfPath('/briefings')).toBe('briefing');
    expect(modeOfPath('/')).toBe('desk');
    expect(modeOfPath('/wall')).toBe('wall');
  });

  it('carry only the language in the address bar, never a desk view', () => {
    const v = { ...DESK, mode: 'briefing' as const };
    expect(searchOf(v)).toBe('lang=en');
    expect(searchOf({ ...v, lang: 'zh' })).toBe('');
    expect(searchOf({ ...DESK, mode: 'desk' })).toContain('at=');
  });
});

describe('presenting keys', () => {
  it('move on with →, ↓, PageDown and Space, back with ←, ↑ and PageUp', () => {
    const k = (key: string, mod = {}) =>
      stepOfKey({ key, altKey: false, ctrlKey: false, metaKey: false, ...mod });
    expect(['ArrowRight', 'ArrowDown', 'PageDown', ' '].map((x) => k(x))).toEqual([1, 1, 1, 1]);
    expect(['ArrowLeft', 'ArrowUp', 'PageUp'].map((x) => k(x))).toEqual([-1, -1, -1]);
    expect(k('a')).toBeNull();
    expect(k('ArrowRight', { ctrlKey: true })).toBeNull();
    expect(stepTo(0, -1, 3)).toBe(0);
    expect(stepTo(2, 1, 3)).toBe(2);
    expect(stepTo(1, Infinity, 3)).toBe(2);
    expect(stepTo(2, -Infinity, 3)).toBe(0);
    expect(elapsedText(65_000)).toBe('01:05');
    expect(elapsedText(3_725_000)).toBe('1:02:05');
  });
});
