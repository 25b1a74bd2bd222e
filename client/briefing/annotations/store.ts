/**
 * The drawings of the slide in hand: the one being edited on the desk, or the one being
 * presented. The map draws them (annotationLayers); the editor's toolbar adds, changes and
 * removes them; a slide's save takes them from here. Every change makes a new array (and a new
 * object for a changed drawing), so subscribers and memoised layers see it.
 */
import { create } from 'zustand';
import { BRIEFING_LIMITS } from '../../../domain/briefing';
import type { Annotation } from '../../../server/briefingInputs';

export type { Annotation };

export interface AnnotationState {
  annotations: Annotation[];
  /** the drawing tools are out (a slide is being edited) */
  editing: boolean;
  /** the index of the drawing selected with the tools, or null */
  selected: number | null;
  setAnnotations(a: Annotation[]): void;
  setEditing(on: boolean): void;
  select(i: number | null): void;
  /**
   * Adds a drawing and selects it; false (and nothing changes) when the slide already holds
   * BRIEFING_LIMITS.annotationsPerSlide.
   */
  add(a: Annotation): boolean;
  /** Replaces drawing `i`. */
  update(i: number, a: Annotation): void;
  /** Removes drawing `i`. */
  remove(i: number): void;
  /** Removes every drawing. */
  clear(): void;
}

export const useAnnotations = create<AnnotationState>()((set, get) => ({
  annotations: [],
  editing: false,
  selected: null,
  setAnnotations: (annotations) => set({ annotations, selected: null }),
  setEditing: (editing) => set(editing ? { editing } : { editing, selected: null }),
  select: (i) => set({ selected: i !== null && get().annotations[i] ? i : null }),
  add: (a) => {
    const { annotations } = get();
    if (annotations.length >= BRIEFING_LIMITS.annotationsPerSlide) return false;
    set({ annotations: [...annotations, a], selected: annotations.length });
    return true;
  },
  update: (i, a) => set((s) => (s.annotations[i] ? { annotations: s.annotations.with(i, a) } : {})),
  remove: (i) =>
    set((s) =>
      s.annotations[i]
        ? {
            annotations: s.annotations.filter((_, j) => j !== i),
            selected:
              s.selected === i
                ? null
                : s.selected !== null && s.selected > i
                  ? s.selected - 1
                  : s.selected,
          }
        : {},
    ),
  clear: () => set({ annotations: [], selected: null }),
}));

if (typeof window !== 'undefined') {
  // a handle for tests and benchmarks that set a slide's drawings directly
  const w = window as unknown as { __pingan?: object };
  w.__pingan = { ...w.__pingan, annotations: useAnnotations };
}
