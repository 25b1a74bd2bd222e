import { describe, expect, it } from 'vitest';
import { defaultView, type View } from '../../client/state/view';
import { createViewStore, useView, viewOf } from '../../client/state/viewStore';

const VIEW_KEYS = [
  'camera',
  'categories',
  'communityId',
  'comparison',
  'incidentId',
  'lang',
  'layers',
  'mode',
  'panel',
  'rankPeriod',
  'rankToDate',
  'window',
].sort();

describe('createViewStore', () => {
  it('starts from the initial view', () => {
    const initial = defaultView('wall');
    initial.communityId = 4;
    expect(viewOf(createViewStore(initial).getState())).toEqual(initial);
  });

  it('toggleLayer without a value flips the layer', () => {
    const store = createViewStore(defaultView());
    expect(store.getState().layers.heat.on).toBe(true);
    store.getState().toggleLayer('heat');
    expect(store.getState().layers.heat.on).toBe(false);
    store.getState().toggleLayer('heat');
    expect(store.getState().layers.heat.on).toBe(true);
  });

  it('toggleLayer with a value sets it, whatever it was', () => {
    const store = createViewStore(defaultView());
    store.getState().toggleLayer('cameras', true);
    store.getState().toggleLayer('cameras', true);
    expect(store.getState().layers.cameras.on).toBe(true);
    store.getState().toggleLayer('heat', false);
    expect(store.getState().layers.heat.on).toBe(false);
  });

  it('toggleLayer keeps the opacity and touches no other layer', () => {
    const store = createViewStore(defaultView());
    const before = store.getState().layers;
    store.getState().toggleLayer('sectors');
    const after = store.getState().layers;
    expect(after.sectors).toEqual({ on: true, opacity: before.sectors.opacity });
    expect({ ...after, sectors: before.sectors }).toEqual(before);
  });

  it('toggleLayer replaces the layers object (subscribers see a new reference)', () => {
    const store = createViewStore(defaultView());
    const before = store.getState().layers;
    store.getState().toggleLayer('heat');
    expect(store.getState().layers).not.toBe(before);
    expect(before.heat.on).toBe(true);
  });

  it('setOpacity sets a value within [0, 1]', () => {
    const store = createViewStore(defaultView());
    store.getState().setOpacity('points', 0.25);
    expect(store.getState().layers.points).toEqual({ on: true, opacity: 0.25 });
  });

  it('setOpacity clamps to [0, 1]', () => {
    const store = createViewStore(defaultView());
    store.getState().setOpacity('points', 1.7);
    expect(store.getState().layers.points.opacity).toBe(1);
    store.getState().setOpacity('points', -0.3);
    expect(store.getState().layers.points.opacity).toBe(0);
  });

  it('selectCommunity sets the community and clears the incident', () => {
    const view = defaultView();
    view.incidentId = 99;
    const store = createViewStore(view);
    store.getState().selectCommunity(12);
    expect(store.getState().communityId).toBe(12);
    expect(store.getState().incidentId).toBeNull();
  });

  it('selectCommunity(null) clears both', () => {
    const view = defaultView();
    view.communityId = 3;
    view.incidentId = 99;
    const store = createViewStore(view);
    store.getState().selectCommunity(null);
    expect(store.getState()).toMatchObject({ communityId: null, incidentId: null });
  });

  it('selectIncident keeps the community', () => {
    const view = defaultView();
    view.communityId = 3;
    const store = createViewStore(view);
    store.getState().selectIncident(7);
    expect(store.getState()).toMatchObject({ communityId: 3, incidentId: 7 });
  });

  it('setWindow, setCategories, setLang and setCamera set their fields', () => {
    const store = createViewStore(defaultView());
    const s = store.getState();
    s.setWindow({ from: '2026-06-01', to: '2026-06-15' });
    s.setCategories(['fire', 'traffic']);
    s.setLang('en');
    s.setCamera({ lon: 101.8, lat: 36.7, zoom: 15 });
    expect(viewOf(store.getState())).toEqual({
      ...defaultView(),
      window: { from: '2026-06-01', to: '2026-06-15' },
      categories: ['fire', 'traffic'],
      lang: 'en',
      camera: { lon: 101.8, lat: 36.7, zoom: 15 },
    });
  });

  it('replace swaps in a whole view and keeps the actions', () => {
    const store = createViewStore(defaultView());
    const next: View = { ...defaultView('wall'), lang: 'en', incidentId: 5 };
    store.getState().replace(next);
    expect(viewOf(store.getState())).toEqual(next);
    store.getState().toggleLayer('heat');
    expect(store.getState().layers.heat.on).toBe(false);
  });

  it('the red/black list shows the last complete period until "to date" is chosen', () => {
    const store = createViewStore(defaultView());
    expect(store.getState().rankToDate).toBe(false);
    store.getState().setRankToDate(true);
    expect(viewOf(store.getState()).rankToDate).toBe(true);
  });

  it('a comparison is off until set, and is part of the view', () => {
    const store = createViewStore(defaultView());
    expect(store.getState().comparison).toBeNull();
    store.getState().setComparison({ against: 'lastYear', mode: 'swipe' });
    expect(viewOf(store.getState()).comparison).toEqual({ against: 'lastYear', mode: 'swipe' });
    store.getState().setComparison(null);
    expect(viewOf(store.getState()).comparison).toBeNull();
  });

  it('stores are independent', () => {
    const a = createViewStore(defaultView());
    const b = createViewStore(defaultView());
    a.getState().setLang('en');
    expect(b.getState().lang).toBe('zh');
  });
});

describe('viewOf', () => {
  it('returns only the view fields, no actions', () => {
    const v = viewOf(createViewStore(defaultView()).getState());
    expect(Object.keys(v).sort()).toEqual(VIEW_KEYS);
    expect(Object.values(v).some((x) => typeof x === 'function')).toBe(false);
  });
});

describe('useView outside a browser', () => {
  it('starts from the default desk view when there is no window', () => {
    expect(typeof window).toBe('undefined');
    expect(viewOf(useView.getState())).toEqual(defaultView('desk'));
  });
});
