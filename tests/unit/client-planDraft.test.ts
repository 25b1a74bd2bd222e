import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  changes,
  createDraftStore,
  effective,
  staleKeys,
  type Saved,
  type ZoneState,
} from '../../client/plan/draft';

const square = (x: number, d = 0.01): Polygon => ({
  type: 'Polygon',
  coordinates: [
    [
      [x, 36],
      [x + d, 36],
      [x + d, 36 + d],
      [x, 36 + d],
      [x, 36],
    ],
  ],
});

const zone = (id: number, version = 1, x = 101.7): ZoneState => ({
  kind: 'zone',
  key: `z${id}`,
  id,
  version,
  geometry: square(x),
  name: `Z${id}`,
  unit: 'U',
  shift: 'all',
});

const saved = (...zones: ZoneState[]): Saved => ({
  zones: Object.fromEntries(zones.map((z) => [z.key, z])),
  posts: {
    p1: {
      kind: 'post',
      key: 'p1',
      id: 1,
      version: 1,
      position: [101.7, 36.6],
      name: 'P',
      status: 'available',
    },
  },
});

describe('planning draft', () => {
  it('makes one undo step of a whole drag, and redoes it', () => {
    const d = createDraftStore();
    d.getState().loadSaved(saved(zone(1)));
    for (const dx of [0.001, 0.002, 0.003])
      d.getState().liveChange({ ...zone(1), geometry: square(101.7 + dx) });
    expect(d.getState().past).toHaveLength(0);
    d.getState().endGesture();
    expect(d.getState().past).toHaveLength(1);
    expect(changes(d.getState())).toHaveLength(1);
    d.getState().undo();
    expect(d.getState().edits).toEqual({});
    expect(effective(d.getState()).zones[0]!.geometry).toEqual(square(101.7));
    d.getState().redo();
    expect((effective(d.getState()).byKey.z1 as ZoneState).geometry).toEqual(square(101.703));
  });

  it('turns edits into create, update and delete calls with their base versions', () => {
    const d = createDraftStore();
    d.getState().loadSaved(saved(zone(1, 4), zone(2, 7)));
    d.getState().commit([{ ...zone(1, 4), name: 'renamed' }]);
    d.getState().remove('z2');
    d.getState().commit([{ ...zone(9), id: undefined, version: undefined, key: 'n1' }]);
    const ops = changes(d.getState()).map((c) => [c.op, c.obj.key, c.obj.version]);
    expect(ops).toEqual([
      ['update', 'z1', 4],
      ['delete', 'z2', 7],
      ['create', 'n1', undefined],
    ]);
    expect(
      effective(d.getState())
        .zones.map((z) => z.key)
        .sort(),
    ).toEqual(['n1', 'z1']);
  });

  it('keeps edits over a newer saved state and marks them stale; undo never reverts others', () => {
    const d = createDraftStore();
    d.getState().loadSaved(saved(zone(1, 1), zone(2, 1)));
    d.getState().commit([{ ...zone(1, 1), name: 'mine' }]);
    // someone else saves both zones
    d.getState().loadSaved(
      saved({ ...zone(1, 2), name: 'theirs' }, { ...zone(2, 2), name: 'other' }),
    );
    expect(staleKeys(d.getState())).toEqual(['z1']);
    expect(effective(d.getState()).byKey.z1!.name).toBe('mine');
    d.getState().undo();
    expect(effective(d.getState()).byKey.z1!.name).toBe('theirs');
    expect(effective(d.getState()).byKey.z2!.name).toBe('other');
  });

  it('ends the edits that were saved, and forgets an edit back to the saved state', () => {
    const d = createDraftStore();
    d.getState().loadSaved(saved(zone(1)));
    d.getState().commit([{ ...zone(1), name: 'x' }]);
    d.getState().commit([{ ...zone(1), name: 'Z1' }]);
    expect(d.getState().edits).toEqual({});
    d.getState().commit([{ ...zone(1), name: 'y' }]);
    d.getState().loadSaved(saved({ ...zone(1, 2), name: 'y' }), ['z1']);
    expect(d.getState().edits).toEqual({});
    expect(d.getState().past).toEqual([]);
  });
});
