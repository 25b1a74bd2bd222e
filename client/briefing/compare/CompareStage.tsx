/**
 * The desk's map while two periods are compared: side by side (split), one over the other with a
 * divider to drag (swipe), or one map of the change (difference). This period's map is the
 * desk's own (its layers follow the window as ever); the other is drawn for the compared range.
 */
import type maplibregl from 'maplibre-gl';
import { useCallback, useEffect, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { MapView, type MapViewProps } from '../../map/MapView';
import { useView } from '../../state/viewStore';
import { useMapLayers } from '../../map/useMapLayers';
import { DifferenceMap } from './DifferenceMap';
import { OwnMapView } from './OwnMapView';
import { PeriodLabel, type StageView } from './PeriodLabel';
import { useCompareTexts } from './texts';
import { useComparedRanges, type ComparedRanges } from './useComparison';
import type { Range } from '../../../domain/time';
import './compare.css';

/** The desk's map props, and what of its view the compared maps draw. */
export type CompareStageProps = MapViewProps & { view: StageView };

/**
 * The desk's map: one MapView, or the comparison's maps while the view compares two periods.
 * Only the comparison's switch renders this; a window change reaches the maps as before (and the
 * compared maps through their own subscriptions).
 */
export function CompareStage({ view, ...map }: CompareStageProps) {
  const on = useView((s) => s.comparison !== null);
  if (!on) return <OwnMapView {...map} />;
  return <ComparedMaps map={map} view={view} />;
}

function ComparedMaps({ map, view }: { map: MapViewProps; view: StageView }) {
  const ranges = useComparedRanges();
  if (!ranges) return <OwnMapView {...map} />;
  if (ranges.comparison.mode === 'difference')
    return <DifferenceMap map={map} view={view} ranges={ranges} />;
  return <TwoMaps map={map} view={view} ranges={ranges} />;
}

/**
 * A map of the view drawn for a fixed range (the compared period's) instead of the store's
 * window, which it does not follow.
 */
export function RangeMap({
  view,
  range,
  ...map
}: Omit<MapViewProps, 'layers' | 'follow'> & { view: StageView; range: Range }) {
  const { layers } = useMapLayers(view, { range });
  return <MapView {...map} layers={layers} />;
}

/**
 * Keeps two maps looking at the same place while either moves (not only when it stops): the one
 * moved by hand leads, the other jumps after it.
 */
function useSyncedCameras(a: maplibregl.Map | null, b: maplibregl.Map | null) {
  useEffect(() => {
    if (!a || !b) return;
    let following = false;
    const follow = (from: maplibregl.Map, to: maplibregl.Map) => () => {
      if (following) return;
      following = true;
      to.jumpTo({
        center: from.getCenter(),
        zoom: from.getZoom(),
        bearing: from.getBearing(),
        pitch: from.getPitch(),
      });
      following = false;
    };
    const ab = follow(a, b);
    const ba = follow(b, a);
    a.on('move', ab);
    b.on('move', ba);
    // a map made later starts where the other already is
    ab();
    return () => {
      a.off('move', ab);
      b.off('move', ba);
    };
  }, [a, b]);
}

/** Split or swipe: the compared period on the left (or under the divider's left side), this period on the right. */
function TwoMaps({
  map,
  view,
  ranges,
}: {
  map: MapViewProps;
  view: StageView;
  ranges: ComparedRanges;
}) {
  const t = useCompareTexts();
  const swipe = ranges.comparison.mode === 'swipe';
  const [current, setCurrent] = useState<maplibregl.Map | null>(null);
  const [base, setBase] = useState<maplibregl.Map | null>(null);
  const deskOnMap = map.onMap;
  const onCurrent = useCallback(
    (m: maplibregl.Map | null) => {
      deskOnMap?.(m);
      setCurrent(m);
    },
    [deskOnMap],
  );
  useSyncedCameras(current, base);
  // the divider's place, in per cent of the width from the left
  const [at, setAt] = useState(50);
  return (
    <div className={`compare-stage ${swipe ? 'swipe' : 'split'}`} data-testid="compare-stage">
      <div
        className="compare-pane base"
        style={swipe ? { clipPath: `inset(0 ${100 - at}% 0 0)` } : undefined}
      >
        <RangeMap {...map} view={view} range={ranges.base} onMap={setBase} />
        <PeriodLabel ranges={ranges} which="base" />
      </div>
      <div className="compare-pane current">
        <OwnMapView {...map} onMap={onCurrent} />
        <PeriodLabel ranges={ranges} which="current" className={swipe ? 'right' : ''} />
      </div>
      {swipe && <Divider at={at} onMove={setAt} label={t.divider} />}
    </div>
  );
}

/** The swipe's divider: dragged, or moved with the arrow keys (2%, PageUp/PageDown 10%). */
function Divider({ at, onMove, label }: { at: number; onMove(at: number): void; label: string }) {
  const clamp = (v: number) => Math.min(98, Math.max(2, v));
  const place = (e: PointerEvent<HTMLDivElement>) => {
    const box = e.currentTarget.parentElement!.getBoundingClientRect();
    onMove(clamp(((e.clientX - box.left) / box.width) * 100));
  };
  const step: Record<string, number> = {
    ArrowLeft: -2,
    ArrowRight: 2,
    ArrowDown: -2,
    ArrowUp: 2,
    PageDown: -10,
    PageUp: 10,
    Home: -100,
    End: 100,
  };
  return (
    <div
      className="swipe-divider"
      style={{ left: `${at}%` }}
      role="slider"
      tabIndex={0}
      aria-label={label}
      aria-orientation="horizontal"
      aria-valuemin={2}
      aria-valuemax={98}
      aria-valuenow={Math.round(at)}
      data-testid="swipe-divider"
      onPointerDown={(e) => {
        e.currentTarget.setPointerCapture(e.pointerId);
        e.preventDefault();
      }}
      onPointerMove={(e) => {
        if (e.currentTarget.hasPointerCapture(e.pointerId)) place(e);
      }}
      onKeyDown={(e: KeyboardEvent) => {
        const d = step[e.key];
        if (d === undefined) return;
        e.preventDefault();
        onMove(clamp(at + d));
      }}
    >
      <span className="grip" aria-hidden>
        ⟷
      </span>
    </div>
  );
}
