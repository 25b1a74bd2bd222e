import { useCanCheck } from '../auth/useCan';
import { useT } from '../i18n';
import { LAYER_REGISTRY } from '../layers/registry';
import { useView } from '../state/viewStore';
import { LayerExport } from './LayerExport';

export function LayerPanel() {
  const t = useT();
  const layers = useView((s) => s.layers);
  const toggle = useView((s) => s.toggleLayer);
  const setOpacity = useView((s) => s.setOpacity);
  // camera positions are need-to-know: layers are offered only to roles that may see them
  const can = useCanCheck();
  const ids = LAYER_REGISTRY.filter((e) => can(e.permission)).map((e) => e.id);
  return (
    <section data-testid="layer-panel">
      <h2>{t.layers}</h2>
      {ids.map((id) => (
        <div className="layer-row" key={id}>
          <label>
            <input
              type="checkbox"
              checked={layers[id].on}
              onChange={() => toggle(id)}
              data-layer={id}
            />
            {/* a long name may wrap after a slash (Villages/ communities) */}
            <span title={t.layer(id)}>{t.layer(id).replace(/\//g, '/\u200b')}</span>
          </label>
          <input
            type="range"
            min={0}
            max={100}
            step={5}
            aria-label={`${t.layer(id)} ${t.opacity}`}
            value={Math.round(layers[id].opacity * 100)}
            disabled={!layers[id].on}
            onChange={(e) => setOpacity(id, Number(e.target.value) / 100)}
          />
          <LayerExport id={id} />
        </div>
      ))}
    </section>
  );
}
