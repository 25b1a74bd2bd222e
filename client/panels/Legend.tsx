/** A legend section for every layer that is on (registry.ts), in the map's own colours. */
import { Fragment, memo } from 'react';
import { useAllowedLayers } from '../auth/useCan';
import { useT } from '../i18n';
import { LAYER_REGISTRY, type LayerEntry, type LayerId } from '../layers/registry';
import { useView } from '../state/viewStore';

/** The sections in their order, each with the layers shown in it. */
const SECTIONS = LAYER_REGISTRY.flatMap((e) =>
  typeof e.legend === 'object' && 'section' in e.legend
    ? [
        {
          id: e.id,
          order: e.legend.order,
          Section: e.legend.section,
          members: LAYER_REGISTRY.filter(
            (m: LayerEntry) =>
              m === e ||
              (typeof m.legend === 'object' && 'with' in m.legend && m.legend.with === e.id),
          ).map((m) => m.id),
        },
      ]
    : [],
).sort((a, b) => a.order - b.order);

function LegendPanel() {
  const t = useT();
  const L = useAllowedLayers(useView((s) => s.layers));
  const on = (id: LayerId) => L[id].on;
  const shown = SECTIONS.filter((s) => s.members.some(on));
  if (!shown.length) return null;
  return (
    <div className="legend" data-testid="legend">
      {shown.map(({ id, Section }) => (
        <Fragment key={id}>{Section({ t, on })}</Fragment>
      ))}
    </div>
  );
}

/** Re-renders with the layers it lists, not with its parent (the map, at every window change). */
export const Legend = memo(LegendPanel);
