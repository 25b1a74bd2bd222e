import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYERS, LAYER_IDS } from '../../client/state/view';
import { allowedViews, WALL_VIEWS, wallLayers, wallSettings } from '../../client/wall/wallViews';

const ids = (search: string) => wallSettings(search).views.map((v) => v.id);

describe('wallSettings', () => {
  it('treats empty values as unset, not as zero', () => {
    const w = wallSettings('rotate=&refresh=');
    expect([w.rotate, w.refresh]).toEqual([30, 60]);
  });

  it('reads rotate, refresh and views', () => {
    const s = wallSettings('?rotate=10&refresh=30&views=circles,heat');
    expect(s.rotate).toBe(10);
    expect(s.refresh).toBe(30);
    expect(s.views.map((v) => v.id)).toEqual(['heat', 'circles']);
  });

  it('keeps the views in WALL_VIEWS order whatever the URL order', () => {
    expect(ids('views=communities,cameras,heat')).toEqual(['heat', 'cameras', 'communities']);
  });

  it('returns the WALL_VIEWS objects themselves', () => {
    expect(wallSettings('views=cameras').views).toEqual([
      WALL_VIEWS.find((v) => v.id === 'cameras'),
    ]);
  });

  it('ignores unknown view ids', () => {
    expect(ids('views=heat,bogus')).toEqual(['heat']);
  });

  it('falls back to every view when none match', () => {
    expect(ids('views=bogus,also-bogus')).toEqual(WALL_VIEWS.map((v) => v.id));
  });

  it('defaults to every view, 30 s rotation and 60 s refresh', () => {
    const s = wallSettings('');
    expect(s).toEqual({ rotate: 30, refresh: 60, views: WALL_VIEWS });
  });

  it('clamps rotate to [3, 3600]', () => {
    expect(wallSettings('rotate=1').rotate).toBe(3);
    expect(wallSettings('rotate=-20').rotate).toBe(3);
    expect(wallSettings('rotate=99999').rotate).toBe(3600);
  });

  it('clamps refresh to [5, 3600]', () => {
    expect(wallSettings('refresh=2').refresh).toBe(5);
    expect(wallSettings('refresh=7200').refresh).toBe(3600);
  });

  it.each(['abc', 'NaN', 'Infinity', '10s'])(
    'falls back to the defaults on rotate=%s / refresh=%s',
    (bad) => {
      const s = wallSettings(`rotate=${bad}&refresh=${bad}`);
      expect(s.rotate).toBe(30);
      expect(s.refresh).toBe(60);
    },
  );
});

describe('wallLayers', () => {
  it.each(WALL_VIEWS.map((v) => [v.id, v] as const))(
    'turns on exactly the %s view’s layers',
    (_, view) => {
      const layers = wallLayers(view);
      expect(LAYER_IDS.filter((id) => layers[id].on).sort()).toEqual([...view.layers].sort());
    },
  );

  it('keeps the default opacities and every layer id', () => {
    const layers = wallLayers(WALL_VIEWS[0]!);
    expect(Object.keys(layers).sort()).toEqual([...LAYER_IDS].sort());
    for (const id of LAYER_IDS) expect(layers[id].opacity).toBe(DEFAULT_LAYERS[id].opacity);
  });

  it('does not touch DEFAULT_LAYERS', () => {
    const before = structuredClone(DEFAULT_LAYERS);
    wallLayers(WALL_VIEWS.find((v) => v.id === 'cameras')!);
    expect(DEFAULT_LAYERS).toEqual(before);
  });
});

describe('a display limited to some layers', () => {
  it('rotates only through views with an allowed layer of their own, and turns the rest off', () => {
    const views = allowedViews(WALL_VIEWS, ['circles', 'cameras']);
    expect(views.map((v) => v.id)).toEqual(['circles', 'cameras']);
    const cams = wallLayers(views[1]!, ['circles', 'cameras']);
    expect(cams.cameras.on).toBe(true);
    expect(cams.infill.on).toBe(false);
    expect(cams.communities.on).toBe(true);
  });

  it('keeps the boundaries when nothing else is allowed, and every view without a limit', () => {
    const views = allowedViews(WALL_VIEWS, []);
    expect(views).toHaveLength(1);
    expect(views[0]!.layers).toEqual(['communities', 'towns']);
    expect(allowedViews(WALL_VIEWS, null)).toBe(WALL_VIEWS);
    expect(wallLayers(WALL_VIEWS[0]!, null).heat.on).toBe(true);
    expect(wallLayers(WALL_VIEWS[0]!, ['circles']).heat.on).toBe(false);
  });
});
