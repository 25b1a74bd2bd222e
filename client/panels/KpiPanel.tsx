/** Indicators for the window: incidents against the previous period by category, top communities, fraud trend. */
import { useMemo } from 'react';
import { usePanelWindowRanges } from '../data/hooks';
import { useCategoryComparison, useFraudTrend, useTopCommunities } from '../data/kpis';
import { useT } from '../i18n';
import { useView } from '../state/viewStore';
import { CATEGORY_COLOURS, css } from '../theme';
import { CategoryTable, Delta } from './Delta';
import { EChart, type ChartOption } from './EChart';

export function KpiPanel() {
  const t = useT();
  const { range, previous } = usePanelWindowRanges();
  const categories = useView((s) => s.categories);
  const selectCommunity = useView((s) => s.selectCommunity);
  const cmp = useCategoryComparison(range, previous, categories);
  const top = useTopCommunities(range, categories);
  const fraud = useFraudTrend();
  const max = top.data?.[0]?.count ?? 1;

  const fraudOption: ChartOption = useMemo(
    () => ({
      grid: { left: 30, right: 6, top: 8, bottom: 20 },
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: fraud.months?.map((m) => m.key.slice(2)) ?? [],
        axisLabel: { color: '#93a1b8', fontSize: 10, interval: 5 },
        axisLine: { lineStyle: { color: '#24314d' } },
      },
      yAxis: {
        type: 'value',
        axisLabel: { color: '#93a1b8', fontSize: 10 },
        splitLine: { lineStyle: { color: '#1c2840' } },
      },
      series: [
        {
          type: 'line',
          data: fraud.months?.map((m) => m.count) ?? [],
          smooth: true,
          symbol: 'none',
          lineStyle: { color: css(CATEGORY_COLOURS.criminal), width: 2 },
          areaStyle: { color: 'rgba(204,102,119,0.15)' },
        },
      ],
    }),
    [fraud.months],
  );

  return (
    <>
      <section data-testid="kpi-incidents">
        <h2>{t.incidentsIn}</h2>
        {cmp.loading && <div className="empty">{t.loading}</div>}
        {cmp.rows && cmp.total && (
          <>
            <div style={{ display: 'flex', alignItems: 'baseline', gap: 12 }}>
              <span className="kpi-big num" data-testid="kpi-total">
                {t.num(cmp.total.current)}
              </span>
              <Delta current={cmp.total.current} previous={cmp.total.previous} big />
            </div>
            <div style={{ color: 'var(--muted)', fontSize: 12, marginBottom: 6 }}>
              {t.vsPrevious} {t.num(cmp.total.previous)}
            </div>
            {cmp.total.current === 0 && <div className="empty">{t.noData}</div>}
            <CategoryTable rows={cmp.rows} />
          </>
        )}
      </section>
      <section data-testid="kpi-top">
        <h2>{t.topCommunities}</h2>
        {top.isLoading && <div className="empty">{t.loading}</div>}
        {top.data?.length === 0 && <div className="empty">{t.noData}</div>}
        <table className="kpi-table">
          <tbody>
            {top.data?.map((r, i) => (
              <tr
                key={r.key}
                style={{ cursor: 'pointer' }}
                onClick={() => selectCommunity(Number(r.key))}
              >
                <td style={{ width: 22, color: 'var(--muted)' }} className="num">
                  {i + 1}
                </td>
                <td>
                  {r.name}
                  <div className="bar" style={{ width: `${(r.count / max) * 100}%` }} />
                </td>
                <td className="n">{t.num(r.count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section data-testid="kpi-fraud">
        <h2>
          {t.fraudTrend}
          {fraud.change !== null && (
            <span
              className={`delta num ${fraud.change < 0 ? 'down' : 'up'}`}
              style={{ fontSize: 16 }}
            >
              {fraud.change < 0 ? '▼' : '▲'} {Math.abs(fraud.change * 100).toFixed(2)}%
            </span>
          )}
        </h2>
        <div style={{ color: 'var(--muted)', fontSize: 12 }}>
          {t.fraudYoY}
          {fraud.last !== undefined && fraud.previous !== undefined && (
            <span className="num">
              ：{t.num(fraud.last)} / {t.num(fraud.previous)}
            </span>
          )}
        </div>
        <div style={{ height: 110 }}>
          <EChart option={fraudOption} />
        </div>
      </section>
    </>
  );
}
