/**
 * An import's report as the page shows it: the counts, the notes, how boundaries tile the
 * district, the refused rows and the repairs (a page of them at a time, every count shown),
 * and the map of the changes.
 */
import { useState } from 'react';
import type { ImportReport } from './importApi';
import { PreviewMap } from './PreviewMap';
import { useAdminT } from './texts';

const COUNT_KEYS = ['read', 'add', 'change', 'remove', 'unchanged', 'refused', 'repaired'] as const;
/** rows of refusals or repairs shown at first, and added by each "show more" */
const PAGE = 50;

const area = (m2: number) => Math.round(m2).toLocaleString();
const at = ([lon, lat]: [number, number]) => `${lon.toFixed(4)}, ${lat.toFixed(4)}`;

export function ImportReportView({ report }: { report: ImportReport }) {
  const t = useAdminT().io;
  const { counts, tiling } = report;
  return (
    <div className="import-report" data-testid="import-report">
      <dl className="import-counts" data-testid="import-counts">
        {COUNT_KEYS.map((k) => (
          <div
            key={k}
            data-count={k}
            className={
              k === 'refused' && counts[k] ? 'warn' : k === 'remove' && counts[k] ? 'bad' : ''
            }
          >
            <dt>{t.counts[k]}</dt>
            <dd className="num">{counts[k].toLocaleString()}</dd>
          </div>
        ))}
      </dl>
      {report.notes.length > 0 && (
        <section>
          <h3>{t.notes}</h3>
          <ul className="import-notes">
            {report.notes.map((n, i) => (
              <li key={i} data-code={n.code}>
                {t.because(n)}
              </li>
            ))}
          </ul>
        </section>
      )}
      {tiling && (
        <section data-testid="import-tiling">
          <h3>
            {t.tiling}{' '}
            <span className="muted">
              {t.overlaps(tiling.overlaps.length)} · {t.gaps(tiling.gaps.length)}
            </span>
          </h3>
          {tiling.overlaps.length + tiling.gaps.length === 0 ? (
            <p className="ok">{t.tilingOk}</p>
          ) : (
            <ul className="import-notes">
              {tiling.overlaps.slice(0, PAGE).map((o, i) => (
                <li key={`o${i}`}>{t.overlap(o.a, o.b, area(o.areaM2))}</li>
              ))}
              {tiling.gaps.slice(0, PAGE).map((g, i) => (
                <li key={`g${i}`}>{t.gap(area(g.areaM2), at(g.at))}</li>
              ))}
            </ul>
          )}
        </section>
      )}
      <div className="import-report-body">
        <div className="import-tables">
          <RowTable
            title={t.refusals}
            rows={report.refusals}
            total={counts.refused}
            testId="import-refusals"
          />
          <RowTable
            title={t.repairs}
            rows={report.repairs}
            total={counts.repaired}
            testId="import-repairs"
          />
        </div>
        <section className="import-preview">
          <h3>
            {t.preview}{' '}
            {report.preview.features.length >= 5000 && (
              <span className="muted">{t.previewLimited(5000)}</span>
            )}
          </h3>
          <PreviewMap preview={report.preview} />
        </section>
      </div>
    </div>
  );
}

/** Refusals or repairs, by row: a page at a time, with how many there are in all. */
function RowTable(props: {
  title: string;
  rows: ImportReport['refusals'];
  total: number;
  testId: string;
}) {
  const t = useAdminT().io;
  const [shown, setShown] = useState(PAGE);
  if (!props.total) return null;
  const rows = props.rows.slice(0, shown);
  return (
    <section data-testid={props.testId}>
      <h3>
        {props.title} <span className="muted">{t.refusalsShown(rows.length, props.total)}</span>
      </h3>
      <table className="admin-table import-rows">
        <thead>
          <tr>
            <th className="n">{t.row}</th>
            <th>{t.field}</th>
            <th>{t.reason}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i} data-row={r.n ?? ''} data-code={r.code}>
              <td className="n num">{r.n ?? t.wholeFile}</td>
              <td className="mono">{r.field ?? ''}</td>
              <td>{t.because(r)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {shown < props.rows.length && (
        <button type="button" className="btn small" onClick={() => setShown(shown + PAGE)}>
          {t.more}
        </button>
      )}
    </section>
  );
}
