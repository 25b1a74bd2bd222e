/**
 * The red/black list (月晒季比年考): the period, the red list (praised, gold) and the black list
 * (named, dark grey with a black badge), the formula with the weights in force, and the full
 * ranking. Never the risk red: on this list red means good.
 */
import { useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../server/router';
import { INDICATORS } from '../../server/services/rankingScore';
import { useRankings } from '../data/analysis';
import { useT, type IndicatorName, type Texts } from '../i18n';
import { RANK_PERIODS } from '../state/view';
import { useView } from '../state/viewStore';

type Rankings = inferRouterOutputs<AppRouter>['rankings']['communities'];
type Ranked = Rankings['communities'][number];

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** An indicator's value as people read it. */
export function indicatorValue(t: Texts, c: Ranked, k: IndicatorName): string {
  const x = c.indicators;
  const paren = (v: string) => (t.lang === 'zh' ? `（${v}）` : ` (${v})`);
  switch (k) {
    case 'incidentRate':
      return `${x.incidentRate.toFixed(2)}${paren(t.num(x.incidents))}`;
    case 'change':
      if (x.change === null) return x.incidents > 0 ? t.newFromZero : '—';
      return `${x.change > 0 ? '+' : ''}${(x.change * 100).toFixed(1)}%`;
    case 'disputeResolution':
      return x.disputeResolution === null
        ? '—'
        : `${pct(x.disputeResolution)}${paren(`${x.disputesResolved}/${x.disputes}`)}`;
    case 'fraudRate':
      return `${x.fraudRate.toFixed(2)}${paren(t.num(x.fraudCases))}`;
    case 'coverage':
      return pct(x.coverage);
    case 'reach':
      return pct(x.reach);
  }
}

export function RankingsPanel() {
  const t = useT();
  const period = useView((s) => s.rankPeriod);
  const setPeriod = useView((s) => s.setRankPeriod);
  const select = useView((s) => s.selectCommunity);
  const selected = useView((s) => s.communityId);
  const q = useRankings(period);
  const [showAll, setShowAll] = useState(false);
  const r = q.data;
  const byId = new Map(r?.communities.map((c) => [c.communityId, c]));

  const row = (c: Ranked, list: 'red' | 'black' | null) => (
    <tr
      key={c.communityId}
      className={`rank-row ${list ?? ''} ${selected === c.communityId ? 'selected' : ''}`}
      onClick={() => select(c.communityId)}
      data-testid={list ? `${list}-row` : 'rank-row'}
    >
      <td className="num rank-no">
        <span className={`rank-badge ${list ?? ''}`}>{c.rank}</span>
      </td>
      <td>
        {c.name}
        <div className="sub">{c.townName}</div>
      </td>
      <td className="n">{c.score.toFixed(1)}</td>
    </tr>
  );

  return (
    <section data-testid="rankings">
      <h2>
        {t.tabRankings}
        {r && <span className="num period-label">{r.label}</span>}
      </h2>
      <div className="seg" role="group" aria-label={t.tabRankings}>
        {RANK_PERIODS.map((p) => (
          <button
            key={p}
            className={p === period ? 'on' : ''}
            aria-pressed={p === period}
            onClick={() => setPeriod(p)}
          >
            {t.period(p)}
          </button>
        ))}
      </div>
      {q.isLoading && <div className="empty">{t.loading}</div>}
      {q.isError && (
        <div className="empty" role="alert">
          {q.error.message}
        </div>
      )}
      {r && (
        <>
          {r.partial && <div className="note">{t.partialPeriod}</div>}
          <h3 className="list-title red">
            <span className="list-badge red">{t.redList}</span> {t.redListNote} ·{' '}
            {t.lang === 'zh' ? `前${r.listSize}名` : `top ${r.listSize}`}
          </h3>
          <table className="kpi-table rank-table" data-testid="red-list">
            <tbody>{r.red.map((id) => row(byId.get(id)!, 'red'))}</tbody>
          </table>
          <h3 className="list-title black">
            <span className="list-badge black">{t.blackList}</span> {t.blackListNote} ·{' '}
            {t.lang === 'zh' ? `后${r.listSize}名` : `bottom ${r.listSize}`}
          </h3>
          <table className="kpi-table rank-table" data-testid="black-list">
            <tbody>{r.black.map((id) => row(byId.get(id)!, 'black'))}</tbody>
          </table>
          <details className="formula" data-testid="rank-formula">
            <summary>{t.formula}</summary>
            <p>{t.formulaText}</p>
            <table className="kpi-table">
              <tbody>
                {INDICATORS.map((k) => (
                  <tr key={k}>
                    <td>{t.indicator(k)}</td>
                    <td className="n">×{r.weights[k]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
          <button className="link" onClick={() => setShowAll(!showAll)}>
            {t.allRanks}（{r.communities.length}）{showAll ? '▲' : '▼'}
          </button>
          {showAll && (
            <table className="kpi-table rank-table" data-testid="all-ranks">
              <tbody>
                {r.communities.map((c) =>
                  row(
                    c,
                    r.red.includes(c.communityId)
                      ? 'red'
                      : r.black.includes(c.communityId)
                        ? 'black'
                        : null,
                  ),
                )}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}

/** The selected community's place on the list, for its card. */
export function RankLine({ communityId }: { communityId: number }) {
  const t = useT();
  const period = useView((s) => s.rankPeriod);
  const q = useRankings(period);
  const c = q.data?.communities.find((x) => x.communityId === communityId);
  if (!q.data || !c) return null;
  const list = q.data.red.includes(communityId)
    ? 'red'
    : q.data.black.includes(communityId)
      ? 'black'
      : null;
  return (
    <div className="rank-line" data-testid="community-rank">
      <span style={{ color: 'var(--muted)' }}>
        {t.period(period)} {q.data.label}
      </span>{' '}
      <span className="num" style={{ fontWeight: 700 }}>
        {t.rank} {c.rank}/{q.data.communities.length}
      </span>{' '}
      <span className="num">
        {t.score} {c.score.toFixed(1)}
      </span>{' '}
      {list && (
        <span className={`list-badge ${list}`}>{list === 'red' ? t.redList : t.blackList}</span>
      )}
      <table className="kpi-table indicators">
        <tbody>
          {INDICATORS.map((k) => (
            <tr key={k}>
              <td>{t.indicator(k)}</td>
              <td className="n">{indicatorValue(t, c, k)}</td>
              <td className="n points">{Math.round(c.points[k])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
