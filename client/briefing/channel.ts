/**
 * The presenting window and its presenter view (a second window) talk over a BroadcastChannel
 * per briefing: the main window says which slide is on and since when the talk runs; the
 * presenter view asks for that when it opens and sends its key presses back as moves.
 */
import { useEffect, useRef } from 'react';

export type PresenterMessage =
  /** the main window's state: the slide shown, and when presenting started (epoch ms) */
  | { type: 'state'; index: number; startedAt: number }
  /** the presenter view has opened and wants the state */
  | { type: 'hello' }
  /** move by a number of slides */
  | { type: 'step'; by: number };

/** Listens on the briefing's channel; returns a function that posts to it. */
export function usePresenterChannel(id: number, onMessage: (m: PresenterMessage) => void) {
  const channel = useRef<BroadcastChannel | null>(null);
  const handler = useRef(onMessage);
  handler.current = onMessage;
  useEffect(() => {
    if (typeof BroadcastChannel === 'undefined') return;
    const c = new BroadcastChannel(`pingan-briefing-${id}`);
    c.onmessage = (e: MessageEvent<PresenterMessage>) => handler.current(e.data);
    channel.current = c;
    return () => {
      c.close();
      channel.current = null;
    };
  }, [id]);
  return (m: PresenterMessage) => channel.current?.postMessage(m);
}

/**
 * What a key does while presenting: +1 (→, ↓, PageDown, Space, and what clickers send), -1
 * (←, ↑, PageUp, Backspace), to the first or the last slide (Home, End), or nothing.
 */
export function stepOfKey(e: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey'>) {
  if (e.altKey || e.ctrlKey || e.metaKey) return null;
  switch (e.key) {
    case 'ArrowRight':
    case 'ArrowDown':
    case 'PageDown':
    case ' ':
    case 'Spacebar':
      return 1;
    case 'ArrowLeft':
    case 'ArrowUp':
    case 'PageUp':
    case 'Backspace':
      return -1;
    case 'Home':
      return -Infinity;
    case 'End':
      return Infinity;
    default:
      return null;
  }
}

/** The slide `by` away from `index` within `count` slides. */
export const stepTo = (index: number, by: number, count: number) =>
  Math.max(0, Math.min(count - 1, by === -Infinity ? 0 : by === Infinity ? count - 1 : index + by));

/** Calls `onStep` for each key that moves between slides (outside text fields). */
export function useSlideKeys(onStep: (by: number) => void) {
  const handler = useRef(onStep);
  handler.current = onStep;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target?.closest('input, textarea, select, [contenteditable=true]')) return;
      const by = stepOfKey(e);
      if (by === null) return;
      e.preventDefault();
      handler.current(by);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

/** mm:ss, or h:mm:ss past an hour. */
export function elapsedText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mm}:${ss}` : `${mm}:${ss}`;
}
