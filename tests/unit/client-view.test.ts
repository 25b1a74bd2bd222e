import { describe, expect, it } from 'vitest';
import { COMPARE_AGAINST, COMPARE_MODES } from '../../domain/briefing';
import {
  DEFAULT_CAMERA,
  DEFAULT_LAYERS,
  LAYER_IDS,
  defaultView,
  searchToView,
  viewToSearch,
  type View,
} from '../../client/state/view';

/** A view that differs from the defaults in every field the URL carries. */
function customView(window: View['window']): View {
  const v = defaultView('desk');
  v.camera = { lon: 101.75432, lat: 36.62118, zoom: 14.25 };
  v.layers.heat = { on: false, opacity: DEFAULT_LAYERS.heat.opacity };
  v.layers.points = { on: true, opacity: 0.35 };
  v.layers.cameras = { on: true, opacity: 0.6 };
  v.layers.sectors = { on: true, opacity: 0.5 };
  v.layers.towns = { on: false, opacity: 1 };
  v.layers.sites = { on: true, opacity: 0 };
  v.window = window;
  v.categories = ['fire', 'criminal', 'traffic'];
  v.communityId = 12;
  v.incidentId = 345;
  v.lang = 'en';
  v.panel = 'rankings';
  v.rankPeriod = 'year';
  v.rankToDate = true;
  v.layers.hotspots = { on: true, opacity: 0.5 };
  v.comparison = { against: 'lastYear', mode: 'difference' };
  return v;
}

describe('viewToSearch / searchToView round trip', () => {
  it('keeps a custom view with a preset window', () => {
    const v = customView({ preset: 'quarter' });
    expect(searchToView(viewToSearch(v), 'desk')).toEqual(v);
  });

  it('keeps a custom view with a custom {from, to} window', () => {
    const v = customView({ from: '2026-06-01', to: '2026-07-01' });
    expect(searchToView(viewToSearch(v), 'desk')).toEqual(v);
  });

  it('keeps the default view', () => {
    expect(searchToView(viewToSearch(defaultView()), 'desk')).toEqual(defaultView());
  });

  it('takes the mode from the argument, not from the search', () => {
    const v = customView({ preset: '7d' });
    const back = searchToView(viewToSearch(v), 'wall');
    expect(back.mode).toBe('wall');
    expect(back).toEqual({ ...v, mode: 'wall' });
  });

  it('rounds the camera to 5 decimals (about a metre) and the zoom to 2', () => {
    const v = defaultView();
    v.camera = { lon: 101.123456789, lat: 36.987654321, zoom: 12.3456 };
    expect(searchToView(viewToSearch(v)).camera).toEqual({
      lon: 101.12346,
      lat: 36.98765,
      zoom: 12.35,
    });
  });
});

describe('searchToView defaults', () => {
  it('an empty search is the default view', () => {
    expect(searchToView('')).toEqual(defaultView('desk'));
  });

  it('mode defaults to desk and follows the argument', () => {
    expect(searchToView('').mode).toBe('desk');
    expect(searchToView('', 'wall')).toEqual(defaultView('wall'));
  });

  it('accepts a leading "?"', () => {
    expect(searchToView('?lang=en&community=3')).toMatchObject({ lang: 'en', communityId: 3 });
  });

  it('does not share the default layer objects between views', () => {
    const a = searchToView('');
    a.layers.heat.on = false;
    a.camera.zoom = 3;
    expect(searchToView('').layers.heat.on).toBe(true);
    expect(DEFAULT_LAYERS.heat.on).toBe(true);
    expect(DEFAULT_CAMERA.zoom).toBe(11.2);
  });
});

