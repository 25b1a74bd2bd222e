import { useState } from 'react';
import { useWindowRange } from '../data/hooks';
import { useT } from '../i18n';
import { useView } from '../state/viewStore';
import type { LayerId } from '../state/view';
import { EXPORT_CRS_CHOICES, EXPORT_FORMAT_CHOICES, EXPORT_OF, exportUrl } from './exportLink';

/** A layer's 导出 menu: a format, a coordinate system, and the download. */
export function LayerExport({ id }: { id: LayerId }) {
  const t = useT();
  const layer = EXPORT_OF[id];
  const range = useWindowRange();
  const categories = useView((s) => s.categories);
  const [format, setFormat] = useState<(typeof EXPORT_FORMAT_CHOICES)[number]>('shp');
  const [crs, setCrs] = useState<string>('wgs84');
  if (!layer) return null;
  return (
    <details className="layer-export" data-export={layer}>
      <summary>{t.exportMenu}</summary>
      <select
        aria-label={t.exportFormat}
        value={format}
        onChange={(e) => setFormat(e.target.value as typeof format)}
      >
        {EXPORT_FORMAT_CHOICES.map((f) => (
          <option key={f} value={f}>
            {t.exportFormats[f]}
          </option>
        ))}
      </select>
      <select aria-label={t.exportCrs} value={crs} onChange={(e) => setCrs(e.target.value)}>
        {EXPORT_CRS_CHOICES.map((c) => (
          <option key={c} value={c}>
            {t.exportCrsNames[c]}
          </option>
        ))}
      </select>
      <a href={exportUrl({ layer, format, crs, range, categories })} download>
        {layer === 'incidents' ? t.exportIncidents : t.exportDownload}
      </a>
    </details>
  );
}
