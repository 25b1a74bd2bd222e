/**
 * The map side of the planning editor: terra-draw over MapLibre, fed from the draft store and
 * feeding it back. Drawing on the map changes the draft (drag steps without history, one undo
 * step per gesture); anything else that changes the draft (undo, redo, a save, the panel,
 * someone else's save) bumps `rev`, and the map is redrawn from the store.
 */
import type maplibregl from 'maplibre-gl';
import type { Point, Polygon } from 'geojson';
import { useEffect, useState } from 'react';
import type { GeoJSONStoreFeatures, TerraDraw } from 'terra-draw';
import type { TerraDrawMapLibreGLAdapter } from 'terra-draw-maplibre-gl-adapter';
import { useView } from '../state/viewStore';
import {
  effective,
  staleKeys,
  useDraft,
  type PlanObject,
  type PostState,
  type ZoneState,
} from './draft';

/** The lowest layer terra-draw adds: deck.gl layers go below it, so the handles stay on top. */
export const DRAW_BOTTOM_LAYER = 'td-polygon';

type FeatureState = 'saved' | 'edited' | 'stale';

export const DRAW_COLOURS: Record<FeatureState, `#${string}`> = {
  saved: '#A5D6A7',
  edited: '#FFFFFF',
  stale: '#F48FB1',
};

const HELPER_PROPS = [
  'selectionPoint',
  'midPoint',
  'closingPoint',
  'snappingPoint',
  'coordinatePoint',
  'currentlyDrawing',
] as const;

/** A feature the planner drew or edits, not one of terra-draw's handles. */
function isObjectFeature(f: GeoJSONStoreFeatures): boolean {
  const p = f.properties as Record<string, unknown>;
  if (HELPER_PROPS.some((k) => p[k])) return false;
  return (
    (p.mode === 'polygon' && f.geometry.type === 'Polygon') ||
    (p.mode === 'point' && f.geometry.type === 'Point')
  );
}

const stateOf = (f: GeoJSONStoreFeatures): FeatureState =>
  ((f.properties as { state?: FeatureState }).state ?? 'saved') as FeatureState;

function toFeature(o: PlanObject, state: FeatureState): GeoJSONStoreFeatures | null {
  if (o.kind === 'zone') {
    const g = o.geometry;
    // terra-draw edits simple polygons: a zone in several parts is shown but not drawn here
    const polygon: Polygon | null =
      g.type === 'Polygon'
        ? g
        : g.coordinates.length === 1
          ? { type: 'Polygon', coordinates: g.coordinates[0]! }
          : null;
    if (!polygon) return null;
    return {
      id: o.key,
      type: 'Feature',
      geometry: polygon,
      properties: { mode: 'polygon', state },
    };
  }
  return {
    id: o.key,
    type: 'Feature',
    geometry: { type: 'Point', coordinates: o.position },
    properties: { mode: 'point', state },
  };
}

function featureStates(): Record<string, FeatureState> {
  const s = useDraft.getState();
  const stale = new Set(staleKeys(s));
  const out: Record<string, FeatureState> = {};
  for (const k of Object.keys(s.edits)) out[k] = stale.has(k) ? 'stale' : 'edited';
  return out;
}

