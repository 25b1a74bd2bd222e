/**
 * The red/black list (月晒季比年考): the period, the red list (praised, gold) and the black list
 * (named, dark grey with a black badge), the formula with the weights in force, and the full
 * ranking. Never the risk red: on this list red means good.
 *
 * By default the last complete period, judged whole against the whole period before it; when a
 * period is in progress it can be shown so far, against the same days of the previous period.
 * The panel says which window it ranks and which it compares with.
 */
import { useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '../../server/router';
import { INDICATORS } from '../../domain/rankingScore';
import { useRankings } from '../data/analysis';
import { useT, type IndicatorName, type Texts } from '../i18n';
import { formatLocal, localDate } from '../../domain/time';
import { RANK_PERIODS, type RankPeriod } from '../state/view';
import { useView } from '../state/viewStore';

type Rankings = inferRouterOutputs<AppRouter>['rankings']['communities'];
type Ranked = Rankings['communities'][number];

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** [from, to) in local time: `2026-06-01 – 2026-06-30` on whole days, else with the times. */
export function windowRange(from: string, to: string): string {
  const a = Date.parse(from);
  const b = Date.parse(to);
  const midnight = (ms: number) => formatLocal(ms, 'HH:mm:ss') === '00:00:00';
  if (midnight(a) && midnight(b)) return `${localDate(a)} – ${localDate(b - 1)}`;
  const minute = (ms: number) => formatLocal(ms, 'yyyy-MM-dd HH:mm');
  return `${minute(a)} – ${minute(b)}`;
}

/** A compared window as people read it: `2026-05（整月）`, `2026-06-01 00:00 – 2026-06-05 14:30（本月至今）`. */
export function windowText(
  t: Texts,
  period: RankPeriod,
  w: Pick<Rankings, 'label' | 'from' | 'to' | 'complete'>,
  role: 'shown' | 'against',
): string {
  const kind = w.complete ? 'whole' : role === 'shown' ? 'toDate' : 'sameDays';
  const what = w.complete ? w.label : windowRange(w.from, w.to);
  const note = t.rankWindowKind(period, kind);
  return t.lang === 'zh' ? `${what}（${note}）` : `${what} (${note})`;
}

/** An indicator's value as people read it. */
export function indicatorValue(t: Texts, c: Ranked, k: IndicatorName, compared = true): string {
  const x = c.indicators;
  const paren = (v: string) => (t.lang === 'zh' ? `（${v}）` : ` (${v})`);
  switch (k) {
    case 'incidentRate':
      return `${x.incidentRate.toFixed(2)}${paren(t.num(x.incidents))}`;
    case 'change':
      if (x.change === null) return compared && x.incidents > 0 ? t.newFromZero : '—';
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
  const toDate = useView((s) => s.rankToDate);
  const setToDate = useView((s) => s.setRankToDate);
  const select = useView((s) => s.selectCommunity);
  const selected = useView((s) => s.communityId);
  const q = useRankings(period, toDate);
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
      {r && (r.inProgress || toDate) && (
        <div className="seg" role="group" aria-label={t.rankShown} data-testid="rank-pick">
          {[false, true].map((on) => (
            <button
              key={String(on)}
              className={on === toDate ? 'on' : ''}
              aria-pressed={on === toDate}
              onClick={() => setToDate(on)}
            >
              {t.rankPick(period, on)}
            </button>
          ))}
        </div>
      )}
      {r && (
        <>
          <div className="method rank-period" data-testid="rank-period">
            <div>
              {t.rankShown}
              {t.lang === 'zh' ? '：' : ': '}
              <span className="num">{windowText(t, r.period, r, 'shown')}</span>
            </div>
            <div>
              {t.rankAgainst}
              {t.lang === 'zh' ? '：' : ': '}
              <span className="num">{windowText(t, r.period, r.previous, 'against')}</span>
              {!r.previous.covered && <span>{t.previousNotCovered}</span>}
            </div>
          </div>
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
  const toDate = useView((s) => s.rankToDate);
  const q = useRankings(period, toDate);
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
              <td className="n">{indicatorValue(t, c, k, q.data.previous.covered)}</td>
              <td className="n points">{Math.round(c.points[k])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