describe('searchToView malformed parts keep their defaults', () => {
  it.each([
    ['too few parts', 'at=101.7,36.6'],
    ['too many parts', 'at=101.7,36.6,12,4'],
    ['not a number', 'at=abc,36.6,12'],
    ['longitude out of range', 'at=181,36.6,12'],
    ['latitude beyond web mercator', 'at=101.7,86,12'],
    ['negative zoom', 'at=101.7,36.6,-1'],
    ['zoom above 22', 'at=101.7,36.6,23'],
  ])('bad at= (%s)', (_, search) => {
    expect(searchToView(search).camera).toEqual(DEFAULT_CAMERA);
  });

  it('a valid at= at the range limits is taken', () => {
    expect(searchToView('at=-180,-85,22').camera).toEqual({ lon: -180, lat: -85, zoom: 22 });
  });

  it('ignores unknown layer ids but still reads the known ones', () => {
    const v = searchToView('layers=bogus,heat:40,HEAT:10,circles');
    expect(v.layers.heat).toEqual({ on: true, opacity: 0.4 });
    expect(v.layers.circles).toEqual({ on: true, opacity: DEFAULT_LAYERS.circles.opacity });
    expect(Object.keys(v.layers)).toEqual([...LAYER_IDS]);
    expect(LAYER_IDS.filter((id) => v.layers[id].on)).toEqual(['heat', 'circles']);
  });

  it.each([
    ['above 100', 'heat:150'],
    ['negative', 'heat:-5'],
    ['not a number', 'heat:abc'],
  ])('ignores an opacity %s but keeps the layer on', (_, part) => {
    expect(searchToView(`layers=${part}`).layers.heat).toEqual({
      on: true,
      opacity: DEFAULT_LAYERS.heat.opacity,
    });
  });

  it('takes opacities 0 and 100 at the ends of the range', () => {
    const v = searchToView('layers=heat:0,points:100');
    expect(v.layers.heat.opacity).toBe(0);
    expect(v.layers.points.opacity).toBe(1);
  });

  it('an empty layers= turns every layer off, keeping default opacities', () => {
    const v = searchToView('layers=');
    for (const id of LAYER_IDS)
      expect(v.layers[id]).toEqual({ on: false, opacity: DEFAULT_LAYERS[id].opacity });
  });

  it('without layers= the default layers stay as they are', () => {
    expect(searchToView('lang=en').layers).toEqual(DEFAULT_LAYERS);
  });

  it.each([
    ['unknown preset', 'w=2w'],
    ['single date', 'w=2026-06-01'],
    ['missing end', 'w=2026-06-01..'],
    ['unpadded date', 'w=2026-6-1..2026-07-01'],
    ['not a date', 'w=yesterday..today'],
    ['from equal to to', 'w=2026-06-01..2026-06-01'],
    ['from after to', 'w=2026-07-01..2026-06-01'],
  ])('bad w= (%s) keeps the 30d preset', (_, search) => {
    expect(searchToView(search).window).toEqual({ preset: '30d' });
  });

  it('reads each preset', () => {
    for (const preset of ['today', '7d', '30d', 'month', 'quarter', 'year'] as const)
      expect(searchToView(`w=${preset}`).window).toEqual({ preset });
  });

  it('drops unknown categories and keeps the known ones in order', () => {
    expect(searchToView('cat=fire,arson,traffic,,FIRE').categories).toEqual(['fire', 'traffic']);
  });

  it('cat= with only unknown categories means every category', () => {
    expect(searchToView('cat=arson').categories).toEqual([]);
  });

  it.each(['-3', '0', '2.5', 'abc', ''])('ignores community=%s and incident=%s', (bad) => {
    const v = searchToView(`community=${bad}&incident=${bad}`);
    expect(v.communityId).toBeNull();
    expect(v.incidentId).toBeNull();
  });

  it('reads positive integer ids', () => {
    expect(searchToView('community=7&incident=901')).toMatchObject({
      communityId: 7,
      incidentId: 901,
    });
  });

  it('reads the panel and the red/black list period, ignoring unknown ones', () => {
    expect(searchToView('panel=analysis&rank=quarter')).toMatchObject({
      panel: 'analysis',
      rankPeriod: 'quarter',
    });
    expect(searchToView('panel=admin&rank=week')).toMatchObject({
      panel: 'kpi',
      rankPeriod: 'month',
    });
    expect(viewToSearch(defaultView())).not.toMatch(/panel=|rank=/);
  });

  it('reads each comparison as against:mode and writes it the same way', () => {
    for (const against of COMPARE_AGAINST)
      for (const mode of COMPARE_MODES) {
        const v = { ...defaultView(), comparison: { against, mode } };
        expect(new URLSearchParams(viewToSearch(v)).get('cmp')).toBe(`${against}:${mode}`);
        expect(searchToView(viewToSearch(v)).comparison).toEqual({ against, mode });
      }
    expect(viewToSearch(defaultView())).not.toMatch(/cmp=/);
  });

  it('a malformed comparison is none', () => {
    for (const cmp of [
      '',
      'previous',
      'previous:',
      ':split',
      'previous:split:extra',
      'lastyear:split',
      'previous:Split',
      'previous:fade',
      'split:previous',
      'previous,split',
    ])
      expect(searchToView(`cmp=${encodeURIComponent(cmp)}`).comparison, cmp).toBeNull();
  });

  it('only lang=en switches the language', () => {
    expect(searchToView('lang=fr').lang).toBe('zh');
    expect(searchToView('lang=EN').lang).toBe('zh');
    expect(searchToView('lang=en').lang).toBe('en');
  });
});

describe('viewToSearch', () => {
  it('writes an opacity only when it differs from the layer default, for layers on or off', () => {
    const v = defaultView();
    v.layers.points.opacity = 0.5;
    v.layers.cameras = { on: false, opacity: 0.4 };
    const p = new URLSearchParams(viewToSearch(v));
    expect(p.get('layers')!.split(',')).toContain('heat');
    expect(p.get('op')!.split(',').sort()).toEqual(['cameras:40', 'points:50']);
    const back = searchToView(viewToSearch(v));
    expect(back.layers.cameras).toEqual({ on: false, opacity: 0.4 });
    expect(back.layers.points).toEqual({ on: true, opacity: 0.5 });
  });

  it('does not read empty numbers as zero', () => {
    expect(searchToView('at=,,').camera).toEqual(defaultView().camera);
    expect(searchToView('at=%20,%20,%20').camera).toEqual(defaultView().camera);
    expect(searchToView('layers=heat:').layers.heat).toEqual({ on: true, opacity: 0.8 });
    expect(searchToView('op=heat:').layers.heat.opacity).toBe(0.8);
  });

  it('rejects impossible calendar dates', () => {
    expect(searchToView('w=2026-02-30..2026-13-01').window).toEqual({ preset: '30d' });
    expect(searchToView('w=2024-02-29..2024-03-01').window).toEqual({
      from: '2024-02-29',
      to: '2024-03-01',
    });
  });

  it('leaves out what is null, empty or the default language', () => {
    const p = new URLSearchParams(viewToSearch(defaultView()));
    expect(p.has('cat')).toBe(false);
    expect(p.has('community')).toBe(false);
    expect(p.has('incident')).toBe(false);
    expect(p.has('lang')).toBe(false);
  });

  it('writes every layer off as an empty layers=', () => {
    const v = defaultView();
    for (const id of LAYER_IDS) v.layers[id].on = false;
    expect(new URLSearchParams(viewToSearch(v)).get('layers')).toBe('');
  });
});
