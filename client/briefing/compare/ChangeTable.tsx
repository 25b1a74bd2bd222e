/**
 * The change of each village/community between the two periods, largest first, for the
 * right-hand panel while the desk compares; a row selects its community, as elsewhere.
 */
import type { CompareAgainst } from '../../../domain/briefing';
import { useT } from '../../i18n';
import { useView } from '../../state/viewStore';
import { useCompareTexts } from './texts';
import { periodText, useCommunityChanges, useComparedRanges } from './useComparison';
import './compare.css';

/** `limit`: the largest changes only (a presented slide shows the few that matter). */
export function ChangeTable({ limit }: { limit?: number }) {
  // only the switch renders this while the desk does not compare
  const on = useView((s) => s.comparison !== null);
  return on ? <Changes limit={limit} /> : null;
}

function Changes({ limit }: { limit?: number }) {
  const t = useT();
  const ct = useCompareTexts();
  const ranges = useComparedRanges();
  const changes = useCommunityChanges(ranges);
  const selected = useView((s) => s.communityId);
  const selectCommunity = useView((s) => s.selectCommunity);
  if (!ranges) return null;
  return (
    <section data-testid="change-table-section">
      <h2>
        {ct.tableTitle} · {ct.against[ranges.comparison.against]}
      </h2>
      <div className="change-periods">
        <div>
          {ct.current} <span className="num">{periodText(ranges.current)}</span>
          {changes && <> · {ct.incidents(t.num(changes.total.current))}</>}
        </div>
        <div>
          {ct.base[ranges.comparison.against]}{' '}
          <span className="num">{periodText(ranges.base)}</span>
          {changes && <> · {ct.incidents(t.num(changes.total.base))}</>}
        </div>
      </div>
      {!changes && <div className="empty">{ct.loading}</div>}
      {changes?.beforeData && <p className="note">{ct.beforeData}</p>}
      {changes && changes.total.current + changes.total.base === 0 && (
        <div className="empty">{ct.noIncidents}</div>
      )}
      {changes && (
        <ChangeRows
          changes={changes}
          against={ranges.comparison.against}
          limit={limit}
          selected={selected}
          onSelect={selectCommunity}
        />
      )}
    </section>
  );
}

/**
 * The rows of the change table: community, this period, the other, the change and its rate,
 * largest changes first (the first `limit`); a click selects a community where `onSelect` is
 * given.
 */
export function ChangeRows({
  changes,
  against,
  limit,
  selected = null,
  onSelect,
}: {
  changes: NonNullable<ReturnType<typeof useCommunityChanges>>;
  against: CompareAgainst;
  limit?: number;
  selected?: number | null;
  onSelect?: (id: number) => void;
}) {
  const t = useT();
  const ct = useCompareTexts();
  const names = new Map(changes.features.map((f) => [f.properties.id, f.properties.name]));
  const signed = (n: number) => (n > 0 ? `+${t.num(n)}` : n < 0 ? `−${t.num(-n)}` : '0');
  return (
    <div className="change-table">
      <table data-testid="change-table">
        <thead>
          <tr>
            <td>{ct.community}</td>
            <td className="n">{ct.current}</td>
            <td className="n">{ct.base[against]}</td>
            <td className="n">{ct.change}</td>
            <td className="n">{ct.changePct}</td>
          </tr>
        </thead>
        <tbody>
          {changes.rows.slice(0, limit).map((r) => (
            <tr
              key={r.id}
              className={r.id === selected ? 'on' : ''}
              data-community={r.id}
              onClick={onSelect && (() => onSelect(r.id))}
            >
              <td className="name" title={names.get(r.id)}>
                {names.get(r.id)}
              </td>
              <td className="n">{t.num(r.current)}</td>
              <td className="n">{t.num(r.base)}</td>
              <td className={`n ${r.change > 0 ? 'more' : r.change < 0 ? 'fewer' : ''}`}>
                {signed(r.change)}
              </td>
              <td className="n">
                {r.ratio === null
                  ? r.current
                    ? ct.newFromZero
                    : '—'
                  : `${r.ratio > 0 ? '+' : r.ratio < 0 ? '−' : ''}${Math.abs(r.ratio * 100).toFixed(1)}%`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
