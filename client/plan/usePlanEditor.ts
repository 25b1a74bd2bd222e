/**
 * The planning editor as the desk mounts it: terra-draw on the map, the saved lists and live
 * changes into the draft, keyboard shortcuts, and the what-if geometries as deck.gl layers.
 */
import { pointOnFeature } from '@turf/turf';
import type maplibregl from 'maplibre-gl';
import { useEffect, useMemo } from 'react';
import { useEffective, usePlanData, useEvaluate } from './data';
import { useDraft } from './draft';
import { planLayers, type PlanOverlays } from './planLayers';
import { DRAW_BOTTOM_LAYER, usePlanDraw } from './usePlanDraw';

/** Whether a key press goes to a text field (and so is no shortcut). */
export const typing = (t: EventTarget | null) =>
  t instanceof HTMLElement &&
  (t.tagName === 'INPUT' ||
    t.tagName === 'TEXTAREA' ||
    t.tagName === 'SELECT' ||
    t.isContentEditable);

export function usePlanEditor(map: maplibregl.Map | null, active: boolean) {
  usePlanData(active);
  const ready = usePlanDraw(map, active);
  const evaluation = useEvaluate(active);

  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target)) return;
      const d = useDraft.getState();
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z') {
        e.preventDefault();
        if (e.shiftKey) d.redo();
        else d.undo();
      } else if (mod && e.key.toLowerCase() === 'y') {
        e.preventDefault();
        d.redo();
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && d.selected) {
        e.preventDefault();
        d.remove(d.selected);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active]);

  useEffect(() => {
    if (!active) return;
    // leaving the page with unsaved changes asks first
    const onUnload = (e: BeforeUnloadEvent) => {
      if (Object.keys(useDraft.getState().edits).length) e.preventDefault();
    };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [active]);

  // the draft zones' labels: unit and shift, as the zones layer labels them
  const eff = useEffective();
  const labels = useMemo(
    () =>
      active
        ? eff.zones.map((z) => ({
            position: pointOnFeature(z.geometry).geometry.coordinates as [number, number],
            text: `${z.unit || z.name}${z.shift === 'day' ? '（日）' : z.shift === 'night' ? '（夜）' : ''}`,
            priority: 900,
          }))
        : [],
    [active, eff.zones],
  );
  const draft = evaluation.data?.draft as Partial<PlanOverlays> | undefined;
  const layers = useMemo(
    () =>
      active && draft
        ? planLayers({ unpatrolled: draft.unpatrolled ?? null, overlaps: draft.overlaps ?? null })
        : [],
    [active, draft],
  );
  // the labels go to the map's one label placement (useMapLayers)
  return { ready, layers, labels, beforeId: ready ? DRAW_BOTTOM_LAYER : undefined };
}
