/** A slide's saved view (server/briefingInputs.ts) as the desk's view (client/state/view.ts). */
import type { SlideView } from '../../../server/briefingInputs';
import {
  DEFAULT_LAYERS,
  defaultView,
  LAYER_IDS,
  type Lang,
  type Mode,
  type View,
} from '../../state/view';

/**
 * The desk's view of a slide: a layer the slide does not name is off, one named without an
 * opacity has its default; the language and the mode stay the page's.
 */
export function viewOfSlide(s: SlideView, lang: Lang, mode: Mode): View {
  const layers = structuredClone(DEFAULT_LAYERS);
  for (const id of LAYER_IDS) {
    const l = s.layers[id];
    layers[id] = { on: l?.on ?? false, opacity: l?.opacity ?? DEFAULT_LAYERS[id].opacity };
  }
  return {
    ...defaultView(mode),
    camera: { ...s.camera },
    layers,
    window: s.window,
    categories: [...s.categories],
    communityId: s.communityId,
    incidentId: s.incidentId,
    panel: s.panel,
    rankPeriod: s.rankPeriod,
    rankToDate: s.rankToDate,
    lang,
  };
}