/** Starts terra-draw on `map` while `active`; returns whether it is running. */
export function usePlanDraw(map: maplibregl.Map | null, active: boolean): boolean {
  const [ready, setReady] = useState(false);

  useEffect(() => {
    if (!map || !active) return;
    let stop: (() => void) | undefined;
    let cancelled = false;
    // terra-draw is loaded when the editor first opens: the map itself needs none of it
    Promise.all([import('terra-draw'), import('terra-draw-maplibre-gl-adapter')])
      .then(([td, adapter]) => {
        if (!cancelled) stop = startDrawing(map, td, adapter.TerraDrawMapLibreGLAdapter, setReady);
      })
      .catch((e: unknown) => console.error('plan: the drawing tools could not be loaded', e));
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [map, active]);

  return ready;
}

/** terra-draw on `map`, kept in step with the draft; returns what stops it. */
function startDrawing(
  map: maplibregl.Map,
  td: typeof import('terra-draw'),
  Adapter: typeof TerraDrawMapLibreGLAdapter,
  setReady: (ready: boolean) => void,
): () => void {
  const { TerraDraw, TerraDrawSelectMode, TerraDrawPolygonMode, TerraDrawPointMode } = td;
  const polygonStyle = {
    fillColor: (f: GeoJSONStoreFeatures) => DRAW_COLOURS[stateOf(f)],
    fillOpacity: 0.12,
    outlineColor: (f: GeoJSONStoreFeatures) => DRAW_COLOURS[stateOf(f)],
    outlineWidth: (f: GeoJSONStoreFeatures) => (stateOf(f) === 'saved' ? 2 : 3),
    closingPointColor: '#FFFFFF' as const,
    closingPointOutlineColor: '#0B1220' as const,
    closingPointWidth: 5,
    closingPointOutlineWidth: 2,
  };
  const pointStyle = {
    pointColor: (f: GeoJSONStoreFeatures) =>
      stateOf(f) === 'saved' ? ('#FFFFFF' as const) : DRAW_COLOURS[stateOf(f)],
    pointWidth: 7,
    pointOutlineColor: (f: GeoJSONStoreFeatures) =>
      stateOf(f) === 'saved' ? ('#0B1220' as const) : ('#7E57C2' as const),
    pointOutlineWidth: 3,
  };
  const draw = new TerraDraw({
    adapter: new Adapter({ map, coordinatePrecision: 7 }),
    idStrategy: {
      isValidId: (id) => typeof id === 'string' && id.length > 0,
      getId: () => useDraft.getState().newKey(),
    },
    modes: [
      new TerraDrawSelectMode({
        dragEventThrottle: 0,
        flags: {
          polygon: {
            feature: {
              draggable: true,
              coordinates: { draggable: true, midpoints: true, deletable: true },
            },
          },
          point: { feature: { draggable: true } },
        },
        // deleting goes through the draft (the panel's button and our own Delete key)
        keyEvents: { deselect: 'Escape', delete: null, rotate: null, scale: null },
        styles: {
          selectedPolygonColor: '#FFFFFF',
          selectedPolygonFillOpacity: 0.18,
          selectedPolygonOutlineColor: '#FFFFFF',
          selectedPolygonOutlineWidth: 3,
          selectionPointColor: '#FFFFFF',
          selectionPointOutlineColor: '#0B1220',
          selectionPointWidth: 6,
          selectionPointOutlineWidth: 2,
          midPointColor: '#B0BEC5',
          midPointOutlineColor: '#0B1220',
          midPointWidth: 4,
          midPointOutlineWidth: 1,
          selectedPointColor: '#FFFFFF',
          selectedPointOutlineColor: '#7E57C2',
          selectedPointWidth: 9,
          selectedPointOutlineWidth: 3,
        },
      }),
      new TerraDrawPolygonMode({ styles: polygonStyle }),
      new TerraDrawPointMode({ styles: pointStyle }),
    ],
  });
  draw.start();
  let syncing = false;

  /** Brings the drawing in line with the draft (added, removed, moved, restyled objects). */
  const sync = () => {
    syncing = true;
    try {
      const s = useDraft.getState();
      const eff = effective(s);
      const states = featureStates();
      const have = new Map(
        draw
          .getSnapshot()
          .filter(isObjectFeature)
          .map((f) => [String(f.id), f]),
      );
      const selected = draw
        .getSnapshot()
        .filter((f) => (f.properties as { selected?: boolean }).selected)
        .map((f) => String(f.id));
      const deselect = (id: string) => {
        if (selected.includes(id)) draw.deselectFeature(id);
      };
      const gone = [...have.keys()].filter((id) => !eff.byKey[id]);
      gone.forEach(deselect);
      if (gone.length) draw.removeFeatures(gone);
      const add: GeoJSONStoreFeatures[] = [];
      for (const o of Object.values(eff.byKey)) {
        const want = toFeature(o, states[o.key] ?? 'saved');
        if (!want) continue;
        const cur = have.get(o.key);
        if (!cur) add.push(want);
        else {
          if (JSON.stringify(cur.geometry) !== JSON.stringify(want.geometry)) {
            deselect(o.key);
            draw.updateFeatureGeometry(o.key, want.geometry as Polygon | Point);
          }
          if (stateOf(cur) !== want.properties.state)
            draw.updateFeatureProperties(o.key, { state: want.properties.state as string });
        }
      }
      if (add.length) {
        const results = draw.addFeatures(add);
        for (const r of results)
          if (!r.valid) console.warn(`plan: feature ${String(r.id)} not drawn: ${r.reason}`);
      }
      const want = s.selected;
      if (want && eff.byKey[want] && draw.hasFeature(want) && draw.getMode() === 'select') {
        const now = draw
          .getSnapshot()
          .filter((f) => (f.properties as { selected?: boolean }).selected)
          .map((f) => String(f.id));
        if (!now.includes(want)) draw.selectFeature(want);
      }
    } finally {
      syncing = false;
    }
  };

  const objectOf = (id: string, f: GeoJSONStoreFeatures): PlanObject | null => {
    const o = effective(useDraft.getState()).byKey[id];
    if (!o) return null;
    if (o.kind === 'zone' && f.geometry.type === 'Polygon')
      return { ...o, geometry: f.geometry as Polygon } satisfies ZoneState;
    if (o.kind === 'post' && f.geometry.type === 'Point')
      return {
        ...o,
        position: (f.geometry as Point).coordinates.slice(0, 2) as [number, number],
      } satisfies PostState;
    return null;
  };

  // an exception inside terra-draw's listeners corrupts the drawing: each is guarded
  draw.on('change', (ids, type, context) => {
    // selection and styling change properties only; our own API calls are not edits
    if (syncing || type === 'delete' || context?.target === 'properties') return;
    if (context && 'origin' in context && context.origin === 'api') return;
    try {
      for (const raw of ids) {
        const id = String(raw);
        const f = draw.getSnapshotFeature(id);
        if (!f || !isObjectFeature(f)) continue;
        const o = objectOf(id, f);
        if (o) useDraft.getState().liveChange(o);
      }
    } catch (e) {
      console.error('plan: change', e);
    }
  });
  draw.on('finish', (raw, ctx) => {
    if (syncing) return;
    try {
      const id = String(raw);
      const d = useDraft.getState();
      if (ctx.action === 'draw') {
        const f = draw.getSnapshotFeature(id);
        if (!f) return;
        const zh = useView.getState().lang === 'zh';
        // numbered among the new objects of their kind (terra-draw's handles use up ids too)
        const isZone = f.geometry.type === 'Polygon';
        const n =
          Object.values(d.edits).filter((e) => e.id === undefined && (e.kind === 'zone') === isZone)
            .length + 1;
        if (f.geometry.type === 'Polygon') {
          d.commit(
            [
              {
                kind: 'zone',
                key: id,
                geometry: f.geometry as Polygon,
                name: `${zh ? '新巡区' : 'New zone'} ${n}`,
                unit: '',
                shift: 'all',
              },
            ],
            { fromMap: true },
          );
        } else if (f.geometry.type === 'Point') {
          d.commit(
            [
              {
                kind: 'post',
                key: id,
                position: (f.geometry as Point).coordinates.slice(0, 2) as [number, number],
                name: `${zh ? '快反点' : 'Post'} ${n}`,
                status: 'available',
              },
            ],
            { fromMap: true },
          );
        }
        // a new zone is edited next; points keep coming until the tool changes
        if (f.geometry.type === 'Polygon') {
          d.select(id);
          d.setTool('select');
        }
      } else d.endGesture();
    } catch (e) {
      console.error('plan: finish', e);
    }
  });
  draw.on('select', (id) => {
    if (!syncing) useDraft.getState().select(String(id));
  });
  draw.on('deselect', () => {
    if (!syncing) useDraft.getState().select(null);
  });

  draw.setMode(useDraft.getState().tool);
  sync();
  let rev = useDraft.getState().rev;
  let tool = useDraft.getState().tool;
  let selected = useDraft.getState().selected;
  const unsub = useDraft.subscribe((s) => {
    try {
      if (s.tool !== tool) {
        tool = s.tool;
        draw.setMode(tool);
      }
      if (s.rev !== rev || s.selected !== selected) {
        rev = s.rev;
        selected = s.selected;
        sync();
      }
    } catch (e) {
      console.error('plan: sync', e);
    }
  });
  // ready on the next frame: terra-draw has added its layers by then
  const frame = requestAnimationFrame(() => setReady(true));
  (window as unknown as { __draw?: TerraDraw }).__draw = draw;
  return () => {
    cancelAnimationFrame(frame);
    unsub();
    setReady(false);
    draw.stop();
    delete (window as unknown as { __draw?: TerraDraw }).__draw;
  };
}
