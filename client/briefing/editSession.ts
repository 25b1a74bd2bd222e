/**
 * The slide being edited on the desk: which briefing, which slide, and the briefing as it was
 * when editing began (its version and slides), kept in the tab's sessionStorage. The desk's URL
 * carries only the view (syncUrl rewrites its query), so this is what survives a reload.
 */
import type { Slide } from '../../server/briefingInputs';

export interface EditSession {
  briefingId: number;
  /** the briefing's version the edit started from: the save names it */
  version: number;
  title: string;
  slides: Slide[];
  /** the slide's place in `slides` */
  index: number;
}

const KEY = 'pingan.briefing.edit';

export function readEditSession(): EditSession | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as EditSession;
    return Number.isInteger(s.briefingId) && s.slides?.[s.index] ? s : null;
  } catch {
    return null;
  }
}

export function startEditSession(s: EditSession) {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function endEditSession() {
  sessionStorage.removeItem(KEY);
}
