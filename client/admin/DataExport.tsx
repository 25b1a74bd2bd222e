/**
 * 导出 on the data page: any layer in the formats and coordinate systems the layer panel's menu
 * offers, and incidents for a period of local dates and chosen categories, through the same
 * download route (GET /api/export).
 */
import { useState } from 'react';
import { addDaysToDate, localDate, localMidnight } from '../../domain/time';
import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../domain/vocabulary';
import type { ExportFormat } from '../../server/files/write';
import type { ExportLayer } from '../../server/services/dataExport';
import { useWindowRange } from '../data/hooks';
import { useT } from '../i18n';
import {
  EXPORT_CRS_CHOICES,
  EXPORT_FORMAT_CHOICES,
  EXPORT_OF,
  exportUrl,
} from '../panels/exportLink';
import { useAdminT } from './texts';

const LAYERS = [...new Set(Object.values(EXPORT_OF))] as ExportLayer[];

export function DataExport() {
  const admin = useAdminT();
  const t = admin.io;
  const common = useT();
  const range = useWindowRange();
  const [layer, setLayer] = useState<ExportLayer>('communities');
  const [format, setFormat] = useState<ExportFormat>('geojson');
  const [crs, setCrs] = useState<string>('wgs84');
  // the desk's window as local dates, the last day included
  const [from, setFrom] = useState(() => localDate(range.from));
  const [to, setTo] = useState(() => localDate(range.to - 1));
  const [categories, setCategories] = useState<IncidentCategory[]>([]);
  const incidents = layer === 'incidents';
  const badRange = incidents && (!from || !to || to < from);
  const href = badRange
    ? undefined
    : exportUrl({
        layer,
        format,
        crs,
        range: incidents
          ? { from: localMidnight(from), to: localMidnight(addDaysToDate(to, 1)) }
          : undefined,
        categories,
      });
  const toggle = (c: IncidentCategory) =>
    setCategories(categories.includes(c) ? categories.filter((x) => x !== c) : [...categories, c]);
  return (
    <section className="admin-card import-export" data-testid="data-export">
      <h2>{t.exportTitle}</h2>
      <p className="note muted">{t.exportNote}</p>
      <div className="admin-form inline">
        <label>
          {t.exportLayer}
          <select
            name="export-layer"
            value={layer}
            onChange={(e) => setLayer(e.target.value as ExportLayer)}
          >
            {LAYERS.map((l) => (
              <option key={l} value={l}>
                {t.exportLayerNames[l] ?? l}
              </option>
            ))}
          </select>
        </label>
        <label>
          {common.exportFormat}
          <select
            name="export-format"
            value={format}
            onChange={(e) => setFormat(e.target.value as ExportFormat)}
          >
            {EXPORT_FORMAT_CHOICES.map((f) => (
              <option key={f} value={f}>
                {common.exportFormats[f]}
              </option>
            ))}
          </select>
        </label>
        <label>
          {common.exportCrs}
          <select name="export-crs" value={crs} onChange={(e) => setCrs(e.target.value)}>
            {EXPORT_CRS_CHOICES.map((c) => (
              <option key={c} value={c}>
                {common.exportCrsNames[c]}
              </option>
            ))}
          </select>
        </label>
        {incidents && (
          <>
            <label>
              {t.from}
              <input
                type="date"
                name="export-from"
                value={from}
                onChange={(e) => setFrom(e.target.value)}
              />
            </label>
            <label>
              {t.to}
              <input
                type="date"
                name="export-to"
                value={to}
                onChange={(e) => setTo(e.target.value)}
              />
            </label>
          </>
        )}
        {incidents && (
          <fieldset className="import-categories">
            <legend>
              {t.categories}{' '}
              {!categories.length && <span className="muted">{t.allCategories}</span>}
            </legend>
            {INCIDENT_CATEGORIES.map((c) => (
              <label key={c} className="check">
                <input
                  type="checkbox"
                  checked={categories.includes(c)}
                  onChange={() => toggle(c)}
                />
                {common.category(c)}
              </label>
            ))}
          </fieldset>
        )}
        <a
          className={href ? 'btn primary' : 'btn primary disabled'}
          href={href}
          aria-disabled={!href}
          download
          data-testid="export-download"
        >
          {t.download}
        </a>
        {badRange && (
          <div className="login-error" role="alert">
            {admin.badRange}
          </div>
        )}
      </div>
    </section>
  );
}
