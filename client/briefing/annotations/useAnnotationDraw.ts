/**
 * Drawing on the MapLibre map with the pointer, while the drawing tools are out
 * (useAnnotations.editing): a press-drag-release makes an arrow, a circle or a freehand
 * outline; a click places a text label (typed in an inline input) or, with the select tool,
 * selects the drawing under it. While a drawing tool is chosen the map does not pan on a drag
 * (its dragPan and double-click zoom are off, and the presses never reach MapLibre), and it
 * pans again after.
 */
import type maplibregl from 'maplibre-gl';
import type { Position } from 'geojson';
import { useCallback, useEffect, useRef, useState } from 'react';
import { BRIEFING_LIMITS } from '../../../domain/briefing';
import { typing } from '../../plan/usePlanEditor';
import {
  annotationFromGesture,
  hitAnnotation,
  isClick,
  roundPosition,
  type LngLat,
  type XY,
} from './geometry';
import { ANNOTATION_STYLE } from './layers';
import { useAnnotations } from './store';

export type AnnotationTool = 'select' | 'text' | 'arrow' | 'circle' | 'outline';

export const ANNOTATION_TOOLS: AnnotationTool[] = ['select', 'text', 'arrow', 'circle', 'outline'];

/** A freehand path keeps a pointer sample this many pixels or more from the previous one. */
const SAMPLE_PX = 2;

/** A text label being typed: where the input sits (pixels in the map) and where it goes. */
export interface TextDraft {
  x: number;
  y: number;
  position: LngLat;
}

export interface AnnotationDraw {
  /** the gesture in progress, in pixels of the map's container, or null */
  path: XY[] | null;
  /** the text label being typed, or null */
  textDraft: TextDraft | null;
  /** places the typed text (nothing when it is blank) and closes the input */
  commitText(text: string): void;
  cancelText(): void;
  /** pixels to [lon, lat] in WGS84, and back */
  toLngLat(p: XY): LngLat;
  project(p: Position): XY;
}

/**
 * The pointer on `map` for `tool`. `offset` is the basemap's display shift in degrees (a GCJ-02
 * basemap, client/map/basemap.ts displayOffset): drawings are stored in WGS84 under it.
 * `onRefused` hears of a drawing the slide has no room for.
 */
export function useAnnotationDraw(
  map: maplibregl.Map | null,
  tool: AnnotationTool,
  { offset = null, onRefused }: { offset?: [number, number] | null; onRefused?: () => void } = {},
): AnnotationDraw {
  const editing = useAnnotations((s) => s.editing);
  const [path, setPath] = useState<XY[] | null>(null);
  const [textDraft, setTextDraft] = useState<TextDraft | null>(null);
  const refused = useRef(onRefused);
  refused.current = onRefused;
  const [dx, dy] = offset ?? [0, 0];

  const toLngLat = useCallback(
    (p: XY): LngLat => {
      const ll = map!.unproject(p);
      return [ll.lng - dx, ll.lat - dy];
    },
    [map, dx, dy],
  );
  const project = useCallback(
    (p: Position): XY => {
      const q = map!.project([p[0]! + dx, p[1]! + dy]);
      return [q.x, q.y];
    },
    [map, dx, dy],
  );

  // the draft as last shown: placing or dropping it empties this first, so the input's blur as
  // it goes (after Enter or Esc) does not place it again
  const open = useRef<TextDraft | null>(null);
  open.current = textDraft;
  const commitText = useCallback((text: string) => {
    const d = open.current;
    const t = text.trim();
    open.current = null;
    if (d && t) {
      const a = {
        kind: 'text' as const,
        text: t,
        geometry: { type: 'Point' as const, coordinates: d.position },
      };
      if (!useAnnotations.getState().add(a)) refused.current?.();
    }
    setTextDraft(null);
  }, []);
  const cancelText = useCallback(() => {
    open.current = null;
    setTextDraft(null);
  }, []);

  // the pointer on the map
  useEffect(() => {
    if (!map || !editing) return;
    const el = map.getCanvasContainer();
    const drawing = tool !== 'select';
    const panned = map.dragPan.isEnabled();
    const zoomed = map.doubleClickZoom.isEnabled();
    if (drawing) {
      // quick clicks that place labels must not zoom the map either
      map.dragPan.disable();
      map.doubleClickZoom.disable();
      el.style.cursor = 'crosshair';
    }
    let current: XY[] | null = null;
    const at = (e: PointerEvent): XY => {
      const r = el.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    const full = () =>
      useAnnotations.getState().annotations.length >= BRIEFING_LIMITS.annotationsPerSlide;
    const down = (e: PointerEvent) => {
      if (e.button !== 0 || !e.isPrimary) return;
      if (!drawing) {
        current = [at(e)];
        return;
      }
      // the press is the drawing's: MapLibre never sees it; a text being typed is placed first
      e.preventDefault();
      e.stopPropagation();
      if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
      if (full()) {
        refused.current?.();
        return;
      }
      current = [at(e)];
      el.setPointerCapture(e.pointerId);
      if (tool !== 'text') setPath(current);
    };
    const move = (e: PointerEvent) => {
      if (!current) return;
      const p = at(e);
      if (tool === 'outline') {
        const last = current.at(-1)!;
        if (Math.hypot(p[0] - last[0], p[1] - last[1]) < SAMPLE_PX) return;
        current = [...current, p];
      } else current = [current[0]!, p];
      if (drawing && tool !== 'text') setPath(current);
    };
    const up = (e: PointerEvent) => {
      if (!current) return;
      const gesture = [...current, at(e)];
      current = null;
      setPath(null);
      if (drawing) {
        e.preventDefault();
        e.stopPropagation();
      }
      if (tool === 'select') {
        if (isClick(gesture))
          useAnnotations.getState().select(
            hitAnnotation(useAnnotations.getState().annotations, gesture[0]!, project, {
              textSize: ANNOTATION_STYLE.textSize,
            }),
          );
        return;
      }
      if (tool === 'text') {
        if (isClick(gesture)) {
          const [x, y] = gesture[0]!;
          setTextDraft({ x, y, position: roundPosition(toLngLat(gesture[0]!)) });
        }
        return;
      }
      const a = annotationFromGesture(tool, gesture, toLngLat);
      if (a && !useAnnotations.getState().add(a)) refused.current?.();
    };
    const cancel = () => {
      current = null;
      setPath(null);
    };
    el.addEventListener('pointerdown', down, { capture: true });
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerup', up);
    el.addEventListener('pointercancel', cancel);
    return () => {
      el.removeEventListener('pointerdown', down, { capture: true });
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerup', up);
      el.removeEventListener('pointercancel', cancel);
      if (drawing) {
        el.style.cursor = '';
        if (panned) map.dragPan.enable();
        if (zoomed) map.doubleClickZoom.enable();
      }
      setPath(null);
    };
  }, [map, editing, tool, toLngLat, project]);

  // a text being typed goes when the tool changes or the tools are put away
  useEffect(() => setTextDraft(null), [tool, editing]);

  // Delete removes the selected drawing; Esc lets go of it
  useEffect(() => {
    if (!editing) return;
    const onKey = (e: KeyboardEvent) => {
      if (typing(e.target)) return;
      const s = useAnnotations.getState();
      if (s.selected === null) return;
      if (e.key === 'Delete' || e.key === 'Backspace') {
        e.preventDefault();
        s.remove(s.selected);
      } else if (e.key === 'Escape') s.select(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editing]);

  return { path, textDraft, commitText, cancelText, toLngLat, project };
}
