/**
 * The analyses for the window, each with its method in a sentence: spikes per community, Gi* hot
 * spots (with the map layer), the three circles' figures, "135" reach, and what the infill
 * cameras changed.
 */
import { usePanelWindowRange } from '../data/hooks';
import {
  useCircleStats,
  useHotspots,
  useInfill,
  useReachSummary,
  useSiteCoverage,
  useSpikes,
} from '../data/analysis';
import { useT, type Texts } from '../i18n';
import { useView } from '../state/viewStore';
import { css } from '../theme';
import { HOTSPOT_STYLE } from '../layers/analysis';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function Method({ children }: { children: string }) {
  return <div className="method">{children}</div>;
}

function Waiting({
  q,
  t,
}: {
  q: { isLoading: boolean; isError: boolean; error: unknown };
  t: Texts;
}) {
  if (q.isLoading) return <div className="empty">{t.loading}</div>;
  if (q.isError)
    return (
      <div className="empty" role="alert">
        {(q.error as Error).message}
      </div>
    );
  return null;
}

function Spikes() {
  const t = useT();
  const range = usePanelWindowRange();
  const categories = useView((s) => s.categories);
  const select = useView((s) => s.selectCommunity);
  const q = useSpikes(range, categories);
  const flagged = q.data?.filter((r) => r.flag) ?? [];
  return (
    <section data-testid="analysis-spikes">
      <h2>{t.spikes}</h2>
      <Method>{t.spikesMethod}</Method>
      <Waiting q={q} t={t} />
      {q.data && flagged.length === 0 && <div className="empty">{t.noSpikes}</div>}
      <table className="kpi-table">
        <tbody>
          {flagged.map((r) => (
            <tr
              key={r.communityId}
              onClick={() => select(r.communityId)}
              style={{ cursor: 'pointer' }}
            >
              <td>{r.name}</td>
              <td className="n">
                {t.num(r.previous)} → {t.num(r.current)}
              </td>
              <td className={`n delta ${r.flag === 'up' ? 'up' : 'down'}`}>
                {r.flag === 'up' ? '▲' : '▼'} z={r.z.toFixed(1)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function HotSpots() {
  const t = useT();
  const range = usePanelWindowRange();
  const categories = useView((s) => s.categories);
  const on = useView((s) => s.layers.hotspots.on);
  const toggle = useView((s) => s.toggleLayer);
  const q = useHotspots(range, categories);
  const b = q.data?.byClass;
  const levels = [99, 95, 90] as const;
  return (
    <section data-testid="analysis-hotspots">
      <h2>{t.hotspotsTitle}</h2>
      <Method>{t.hotspotsMethod}</Method>
      <label className="check">
        <input type="checkbox" checked={on} onChange={() => toggle('hotspots')} /> {t.showOnMap}
      </label>
      <Waiting q={q} t={t} />
      {b && (
        <table className="kpi-table">
          <thead>
            <tr>
              <td>{t.confidence}</td>
              {levels.map((l) => (
                <td key={l} className="n">
                  {l}%
                </td>
              ))}
            </tr>
          </thead>
          <tbody>
            {(['hot', 'cold'] as const).map((kind) => (
              <tr key={kind}>
                <td>{kind === 'hot' ? t.hot : t.cold}</td>
                {levels.map((l) => (
                  <td key={l} className="n" data-testid={`gistar-${kind}${l}`}>
                    <span
                      className="swatch"
                      style={{ background: css(HOTSPOT_STYLE[`${kind}${l}`]!) }}
                    />
                    {t.num(b[`${kind}${l}`])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Circles() {
  const t = useT();
  const range = usePanelWindowRange();
  const q = useCircleStats(range);
  const names = { outer: ['外圈', 'Outer'], middle: ['中圈', 'Middle'], inner: ['内圈', 'Inner'] };
  return (
    <section data-testid="analysis-circles">
      <h2>{t.circlesTitle}</h2>
      <Method>{t.circlesMethod}</Method>
      <Waiting q={q} t={t} />
      {q.data && (
        <table className="kpi-table">
          <thead>
            <tr>
              <td>{t.ring}</td>
              <td className="n">{t.incidents}</td>
              <td className="n">{t.perKm2}</td>
              <td className="n">{t.coverageShort}</td>
              <td className="n">{t.reach3}</td>
            </tr>
          </thead>
          <tbody>
            {q.data.map((r) => (
              <tr key={r.ring}>
                <td>{names[r.ring][t.lang === 'zh' ? 0 : 1]}</td>
                <td className="n">{t.num(r.incidents)}</td>
                <td className="n">{r.perKm2.toFixed(1)}</td>
                <td className="n">{pct(r.cameraCoverage)}</td>
                <td className="n">{pct(r.reach3Share)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Reach() {
  const t = useT();
  const q = useReachSummary();
  const m = q.data?.model;
  return (
    <section data-testid="analysis-reach">
      <h2>{t.reachTitle}</h2>
      {m && (
        <Method>
          {t.reachMethod
            .replace('{detour}', String(m.detour))
            .replace('{speed}', String(m.speedKmh))}
        </Method>
      )}
      <Waiting q={q} t={t} />
      {q.data && (
        <table className="kpi-table">
          <thead>
            <tr>
              <td />
              <td className="n">{t.areaShare}</td>
              <td className="n">{t.populationShare}</td>
              <td className="n">{t.incidentShare}</td>
            </tr>
          </thead>
          <tbody>
            {q.data.thresholds.map((r) => (
              <tr key={r.minutes} data-testid={`reach-${r.minutes}`}>
                <td className="num">
                  {r.minutes} {t.minutes}
                </td>
                <td className="n">{pct(r.areaShare)}</td>
                <td className="n">{pct(r.populationShare)}</td>
                <td className="n">{pct(r.incidentShare)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Infill() {
  const t = useT();
  const q = useInfill();
  const sites = useSiteCoverage();
  const total = q.data?.reduce((a, r) => a + r.areaM2, 0) ?? 0;
  const weighted = (k: 'ratio' | 'ratioWithout') =>
    (q.data?.reduce((a, r) => a + r[k] * r.areaM2, 0) ?? 0) / (total || 1);
  const weak = sites.data?.filter((s) => s.ratio < 0.5).length;
  return (
    <section data-testid="analysis-infill">
      <h2>{t.infillTitle}</h2>
      <Method>{t.infillMethod}</Method>
      <Waiting q={q} t={t} />
      {q.data && (
        <div className="infill">
          <span style={{ color: 'var(--muted)' }}>{t.districtCoverage}</span>{' '}
          <span className="num kpi-mid" data-testid="district-coverage">
            {pct(weighted('ratio'))}
          </span>{' '}
          <span className="num" style={{ color: 'var(--muted)' }}>
            （{t.beforeInfill} {pct(weighted('ratioWithout'))}）
          </span>
        </div>
      )}
      {weak !== undefined && sites.data && (
        <div>
          <span style={{ color: 'var(--muted)' }}>{t.sitesUncovered}</span>{' '}
          <span className="num" style={{ fontWeight: 700 }}>
            {weak}/{sites.data.length}
          </span>
        </div>
      )}
    </section>
  );
}

export function AnalysisPanel() {
  return (
    <>
      <Spikes />
      <HotSpots />
      <Circles />
      <Reach />
      <Infill />
    </>
  );
}
