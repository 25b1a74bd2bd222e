/**
 * The planning editor as the desk mounts it: terra-draw on the map, the saved lists and live
 * changes into the draft, keyboard shortcuts, and the what-if geometries as deck.gl layers.
 */
import type maplibregl from 'maplibre-gl';
import { useEffect, useMemo } from 'react';
import { usePlanData, useEvaluate } from './data';
import { useDraft } from './draft';
import { planLayers, type PlanOverlays } from './planLayers';
import { DRAW_BOTTOM_LAYER, usePlanDraw } from './usePlanDraw';

const typing = (t: EventTarget | null) =>
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

  const draft = evaluation.data?.draft as Partial<PlanOverlays> | undefined;
  const layers = useMemo(
    () =>
      active && draft
        ? planLayers({ unpatrolled: draft.unpatrolled ?? null, overlaps: draft.overlaps ?? null })
        : [],
    [active, draft],
  );
  return { ready, layers, beforeId: ready ? DRAW_BOTTOM_LAYER : undefined };
}
