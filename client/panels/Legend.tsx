/**
 * A legend section for every layer that is on (registry.ts), in the map's own colours. On the
 * desk it stands in the map's corner where it hides least of the district, and folds away.
 */
import type { FeatureCollection } from 'geojson';
import type maplibregl from 'maplibre-gl';
import { Fragment, memo, useEffect, useRef, useState } from 'react';
import type { Size } from '../../geo/viewExtent';
import { useAllowedLayers } from '../auth/useCan';
import { useT } from '../i18n';
import { LAYER_REGISTRY, type LayerEntry, type LayerId } from '../layers/registry';
import {
  CORNER_INSETS,
  CORNERS,
  freestCorner,
  type Corner,
  type ScreenRing,
} from '../map/legendPlace';
import { useView } from '../state/viewStore';

/** The layers of the window's incidents: a map of the change between periods draws in their place. */
const OF_WINDOW: ReadonlySet<LayerId> = new Set(
  LAYER_REGISTRY.filter((e) => e.followsWindow).map((e) => e.id),
);

/** The sections in their order, each with the layers shown in it. */
const SECTIONS = LAYER_REGISTRY.flatMap((e) =>
  typeof e.legend === 'object' && 'section' in e.legend
    ? [
        {
          id: e.id,
          order: e.legend.order,
          Section: e.legend.section,
          members: LAYER_REGISTRY.filter(
            (m: LayerEntry) =>
              m === e ||
              (typeof m.legend === 'object' && 'with' in m.legend && m.legend.with === e.id),
          ).map((m) => m.id),
        },
      ]
    : [],
).sort((a, b) => a.order - b.order);

/** Where the desk remembers that the legend is folded away. */
const FOLDED_KEY = 'pingan:legend-folded';
/** Vertices projected per ring at most: enough to tell the corners apart, cheap at every move. */
const MAX_RING_POINTS = 120;

/** On the desk: the map the legend stands on, placed in its freest corner and folding away. */
export interface LegendPlacement {
  map?: maplibregl.Map | null;
  /** the shape the legend keeps clear of (the district) */
  avoid?: FeatureCollection;
  /** the legend's size as drawn (null when it shows nothing), for fitting the map beside it */
  onSize?: (size: Size | null) => void;
}

/** The rings of a collection's (multi)polygons, thinned out to `max` vertices each. */
function ringsOf(fc: FeatureCollection, max: number): [number, number][][][] {
  const thin = (ring: number[][]) => {
    const step = Math.max(1, Math.ceil(ring.length / max));
    return ring.filter((_, i) => i % step === 0).map((p) => [p[0]!, p[1]!] as [number, number]);
  };
  return fc.features.flatMap((f) =>
    f.geometry?.type === 'Polygon'
      ? [f.geometry.coordinates.map(thin)]
      : f.geometry?.type === 'MultiPolygon'
        ? f.geometry.coordinates.map((p) => p.map(thin))
        : [],
  );
}

function readFolded(): boolean {
  try {
    return localStorage.getItem(FOLDED_KEY) === '1';
  } catch {
    return false;
  }
}

/** The corner with the most free room, kept up to date as the map moves and resizes. */
function useCorner(place: LegendPlacement, box: Size | null): Corner | undefined {
  const [corner, setCorner] = useState<Corner>(CORNERS[0]!);
  const { map, avoid } = place;
  const w = box?.width ?? 0;
  const h = box?.height ?? 0;
  useEffect(() => {
    if (!map || !avoid || !w || !h) return;
    const rings = ringsOf(avoid, MAX_RING_POINTS);
    const update = () => {
      const el = map.getContainer();
      const screen: ScreenRing[][] = rings.map((p) =>
        p.map((r) =>
          r.map((ll) => {
            const q = map.project(ll);
            return [q.x, q.y] as [number, number];
          }),
        ),
      );
      setCorner((c) =>
        freestCorner(
          { width: el.clientWidth, height: el.clientHeight },
          { width: w, height: h },
          screen,
          c,
        ),
      );
    };
    update();
    map.on('moveend', update);
    map.on('resize', update);
    return () => {
      map.off('moveend', update);
      map.off('resize', update);
    };
  }, [map, avoid, w, h]);
  return map !== undefined ? corner : undefined;
}

/** The inline position of a legend in `corner`. */
function cornerStyle(corner: Corner): React.CSSProperties {
  const { x, y } = CORNER_INSETS[corner];
  const left = corner.endsWith('left');
  const top = corner.startsWith('top');
  return {
    left: left ? x : 'auto',
    right: left ? 'auto' : x,
    top: top ? y : 'auto',
    bottom: top ? 'auto' : y,
  };
}

function LegendPanel(place: LegendPlacement) {
  const t = useT();
  const L = useAllowedLayers(useView((s) => s.layers));
  // a map of the change between two periods draws it in place of the incidents themselves
  const difference = useView((s) => s.comparison?.mode === 'difference');
  const on = (id: LayerId) => L[id].on && !(difference && OF_WINDOW.has(id));
  const shown = SECTIONS.filter((s) => s.members.some(on));
  const placed = place.map !== undefined;
  const [folded, setFolded] = useState(() => (placed ? readFolded() : false));
  const ref = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState<Size | null>(null);
  const onSize = place.onSize;
  const visible = shown.length > 0;
  useEffect(() => {
    const el = ref.current;
    if (!el) {
      setBox(null);
      onSize?.(null);
      return;
    }
    const report = () => {
      const size = { width: el.offsetWidth, height: el.offsetHeight };
      setBox((b) => (b && b.width === size.width && b.height === size.height ? b : size));
      onSize?.(size);
    };
    report();
    const observer = new ResizeObserver(report);
    observer.observe(el);
    return () => observer.disconnect();
  }, [visible, onSize]);
  const corner = useCorner(place, box);
  if (!visible) return null;
  const fold = (f: boolean) => {
    setFolded(f);
    try {
      localStorage.setItem(FOLDED_KEY, f ? '1' : '0');
    } catch {
      // private windows may refuse storage: the legend still folds for this page
    }
  };
  return (
    <div
      ref={ref}
      className={`legend${folded ? ' folded' : ''}`}
      data-testid="legend"
      data-corner={corner}
      style={corner ? cornerStyle(corner) : undefined}
    >
      {placed && (
        <button
          className="legend-fold"
          onClick={() => fold(!folded)}
          aria-expanded={!folded}
          title={folded ? t.legendShow : t.legendHide}
          data-testid="legend-fold"
        >
          <span>{t.legend}</span>
          <span aria-hidden>{folded ? '▸' : '▾'}</span>
        </button>
      )}
      {!folded &&
        shown.map(({ id, Section }) => <Fragment key={id}>{Section({ t, on })}</Fragment>)}
    </div>
  );
}

/** Re-renders with the layers it lists, not with its parent (the map, at every window change). */
export const Legend = memo(LegendPanel);
