/**
 * The drawings of the slide in hand: the one being edited on the desk, or the one being
 * presented. The map draws them (annotationLayers); the editor's toolbar adds, changes and
 * removes them; a slide's save takes them from here.
 */
import { create } from 'zustand';
import type { Annotation } from '../../../server/briefingInputs';

export type { Annotation };

export interface AnnotationState {
  annotations: Annotation[];
  /** the drawing tools are out (a slide is being edited) */
  editing: boolean;
  setAnnotations(a: Annotation[]): void;
  setEditing(on: boolean): void;
}

export const useAnnotations = create<AnnotationState>()((set) => ({
  annotations: [],
  editing: false,
  setAnnotations: (annotations) => set({ annotations }),
  setEditing: (editing) => set({ editing }),
}));
