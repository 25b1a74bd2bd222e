import { useT } from '../i18n';

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
