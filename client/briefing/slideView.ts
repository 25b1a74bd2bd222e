/**
 * A slide's view and the desk's view, each made from the other: a slide keeps what the desk keeps
 * in its URL (client/state/view.ts) plus the basemap (server/briefingInputs.ts slideView), never
 * the page's mode or language. Pure functions, no React.
 */
import { BRIEFING_LIMITS, type SlideBasemap } from '../../domain/briefing';
import type { Extent } from '../../geo/viewExtent';
import type { Preset, TimeWindow } from '../../domain/time';
import type { IncidentCategory } from '../../domain/vocabulary';
import type { Slide, SlideView } from '../../server/briefingInputs';
import { DEFAULT_LAYERS, LAYER_IDS, type Comparison, type LayerId, type View } from '../state/view';

export type { Slide, SlideView };

/**
 * The desk's view as a slide's view (every layer named, on or off, with its opacity), with the
 * area the map shows when known (a slide shows that area on any screen).
 */
export function slideViewOf(
  v: View,
  basemap: SlideBasemap = 'configured',
  extent?: Extent,
): SlideView {
  return {
    ...(extent ? { extent } : {}),
    camera: { ...v.camera },
    layers: Object.fromEntries(
      LAYER_IDS.map((id) => [id, { on: v.layers[id].on, opacity: v.layers[id].opacity }]),
    ) as SlideView['layers'],
    window: { ...v.window },
    categories: [...v.categories],
    communityId: v.communityId,
    incidentId: v.incidentId,
    panel: v.panel,
    rankPeriod: v.rankPeriod,
    rankToDate: v.rankToDate,
    basemap,
  };
}

/**
 * A slide's view on the desk: `base` gives the mode and the language (the page's, not the
 * slide's); a layer the slide does not name is off, an opacity it does not give is the layer's
 * default; the slide's comparison of periods (kept beside its view) is the desk's.
 */
export function viewOfSlide(
  s: SlideView,
  base: Pick<View, 'mode' | 'lang'>,
  comparison: Comparison | null = null,
): View {
  const layers = Object.fromEntries(
    LAYER_IDS.map((id) => {
      const l = s.layers[id];
      return [id, { on: l?.on ?? false, opacity: l?.opacity ?? DEFAULT_LAYERS[id].opacity }];
    }),
  ) as View['layers'];
  return {
    camera: { ...s.camera },
    layers,
    window: { ...s.window },
    categories: [...s.categories],
    communityId: s.communityId,
    incidentId: s.incidentId,
    mode: base.mode,
    lang: base.lang,
    panel: s.panel,
    rankPeriod: s.rankPeriod,
    rankToDate: s.rankToDate,
    comparison: comparison ? { ...comparison } : null,
  };
}

/** The layers a slide shows, in the map's order. */
export const layersOn = (s: Pick<SlideView, 'layers'>): LayerId[] =>
  LAYER_IDS.filter((id) => s.layers[id]?.on);

/** The words a title is made of, in the page's language. */
export interface TitleWords {
  preset(p: Preset): string;
  layer(id: LayerId): string;
  category(c: IncidentCategory): string;
  /** joins a list: 、 in Chinese, ", " in English */
  list: string;
  /** "and N more" */
  more(n: number): string;
}

/** A window as people say it: its preset's name, or its first and last day (2026-06-01 – 2026-06-30). */
export function windowLabel(w: TimeWindow, preset: (p: Preset) => string): string {
  if ('preset' in w) return preset(w.preset);
  const last = new Date(`${w.to}T00:00:00Z`);
  last.setUTCDate(last.getUTCDate() - 1);
  return `${w.from} – ${last.toISOString().slice(0, 10)}`;
}

/**
 * A slide's title before anyone names it: the window, the categories when filtered, and the
 * first three layers on ("近30天 · 交通 · 热力、村/社区"), within the title's length limit.
 */
export function defaultSlideTitle(s: SlideView, w: TitleWords): string {
  const parts = [windowLabel(s.window, w.preset)];
  if (s.categories.length) parts.push(s.categories.map(w.category).join(w.list));
  const on = layersOn(s);
  if (on.length)
    parts.push(
      on.slice(0, 3).map(w.layer).join(w.list) + (on.length > 3 ? w.more(on.length - 3) : ''),
    );
  const title = parts.join(' · ');
  return title.length > BRIEFING_LIMITS.title
    ? `${title.slice(0, BRIEFING_LIMITS.title - 1)}…`
    : title;
}

/** A new slide of the view, with no notes and no comparison. */
export function newSlide(
  title: string,
  view: SlideView,
  annotations: Slide['annotations'] = [],
  comparison: Comparison | null = null,
): Slide {
  return { title, notes: '', view, annotations, comparison };
}

/** The slides with the one at `from` moved to `to` (both kept within the list). */
export function moveSlide<T>(slides: readonly T[], from: number, to: number): T[] {
  const out = [...slides];
  if (from < 0 || from >= out.length) return out;
  const [s] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(out.length, to)), 0, s!);
  return out;
}
