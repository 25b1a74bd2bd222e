import type { CategoryDelta } from '../data/kpis';
import { useT } from '../i18n';
import { CATEGORY_COLOURS, css } from '../theme';

/** "▲ 12.3%" / "▼ 8.0%" against the previous period; for incidents, up is bad. */
export function Delta({
  current,
  previous,
  big,
}: {
  current: number;
  previous: number;
  big?: boolean;
}) {
  const t = useT();
  if (previous === 0)
    return <span className="delta">{current === 0 ? '—' : t.lang === 'zh' ? '新增' : 'new'}</span>;
  const change = (current - previous) / previous;
  const dir = change > 0.0005 ? 'up' : change < -0.0005 ? 'down' : '';
  const arrow = dir === 'up' ? '▲' : dir === 'down' ? '▼' : '＝';
  return (
    <span
      className={`delta num ${dir}`}
      style={big ? { fontSize: 18 } : undefined}
      title={t.vsPrevious}
    >
      {arrow} {Math.abs(change * 100).toFixed(1)}%
    </span>
  );
}

/** Incidents per category in the window, each against the previous period. */
export function CategoryTable({ rows }: { rows: CategoryDelta[] }) {
  const t = useT();
  return (
    <table className="kpi-table">
      <tbody>
        {rows.map((r) => (
          <tr key={r.category}>
            <td>
              <span
                className="swatch"
                style={{ background: css(CATEGORY_COLOURS[r.category]), marginRight: 6 }}
              />
              {t.category(r.category)}
            </td>
            <td className="n">{t.num(r.current)}</td>
            <td className="n" style={{ width: 80 }}>
              <Delta current={r.current} previous={r.previous} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
